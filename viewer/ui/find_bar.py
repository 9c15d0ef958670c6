"""Find in page: a bar under the document with next/previous and a match count."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from viewer.ui.document_view import DocumentView


class FindBar(QWidget):
    """Ctrl+F opens it; Enter/F3 next, Shift+Enter/Shift+F3 previous, Escape closes."""

    closed = Signal()

    def __init__(self, view: DocumentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.matches: list[QTextCursor] = []
        self.current = -1
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find:"))
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find in page")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.search)
        self.field.returnPressed.connect(self.next)
        layout.addWidget(self.field, 1)
        self.previous_button = QToolButton(text="\u25b2", toolTip="Previous match (Shift+F3)")
        self.previous_button.clicked.connect(self.previous)
        self.next_button = QToolButton(text="\u25bc", toolTip="Next match (F3)")
        self.next_button.clicked.connect(self.next)
        self.count_label = QLabel("")
        self.count_label.setMinimumWidth(110)
        close = QToolButton(text="\u2715", toolTip="Close (Esc)")
        close.clicked.connect(self.close_bar)
        for widget in (self.previous_button, self.next_button, self.count_label, close):
            layout.addWidget(widget)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Shift+Return"), self.field, self.previous,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        selected = self.view.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self.field.setFocus()
        self.field.selectAll()
        self.search(self.field.text())

    def close_bar(self) -> None:
        self.view.setExtraSelections([])
        self.hide()
        self.view.setFocus()
        self.closed.emit()

    def refresh(self) -> None:
        """Re-run the search after the page changed (new document, re-render)."""
        if self.isVisible():
            self.search(self.field.text(), keep_position=True)

    def search(self, text: str, keep_position: bool = False) -> None:
        previous = self.current
        self.matches = self.view.find_all(text)
        if not self.matches:
            self.current = -1
        elif keep_position and 0 <= previous < len(self.matches):
            self.current = previous
        else:
            self.current = self._first_visible()
        self._show()

    def _first_visible(self) -> int:
        for i, cursor in enumerate(self.matches):
            if self.view.cursorRect(cursor).top() >= 0:  # viewport coordinates
                return i
        return 0

    def next(self) -> None:
        if self.matches:
            self.current = (self.current + 1) % len(self.matches)
            self._show()

    def previous(self) -> None:
        if self.matches:
            self.current = (self.current - 1) % len(self.matches)
            self._show()

    def step(self, forward: bool) -> None:
        """F3 / Shift+F3: the next or previous match, or the bar itself when it is closed."""
        if not self.isVisible():
            self.open_bar()
        elif forward:
            self.next()
        else:
            self.previous()

    def _show(self) -> None:
        text = self.field.text()
        if not text:
            self.count_label.setText("")
        elif not self.matches:
            self.count_label.setText("No matches")
        else:
            self.count_label.setText(f"{self.current + 1} of {len(self.matches)}")
        palette = self.view.palette()
        dark = palette.base().color().lightness() < 128
        colour = QColor("#6b5800") if dark else QColor("#fff3a3")
        current = QColor("#b08800") if dark else QColor("#ffb347")
        self.view.highlight(self.matches, self.current, colour, current)
