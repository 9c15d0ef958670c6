"""The main window: composes the page, the docks and each feature's controller.

The page and its history, theme and zoom are the window's own; pins
(``pins_controller``), the symptom sidebar (``triage_controller``), search
and the index (``search_controller``), synced sources
(``sources_controller``) and link clicks and copying (``page_actions``)
each wire themselves. Slow work runs in the background (``tasks.TaskRunner``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from viewer import APP_NAME
from viewer.core import page_cache
from viewer.core.config import Settings, save_settings
from viewer.core.document import Document, Problem
from viewer.core.history import History, Location
from viewer.core.library import Library
from viewer.core.open_request import closest_anchor
from viewer.core.relocation import relocation
from viewer.core.render.page import page_html, problem_html
from viewer.core.start_page import start_page
from viewer.locations import bundled_docs_dir
from viewer.ui.document_view import DocumentView
from viewer.ui.message_bar import MessageBar
from viewer.ui.plain_text import plain_label
from viewer.ui.tasks import TaskRunner
from viewer.ui.theme import MODES, apply_widget_theme, effective_theme

if TYPE_CHECKING:
    from PySide6.QtCore import Qt


def _placeholder(text: str) -> QLabel:
    from PySide6.QtCore import Qt

    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


NEVER_PAINTED_MS = 1500


class MainWindow(QMainWindow):
    """Signals: ``page_shown(rel_path)`` after a page (or problem page) is on screen."""

    page_shown = Signal(str)

    def __init__(self, library: Library, settings: Settings | None = None,
                 start: str | None = None, *, quick_start: bool = False) -> None:
        """With ``quick_start`` (the app's own start), a page kept from the last run is put
        on screen first and the docks, menus and controllers are built after it has painted:
        the reader sees the runbook before the window has finished assembling around it."""
        super().__init__()
        self.settings = settings or Settings()
        self.library = library
        self.history = History()
        self.document: Document | Problem | None = None
        self._pictures: dict = {}  # the shown page's, read and decoded by the render worker
        self._kept_shown = ""  # the page painted from the kept copy before the window was built
        self._when_built: list = []
        self.built = False
        self.tasks = TaskRunner(self)
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 820)

        self.view = DocumentView()
        self._find_bar = None  # built on first use (Ctrl+F)
        self.message_bar = MessageBar()
        centre = QWidget()
        self._column = QVBoxLayout(centre)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        self._column.addWidget(self.message_bar)
        self._column.addWidget(self.view, 1)
        self.setCentralWidget(centre)
        self.statusBar()  # its place, so the page does not move when its labels come
        self.theme = ""
        self.apply_theme(self.settings.theme, save=False, quick=True)
        self.view.set_zoom(self.settings.zoom)
        if quick_start and self._show_kept_page(self._first_page(library, start)):
            self.after_first_paint(lambda: self._build(start))
        else:
            self._build(start)

    def _build(self, start: str | None) -> None:
        """The controllers, docks and menus, then the library: imported here, after a
        quick start's first paint, because loading them is a third of a start."""
        from viewer.ui.freshness_controller import FreshnessController
        from viewer.ui.incident_controller import IncidentController
        from viewer.ui.open_controller import OpenController
        from viewer.ui.page_actions import PageActions
        from viewer.ui.pins_controller import PinsController
        from viewer.ui.search_controller import SearchController
        from viewer.ui.triage_controller import TriageController
        from viewer.ui.variables_controller import VariablesController
        from viewer.ui.window_menus import build_actions

        self.status_label = plain_label(QLabel())
        self.index_label = plain_label(QLabel())
        self.library_label = plain_label(QLabel())
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.index_label)
        self.statusBar().addPermanentWidget(self.library_label)
        self.pins = PinsController(self)
        self.triage = TriageController(self)
        self.search = SearchController(self)
        self.search.index_updated.connect(self._index_updated)
        self.search.index_opened.connect(self.triage.index_opened)
        self.search.index_grown.connect(self.triage.load)
        self.page_actions = PageActions(self)
        self.variables = VariablesController(self)
        self.incidents = IncidentController(self)
        self.freshness = FreshnessController(self)
        self.opener = OpenController(self)
        self.sources = None  # a SourcesController, after the first paint (dulwich is slow)
        self.view.link_clicked.connect(self.page_actions.follow_link)
        self.view.typed.connect(self._typed_on_page)
        self._build_docks()
        if self.isVisible():
            # Docks tabbed into a window on screen get their tab bar at the next layout;
            # raising one before that leaves the last one added in front.
            QTimer.singleShot(0, self._raise_first_tabs)
        build_actions(self)
        self.apply_theme(self.settings.theme, save=False)  # the system's own answer, now
        self.theme_actions[self.settings.theme].setChecked(True)
        self.update_history_actions()
        self.built = True
        self.set_library(self.library, start=start)
        for work in self._when_built:
            work()
        self._when_built.clear()

    def when_built(self, work) -> None:  # type: ignore[no-untyped-def]
        """Run ``work`` once the controllers exist (at once if they already do)."""
        if self.built:
            work()
        else:
            self._when_built.append(work)

    def _first_page(self, library: Library, start: str | None) -> str | None:
        """The page a library opens on: the one asked for, the one the reader had open last,
        else its front page (in the union of sources, the first source's, then the guide's)."""
        return (start or self._resume_page(library)
                or start_page(library, ("", *library.mount_order())))

    def _show_kept_page(self, first: str | None) -> bool:
        """Paint ``first`` from the page kept last run, before anything else is built; False
        when there is none to show that way (not kept, changed, or with pictures to read)."""
        if not first:
            return False
        path, _, anchor = first.partition("#")
        document = page_cache.cached_page(self.library, path)
        if document is None or "<img" in document.body_html.lower():
            return False
        scroll = -1 if anchor else self.settings.position(self.library.root, path) or -1
        self.view.show_page(page_html(document, self.theme),
                            QUrl.fromLocalFile(str(self.library.root / path)), anchor=anchor,
                            scroll=scroll, images={})
        self.document = document
        self._kept_shown = path
        self.setWindowTitle(f"{document.title} — {APP_NAME}")
        return True

    # -- construction -----------------------------------------------------------
    def _build_docks(self) -> None:
        # Qt's namespace is first touched here, after the first paint: see plain_text.py.
        from PySide6.QtCore import Qt

        from viewer.ui.library_panel import LibraryPanel
        from viewer.ui.outline_panel import OutlinePanel

        self.library_panel = LibraryPanel()
        self.library_panel.open_requested.connect(lambda path: self.open(path))
        self.library_panel.pin_requested.connect(self.pins.pin)
        self.library_dock = self._dock("Library", self.library_panel,
                                       Qt.DockWidgetArea.LeftDockWidgetArea)
        # The pins, symptom and search panels are built once the first page is on
        # screen (ensure_panels): reading the runbook comes first.
        self.pins_dock = self._dock("Pinned", _placeholder("…"),
                                    Qt.DockWidgetArea.LeftDockWidgetArea)
        self.triage_dock = self._dock("Symptoms", _placeholder("Reading the runbooks' symptoms…"),
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
        self.splitDockWidget(self.pins_dock, self.triage_dock, Qt.Orientation.Vertical)
        self.search_dock = self._dock("Search", _placeholder("Preparing search…"),
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
        self.tabifyDockWidget(self.triage_dock, self.library_dock)
        self.tabifyDockWidget(self.library_dock, self.search_dock)
        self.outline = OutlinePanel()
        self.outline.jump_requested.connect(self.jump_to)
        self.outline_dock = self._dock("Outline", self.outline,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.variables_dock = self._dock("Variables", self.variables.panel,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.splitDockWidget(self.outline_dock, self.variables_dock, Qt.Orientation.Vertical)
        self.timeline_dock = self._dock("Timeline", self.incidents.panel,
                                        Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.outline_dock, self.timeline_dock)
        self._raise_first_tabs()
        self.resizeDocks([self.triage_dock, self.outline_dock], [430, 260],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.outline_dock, self.variables_dock], [400, 300],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.pins_dock, self.triage_dock], [110, 600], Qt.Orientation.Vertical)

    def _raise_first_tabs(self) -> None:
        """The symptom sidebar and the outline in front of their tabbed neighbours."""
        self.triage_dock.raise_()
        self.outline_dock.raise_()

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.lower())
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(area, dock)
        return dock

    def ensure_panels(self) -> None:
        """Build the symptom, search and pins panels (after the first paint, or on demand)."""
        self.triage.ensure()
        self.search.ensure()
        self.pins.ensure()
        self.incidents.start_watching()

    def ensure_sources(self) -> None:
        if self.sources is not None:
            return
        from viewer.ui.sources_controller import SourcesController  # dulwich: after first paint

        self.sources = SourcesController(self)
        self.sources.add_menu(self.menuBar())
        self.statusBar().insertPermanentWidget(1, self.sources.sync_label)
        self.sources.synced.connect(self._sources_synced)
        self.sources.sources_changed.connect(self._sources_changed)
        self.sources.problem.connect(self.message_bar.show_message)
        self.page_shown.connect(self.sources.show_page_age)
        if self.history.current is not None:
            self.sources.show_page_age(self.history.current.path)
        self.sources.start()

    # The panels and the index keeper, as the tests and other controllers know them.
    @property
    def triage_panel(self):  # type: ignore[no-untyped-def]
        return self.triage.panel

    @property
    def search_panel(self):  # type: ignore[no-untyped-def]
        return self.search.panel

    @property
    def pins_panel(self):  # type: ignore[no-untyped-def]
        return self.pins.panel

    @property
    def pin_store(self):  # type: ignore[no-untyped-def]
        return self.pins.store

    @property
    def keeper(self):  # type: ignore[no-untyped-def]
        return self.search.keeper

    @property
    def quick_open(self):  # type: ignore[no-untyped-def]
        return self.search.quick_open

    @property
    def find_bar(self):  # type: ignore[no-untyped-def]
        """The find bar under the page, built the first time it is needed."""
        if self._find_bar is None:
            from viewer.ui.find_bar import FindBar

            self._find_bar = FindBar(self.view)
            self._column.addWidget(self._find_bar)
        return self._find_bar

    # -- library ------------------------------------------------------------------
    def set_library(self, library: Library, start: str | None = None) -> None:
        old = getattr(self, "library", None)
        move = relocation(old, library) if old is not None else None
        if move is not None:
            # The first source added, or the last removed: the library changes shape, and
            # the pins, reading places and the open page follow their runbooks into it.
            self._remember_position()
            self.settings.relocate(move)
            self.pins.relocate(move)
            current = self.history.current
            moved = move.moved(current.path) if current is not None and start is None else None
            if moved:
                start = moved + (f"#{current.anchor}" if current.anchor else "")
            self._save_settings()
        from viewer.core.search import library_labels  # after a quick start's first paint

        self.library = library
        self.labels = library_labels(library)
        self.history = History()
        self.library_label.setText("Library: your sources" if library.is_union
                                   else f"Library: {library.root}")
        self.library_label.setToolTip(str(library.root))
        self.status_label.setText("Reading the library…")
        self._load_tree()
        self.search.index_later(library)
        if move is not None:
            self.pins.load()
        # In the union of sources: the first source's front page, then the bundled guide's.
        first = self._first_page(library, start)
        if first:
            path, _, anchor = first.partition("#")
            self.open(path, anchor, cached=not self.view.painted or path == self._kept_shown)
            self._kept_shown = ""  # only the first library's first page was painted that way
        else:
            self.message_bar.show_message(
                f"There are no runbooks (.md, .rst, .txt) in {library.root}.")
            self.view.setHtml("")
            self.search.start_waiting()

    def _resume_page(self, library: Library) -> str | None:
        """The runbook the reader had open last time in this library, if it is still there."""
        recent = self.settings.recent_in(library.root)
        if recent and (library.root / recent[0]).is_file():
            return recent[0]
        return None

    def _remember_position(self) -> None:
        current = self.history.current
        if current is not None and isinstance(self.document, Document) and \
                self.document.path == current.path:
            self.settings.remember_position(self.library.root, current.path,
                                            self.view.verticalScrollBar().value())

    def after_first_paint(self, work) -> None:  # type: ignore[no-untyped-def]
        """Run ``work`` once the first page is on screen (at once if it already is): nothing
        that grows with the library competes with the first page for the interpreter."""
        if self.view.painted:
            QTimer.singleShot(0, work)
            return
        done = [False]

        def once() -> None:
            if not done[0]:
                done[0] = True
                work()

        # The window is built before it is shown: waiting for "visible" would not wait.
        # The view paints for the first time once: a plain connection fires once too.
        self.view.first_paint.connect(lambda: QTimer.singleShot(0, once))
        QTimer.singleShot(NEVER_PAINTED_MS, once)  # a window kept hidden still gets its library

    def _load_tree(self) -> None:
        library = self.library

        def show() -> None:
            if library is self.library:
                self.library_panel.set_library(library)
                self._index_ready_for_tree()
                if self.history.current:
                    self.library_panel.select_path(self.history.current.path)

        self.after_first_paint(show)

    def _index_ready_for_tree(self) -> None:
        """Titles and the filter of the library tree come from the index once it is ready."""
        keeper = self.keeper
        if keeper is None or not keeper.ready or keeper.index is None:
            return
        # Looked up at each call: the keeper may open a new index (a rebuild after damage).
        self.library_panel.set_index(lambda folder: keeper.index.titles_in(folder),
                                     lambda text, limit: keeper.index.pages_matching(text, limit),
                                     lambda folder: keeper.index.has_pages_under(folder))

    def _sources_synced(self, names: list[str]) -> None:
        """A source's copy was switched: re-read the library; the open page follows."""
        self.freshness.forget()
        if self.library.is_union:
            self.search.rewatch()

    def _sources_changed(self, listing) -> None:  # type: ignore[no-untyped-def]
        from viewer.sync.union import build_union

        try:
            root = build_union(listing)
        except OSError as err:
            self.message_bar.show_message(
                f"The library of your sources could not be updated: {err.strerror or err}.")
            return
        if self.library.is_union and not listing.sources:
            # The last source removed: the bundled guide is all there is, shown as itself
            # (pins and the open page follow their runbooks back out of the union).
            self.set_library(Library(bundled_docs_dir()))
        elif self.library.is_union:
            self._load_tree()
            self.search.rewatch()
        elif not self.settings.library and listing.sources:
            self.set_library(Library(root))  # the first source: show the union from now on

    def _index_updated(self, report) -> None:  # type: ignore[no-untyped-def]
        """The index took in changes on disk: the sidebar, tree, pins and open page follow."""
        if report.changed:
            self.labels.mark_stale()
        self.triage.index_updated(bool(report.changed))
        if report.moved:
            self.pins.follow_moves(report.moved)
        if self.library_panel.matcher is None:
            self._index_ready_for_tree()
        if report.removed or report.parsed:
            self.library_panel.files_changed(set(report.changed_paths))
            self.pins.load()  # a pinned runbook may be gone, moved, or back
        current = self.history.current
        if current is None or current.path not in report.changed_paths:
            return
        try:
            mtime = (self.library.root / current.path).stat().st_mtime_ns
        except OSError:
            self.message_bar.show_message(
                f"{current.path} was deleted or moved on disk. This is the copy that was "
                "open; it stays readable until you leave it.")
            return
        shown = self.document.mtime_ns if isinstance(self.document, Document) else -1
        if mtime == shown:
            return
        def reload() -> None:
            self.open(current.path, scroll=self.view.verticalScrollBar().value(), record=False)

        if self.incidents.incident is not None:
            # Mid-incident the page never changes under the reader: the new text is offered.
            self.message_bar.show_message(
                f"{current.path} has changed (a sync or an edit) since you opened it. You "
                "are still reading the version you opened.", "Show the new version", reload)
        else:  # edited on disk: show the new text where the reader was
            reload()

    def choose_library(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of runbooks",
                                                  str(self.library.root))
        if folder:
            self.switch_library(Path(folder))

    def switch_library(self, folder: Path, remember: bool = True) -> None:
        if not folder.is_dir():
            self.message_bar.show_message(f"{folder} is not a folder.")
            return
        self.set_library(Library(folder))
        if remember:
            self.settings.library = "" if folder == bundled_docs_dir() else str(folder)
            self._save_settings()

    def open_bundled_docs(self) -> None:
        self.switch_library(bundled_docs_dir())

    def open_user_guide(self) -> None:
        guide = bundled_docs_dir() / "user-guide.md"
        if self.library.root == bundled_docs_dir().resolve():
            self.open("user-guide.md")
        else:
            self.set_library(Library(bundled_docs_dir()), start=guide.name)

    # -- features, as the menus and tests call them ------------------------------------
    def toggle_pin(self) -> None:
        self.pins.toggle_current()

    def focus_symptoms(self) -> None:
        self.triage.focus()

    def _typed_on_page(self, text: str) -> None:
        """Typing what you see, with the page in front, starts a symptom search with it."""
        self.focus_symptoms()
        self.triage_panel.filter.insert(text)

    def focus_search(self) -> None:
        self.search.search_for(None)

    def search_for(self, text: str | None) -> None:
        self.search.search_for(text)

    # -- opening pages ------------------------------------------------------------
    def open(self, rel_path: str, anchor: str = "", scroll: int = -1,
             record: bool = True, highlight: list[str] | None = None,
             cached: bool = False) -> None:
        """Render ``rel_path`` in the background and show it at ``anchor`` (or ``scroll``).

        ``record`` adds the page to the history; back, forward and reload pass
        False because the history already points at the page they show.
        """
        from viewer.ui.page_job import render_page  # after a quick start's first paint

        if record:
            self.history.remember_scroll(self.view.verticalScrollBar().value())
            self._remember_position()
            if not anchor and scroll < 0:  # a plain open: back to where the reader left it
                scroll = self.settings.position(self.library.root, rel_path) or -1
        location = Location(rel_path, anchor, max(scroll, 0))
        started = time.perf_counter()
        self.status_label.setText(f"Opening {rel_path}…")
        library, labels = self.library, self.labels
        copy, pinned = self.pins.kept_copy(rel_path), self.pins.is_pinned(rel_path)
        # An overtaken render never calls back (TaskRunner's stale-result guard).
        self.tasks.run("render", lambda: render_page(library, labels, rel_path, copy, pinned,
                                                     cached=cached),
                       lambda result: self._rendered(*result, location, scroll, record, started,
                                                     highlight or []),
                       self.task_failed)
        if cached:  # the kept page paints first; the page as it is now follows
            self.after_first_paint(lambda: self._render_again(rel_path))

    def _render_again(self, rel_path: str) -> None:
        """Render the page shown from the cache anew; show it if anything differs."""
        from viewer.ui.page_job import render_page

        if self.history.current is None or self.history.current.path != rel_path:
            return
        library, labels, shown = self.library, self.labels, self.document

        def swap(result) -> None:  # type: ignore[no-untyped-def]
            page, _, pictures = result
            current = self.history.current
            if self.document is not shown or current is None or current.path != rel_path:
                return  # the reader moved on
            self.document, self._pictures = page, pictures
            if not isinstance(page, Document) or not isinstance(shown, Document) or \
                    (page.body_html, page.notices) != (shown.body_html, shown.notices):
                self.variables.show_page(page)
                self.reshow()

        self.tasks.run("render-again", lambda: render_page(library, labels, rel_path, None,
                                                           False), swap, self.task_failed)

    def _rendered(self, result: Document | Problem, pinned_text: str | None, pictures: dict,
                  location: Location, scroll: int, record: bool, started: float,
                  highlight: list[str]) -> None:
        if record:
            self.history.visit(location)
            if isinstance(result, Document):
                self.settings.remember_opened(self.library.root, location.path)
                self._save_settings()
        if pinned_text is not None:
            self.pins.keep_read_text(location.path, pinned_text)
        self.document = result
        self._pictures = pictures
        elapsed = (time.perf_counter() - started) * 1000
        self.message_bar.page_shown(started)
        self.variables.show_page(result)
        anchor = location.anchor
        if anchor and isinstance(result, Document) and anchor not in result.anchors:
            anchor = closest_anchor(result, anchor)  # a web link's slug, or a renamed heading
        self._show_current(anchor=anchor, scroll=scroll)
        self.update_title()
        if isinstance(result, Problem):
            self.outline.set_headings([])
            self.status_label.setText(f"{location.path}: cannot be shown")
        else:
            self.outline.set_headings(result.headings)
            encoding = "" if result.encoding == "utf-8" else f" · {result.encoding}"
            self.status_label.setText(f"{location.path}{encoding} · rendered in {elapsed:.0f} ms")
        self.library_panel.select_path(location.path)
        self.update_history_actions()
        if self._find_bar is not None:
            self._find_bar.refresh()
        self.search.start_waiting()
        if highlight and isinstance(result, Document):
            count = self.view.highlight_words(highlight)
            self.status_label.setText(f"{location.path} · {count} match"
                                      f"{'es' if count != 1 else ''} highlighted")
        self.incidents.page_shown(location.path)
        self.freshness.page_shown(location.path)
        self.page_shown.emit(location.path)

    def _show_current(self, anchor: str = "", scroll: int = -1) -> None:
        if self.document is None or self.history.current is None:
            return
        base = QUrl.fromLocalFile(str(self.library.root / self.history.current.path))
        if isinstance(self.document, Problem):
            html = problem_html(self.document, self.theme)
        else:
            html = page_html(self.document, self.theme, values=self.variables.values,
                             ticked=self.incidents.ticked_for(self.document.path),
                             freshness=self.freshness.line_for(self.document.path))
        self.view.show_page(html, base, anchor=anchor, scroll=scroll, images=self._pictures)

    def update_title(self) -> None:
        """The page's title, and the incident's while one is on: it is on every screen."""
        page = (self.document.title if isinstance(self.document, Document)
                else self.document.path if self.document is not None else "")
        timeline = self.incidents.timeline
        incident = f"[Incident: {timeline.title}] " if timeline is not None else ""
        self.setWindowTitle(f"{incident}{page + ' — ' if page else ''}{APP_NAME}")

    def reshow(self) -> None:
        """Show the page again where the reader is (the values in its commands changed)."""
        self._show_current(scroll=self.view.verticalScrollBar().value())
        if self._find_bar is not None:
            self._find_bar.refresh()

    def export_copy(self) -> None:
        """File > Export…: the pins (or more) as one HTML or PDF file."""
        from viewer.ui.export_dialog import ExportDialog

        ExportDialog(self).open()

    def reload(self) -> None:
        if self.history.current:
            self.open(self.history.current.path, scroll=self.view.verticalScrollBar().value(),
                      record=False)

    def jump_to(self, anchor: str) -> None:
        self.view.scrollToAnchor(anchor)

    def task_failed(self, error: BaseException) -> None:
        self.message_bar.show_message(f"Something went wrong in the background: {error}")
        self.status_label.setText("Ready")

    # -- history ------------------------------------------------------------------
    def go_back(self) -> None:
        self.history.remember_scroll(self.view.verticalScrollBar().value())
        location = self.history.back()
        if location:
            self._navigate_to(location)

    def go_forward(self) -> None:
        self.history.remember_scroll(self.view.verticalScrollBar().value())
        location = self.history.forward()
        if location:
            self._navigate_to(location)

    def _navigate_to(self, location: Location) -> None:
        if self.document is not None and self.document.path == location.path:
            self.view.verticalScrollBar().setValue(location.scroll)
            self.update_history_actions()
        else:
            self.open(location.path, scroll=location.scroll, record=False)

    def update_history_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back())
        self.forward_action.setEnabled(self.history.can_go_forward())

    # -- find ---------------------------------------------------------------------
    def find_next(self) -> None:
        self.find_bar.step(forward=True)

    def find_previous(self) -> None:
        self.find_bar.step(forward=False)

    # -- view -----------------------------------------------------------------------
    def set_zoom(self, steps: int) -> None:
        self.view.set_zoom(steps)
        self.settings.zoom = self.view.zoom
        self._save_settings()
        self.status_label.setText(f"Zoom: {'+' if self.view.zoom > 0 else ''}{self.view.zoom}")

    def apply_theme(self, mode: str, save: bool = True, quick: bool = False) -> None:
        """Light or dark (``mode`` "system" follows the system; ``quick`` asks only the
        palette, before the first paint: see ``theme.effective_theme``)."""
        mode = mode if mode in MODES else "system"
        self.settings.theme = mode
        if self.built:
            self.theme_actions[mode].setChecked(True)
        theme = effective_theme(mode, quick=quick)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_widget_theme(app, theme)
        # Before the window is built nothing is shown yet: the first page is laid out in it.
        if theme != self.theme and self.built:
            self.theme = theme
            self._show_current(scroll=self.view.verticalScrollBar().value())
            if self._find_bar is not None:
                self._find_bar.refresh()
        self.theme = theme
        if save:
            self._save_settings()

    def toggle_theme(self) -> None:
        self.apply_theme("light" if self.theme == "dark" else "dark")

    def focus_library(self) -> None:
        self.library_dock.show()
        self.library_dock.raise_()  # its tab to the front when another tab is showing
        self.library_panel.filter.setFocus()
        self.library_panel.filter.selectAll()

    def focus_outline(self) -> None:
        self.outline_dock.show()
        self.outline_dock.raise_()
        self.outline.setFocus()

    def show_about(self) -> None:
        from viewer.ui.about import show_about

        show_about(self)

    def _save_settings(self) -> None:
        problem = save_settings(self.settings)
        if problem:
            self.status_label.setText(problem)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._remember_position()
        self._save_settings()
        if not self.built:  # closed within a quick start's first moment: nothing else runs
            super().closeEvent(event)
            return
        if self.sources is not None:
            self.sources.stop()
        self.incidents.stop_watching()
        if self.keeper is not None:
            self.keeper.stop()
        self.tasks.wait(5000)
        super().closeEvent(event)
