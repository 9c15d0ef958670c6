"""Quick-open (Ctrl+P): type a few letters of a title or path, Enter opens it.

With nothing typed it lists the runbooks opened most recently; while
typing, fuzzy matches ranked by ``core.fuzzy`` with recent ones nudged up.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.core.fuzzy import rank_choices
from viewer.ui.plain_text import plain_label, plain_tip

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class QuickOpen(QDialog):
    """Emits ``chosen(path)``."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open runbook")
        self.setModal(True)
        self.resize(640, 420)
        self.documents: list[tuple[str, str]] = []
        self.recent: list[str] = []
        self.field = QLineEdit()
        self.field.setPlaceholderText("Type part of a title or path")
        self.field.textChanged.connect(self.refresh)
        self.field.returnPressed.connect(self.accept_current)
        self.field.installEventFilter(self)
        self.list = QListWidget()
        self.list.itemActivated.connect(lambda item: self._choose(item))
        self.list.itemClicked.connect(lambda item: self._choose(item))
        self.hint = plain_label(QLabel(""))
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)

    def open_with(self, documents: Sequence[tuple[str, str]], recent: Sequence[str]) -> None:
        self.documents, self.recent = list(documents), list(recent)
        self.field.clear()
        self.refresh()
        self.show()
        self.raise_()
        self.activateWindow()
        self.field.setFocus()

    def refresh(self) -> None:
        query = self.field.text()
        choices = rank_choices(query, self.documents, self.recent)
        self.list.clear()
        for choice in choices:
            marker = "\u21ba " if choice.recent_rank is not None else ""
            item = QListWidgetItem(f"{marker}{choice.title}    {choice.path}")
            item.setData(PATH_ROLE, choice.path)
            item.setToolTip(plain_tip(choice.path))
            self.list.addItem(item)
        if choices:
            self.list.setCurrentRow(0)
            self.hint.setText("Enter opens · \u2191\u2193 choose · Esc closes · "
                              "\u21ba recently opened")
        else:
            self.hint.setText(f"No runbook title or path matches {query}." if query else
                              "The library has no runbooks yet.")

    def accept_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._choose(item)

    def _choose(self, item: QListWidgetItem) -> None:
        self.chosen.emit(item.data(PATH_ROLE))
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.field and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.list.count()):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
            self.list.setCurrentRow(row)
            return True
        return super().eventFilter(watched, event)
