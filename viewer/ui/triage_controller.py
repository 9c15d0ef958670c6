"""The symptom sidebar in the window: builds the panel, reloads its tree from the index.

The tree is read from the index in the background whenever the runbooks,
the library's ``triage.yaml`` or the chosen grouping change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class TriageController(QObject):
    """Owns ``panel``, the Symptoms dock's content."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = None
        self._triage_mtime: int | None = None  # of triage.yaml when the sidebar last read it
        # The last pasted runbook link looked up, and what it led to: editing the pasted
        # text asks again at each key, and a lookup may walk the library.
        self._link_found: tuple[tuple, tuple[str, str] | None] | None = None
        self._link_asked: tuple | None = None  # the lookup under way

    def ensure(self) -> None:
        if self.panel is not None:
            return
        from viewer.ui.triage_panel import TriagePanel

        window = self.window
        self.panel = TriagePanel()
        self.panel.open_requested.connect(lambda path, anchor: window.open(path, anchor))
        self.panel.pin_requested.connect(window.pins.pin)
        self.panel.search_requested.connect(window.search_for)
        self.panel.grouping_changed.connect(lambda _grouping: self.load())
        self.panel.labels_pasted.connect(window.variables.take_alert)
        self.panel.alert_pasted.connect(window.incidents.alert_pasted)
        window.page_shown.connect(self.panel.page_shown)
        self.panel.runbook_links_pasted.connect(self._open_runbook_link)
        self.panel.overdue_lookup = self._overdue_lookup
        self.panel.read_later = self._read_later
        window.triage_dock.setWidget(self.panel)

    def _open_runbook_link(self, name: str, urls: list[str], said: list[str]) -> None:
        """A pasted alert's runbook by its link, where a source holds that page, else the
        one page named as a link said to be its runbook ends: looked up off the UI thread
        (the sources file, the library's names), the latest paste's only."""
        library = self.window.library
        asked = (str(library.root), name, tuple(urls), tuple(said))

        def show(found: tuple[str, str] | None) -> None:
            self._link_found = (asked, found)
            if found is not None and self.panel is not None \
                    and name in self.panel.filter.text():  # still the alert in the box
                self.panel.show_runbook_link(name, *found)

        if self._link_found is not None and self._link_found[0] == asked:
            show(self._link_found[1])
            return
        if self._link_asked == asked:
            return  # already being looked up: its answer comes to show()
        self._link_asked = asked

        def locate_first() -> tuple[str, str] | None:
            from viewer.core.links import only_page_named
            from viewer.sync.sources import load_sources
            from viewer.sync.web_links import Located, locate

            listing, _ = load_sources()
            for url in urls:
                found = locate(url, listing, library)
                if isinstance(found, Located):
                    return found.library_path, found.anchor
            # No source says where it is published: the one page named as the address ends.
            return next((page for url in said if (page := only_page_named(library, url))), None)

        self.window.tasks.run("runbook-link", locate_first, show, lambda _error: show(None))

    def _overdue_lookup(self, key: str, paths: list[str], show) -> None:  # type: ignore[no-untyped-def]
        """Which of the scenarios' runbooks are past their review, read off the UI thread."""
        from viewer.core.freshness import overdue_pages

        library = self.window.library
        self.window.tasks.run(f"overdue:{key}",  # one channel per symptom, not per request
                              lambda: overdue_pages(library, paths),
                              show, lambda _error: None)

    def _read_later(self, key: str, read, show, failed) -> None:  # type: ignore[no-untyped-def]
        """A big symptom's scenarios, read off the UI thread (one channel per symptom)."""
        self.window.tasks.run(f"scenarios:{key}", read, show, failed)

    def index_opened(self) -> None:
        """The index is open and its check of the files has begun: the sidebar shows the
        symptoms it held (a big library's check takes a second), then follows any change."""
        if self.panel is not None and self.panel.tree.topLevelItemCount() == 0:
            self.load()

    def index_updated(self, changed: bool) -> None:
        """Reload the tree when runbooks or triage.yaml changed, or it was never filled."""
        if changed:
            self._link_found = self._link_asked = None  # a page may now be there, or gone
        triage_file_changed = self._triage_file_changed()  # always: it records the mtime
        if changed or triage_file_changed or self.panel.tree.topLevelItemCount() == 0:
            self.load()

    def _triage_file_changed(self) -> bool:
        from viewer.core.triage.authored import TRIAGE_FILE

        try:
            mtime = (self.window.library.root / TRIAGE_FILE).stat().st_mtime_ns
        except OSError:
            mtime = 0
        changed = mtime != self._triage_mtime
        self._triage_mtime = mtime
        return changed

    def load(self) -> None:
        keeper, library = self.window.keeper, self.window.library
        if keeper is None or keeper.index is None:
            return
        index = keeper.index
        grouping = self.panel.grouping.currentData() or "category"

        def job():  # type: ignore[no-untyped-def]
            from viewer.core.triage.authored import load_triage
            from viewer.core.triage.tree import TriageTree

            question, note = load_triage(library)
            return TriageTree.load(index, grouping), question, note

        self.window.tasks.run("triage", job, lambda result: self.panel.set_content(*result),
                              self.window.task_failed)

    def focus(self) -> None:
        self.window.ensure_panels()
        self.window.triage_dock.show()
        self.window.triage_dock.raise_()
        self.panel.focus_filter()
