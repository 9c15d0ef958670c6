"""The main window: library tree, the page, its outline, find bar, history, theme, zoom.

The window is thin: it asks the core for documents and link decisions,
runs rendering and library scans in the background (``tasks.TaskRunner``),
and turns results into widgets.
"""

from __future__ import annotations

import contextlib
import platform
import sqlite3
import time
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from viewer import APP_NAME, __version__
from viewer.core.config import Settings, save_settings
from viewer.core.document import Document, Problem
from viewer.core.history import History, Location
from viewer.core.library import Library
from viewer.core.links import COPY_SCHEME, classify_link
from viewer.core.relocation import relocation
from viewer.core.render.page import page_html, problem_html
from viewer.core.rst_targets import LabelIndex
from viewer.core.start_page import OVERVIEW
from viewer.locations import bundled_docs_dir
from viewer.ui.document_view import DocumentView
from viewer.ui.library_panel import LibraryPanel
from viewer.ui.message_bar import MessageBar
from viewer.ui.outline_panel import OutlinePanel
from viewer.ui.plain_text import plain_label
from viewer.ui.tasks import TaskRunner
from viewer.ui.theme import MODES, apply_widget_theme, effective_theme


def start_page(library: Library) -> str:
    """The runbook to open first: a front page or the documentation's index, else the overview.

    In the union of synced sources that is the first source's README, then
    the bundled guide's, not whichever runbook sorts first.
    """
    from viewer.core.start_page import start_page as first_page

    return first_page(library, ("", *library.mount_order()))


def _placeholder(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def about_html() -> str:
    """Version, commit, Qt and Python: what a bug report needs."""
    from PySide6.QtCore import qVersion

    from viewer.buildinfo import build_commit

    commit = build_commit() or "unknown"
    return (f"<b>{APP_NAME}</b> {__version__}<br>Commit {commit}<br>"
            f"Qt {qVersion()} (PySide6 {pyside_version}) · Python {platform.python_version()}"
            "<br><br>Runbooks offline, when everything else is down.")


class MainWindow(QMainWindow):
    """Signals: ``page_shown(rel_path)`` after a page (or problem page) is on screen."""

    page_shown = Signal(str)

    def __init__(self, library: Library, settings: Settings | None = None,
                 start: str | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.library = library
        self.labels = LabelIndex(library)
        self.history = History()
        self.document: Document | Problem | None = None
        self._pictures: dict = {}  # the shown page's, read and decoded by the render worker
        self.tasks = TaskRunner(self)
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 820)

        self.view = DocumentView()
        self.view.link_clicked.connect(self.follow_link)
        self._find_bar = None  # built on first use (Ctrl+F)
        self.message_bar = MessageBar()
        centre = QWidget()
        self._column = QVBoxLayout(centre)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        self._column.addWidget(self.message_bar)
        self._column.addWidget(self.view, 1)
        self.setCentralWidget(centre)

        self.library_panel = LibraryPanel()
        self.library_panel.open_requested.connect(lambda path: self.open(path))
        self.library_panel.pin_requested.connect(self.pin)
        self.library_dock = self._dock("Library", self.library_panel,
                                       Qt.DockWidgetArea.LeftDockWidgetArea)
        # The symptom and search panels are built once the first page is on screen
        # (_ensure_panels): reading the runbook comes first.
        self.triage_panel = None
        self.search_panel = None
        self._quick_open = None
        self.pins_panel = None
        self.pin_store = None
        self.pins_dock = self._dock("Pinned", _placeholder("…"),
                                    Qt.DockWidgetArea.LeftDockWidgetArea)
        self.triage_dock = self._dock("Symptoms", _placeholder("Reading the runbooks' symptoms…"),
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
        self.splitDockWidget(self.pins_dock, self.triage_dock, Qt.Orientation.Vertical)
        self.search_dock = self._dock("Search", _placeholder("Preparing search…"),
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
        self.tabifyDockWidget(self.triage_dock, self.library_dock)
        self.tabifyDockWidget(self.library_dock, self.search_dock)
        self.triage_dock.raise_()
        self.keeper = None  # an IndexKeeper once the first page is on screen
        self.sources = None  # a SourcesController, also after the first paint
        self._index_waiting: Library | None = None
        self._triage_mtime: int | None = None  # of triage.yaml when the sidebar last read it
        self.outline = OutlinePanel()
        self.outline.jump_requested.connect(self.jump_to)
        self.outline_dock = self._dock("Outline", self.outline,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([self.triage_dock, self.outline_dock], [430, 220],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.pins_dock, self.triage_dock], [110, 600], Qt.Orientation.Vertical)

        self.status_label = plain_label(QLabel())
        self.index_label = plain_label(QLabel())
        self.library_label = plain_label(QLabel())
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.index_label)
        self.statusBar().addPermanentWidget(self.library_label)

        self._build_actions()
        self.theme = ""
        self.apply_theme(self.settings.theme, save=False)
        self.view.set_zoom(self.settings.zoom)
        self.set_library(library, start=start)

    # -- construction -----------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.lower())
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(QKeySequence(shortcut))
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip or text} ({keys})" if keys else tip or text)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.open_library_action = self._action("&Open Library Folder…", self.choose_library,
                                                keys.Open)
        self.bundled_action = self._action("Open &Bundled Runbooks", self.open_bundled_docs)
        self.reload_action = self._action("&Reload Page", self.reload, keys.Refresh)
        # Ctrl+Q everywhere: the platform's own Quit keys are none on some (Windows, offscreen),
        # and it must work whatever has the focus (a search box, a dock, a dialog's field).
        quit_keys = [*QKeySequence.keyBindings(keys.Quit), QKeySequence("Ctrl+Q")]
        self.quit_action = self._action("&Quit", self.close, list(dict.fromkeys(quit_keys)))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.back_action = self._action("&Back", self.go_back, keys.Back)
        self.forward_action = self._action("&Forward", self.go_forward, keys.Forward)
        self.find_action = self._action("&Find in Page…", lambda: self.find_bar.open_bar(),
                                        keys.Find)
        self.find_next_action = self._action("Find &Next", self.find_next, keys.FindNext)
        self.find_previous_action = self._action("Find &Previous", self.find_previous,
                                                 keys.FindPrevious)
        self.copy_code_action = self._action("Copy &Code Block", self.copy_code_at_cursor,
                                             "Ctrl+Shift+C",
                                             "Copy the code block at the cursor or first in view")
        self.zoom_in_action = self._action("Zoom &In", lambda: self.set_zoom(self.view.zoom + 1),
                                           [QKeySequence(keys.ZoomIn), QKeySequence("Ctrl+=")])
        self.zoom_out_action = self._action("Zoom &Out",
                                            lambda: self.set_zoom(self.view.zoom - 1),
                                            keys.ZoomOut)
        self.zoom_reset_action = self._action("&Actual Size", lambda: self.set_zoom(0), "Ctrl+0")
        self.theme_toggle_action = self._action("Toggle &Dark Theme", self.toggle_theme,
                                                "Ctrl+Shift+D")
        self.focus_library_action = self._action("Go to &Library", self.focus_library,
                                                 "Ctrl+Shift+L")
        self.search_action = self._action("&Search Runbooks…", self.focus_search, "Ctrl+K",
                                          "Search every runbook")
        self.symptoms_action = self._action("S&ymptoms…", self.focus_symptoms, "Ctrl+Shift+S",
                                            "Start from what you see")
        self.quick_open_action = self._action("&Quick Open…", self.show_quick_open, "Ctrl+P",
                                              "Open a runbook by title or path")
        self.pin_action = self._action("&Pin or Unpin This Page", self.toggle_pin, "Ctrl+D",
                                       "Pin the page you are reading (at its section)")
        for number in range(1, 10):
            self._action(f"Open Pin {number}", lambda _c=False, n=number: self.open_pin(n),
                         f"Alt+{number}")
        self.focus_outline_action = self._action("Go to O&utline", self.focus_outline,
                                                 "Ctrl+Shift+O")
        self.guide_action = self._action("&User Guide", self.open_user_guide, keys.HelpContents)
        self.about_action = self._action("&About", self.show_about)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        for action in (self.open_library_action, self.bundled_action, self.reload_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("&Edit")
        for action in (self.search_action, self.find_action, self.find_next_action,
                       self.find_previous_action, self.copy_code_action):
            edit_menu.addAction(action)
        view_menu = menu.addMenu("&View")
        for action in (self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("&Theme")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for mode in MODES:
            action = QAction(mode.capitalize() if mode != "system" else "Follow System", self,
                             checkable=True)
            action.triggered.connect(lambda _checked=False, m=mode: self.apply_theme(m))
            self.theme_group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[mode] = action
        theme_menu.addAction(self.theme_toggle_action)
        view_menu.addSeparator()
        view_menu.addAction(self.library_dock.toggleViewAction())
        view_menu.addAction(self.outline_dock.toggleViewAction())
        go_menu = menu.addMenu("&Go")
        for action in (self.symptoms_action, self.quick_open_action, self.pin_action,
                       self.back_action, self.forward_action,
                       self.focus_library_action, self.focus_outline_action):
            go_menu.addAction(action)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.about_action)

        toolbar = QToolBar("Navigation", self)
        toolbar.setObjectName("navigation")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.back_action, self.forward_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (self.symptoms_action, self.search_action, self.quick_open_action,
                       self.find_action,
                       self.zoom_out_action, self.zoom_in_action, self.theme_toggle_action):
            toolbar.addAction(action)
        self.search_action.setText("Search")
        self.symptoms_action.setText("Symptoms")
        self.quick_open_action.setText("Open…")
        self.back_action.setText("\u2190 Back")
        self.forward_action.setText("Forward \u2192")
        self.find_action.setText("Find")
        self.zoom_in_action.setText("A+")
        self.zoom_out_action.setText("A\u2212")
        self.theme_toggle_action.setText("Light/Dark")
        self.addToolBar(toolbar)
        self._update_history_actions()

    # -- library ------------------------------------------------------------------
    def set_library(self, library: Library, start: str | None = None) -> None:
        old = getattr(self, "library", None)
        move = relocation(old, library) if old is not None else None
        if move is not None:
            # The first source added, or the last removed: the library changes shape, and
            # the pins, reading places and the open page follow their runbooks into it.
            self._remember_position()
            self.settings.relocate(move)
            if self.pin_store is not None:
                with contextlib.suppress(sqlite3.Error):
                    self.pin_store.relocate(move)
            current = self.history.current
            moved = move.moved(current.path) if current is not None and start is None else None
            if moved:
                start = moved + (f"#{current.anchor}" if current.anchor else "")
            self._save_settings()
        self.library = library
        self.labels = LabelIndex(library)
        self.history = History()
        self.library_label.setText("Library: your sources" if library.is_union
                                   else f"Library: {library.root}")
        self.library_label.setToolTip(str(library.root))
        self.status_label.setText("Reading the library…")
        self._load_tree()
        self._index_waiting = library
        if move is not None:
            self._load_pins()
        first = start or self._resume_page(library) or start_page(library)
        if first:
            path, _, anchor = first.partition("#")
            self.open(path, anchor)
        else:
            self.message_bar.show_message(
                f"There are no runbooks (.md, .rst, .txt) in {library.root}.")
            self.view.setHtml("")
            self._start_waiting_index()

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

    def _load_tree(self) -> None:
        library = self.library
        self.tasks.run("library", lambda: library.tree(), self._library_loaded, self._task_failed)

    # -- the search index -----------------------------------------------------------
    def _start_waiting_index(self) -> None:
        """Start indexing once the first page is up: search can wait a moment, reading not."""
        library, self._index_waiting = self._index_waiting, None
        if library is None:
            return
        if self.view.painted or not self.isVisible():
            QTimer.singleShot(0, lambda: self._start_index(library))
        else:  # the very first page: let it reach the screen before anything else
            self.view.first_paint.connect(lambda: QTimer.singleShot(
                0, lambda: self._start_index(library)), Qt.ConnectionType.SingleShotConnection)

    def _ensure_panels(self) -> None:
        if self.search_panel is not None:
            return
        from viewer.ui.search_panel import SearchPanel
        from viewer.ui.triage_panel import TriagePanel

        self.triage_panel = TriagePanel()
        self.triage_panel.open_requested.connect(lambda path, anchor: self.open(path, anchor))
        self.triage_dock.setWidget(self.triage_panel)
        self.triage_panel.pin_requested.connect(self.pin)
        self.triage_panel.search_requested.connect(self.search_for)
        self.triage_panel.grouping_changed.connect(lambda _grouping: self._load_triage())
        self.search_panel = SearchPanel(self.tasks)
        self.search_panel.open_requested.connect(self.open_search_hit)
        self.search_dock.setWidget(self.search_panel)
        self.search_panel.pin_requested.connect(self.pin)
        from viewer.core.pins import PinStore
        from viewer.ui.pins_panel import PinsPanel

        self.pins_panel = PinsPanel()
        self.pins_panel.open_requested.connect(lambda path, anchor: self.open(path, anchor))
        self.pins_panel.order_changed.connect(self._pins_reordered)
        self.pins_panel.rename_requested.connect(self.rename_pin)
        self.pins_panel.unpin_requested.connect(self.unpin)
        self.pins_dock.setWidget(self.pins_panel)
        try:
            self.pin_store = PinStore()
        except (OSError, sqlite3.Error) as err:
            self.message_bar.show_message(f"Your pins cannot be read: {err}.")
            return
        if self.pin_store.problem:
            self.message_bar.show_message(self.pin_store.problem)

    # -- pins -------------------------------------------------------------------------
    def _load_pins(self) -> None:
        if self.pins_panel is not None and self.pin_store is not None:
            self.pins_panel.set_pins(self.pin_store.pins(self.library.root), self.library.root)

    def toggle_pin(self) -> None:
        """Pin the page being read (at the section it was opened at), or unpin it."""
        self._ensure_panels()
        current = self.history.current
        if current is None or self.pin_store is None or current.path == OVERVIEW:
            self.status_label.setText("Open a runbook first, then pin it.")
            return
        from viewer.core.pins import Pin, pin_label

        root = self.library.root
        target = Pin(current.path, current.anchor).target
        if self.pin_store.remove(root, current.path, current.anchor):
            self.status_label.setText(f"Unpinned {target}")
        else:
            label = ""
            if isinstance(self.document, Document) and self.document.path == current.path:
                section = next((h.text for h in self.document.headings
                                if current.anchor and h.anchor == current.anchor), "")
                label = pin_label(self.document.title, section)
            self.pin_store.add(root, Pin(current.path, current.anchor, label))
            self._keep_pinned_copy(current.path)
            number = len(self.pin_store.pins(root))
            keys = f" (Alt+{number})" if number <= 9 else ""
            self.status_label.setText(f"Pinned {target}{keys}")
        self._load_pins()

    def pin(self, path: str, anchor: str = "", label: str = "") -> None:
        """Pin a runbook or section chosen in the library, search results or sidebar."""
        self._ensure_panels()
        if self.pin_store is None:
            return
        from viewer.core.pins import Pin

        pin = Pin(path, anchor, label)
        target = pin.target
        if self.pin_store.add(self.library.root, pin):
            self._keep_pinned_copy(path)
            self.status_label.setText(f"Pinned {target}")
        else:
            self.status_label.setText(f"{target} is pinned already")
        self._load_pins()

    def _pinned_copy(self, rel_path: str) -> tuple[str, int] | None:
        if self.pin_store is None or (self.library.root / rel_path).exists():
            return None
        return self.pin_store.kept_copy(self.library.root, rel_path)

    def _keep_pinned_copy(self, rel_path: str) -> None:
        """Keep the text of a pinned runbook each time it is read, for when it is gone."""
        from viewer.core.library import OutsideLibrary
        from viewer.core.textio import UnreadableFile

        if not self.pin_store.is_pinned(self.library.root, rel_path):
            return  # only pinned runbooks are copied
        try:
            text = self.library.read_text(rel_path).text
            self.pin_store.keep_copy(self.library.root, rel_path, text)
        except (UnreadableFile, OutsideLibrary, OSError, sqlite3.Error):
            pass  # the copy is a convenience; reading goes on without it

    def open_pin(self, number: int) -> None:
        self._ensure_panels()
        self.pins_panel.open_number(number)

    def rename_pin(self, target: str, label: str) -> None:
        """Ask for the name the pin shows (empty: back to the page's title and section)."""
        from PySide6.QtWidgets import QInputDialog

        from viewer.core.pins import split_target

        path, anchor = split_target(target)
        text, ok = QInputDialog.getText(self, "Rename Pin",
                                        f"Name for {target} in the Pinned list\n"
                                        "(leave empty for the page's own name):", text=label)
        if ok and self.pin_store is not None:
            self.pin_store.set_label(self.library.root, path, anchor, text)
            self._load_pins()

    def unpin(self, target: str) -> None:
        from viewer.core.pins import split_target

        path, anchor = split_target(target)
        if self.pin_store is not None and self.pin_store.remove(self.library.root, path, anchor):
            self.status_label.setText(f"Unpinned {target}")
            self._load_pins()

    def _pins_reordered(self, targets: list[str]) -> None:
        if self.pin_store is not None:
            self.pin_store.reorder(self.library.root, targets)
            QTimer.singleShot(0, self._load_pins)  # not inside the list's own move signal

    @property
    def find_bar(self):  # type: ignore[no-untyped-def]
        """The find bar under the page, built the first time it is needed."""
        if self._find_bar is None:
            from viewer.ui.find_bar import FindBar

            self._find_bar = FindBar(self.view)
            self._column.addWidget(self._find_bar)
        return self._find_bar

    @property
    def quick_open(self):  # type: ignore[no-untyped-def]
        if self._quick_open is None:
            from viewer.ui.quick_open import QuickOpen

            self._quick_open = QuickOpen(self)
            self._quick_open.chosen.connect(self._quick_opened)
        return self._quick_open

    def _quick_opened(self, path: str) -> None:
        self.open(path)
        # The reader goes on with the keyboard (Page Down, Ctrl+D, Ctrl+F): the page
        # takes it, and the window too where closing the dialog left none active.
        self.activateWindow()
        self.view.setFocus()

    def _start_index(self, library: Library) -> None:
        from viewer.ui.index_keeper import IndexKeeper  # sqlite, watchdog: after first paint

        if library is not self.library:
            return  # the user switched library in the meantime
        self._ensure_panels()
        self._load_pins()
        self._ensure_sources()
        if self.keeper is not None:
            self.keeper.stop()
            self.keeper.deleteLater()
        self.search_panel.set_index(None, False)
        self.index_label.setText("Indexing…")
        self.keeper = IndexKeeper(library, self)
        self.keeper.updated.connect(self._index_updated)
        self.keeper.progress.connect(self._index_progress)
        self.keeper.problem.connect(self.message_bar.show_message)
        self.keeper.start()
        # With the watcher running, reST labels are re-read only after changes.
        self.labels.watched = self.keeper.watching

    # -- synced sources -------------------------------------------------------------
    def _ensure_sources(self) -> None:
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

    def _sources_synced(self, names: list[str]) -> None:
        """A source's copy was switched: re-read the library; the open page follows."""
        if self.library.is_union and self.keeper is not None:
            self.keeper.rewatch()

    def _sources_changed(self, listing) -> None:  # type: ignore[no-untyped-def]
        from viewer.sync.union import build_union

        try:
            root = build_union(listing)
        except OSError as err:
            self.message_bar.show_message(
                f"The library of your sources could not be updated: {err.strerror or err}.")
            return
        if self.library.is_union:
            self._load_tree()
            if self.keeper is not None:
                self.keeper.rewatch()
        elif not self.settings.library and listing.sources:
            self.set_library(Library(root))  # the first source: show the union from now on

    def _index_progress(self, done: int, total: int) -> None:
        self.search_panel.show_progress(done, total)
        if total >= 20 and done < total:
            self.index_label.setText(f"Indexing {done}/{total}")

    def _index_updated(self, report) -> None:  # type: ignore[no-untyped-def]
        keeper = self.keeper
        if keeper is None or keeper.index is None:
            return
        self.search_panel.set_index(keeper.index, True)
        if report.changed:
            self.labels.mark_stale()
        triage_file_changed = self._triage_file_changed()  # always: it records the mtime
        if report.changed or triage_file_changed or \
                self.triage_panel.tree.topLevelItemCount() == 0:
            self._load_triage()
        if report.changed or not self.index_label.text() or \
                self.index_label.text().startswith("Indexing"):
            self.index_label.setText(f"{keeper.index.document_count()} runbooks indexed")
        if report.moved and self.pin_store is not None:
            for old, new in report.moved:  # pins follow a runbook renamed or moved on disk
                self.pin_store.move(self.library.root, old, new)
        if report.removed or report.parsed:
            self._load_tree()
            self._load_pins()  # a pinned runbook may be gone, moved, or back
        current = self.history.current
        if current is not None and current.path in report.changed_paths:
            try:
                mtime = (self.library.root / current.path).stat().st_mtime_ns
            except OSError:
                mtime = None
            if mtime is not None:
                shown = self.document.mtime_ns if isinstance(self.document, Document) else -1
                if mtime != shown:
                    # Edited on disk: show the new text where the reader was.
                    self.open(current.path, scroll=self.view.verticalScrollBar().value(),
                              record=False)
            else:
                self.message_bar.show_message(
                    f"{current.path} was deleted or moved on disk. This is the copy that was "
                    "open; it stays readable until you leave it.")

    def _triage_file_changed(self) -> bool:
        from viewer.core.triage.authored import TRIAGE_FILE

        try:
            mtime = (self.library.root / TRIAGE_FILE).stat().st_mtime_ns
        except OSError:
            mtime = 0
        changed = mtime != self._triage_mtime
        self._triage_mtime = mtime
        return changed

    def _load_triage(self) -> None:
        keeper, library = self.keeper, self.library
        if keeper is None or keeper.index is None:
            return
        index = keeper.index
        grouping = self.triage_panel.grouping.currentData() or "category"

        def job():  # type: ignore[no-untyped-def]
            from viewer.core.triage.authored import load_triage
            from viewer.core.triage.tree import TriageTree

            question, note = load_triage(library)
            return TriageTree.load(index, grouping), question, note

        self.tasks.run("triage", job, lambda result: self.triage_panel.set_content(*result),
                       self._task_failed)

    def focus_symptoms(self) -> None:
        self._ensure_panels()
        self.triage_dock.show()
        self.triage_dock.raise_()
        self.triage_panel.focus_filter()

    def focus_search(self) -> None:
        self.search_for(None)

    def search_for(self, text: str | None) -> None:
        """Show the search panel, searching for ``text`` when given."""
        self._ensure_panels()
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.focus_search(text)

    def show_quick_open(self) -> None:
        documents: list[tuple[str, str]] = []
        keeper = self.keeper
        if keeper is not None and keeper.ready and keeper.index is not None:
            try:
                documents = [(d.path, d.title) for d in keeper.index.documents()]
            except Exception:  # being rebuilt: fall back to the tree's titles
                documents = []
        if not documents:
            documents = self.library_panel.runbooks()
        self.quick_open.open_with(documents, self.settings.recent_in(self.library.root))

    def open_search_hit(self, path: str, anchor: str, words: list[str]) -> None:
        self.open(path, anchor, highlight=words)

    def _library_loaded(self, tree) -> None:  # type: ignore[no-untyped-def]
        self.library_panel.set_tree(tree)
        if self.history.current:
            self.library_panel.select_path(self.history.current.path)
        if not self.tasks.busy("render"):
            count = self.library_panel.runbook_count()
            self.status_label.setText(f"{count} runbooks in the library")

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

    # -- opening pages ------------------------------------------------------------
    def open(self, rel_path: str, anchor: str = "", scroll: int = -1,
             record: bool = True, highlight: list[str] | None = None) -> None:
        """Render ``rel_path`` in the background and show it at ``anchor`` (or ``scroll``).

        ``record`` adds the page to the history; back, forward and reload pass
        False because the history already points at the page they show.
        """
        if record:
            self.history.remember_scroll(self.view.verticalScrollBar().value())
            self._remember_position()
            if not anchor and scroll < 0:  # a plain open: back to where the reader left it
                scroll = self.settings.position(self.library.root, rel_path) or -1
        location = Location(rel_path, anchor, max(scroll, 0))
        started = time.perf_counter()
        self.status_label.setText(f"Opening {rel_path}…")
        library, labels = self.library, self.labels

        copy = self._pinned_copy(rel_path)
        pinned = False
        if self.pin_store is not None:
            with contextlib.suppress(sqlite3.Error):  # then no copy is kept this time
                pinned = self.pin_store.is_pinned(library.root, rel_path)

        def job() -> tuple[Document | Problem, str | None, dict]:
            """The page, its text when it is pinned (to keep a copy of), and its pictures."""
            # Imported here, in the worker: the parsers load while the window is built.
            from viewer.core.rendering import read_runbook, render_decoded, render_text
            from viewer.core.start_page import overview_document

            if rel_path == OVERVIEW:
                return overview_document(library), None, {}
            decoded = read_runbook(library, rel_path)
            if isinstance(decoded, Problem):
                if copy is None or (library.root / rel_path).exists():
                    return decoded, None, {}
                text, saved = copy
                document = render_text(text, rel_path, library=library, labels=labels)
                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(saved / 1e9))
                document.notices.insert(0, f"This runbook is no longer in the library. You are "
                                           f"reading the copy kept with your pin on {when}.")
                return document, None, _read_pictures(library, document)
            result = render_decoded(decoded, rel_path, library, labels=labels)
            if not isinstance(result, Document):
                return result, None, {}
            return result, decoded.text if pinned else None, _read_pictures(library, result)

        # An overtaken render never calls back (TaskRunner's stale-result guard).
        self.tasks.run("render", job,
                       lambda result: self._rendered(*result, location, scroll, record, started,
                                                     highlight or []),
                       self._task_failed)

    def _rendered(self, result: Document | Problem, pinned_text: str | None, pictures: dict,
                  location: Location, scroll: int, record: bool, started: float,
                  highlight: list[str]) -> None:
        if record:
            self.history.visit(location)
            if isinstance(result, Document):
                self.settings.remember_opened(self.library.root, location.path)
                self._save_settings()
        if pinned_text is not None and self.pin_store is not None:
            with contextlib.suppress(sqlite3.Error):  # the copy is a convenience
                self.pin_store.keep_copy(self.library.root, location.path, pinned_text)
        anchor = location.anchor
        self.document = result
        self._pictures = pictures
        elapsed = (time.perf_counter() - started) * 1000
        self.message_bar.hide()
        self._show_current(anchor=anchor, scroll=scroll)
        if isinstance(result, Problem):
            self.outline.set_headings([])
            self.setWindowTitle(f"{location.path} — {APP_NAME}")
            self.status_label.setText(f"{location.path}: cannot be shown")
        else:
            self.outline.set_headings(result.headings)
            self.setWindowTitle(f"{result.title} — {APP_NAME}")
            encoding = "" if result.encoding == "utf-8" else f" · {result.encoding}"
            self.status_label.setText(f"{location.path}{encoding} · rendered in {elapsed:.0f} ms")
        self.library_panel.select_path(location.path)
        self._update_history_actions()
        if self._find_bar is not None:
            self._find_bar.refresh()
        self._start_waiting_index()
        if highlight and isinstance(result, Document):
            count = self.view.highlight_words(highlight)
            self.status_label.setText(f"{location.path} · {count} match"
                                      f"{'es' if count != 1 else ''} highlighted")
        self.page_shown.emit(location.path)

    def _show_current(self, anchor: str = "", scroll: int = -1) -> None:
        if self.document is None or self.history.current is None:
            return
        base = QUrl.fromLocalFile(str(self.library.root / self.history.current.path))
        if isinstance(self.document, Problem):
            html = problem_html(self.document, self.theme)
        else:
            html = page_html(self.document, self.theme)
        self.view.show_page(html, base, anchor=anchor, scroll=scroll, images=self._pictures)

    def reload(self) -> None:
        if self.history.current:
            self.open(self.history.current.path, scroll=self.view.verticalScrollBar().value(),
                      record=False)

    def jump_to(self, anchor: str) -> None:
        self.view.scrollToAnchor(anchor)

    def _task_failed(self, error: BaseException) -> None:
        self.message_bar.show_message(f"Something went wrong in the background: {error}")
        self.status_label.setText("Ready")

    # -- links --------------------------------------------------------------------
    def follow_link(self, url: QUrl) -> None:
        current = self.history.current.path if self.history.current else None
        href = url.toString()
        target = classify_link(href, self.library, current)
        if target.kind == "copy":
            self.copy_code_block(target.index)
        elif target.kind == "anchor":
            if target.anchor and current:
                self.history.remember_scroll(self.view.verticalScrollBar().value())
                self.view.scrollToAnchor(target.anchor)
                self.history.visit(Location(current, target.anchor,
                                            self.view.verticalScrollBar().value()))
                self._update_history_actions()
        elif target.kind == "runbook":
            self.open(target.path, target.anchor)
        elif target.kind == "external":
            if self.confirm_external(target.url):
                QDesktopServices.openUrl(QUrl(target.url))
                self.status_label.setText(f"Opened in your browser: {target.url}")
        else:
            self.message_bar.show_message(target.reason)

    def confirm_external(self, url: str) -> bool:
        """Ask before anything leaves the app; the user sees the whole address."""
        answer = QMessageBox.question(
            self, "Open in web browser?",
            f"This link leads outside the runbook library:\n\n{url}\n\n"
            "Open it in your web browser?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Open

    # -- copying ------------------------------------------------------------------
    def copy_code_block(self, index: int) -> None:
        if not isinstance(self.document, Document) or not (
            0 <= index < len(self.document.code_blocks)
        ):
            self.message_bar.show_message("That code block is no longer on this page.")
            return
        text = self.document.code_blocks[index].copy_text
        QGuiApplication.clipboard().setText(text)
        lines = text.count("\n") + 1 if text else 0
        self.status_label.setText(
            f"Copied code block {index + 1} ({lines} line{'s' if lines != 1 else ''}) "
            "to the clipboard")

    def copy_code_at_cursor(self) -> None:
        """Copy the code block the cursor is in, else the first one in view."""
        links = self._copy_link_positions()
        if not links:
            self.status_label.setText("There is no code block on this page.")
            return
        cursor_pos = self.view.textCursor().position()
        top_pos = self.view.cursorForPosition(self.view.viewport().rect().topLeft()).position()
        chosen = next((i for pos, i in reversed(links) if pos <= cursor_pos), None)
        if chosen is None or cursor_pos < top_pos:
            chosen = next((i for pos, i in links if pos >= top_pos), links[-1][1])
        self.copy_code_block(chosen)

    def _copy_link_positions(self) -> list[tuple[int, int]]:
        """(position, code block number) of each copy link on the page."""
        prefix = f"{COPY_SCHEME}:"
        found: list[tuple[int, int]] = []
        for position, _length, href in self.view.link_fragments():
            number = href[len(prefix):]
            if href.startswith(prefix) and number.isdigit():
                if not found or found[-1][1] != int(number):
                    found.append((position, int(number)))
        return found

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
            self._update_history_actions()
        else:
            self.open(location.path, scroll=location.scroll, record=False)

    def _update_history_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back())
        self.forward_action.setEnabled(self.history.can_go_forward())

    # -- find ---------------------------------------------------------------------
    def find_next(self) -> None:
        if not self.find_bar.isVisible():
            self.find_bar.open_bar()
        else:
            self.find_bar.next()

    def find_previous(self) -> None:
        if not self.find_bar.isVisible():
            self.find_bar.open_bar()
        else:
            self.find_bar.previous()

    # -- view -----------------------------------------------------------------------
    def set_zoom(self, steps: int) -> None:
        self.view.set_zoom(steps)
        self.settings.zoom = self.view.zoom
        self._save_settings()
        self.status_label.setText(f"Zoom: {'+' if self.view.zoom > 0 else ''}{self.view.zoom}")

    def apply_theme(self, mode: str, save: bool = True) -> None:
        mode = mode if mode in MODES else "system"
        self.settings.theme = mode
        self.theme_actions[mode].setChecked(True)
        theme = effective_theme(mode)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_widget_theme(app, theme)
        if theme != self.theme:
            self.theme = theme
            scroll = self.view.verticalScrollBar().value()
            self._show_current(scroll=scroll)
            if self._find_bar is not None:
                self._find_bar.refresh()
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
        QMessageBox.about(self, f"About {APP_NAME}", about_html())

    def _save_settings(self) -> None:
        problem = save_settings(self.settings)
        if problem:
            self.status_label.setText(problem)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._remember_position()
        self._save_settings()
        if self.sources is not None:
            self.sources.stop()
        if self.keeper is not None:
            self.keeper.stop()
        self.tasks.wait(5000)
        super().closeEvent(event)


def _read_pictures(library: Library, document: Document) -> dict:
    """The page's pictures, read through the library's gate and decoded, on the worker thread;
    the page shows the alt text and path of each one that cannot be read."""
    from viewer.core.page_images import load_page_images, mark_refused
    from viewer.ui.document_view import decode_pictures

    found = load_page_images(library, document.path, document.body_html)
    pictures = decode_pictures(found.pictures)
    refused = dict(found.refused)
    refused.update({src: "not a picture this viewer can show" for src in found.pictures
                    if src not in pictures})
    document.body_html = mark_refused(document.body_html, refused)
    return pictures
