"""What a click or key does on the page: follow a link, confirm leaving the app, copy code.

Link decisions come from the core (``classify_link``); this module only
acts on them: open a runbook, scroll to a section, ask before a browser
opens, put a code block's exact text on the clipboard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox

from viewer.core.document import Document
from viewer.core.history import Location
from viewer.core.links import COPY_SCHEME, classify_link
from viewer.core.variables.catalog import filled_block

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class PageActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def follow_link(self, url: QUrl) -> None:
        window = self.window
        current = window.history.current.path if window.history.current else None
        target = classify_link(url.toString(), window.library, current)
        if target.kind == "copy":
            self.copy_code_block(target.index)
        elif target.kind == "anchor":
            if target.anchor and current:
                scroll_bar = window.view.verticalScrollBar()
                window.history.remember_scroll(scroll_bar.value())
                window.view.scrollToAnchor(target.anchor)
                window.history.visit(Location(current, target.anchor, scroll_bar.value()))
                window.update_history_actions()
        elif target.kind == "variable":
            window.variables.focus(target.path)
        elif target.kind == "tick":
            window.incidents.toggle(target.path)
        elif target.kind == "runbook":
            window.open(target.path, target.anchor)
        elif target.kind == "external":
            if self.confirm_external(target.url):
                QDesktopServices.openUrl(QUrl(target.url))
                window.status_label.setText(f"Opened in your browser: {target.url}")
        else:
            window.message_bar.show_message(target.reason)

    def confirm_external(self, url: str) -> bool:
        """Ask before anything leaves the app; the user sees the whole address."""
        answer = QMessageBox.question(
            self.window, "Open in web browser?",
            f"This link leads outside the runbook library:\n\n{url}\n\n"
            "Open it in your web browser?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Open

    def copy_code_block(self, index: int) -> None:
        document = self.window.document
        if not isinstance(document, Document) or not 0 <= index < len(document.code_blocks):
            self.window.message_bar.show_message("That code block is no longer on this page.")
            return
        filled = filled_block(document, index, self.window.variables.values)
        text = filled.text
        QGuiApplication.clipboard().setText(text)
        lines = text.count("\n") + 1 if text else 0
        said = f"Copied code block {index + 1} ({lines} line{'s' if lines != 1 else ''})"
        if filled.missing:
            names = ", ".join(filled.missing)
            said += (f" with {len(filled.missing)} placeholder"
                     f"{'s' if len(filled.missing) != 1 else ''} left as written: {names}. "
                     "Fill them in Variables (Ctrl+Shift+V).")
        else:
            said += " to the clipboard"
        self.window.status_label.setText(said)
        self.window.incidents.copied(index)

    def copy_code_at_cursor(self) -> None:
        """Copy the code block the cursor is in, else the first one in view."""
        links = self._copy_link_positions()
        if not links:
            self.window.status_label.setText("There is no code block on this page.")
            return
        view = self.window.view
        cursor_pos = view.textCursor().position()
        top_pos = view.cursorForPosition(view.viewport().rect().topLeft()).position()
        chosen = next((i for pos, i in reversed(links) if pos <= cursor_pos), None)
        if chosen is None or cursor_pos < top_pos:
            chosen = next((i for pos, i in links if pos >= top_pos), links[-1][1])
        self.copy_code_block(chosen)

    def _copy_link_positions(self) -> list[tuple[int, int]]:
        """(position, code block number) of each copy link on the page."""
        prefix = f"{COPY_SCHEME}:"
        found: list[tuple[int, int]] = []
        for position, _length, href in self.window.view.link_fragments():
            number = href[len(prefix):]
            if href.startswith(prefix) and number.isdigit():
                if not found or found[-1][1] != int(number):
                    found.append((position, int(number)))
        return found
