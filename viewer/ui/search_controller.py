"""Search in the window: the index keeper, the Search dock and quick open (Ctrl+P).

The index is started only once the first page is on screen (reading comes
first); ``index_updated`` tells the rest of the window what changed.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from viewer.core.library import Library
    from viewer.ui.main_window import MainWindow


class SearchController(QObject):
    """Owns ``keeper`` (an IndexKeeper, once started), ``panel`` and the quick-open dialog.

    Signals: ``index_opened()`` once the index is open, before its check of the files;
    ``index_grown()`` every ``PARTIAL_EVERY`` seconds of a long build (what is indexed so
    far can be shown); ``index_updated(report)`` after the index took in changes on disk.
    """

    PARTIAL_EVERY = 10.0  # seconds: a first build of 50,000 runbooks takes minutes

    index_opened = Signal()
    index_grown = Signal()
    index_updated = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = None
        self.keeper = None
        self._quick_open = None
        self._catalog = None  # quick-open's FuzzyCatalog, read from the index, until it changes
        self._waiting: Library | None = None
        self._next_partial = 0.0  # when a long build next shows what it has (monotonic)

    def ensure(self) -> None:
        if self.panel is not None:
            return
        from viewer.ui.search_panel import SearchPanel

        self.panel = SearchPanel(self.window.tasks)
        self.panel.open_requested.connect(
            lambda path, anchor, words: self.window.open(path, anchor, highlight=words))
        self.panel.pin_requested.connect(self.window.pins.pin)
        self.window.search_dock.setWidget(self.panel)

    # -- the index ------------------------------------------------------------------
    def index_later(self, library: Library) -> None:
        """Index ``library`` once the next page is up: search can wait a moment, reading not."""
        self._waiting = library

    def start_waiting(self) -> None:
        library, self._waiting = self._waiting, None
        if library is None:
            return
        self.window.after_first_paint(lambda: self._start(library))

    def _start(self, library: Library) -> None:
        from viewer.ui.index_keeper import IndexKeeper  # sqlite, watchdog: after first paint

        window = self.window
        if library is not window.library:
            return  # the user switched library in the meantime
        window.ensure_panels()
        window.pins.load()
        window.ensure_sources()
        self.stop()
        self.panel.set_index(None, False)
        window.index_label.setText("Indexing…")
        self.keeper = IndexKeeper(library, window)
        self.keeper.opened.connect(self.index_opened)
        self.keeper.updated.connect(self._updated)
        self.keeper.progress.connect(self._progress)
        self.keeper.problem.connect(window.message_bar.show_message)
        self._next_partial = time.monotonic() + self.PARTIAL_EVERY
        self.keeper.start()
        # With the watcher running, reST labels are re-read only after changes.
        window.labels.watched = self.keeper.watching

    def stop(self) -> None:
        self._catalog = None
        if self.keeper is not None:
            self.keeper.stop()
            self.keeper.deleteLater()
            self.keeper = None

    def rewatch(self) -> None:
        """The union's folders changed: watch the new ones."""
        if self.keeper is not None:
            self.keeper.rewatch()

    def _progress(self, done: int, total: int) -> None:
        self.panel.show_progress(done, total)
        if total >= 20 and done < total:
            self.window.index_label.setText(f"Indexing {done}/{total}")
        keeper = self.keeper
        if (keeper is not None and keeper.index is not None and 0 < done < total
                and time.monotonic() >= self._next_partial):
            # A long build: what is indexed so far is searched, and the sidebar shows it.
            self._next_partial = time.monotonic() + self.PARTIAL_EVERY
            self.panel.set_index(keeper.index, False)
            self.index_grown.emit()

    def _updated(self, report) -> None:  # type: ignore[no-untyped-def]
        keeper = self.keeper
        if keeper is None or keeper.index is None:
            return
        self.panel.set_index(keeper.index, True)
        if report.changed:
            self._catalog = None
        label = self.window.index_label
        if report.changed or not label.text() or label.text().startswith("Indexing"):
            label.setText(f"{keeper.index.document_count()} runbooks indexed")
        self.index_updated.emit(report)

    # -- the search dock and quick open ------------------------------------------------
    def search_for(self, text: str | None) -> None:
        """Show the search panel, searching for ``text`` when given."""
        self.window.ensure_panels()
        self.window.search_dock.show()
        self.window.search_dock.raise_()
        self.panel.focus_search(text)

    @property
    def quick_open(self):  # type: ignore[no-untyped-def]
        if self._quick_open is None:
            from viewer.ui.quick_open import QuickOpen

            self._quick_open = QuickOpen(self.window.tasks, self.window)
            self._quick_open.chosen.connect(self._quick_opened)
        return self._quick_open

    def show_quick_open(self) -> None:
        """Open the quick-open dialog on the runbooks' titles (the index's, else file names).

        The catalog is read off the UI thread (0.2 s at 50,000 runbooks) and kept
        until the index takes in a change.
        """
        window = self.window
        recent = window.settings.recent_in(window.library.root)
        if self._catalog is not None:
            self.quick_open.open_with(self._catalog, recent)
            return
        keeper, library = self.keeper, window.library
        index = keeper.index if keeper is not None and keeper.ready else None

        def catalog():  # type: ignore[no-untyped-def]
            from viewer.core.fuzzy import FuzzyCatalog

            if index is not None:
                try:
                    return FuzzyCatalog([(d.path, d.title) for d in index.documents()]), True
                except Exception:  # being rebuilt: the files' names will do
                    pass
            return FuzzyCatalog((path, path.rsplit("/", 1)[-1])
                                for path in library.iter_runbooks()), False

        def opened(found) -> None:  # type: ignore[no-untyped-def]
            made, from_index = found
            if window.status_label.text() == listing:
                window.status_label.setText(previous)
            if library is not window.library:
                return  # the library changed while it was read
            if from_index:
                self._catalog = made
            self.quick_open.open_with(made, recent)

        previous, listing = window.status_label.text(), "Listing the runbooks…"
        window.status_label.setText(listing)
        window.tasks.run("quick-open", catalog, opened, window.task_failed)

    def _quick_opened(self, path: str) -> None:
        window = self.window
        window.open(path)
        # The reader goes on with the keyboard (Page Down, Ctrl+D, Ctrl+F): the page
        # takes it, and the window too where closing the dialog left none active.
        window.activateWindow()
        window.view.setFocus()
