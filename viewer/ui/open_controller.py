"""Requests to open something, from a link, a second launch or the start command line.

It brings the window to the front, then opens what the request names: a web
address through the sources' web addresses (:mod:`viewer.sync.web_links`), a
library path, or an alert as if its name had been pasted into the symptoms.
What cannot be found is said in the message bar, with a search offered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from viewer.core.document import Document
from viewer.core.library import file_stem
from viewer.core.open_request import OpenRequest, closest_anchor, library_page

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class OpenController:
    """Carries out :class:`OpenRequest` s in one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._note = ""  # shown once the page it is about is on screen
        self._fragment = ""  # a web link's #fragment, looked for on the page when no heading has it
        window.page_shown.connect(self._page_shown)

    def handle(self, request: OpenRequest) -> None:
        self.raise_window()
        if request.labels:
            self.window.variables.take_alert(request.labels)
        if request.url and self._open_url(request):
            return
        if request.path:
            self._open_path(request)
        elif request.alert:
            self._open_alert(request)

    def raise_window(self) -> None:
        window = self.window
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()

    def _open_url(self, request: OpenRequest) -> bool:
        from viewer.sync.sources import load_sources
        from viewer.sync.web_links import Located, locate

        listing, _ = load_sources()
        found = locate(request.url, listing, self.window.library)
        if isinstance(found, Located):
            self._note, self._fragment = found.note, found.anchor
            self.window.open(found.library_path, found.anchor)
            return True
        if request.alert:  # Alertmanager JSON: the alert name is the next best thing
            self._open_alert(request)
            return True
        words = found.search_for
        self.window.message_bar.show_message(
            f"{request.url} is not in your runbooks. {found.message}",
            f"Search for {words}" if words else "", lambda: self.window.search_for(words))
        return True

    def _open_path(self, request: OpenRequest) -> None:
        found = library_page(self.window.library, request.path)
        if found is None:
            words = file_stem(request.path)  # "x" of x.md, and of Middleman's x.html.md
            self.window.message_bar.show_message(
                f"{request.path} is not in the library shown ({self.window.library.root}).",
                f"Search for {words}" if words else "", lambda: self.window.search_for(words))
            return
        self.window.open(found, request.anchor)

    def _open_alert(self, request: OpenRequest) -> None:
        self.window.triage.ensure()
        self.window.triage.focus()
        self.window.triage.panel.filter.setText(request.alert)

    def _page_shown(self, _path: str) -> None:
        note, self._note = self._note, ""
        fragment, self._fragment = self._fragment, ""
        if note:
            self.window.message_bar.show_message(note)
        document = self.window.document
        if fragment and isinstance(document, Document) and not closest_anchor(document, fragment):
            self._show_named(fragment)

    def _show_named(self, fragment: str) -> None:
        """A fragment that names no heading (a table of alerts linked as ``#alert-name-x``):
        show where the page mentions its last word, if that word is distinctive."""
        word = fragment.rsplit("-", 1)[-1]
        view = self.window.view
        matches = view.find_all(word) if len(word) >= 8 else []
        if matches:
            view.highlight_words([word])
            view.setTextCursor(matches[0])
            view.show_whole(matches[0])
