"""The window's side of syncing: the Sources menu, the status-bar lines, the password prompt.

It owns the :class:`SyncKeeper`, tells the window when a source's copy
changed (``synced``) or the list of sources did (``sources_changed``), and
keeps one calm line in the status bar: the sync state and which copy is
shown, the open page's with its age ("Offline - this page: ops copy from
14:02, commit 1a2b3c4 (2 h old)").
"""

from __future__ import annotations

import contextlib
import threading

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMainWindow, QMenu, QMenuBar

from viewer.sync.credentials import CredentialStore
from viewer.sync.engine import secret_need
from viewer.sync.snapshots import SourceCache
from viewer.sync.sources import (
    Source,
    SourceList,
    load_sources,
    save_sources,
    sources_path,
    take_token_usernames,
)
from viewer.ui.plain_text import ElidingLabel
from viewer.ui.sync_keeper import SyncKeeper


class SourcesController(QObject):
    """Signals: ``synced(names of changed sources)``, ``sources_changed(SourceList)``,
    ``problem(message)`` for the message bar."""

    synced = Signal(object)
    sources_changed = Signal(object)
    problem = Signal(str)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.listing, load_problem = load_sources()
        self.credentials = CredentialStore()
        self._settle_tokens(take_token_usernames(self.listing))
        self.keeper = SyncKeeper(self.listing, self.credentials, self)
        self.keeper.ask_secret = self._ask_secret
        self.keeper.progress.connect(self._progress)
        self.keeper.finished.connect(self._finished)
        self.keeper.state_changed.connect(self.update_status)
        self.sync_label = ElidingLabel()
        self._page = ""
        self._dialog = None
        self.sync_action = QAction("&Sync Now", window, shortcut=QKeySequence("Ctrl+Shift+R"))
        self.sync_action.setToolTip("Fetch every source's latest runbooks")
        self.sync_action.triggered.connect(lambda: self.keeper.sync_now())
        self.cancel_action = QAction("&Cancel Sync", window, enabled=False)
        self.cancel_action.triggered.connect(self.keeper.cancel)
        self.sources_action = QAction("S&ources…", window, shortcut=QKeySequence("Ctrl+Shift+G"))
        self.sources_action.setToolTip("Add, edit, test and remove git repositories and folders")
        self.sources_action.triggered.connect(self.show_dialog)
        for action in (self.sync_action, self.cancel_action, self.sources_action):
            window.addAction(action)
        self._load_problem = load_problem
        # The command line changes sources and copies too: the window notices within a second.
        self._stamps = self._file_stamps()
        self._watch = QTimer(self)
        self._watch.setInterval(800)
        self._watch.timeout.connect(self._check_files)

    def _settle_tokens(self, taken: dict[str, str]) -> None:
        """Tokens an older version saved as user names: to the keyring, then out of the file.

        The keyring may hang, so never on the window's thread.
        """
        if not taken:
            return
        credentials, listing = self.credentials, self.listing

        def move() -> None:
            for name, token in taken.items():
                credentials.set(name, token)
            with contextlib.suppress(OSError):  # kept in memory; saved with the next change
                save_sources(listing)

        threading.Thread(target=move, name="move tokens to the keyring", daemon=True).start()

    def add_menu(self, bar: QMenuBar) -> None:
        """A Sources menu, before Help where there is one."""
        menu = QMenu("&Sources", bar)
        help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
        bar.insertMenu(help_menu, menu) if help_menu is not None else bar.addMenu(menu)
        for action in (self.sync_action, self.cancel_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.sources_action)

    def _file_stamps(self) -> dict[str, int]:
        """mtimes of sources.json and of each git source's status and shown copy."""
        paths = [sources_path()]
        for source in self.listing.sources:
            cache = SourceCache(source.name)
            paths += [cache.status_file, cache.current_link]
        stamps = {}
        for path in paths:
            try:
                stamps[str(path)] = path.lstat().st_mtime_ns
            except OSError:
                stamps[str(path)] = 0
        return stamps

    def _check_files(self) -> None:
        stamps = self._file_stamps()
        if stamps == self._stamps:
            return
        listing_changed = stamps.get(str(sources_path())) != self._stamps.get(str(sources_path()))
        copies = [name for name in (s.name for s in self.listing.sources)
                  if stamps.get(str(SourceCache(name).current_link))
                  != self._stamps.get(str(SourceCache(name).current_link))]
        self._stamps = stamps
        if listing_changed and not self.keeper.running:
            known = {s.name for s in self.listing.sources}
            listing, problem = load_sources()
            if problem:
                self.problem.emit(problem)
            self._listing_changed(listing)
            if self._dialog is not None:
                self._dialog.listing = listing
            self._stamps = self._file_stamps()
            added = [s.name for s in listing.sources if s.is_git and s.name not in known]
            if added:  # added by the command line: fetched now, as the dialog's Add does
                self.keeper.sync_now(added)
        self.keeper.forget_statuses()
        if copies:
            self.synced.emit(copies)  # a sync by the command line switched a copy
        if self._dialog is not None and self._dialog.isVisible():
            self._dialog.refresh(select=self._dialog.name.text())
        self.update_status()

    def start(self) -> None:
        """After the first paint: report a bad sources file, follow the network, sync once."""
        self._watch.start()
        if self._load_problem:
            self.problem.emit(self._load_problem)
        self.keeper.watch_network()
        self.update_status()
        self.keeper.sync_now()

    def stop(self) -> None:
        """The window closes: no more syncs, and no more looking at the sources file (a
        closed window must not rebuild the library folder when the file changes)."""
        self._watch.stop()
        self.keeper.stop()

    # -- the status bar ----------------------------------------------------------------
    def _progress(self, text: str) -> None:
        self.sync_label.setText(text[:90])

    def update_status(self) -> None:
        """The sync line, about the open page's copy when it comes from a git source."""
        if not self.window.library.is_union:
            # A folder opened by itself (--library, File > Open): its sources' sync is not news.
            self.sync_label.setVisible(False)
            self.cancel_action.setEnabled(self.keeper.running)
            self.sync_action.setEnabled(bool(self.keeper.git_sources))
            return
        page_source = self._page.split("/", 1)[0]
        text, tip = self.keeper.summary(page_source)
        self.sync_label.setText(text)
        self.sync_label.setToolTip(tip)
        self.sync_label.setVisible(bool(text))
        self.cancel_action.setEnabled(self.keeper.running)
        self.sync_action.setEnabled(bool(self.keeper.git_sources))

    def show_page_age(self, rel_path: str) -> None:
        self._page = rel_path
        self.update_status()

    def _finished(self, outcomes: list) -> None:  # type: ignore[type-arg]
        changed = [o.name for o in outcomes if o.ok and o.changed]
        failures = [o for o in outcomes if not o.ok and not o.unreachable]
        # Offline is normal and only in the status bar; other failures are news, and so
        # are files a sync could not copy.
        news = [o.error for o in failures] + [o.notice for o in outcomes if o.ok and o.notice]
        if news:  # one line each, not one run-on sentence
            self.problem.emit("\n".join(news))
        if changed:
            self.synced.emit(changed)
        if self._dialog is not None and self._dialog.isVisible():
            self._dialog.refresh(select=self._dialog.name.text())

    # -- passwords and the dialog ----------------------------------------------------------
    def _ask_secret(self, source: Source) -> str:
        need = secret_need(source)  # asked for only for a source that needs one
        text, ok = QInputDialog.getText(
            self.window, f"Sync {source.name}",
            f"{need.prompt if need else 'Password'}:"
            + ("" if self.credentials.persistent else
               "\n(No secure keyring here: it is kept until you quit.)"),
            QLineEdit.EchoMode.Password)
        return text if ok else ""

    def show_dialog(self) -> None:
        from viewer.ui.sources_dialog import SourcesDialog

        if self._dialog is None:
            self._dialog = SourcesDialog(self.listing, self.credentials, self.window)
            self._dialog.changed.connect(self._listing_changed)
            self._dialog.sync_requested.connect(self.keeper.sync_now)
        else:  # what it showed may be old: a sync or the command line changed it since
            self.keeper.forget_statuses()
            self._dialog.listing = self.listing
            self._dialog.refresh(select=self._dialog.name.text())
        self._dialog.show()
        self._dialog.raise_()
        self._dialog.activateWindow()

    def _listing_changed(self, listing: SourceList) -> None:
        self.listing = listing
        self._stamps = self._file_stamps()  # this window's own change is not news to it
        self.keeper.set_listing(listing)
        self.sources_changed.emit(listing)
        self.update_status()
