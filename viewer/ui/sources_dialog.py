"""The Sources dialog: add, edit, test and remove sources, enter their passwords, sync now.

Passwords typed here go straight to :class:`CredentialStore` (the keyring);
the form never writes them anywhere else. "Test" lists the remote's branches
in the background, so a wrong URL or password shows before the first sync.
The keyring and the local copies are touched on a worker thread too: a
keyring that hangs on D-Bus must not freeze the dialog.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from viewer.sync.credentials import CredentialStore, scrub
from viewer.sync.engine import describe_error, forget_source, remote_for, removed_message
from viewer.sync.git import remote_branches
from viewer.sync.snapshots import SourceCache, describe_copy
from viewer.sync.sources import Source, SourceError, SourceList, new_source, save_sources
from viewer.sync.union import BUNDLED_NAME
from viewer.ui.plain_text import plain_label
from viewer.ui.tasks import TaskRunner


class SourcesDialog(QDialog):
    """Signals: ``changed(SourceList)`` after a save or removal, ``sync_requested(names)``."""

    changed = Signal(object)
    sync_requested = Signal(object)

    def __init__(self, listing: SourceList, credentials: CredentialStore,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sources")
        self.resize(760, 460)
        self.listing = listing
        self.credentials = credentials
        self.tasks = TaskRunner(self, max_threads=1)  # one at a time, in the order asked

        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show_row)
        self.name = QLineEdit()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://git.example.com/ops/runbooks.git, git@host:org/repo, "
                                    "or a folder")
        self.branch = QLineEdit("main")
        self.subdir = QLineEdit()
        self.subdir.setPlaceholderText("optional: only this folder of the repository")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_file = QLineEdit()
        self.key_file.setPlaceholderText("optional SSH private key; default: your SSH agent")
        self.sites = QLineEdit()
        self.sites.setPlaceholderText("optional: https://runbooks.example.com/ (a site built "
                                      "from it; links there then open here)")
        self.status = plain_label(QLabel())
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(self.status.textInteractionFlags().TextSelectableByMouse)
        browse = QPushButton("Br&owse…")
        browse.setToolTip("Choose a folder of runbooks (or a repository) on this computer")
        browse.clicked.connect(self._browse)
        url_row = QHBoxLayout()
        url_row.addWidget(self.url, 1)
        url_row.addWidget(browse)
        form = QFormLayout()
        # A row holding a layout gets no buddy from QFormLayout (its "&" would show).
        url_label = QLabel("&URL or folder")
        url_label.setBuddy(self.url)
        for label, field in (("&Name", self.name), (url_label, url_row),
                             ("&Branch", self.branch), ("Sub-&folder", self.subdir),
                             ("Userna&me", self.username),
                             ("&Password, token\nor key passphrase", self.password),
                             ("SSH &key file", self.key_file),
                             ("Publis&hed at", self.sites)):
            form.addRow(label, field)
        form.addRow("Status", self.status)

        self.new_button = QPushButton("Ne&w")
        self.save_button = QPushButton("&Save")
        self.test_button = QPushButton("&Test")
        self.remove_button = QPushButton("&Remove")
        self.sync_button = QPushButton("S&ync Now")
        self.new_button.clicked.connect(self._new)
        self.save_button.clicked.connect(self.save)
        self.test_button.clicked.connect(self.test)
        self.remove_button.clicked.connect(self.remove)
        self.sync_button.clicked.connect(lambda: self.sync_requested.emit(None))
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.test_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.sync_button)

        self.show_bundled = QCheckBox(f"Show the bundled “{BUNDLED_NAME}” beside your sources")
        self.show_bundled.setChecked(listing.show_bundled)
        self.show_bundled.toggled.connect(self._settings_changed)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSuffix(" min")
        self.minutes.setSpecialValueText("only at start and on demand")
        self.minutes.setValue(listing.sync_minutes)
        self.minutes.editingFinished.connect(self._settings_changed)
        every = QHBoxLayout()
        every.addWidget(QLabel("Sync every"))
        every.addWidget(self.minutes)
        every.addStretch(1)

        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(buttons)
        right.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.list, 2)
        top.addLayout(right, 5)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.show_bundled)
        layout.addLayout(every)
        self.message = plain_label(QLabel())
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.refresh()
        # Finding the keyring can mean a D-Bus round trip: on the worker too.
        self.tasks.run("keyring", lambda: credentials.persistent, self._show_keyring,
                       self._failed)

    def _show_keyring(self, persistent: bool) -> None:
        warning = self.credentials.warning
        if (warning or not persistent) and not self.message.text():
            self.message.setText(warning)

    # -- list ---------------------------------------------------------------------
    def refresh(self, select: str = "") -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for source in self.listing.sources:
            failed = source.is_git and bool(SourceCache(source.name).status().last_error)
            item = QListWidgetItem(f"{source.name}  (last sync failed)" if failed
                                   else source.name)
            item.setToolTip(source.display_url())
            self.list.addItem(item)
        self.list.blockSignals(False)
        names = [s.name for s in self.listing.sources]
        if names:
            self.list.setCurrentRow(names.index(select) if select in names else 0)
        else:
            self._new()

    def _selected(self) -> Source | None:
        row = self.list.currentRow()
        return self.listing.sources[row] if 0 <= row < len(self.listing.sources) else None

    def _show_row(self, _row: int) -> None:
        source = self._selected()
        if source is None:
            return
        self.name.setText(source.name)
        self.url.setText(source.display_url())
        self.branch.setText(source.branch)
        self.subdir.setText(source.subdir)
        self.username.setText(source.username)
        self.key_file.setText(source.key_file)
        self.sites.setText(" ".join(source.site_urls))
        self.password.clear()
        self.password.setPlaceholderText("")
        if source.is_git:  # a password, or an SSH key's passphrase
            credentials, name = self.credentials, source.name
            self.tasks.run("stored", lambda: bool(credentials.get(name)),
                           lambda stored: self._show_stored(name, stored), self._failed)
        self.status.setText(self._status_text(source))

    def _show_stored(self, name: str, stored: bool) -> None:
        current = self._selected()
        if stored and current is not None and current.name == name:
            self.password.setPlaceholderText("stored; type to replace")

    def _status_text(self, source: Source) -> str:
        if not source.is_git:
            return "A local folder: shown as it is on disk, updated live."
        status = SourceCache(source.name).status()
        text = describe_copy(status)
        if status.last_attempt:
            when = time.localtime(status.last_attempt)
            text += f"; last attempt {time.strftime('%d %b %H:%M', when)}"
        if status.last_error:
            text += f"\nLast error: {status.last_error}"
        return text

    def _browse(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Choose a folder of runbooks",
                                                  self.url.text() or str(Path.home()))
        if folder:
            self.url.setText(folder)
            if not self.name.text():
                self.name.setText(Path(folder).name)

    def _new(self) -> None:
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        for field in (self.name, self.url, self.subdir, self.username, self.password,
                      self.key_file, self.sites):
            field.clear()
        self.branch.setText("main")
        self.password.setPlaceholderText("")
        self.status.setText("New source: fill in the name and URL, then Save.")
        self.name.setFocus()

    # -- actions ------------------------------------------------------------------
    def _form_source(self) -> tuple[Source, str]:
        url = self.url.text().strip()
        current = self._selected()
        unchanged = current is not None and url == current.display_url()
        if unchanged:
            url = current.url
        source, secret = new_source(self.name.text().strip(), url, branch=self.branch.text(),
                                    subdir=self.subdir.text(),
                                    username=self.username.text().strip(),
                                    key_file=self.key_file.text().strip())
        if unchanged and not source.username:
            source.auth = current.auth  # a token typed into the URL once stays the user name
        sites = self.sites.text().replace(",", " ").split()
        bad = [site for site in sites if not site.lower().startswith(("https://", "http://"))]
        if bad:
            raise SourceError(f"{bad[0]} is not a web address: give the site's address, "
                              "like https://runbooks.example.com/.")
        source.site_urls = list(dict.fromkeys(sites))
        return source, secret

    def save(self) -> bool:
        try:
            source, secret = self._form_source()
        except SourceError as err:
            self.message.setText(str(err))
            return False
        current = self._selected()
        taken = {s.name for s in self.listing.sources if s is not current} | {BUNDLED_NAME}
        if source.name in taken:
            self.message.setText(f"There is already a source called {source.name!r}.")
            return False
        secret = self.password.text() or secret
        renamed_from = ""
        if current is not None:
            index = self.listing.sources.index(current)
            self.listing.sources[index] = source
            if current.name != source.name:
                renamed_from = current.name
        else:
            self.listing.sources.append(source)
        if not self._store():
            return False
        self.password.clear()
        self.message.setText(f"Saving {source.name}…")
        self.refresh(select=source.name)
        self.changed.emit(self.listing)
        credentials = self.credentials

        def store() -> str:
            if renamed_from:
                forget_source(renamed_from, credentials)
            return credentials.set(source.name, secret) if secret else ""

        def stored(where: str) -> None:
            self.message.setText(f"Saved {source.name}. {where}".strip())
            self._show_row(self.list.currentRow())
            if source.is_git:  # now that its password is where the sync will look
                self.sync_requested.emit([source.name])

        self.tasks.run("store", store, stored, self._failed)
        return True

    def remove(self) -> None:
        source = self._selected()
        if source is None:
            return
        self.listing.sources.remove(source)
        if self._store():
            self.refresh()
            self.changed.emit(self.listing)
            credentials = self.credentials
            self.message.setText(f"Removing {source.name}…")
            self.tasks.run("store", lambda: forget_source(source.name, credentials),
                           lambda _: self.message.setText(removed_message(source)),
                           self._failed)

    def test(self) -> None:
        try:
            source, typed = self._form_source()
        except SourceError as err:
            self.message.setText(str(err))
            return
        if not source.is_git:
            self.message.setText(f"{source.url} is a folder on this computer: nothing to test.")
            return
        typed = self.password.text() or typed
        credentials = self.credentials

        def branches() -> tuple[list[str], str]:
            secret = typed or credentials.get(source.name)
            return remote_branches(remote_for(source, secret))

        self.message.setText(f"Contacting {source.display_url()}…")
        self.test_button.setEnabled(False)
        self.tasks.run("test", branches, lambda result: self._test_done(source, result),
                       lambda error: self._test_failed(source, error))

    def _test_failed(self, source: Source, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        text = describe_error(error, source, during_sync=False)
        self.message.setText(f"Test failed: {scrub(text)}")

    def _failed(self, error: BaseException) -> None:
        self.message.setText(f"That did not work: {scrub(str(error))}")

    def _test_done(self, source: Source, result: tuple[list[str], str]) -> None:
        self.test_button.setEnabled(True)
        branches, default = result
        found = "found" if source.branch in branches else "NOT found"
        self.message.setText(
            f"Reached {source.display_url()}. Branch {source.branch!r} {found}; branches: "
            f"{', '.join(branches[:10]) or 'none'}" + (f" (default {default})" if default else ""))

    def _settings_changed(self) -> None:
        self.listing.show_bundled = self.show_bundled.isChecked()
        self.listing.sync_minutes = self.minutes.value()
        if self._store():
            self.changed.emit(self.listing)

    def _store(self) -> bool:
        try:
            save_sources(self.listing)
        except OSError as err:
            self.message.setText(f"The sources could not be saved: {err.strerror or err}.")
            return False
        return True
