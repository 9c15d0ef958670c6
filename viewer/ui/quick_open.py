"""Quick-open (Ctrl+P): type a few letters of a title or path, Enter opens it.

With nothing typed it lists the runbooks opened most recently; while
typing, fuzzy matches ranked by ``core.fuzzy`` with recent ones nudged up.
A big library is ranked off the UI thread (the field never waits for the
list), and Enter pressed before the list caught up opens the best match
for what was typed.
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

from viewer.core.fuzzy import Choice, FuzzyCatalog
from viewer.ui.plain_text import plain_label, plain_tip
from viewer.ui.tasks import TaskRunner

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
RANK_HERE_UP_TO = 3000  # runbooks: ranked at once on the UI thread (a few ms to ~50 ms)
_KEYS_HINT = "Enter opens · \u2191\u2193 choose · Esc closes · \u21ba recently opened"


class QuickOpen(QDialog):
    """Emits ``chosen(path)``."""

    chosen = Signal(str)

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open runbook")
        self.setModal(True)
        self.resize(640, 420)
        self.tasks = tasks
        self.catalog = FuzzyCatalog([])
        self.recent: list[str] = []
        self._ranking: str | None = None  # the text a background ranking is for
        self._enter_when_ranked = False
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

    def open_with(self, catalog: FuzzyCatalog, recent: Sequence[str]) -> None:
        self.catalog, self.recent = catalog, list(recent)
        self._enter_when_ranked = False
        self.field.clear()
        self.refresh()
        self.show()
        self.raise_()
        self.activateWindow()
        self.field.setFocus()

    def refresh(self) -> None:
        query, catalog, recent = self.field.text(), self.catalog, self.recent
        if len(catalog.documents) <= RANK_HERE_UP_TO:
            self._show(query, catalog.rank(query, recent))
            return
        self._ranking = query
        self.tasks.run("quick-open-rank", lambda: catalog.rank(query, recent),
                       lambda found: self._show(query, found), self._failed)

    def _show(self, query: str, found: tuple[list[Choice], int]) -> None:
        if query != self.field.text():
            return  # typed on since: that ranking is on its way
        self._ranking = None
        choices, matched = found
        self.list.clear()
        for choice in choices:
            marker = "\u21ba " if choice.recent_rank is not None else ""
            item = QListWidgetItem(f"{marker}{choice.title}    {choice.path}")
            item.setData(PATH_ROLE, choice.path)
            item.setToolTip(plain_tip(choice.path))
            self.list.addItem(item)
        if choices:
            self.list.setCurrentRow(0)
            more = (f"{matched:,} runbooks match; the best {len(choices)} are shown. "
                    if query.strip() and matched > len(choices) else "")
            self.hint.setText(more + _KEYS_HINT)
        else:
            self.hint.setText(f"No runbook title or path matches {query}." if query else
                              "The library has no runbooks yet.")
        if self._enter_when_ranked:
            self._enter_when_ranked = False
            self.accept_current()

    def _failed(self, error: BaseException) -> None:
        self._ranking = None
        self.hint.setText(f"The runbooks could not be listed: {error}")

    def accept_current(self) -> None:
        if self._ranking is not None:
            self._enter_when_ranked = True  # Enter typed ahead of the list: open its best
            return
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
