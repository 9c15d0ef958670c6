"""Pins in the window: the Pinned dock, the pin store, pinning from any panel, kept copies.

Built after the first paint (``ensure``); until then pinning builds it on
demand. The store keeps a copy of each pinned runbook's text so that a pin
still opens when its runbook has left the library.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from viewer.core.start_page import OVERVIEW

if TYPE_CHECKING:
    from viewer.core.relocation import Relocation
    from viewer.ui.main_window import MainWindow


class PinsController(QObject):
    """Owns ``panel`` (the Pinned dock's list) and ``store`` (None when pins cannot be read)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = None
        self.store = None

    def ensure(self) -> None:
        if self.panel is not None:
            return
        from viewer.core.pins import PinStore
        from viewer.ui.pins_panel import PinsPanel

        window = self.window
        self.panel = PinsPanel()
        self.panel.open_requested.connect(lambda path, anchor: window.open(path, anchor))
        self.panel.order_changed.connect(self._reordered)
        self.panel.rename_requested.connect(self.rename)
        self.panel.unpin_requested.connect(self.unpin)
        window.pins_dock.setWidget(self.panel)
        try:
            self.store = PinStore()
        except (OSError, sqlite3.Error) as err:
            window.message_bar.show_message(f"Your pins cannot be read: {err}.")
            return
        if self.store.problem:
            window.message_bar.show_message(self.store.problem)

    @property
    def _root(self):  # type: ignore[no-untyped-def]
        return self.window.library.root

    def _say(self, text: str) -> None:
        self.window.status_label.setText(text)

    def load(self) -> None:
        if self.panel is not None and self.store is not None:
            self.panel.set_pins(self.store.pins(self._root), self._root)

    def toggle_current(self) -> None:
        """Pin the page being read (at the section it was opened at), or unpin it."""
        self.window.ensure_panels()
        current = self.window.history.current
        if current is None or self.store is None or current.path == OVERVIEW:
            self._say("Open a runbook first, then pin it.")
            return
        from viewer.core.document import Document
        from viewer.core.pins import Pin, pin_label

        target = Pin(current.path, current.anchor).target
        if self.store.remove(self._root, current.path, current.anchor):
            self._say(f"Unpinned {target}")
        else:
            label = ""
            document = self.window.document
            if isinstance(document, Document) and document.path == current.path:
                section = next((h.text for h in document.headings
                                if current.anchor and h.anchor == current.anchor), "")
                label = pin_label(document.title, section)
            self.store.add(self._root, Pin(current.path, current.anchor, label))
            self._keep_copy(current.path)
            number = len(self.store.pins(self._root))
            keys = f" (Alt+{number})" if number <= 9 else ""
            self._say(f"Pinned {target}{keys}")
        self.load()

    def pin(self, path: str, anchor: str = "", label: str = "") -> None:
        """Pin a runbook or section chosen in the library, search results or sidebar."""
        self.window.ensure_panels()
        if self.store is None:
            return
        from viewer.core.pins import Pin

        pin = Pin(path, anchor, label)
        if self.store.add(self._root, pin):
            self._keep_copy(path)
            self._say(f"Pinned {pin.target}")
        else:
            self._say(f"{pin.target} is pinned already")
        self.load()

    def open_number(self, number: int) -> None:
        self.window.ensure_panels()
        self.panel.open_number(number)

    def rename(self, target: str, label: str) -> None:
        """Ask for the name the pin shows (empty: back to the page's title and section)."""
        from PySide6.QtWidgets import QInputDialog

        from viewer.core.pins import split_target

        path, anchor = split_target(target)
        text, ok = QInputDialog.getText(self.window, "Rename Pin",
                                        f"Name for {target} in the Pinned list\n"
                                        "(leave empty for the page's own name):", text=label)
        if ok and self.store is not None:
            self.store.set_label(self._root, path, anchor, text)
            self.load()

    def unpin(self, target: str) -> None:
        from viewer.core.pins import split_target

        path, anchor = split_target(target)
        if self.store is not None and self.store.remove(self._root, path, anchor):
            self._say(f"Unpinned {target}")
            self.load()

    def _reordered(self, targets: list[str]) -> None:
        if self.store is not None:
            self.store.reorder(self._root, targets)
            QTimer.singleShot(0, self.load)  # not inside the list's own move signal

    # -- copies kept with pins -------------------------------------------------------
    def kept_copy(self, rel_path: str) -> tuple[str, int] | None:
        """The text kept with a pin of ``rel_path`` and when, once it is gone from the library."""
        if self.store is None or (self._root / rel_path).exists():
            return None
        return self.store.kept_copy(self._root, rel_path)

    def is_pinned(self, rel_path: str) -> bool:
        if self.store is None:
            return False
        with contextlib.suppress(sqlite3.Error):  # then no copy is kept this time
            return self.store.is_pinned(self._root, rel_path)
        return False

    def keep_read_text(self, rel_path: str, text: str) -> None:
        """Keep the text of a pinned runbook just read, for the day it is gone."""
        if self.store is not None:
            with contextlib.suppress(sqlite3.Error):  # the copy is a convenience
                self.store.keep_copy(self._root, rel_path, text)

    def _keep_copy(self, rel_path: str) -> None:
        from viewer.core.library import OutsideLibrary
        from viewer.core.textio import UnreadableFile

        if not self.store.is_pinned(self._root, rel_path):
            return  # only pinned runbooks are copied
        try:
            text = self.window.library.read_text(rel_path).text
            self.store.keep_copy(self._root, rel_path, text)
        except (UnreadableFile, OutsideLibrary, OSError, sqlite3.Error):
            pass  # the copy is a convenience; reading goes on without it

    # -- following runbooks --------------------------------------------------------
    def relocate(self, move: Relocation) -> None:
        """The library changed shape (first source added, last removed): pins follow."""
        if self.store is not None:
            with contextlib.suppress(sqlite3.Error):
                self.store.relocate(move)

    def follow_moves(self, moved: list[tuple[str, str]]) -> None:
        """Runbooks renamed or moved on disk: their pins go with them."""
        if self.store is not None:
            for old, new in moved:
                self.store.move(self._root, old, new)
