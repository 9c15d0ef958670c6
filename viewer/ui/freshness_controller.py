"""The quiet line under a page's title: reviewed when, changed when, owned by whom.

Worked out off the UI thread once the page is on screen (the page never
waits for git), then the page is shown again with the line. A synced copy
too shallow to date a page says "history unknown" and, once per source and
session while the network is there, fetches more history in the background;
the line is worked out again after that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from viewer.core.document import Document

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class FreshnessController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._lines: dict[str, tuple[str, str]] = {}  # path -> (state, line)
        self._deepened: set[str] = set()  # sources whose history was fetched this session

    def line_for(self, rel_path: str) -> tuple[str, str] | None:
        return self._lines.get(rel_path)

    def forget(self) -> None:
        """The library changed (a sync, an edit): lines are worked out again when shown."""
        self._lines.clear()

    def page_shown(self, rel_path: str) -> None:
        document = self.window.document
        if not isinstance(document, Document) or document.path != rel_path:
            return
        library = self.window.library

        def work():  # type: ignore[no-untyped-def]
            from viewer.page_facts import page_facts

            return page_facts(library, rel_path, document=document)

        self.window.tasks.run("freshness", work, lambda facts: self._show(rel_path, facts),
                              lambda _error: None)  # no line is better than a wrong one

    def _show(self, rel_path: str, facts) -> None:  # type: ignore[no-untyped-def]
        fresh = facts.freshness
        if fresh is None or not fresh.line:
            return
        shown = (fresh.state, fresh.line)
        previous = self._lines.get(rel_path)
        self._lines[rel_path] = shown
        current = self.window.history.current
        if shown != previous and current is not None and current.path == rel_path:
            self.window.reshow()
        if facts.change is not None and not facts.change.known:
            self._deepen(rel_path)

    def _deepen(self, rel_path: str) -> None:
        """Fetch more history for the page's source, once a session, if it is a git source."""
        from viewer.sync.file_history import history_place

        library = self.window.library
        place = history_place(library, rel_path)
        sources = self.window.sources
        if place is None or not place[3] or place[3] in self._deepened or sources is None:
            return
        if sources.keeper.offline:
            return
        source = sources.listing.get(place[3])
        if source is None or not source.is_git:
            return
        self._deepened.add(place[3])
        credentials = sources.credentials

        def work() -> str:
            from viewer.sync.engine import deepen_history

            return deepen_history(source, credentials)

        def done(error: str) -> None:
            if error:
                return  # "history unknown" stays: true, and the next session tries again
            self._lines.pop(rel_path, None)
            current = self.window.history.current
            if current is not None and current.path == rel_path:
                self.page_shown(rel_path)

        self.window.tasks.run(f"deepen-{place[3]}", work, done, lambda _error: None)
