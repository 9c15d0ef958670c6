"""The Sources dialog: add, test, edit and remove sources; passwords go to the keyring only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MakeLibrary
from tests.sync.conftest import PASSWORD, USER, Upstream, upstream  # noqa: F401
from tests.ui.conftest import ThreadRecordingStore
from viewer.sync.credentials import CredentialStore
from viewer.sync.sources import SourceList, load_sources, new_source, sources_path
from viewer.ui.sources_dialog import SourcesDialog

pytestmark = pytest.mark.gui


def _dialog(qtbot, credentials: CredentialStore | None = None) -> SourcesDialog:  # type: ignore[no-untyped-def]
    dialog = SourcesDialog(SourceList(), credentials or CredentialStore())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_add_a_folder_source_then_remove_it(qtbot, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    folder = make_library({"dns.md": "# DNS\n"})
    dialog = _dialog(qtbot)
    dialog.name.setText("team")
    dialog.url.setText(str(folder))
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        dialog.save_button.click()
    [source] = load_sources()[0].sources
    assert (source.name, source.kind, source.url) == ("team", "folder", str(folder.resolve()))
    assert dialog.list.count() == 1
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        dialog.remove_button.click()
    assert load_sources()[0].sources == []
    qtbot.waitUntil(lambda: "the folder" in dialog.message.text(), timeout=5000)
    assert dialog.message.text() == f"Removed team; the folder {folder.resolve()} is left as it is."
    assert (folder / "dns.md").read_text() == "# DNS\n"  # the user's own files stay


def test_a_sources_published_site_is_set_here_and_kept_through_an_edit(
        qtbot, make_library: MakeLibrary) -> None:  # type: ignore[no-untyped-def]
    folder = make_library({"dns.md": "# DNS\n"})
    dialog = _dialog(qtbot)
    dialog.name.setText("team")
    dialog.url.setText(str(folder))
    dialog.sites.setText("ftp://runbooks.example.com/")
    dialog.save_button.click()
    assert "not a web address" in dialog.message.text() and load_sources()[0].sources == []
    dialog.sites.setText("https://runbooks.example.com/, https://docs.example.com/ops/")
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        dialog.save_button.click()
    sites = ["https://runbooks.example.com/", "https://docs.example.com/ops/"]
    assert load_sources()[0].sources[0].site_urls == sites
    # Another field edited later: the site addresses stay (set on the command line, too).
    dialog.list.setCurrentRow(0)
    assert dialog.sites.text() == " ".join(sites)
    dialog.subdir.setText("")
    dialog.name.setText("team-ops")
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        dialog.save_button.click()
    [source] = load_sources()[0].sources
    assert (source.name, source.site_urls) == ("team-ops", sites)


def test_bad_input_is_explained_in_the_dialog(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot)
    dialog.name.setText("../up")
    dialog.url.setText("https://git.example.com/ops.git")
    dialog.save_button.click()
    assert "cannot be a source name" in dialog.message.text()
    dialog.name.setText("ops")
    dialog.url.setText(str(tmp_path / "nowhere"))
    dialog.save_button.click()
    assert "neither a git URL nor a folder" in dialog.message.text()
    assert not sources_path().exists()


def test_git_source_password_goes_to_the_keyring_and_test_lists_branches(
        qtbot, upstream: Upstream) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    upstream.commit({"dns.md": "# DNS\n"})
    upstream.push()
    upstream.start()
    store = ThreadRecordingStore()
    dialog = _dialog(qtbot, store)
    dialog.name.setText("ops")
    dialog.url.setText(upstream.url)
    dialog.username.setText(USER)
    dialog.password.setText(PASSWORD)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Reached"), timeout=15000)
    assert "Branch 'main' found" in dialog.message.text()
    with qtbot.waitSignal(dialog.sync_requested, timeout=5000) as asked:
        dialog.save_button.click()
    assert asked.args == [["ops"]]
    assert CredentialStore().get("ops") == PASSWORD
    saved = json.loads(sources_path().read_text())
    assert saved["sources"][0]["username"] == USER and PASSWORD not in sources_path().read_text()
    assert dialog.password.text() == ""
    qtbot.waitUntil(lambda: "stored" in dialog.password.placeholderText(), timeout=5000)
    dialog.password.setText("wrong-token-x")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Test failed"), timeout=15000)
    assert "username or password" in dialog.message.text()
    assert "wrong-token-x" not in dialog.message.text()
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        dialog.remove_button.click()
    qtbot.waitUntil(lambda: dialog.message.text() == "Removed ops and its local copy.",
                    timeout=5000)
    assert CredentialStore().get("ops") == ""
    # The keyring was read, written and cleared, never on the UI thread: one hung on
    # D-Bus would not freeze the dialog.
    assert store.on_ui_thread and not any(store.on_ui_thread)


def test_alt_letters_reach_every_field_each_its_own(qtbot) -> None:  # type: ignore[no-untyped-def]
    import re

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractButton, QLabel

    dialog = _dialog(qtbot)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    fields = {"U": dialog.url, "N": dialog.name, "B": dialog.branch, "F": dialog.subdir,
              "M": dialog.username, "P": dialog.password, "K": dialog.key_file,
              "H": dialog.sites}
    for letter, field in fields.items():
        qtbot.keyClick(dialog, getattr(Qt.Key, f"Key_{letter}"), Qt.KeyboardModifier.AltModifier)
        assert field.hasFocus(), letter
    texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)]
    letters = [m.group(1).upper() for t in texts for m in re.finditer(r"&([^&\s])", t)]
    assert len(letters) == len(set(letters)), sorted(letters)  # no two share an Alt letter


def test_a_computer_without_a_secure_keyring_is_told_so(qtbot) -> None:  # type: ignore[no-untyped-def]
    from keyring.backends.fail import Keyring as NoKeyring

    dialog = _dialog(qtbot, CredentialStore(backend=NoKeyring()))
    qtbot.waitUntil(lambda: "No secure keyring" in dialog.message.text(), timeout=5000)
    assert "kept in memory for this session only" in dialog.message.text()


def test_a_stored_secret_shows_as_stored_for_a_password_and_a_key_passphrase(qtbot) -> None:  # type: ignore[no-untyped-def]
    credentials = CredentialStore()
    listing = SourceList([new_source("web", "https://git.example.com/ops.git",
                                     username="oncall")[0],
                          new_source("deploy", "git@git.example.com:ops/runbooks.git")[0]])
    for source in listing.sources:
        credentials.set(source.name, "a-stored-secret")
    dialog = SourcesDialog(listing, credentials)
    qtbot.addWidget(dialog)
    for row in (0, 1):
        dialog.list.setCurrentRow(row)
        qtbot.waitUntil(lambda: dialog.password.placeholderText() == "stored; type to replace",
                        timeout=5000)
