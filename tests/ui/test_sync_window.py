"""The window with synced sources: offline start on the cached copy, then a sync by itself."""

from __future__ import annotations

import pytest

import viewer.ui.main_window
import viewer.ui.sync_keeper
from tests.sync.conftest import (  # noqa: F401
    PASSWORD,
    USER,
    Upstream,
    free_port,
    synced_source,
    upstream,
)
from viewer.core.config import Settings, shown_library
from viewer.core.library import Library
from viewer.sync.credentials import CredentialStore
from viewer.sync.engine import sync_source
from viewer.sync.sources import SourceList, new_source, save_sources
from viewer.sync.union import union_library
from viewer.ui.main_window import MainWindow

pytestmark = pytest.mark.gui
OLD = "# Cache stampede\n\nRestart the **old** way: `systemctl restart cache`.\n"
NEW = "# Cache stampede\n\nRestart the **new** way: `cachectl drain --all`.\n"


def _window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window as ``runbook-viewer`` opens it with nothing asked for: the union library."""
    union, problem = union_library()
    assert union is not None, problem
    folder, _ = shown_library(None, Settings(), union)
    window = MainWindow(Library(folder), Settings(), start="ops/cache.md")
    qtbot.addWidget(window)
    window.show()
    return window


def _synced_then_offline(upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Source "ops" synced once (OLD), then the laptop goes offline while upstream moves on (NEW).

    The server's fixed port lets ``upstream.start()`` bring it back on the same address.
    """
    monkeypatch.setattr(viewer.ui.sync_keeper, "FIRST_RETRY_SECONDS", 0.3)
    upstream.commit({"cache.md": OLD})
    upstream.push()
    upstream.start(port=free_port())
    source, _ = new_source("ops", upstream.url, username=USER)
    CredentialStore().set("ops", PASSWORD)
    save_sources(SourceList([source]))
    assert sync_source(source).ok
    upstream.kill()
    upstream.commit({"cache.md": NEW})
    upstream.push()


def test_offline_start_shows_the_copy_then_syncs_when_the_server_is_back(
        qtbot, upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    _synced_then_offline(upstream, monkeypatch)
    window = _window(qtbot)
    qtbot.waitUntil(lambda: "systemctl restart cache" in window.view.toPlainText(),
                    timeout=10000)
    qtbot.waitUntil(lambda: window.sources is not None and
                    window.sources.sync_label.text().startswith("Offline - this page: ops copy"),
                    timeout=15000)
    assert "commit" in window.sources.sync_label.text()
    assert "under 1 min old)" in window.sources.sync_label.text()
    assert not window.message_bar.isVisible()  # offline is normal: no alarm

    upstream.start()  # the connection is back, on the same address
    qtbot.waitUntil(lambda: "cachectl drain --all" in window.view.toPlainText(), timeout=30000)
    assert window.history.current.path == "ops/cache.md"
    qtbot.waitUntil(lambda: window.sources.sync_label.text().startswith("Synced - this page"),
                    timeout=5000)


def test_sync_failure_other_than_offline_is_told_and_the_page_stays(
        qtbot, upstream: Upstream) -> None:  # noqa: F811
    save_sources(SourceList([synced_source(upstream, {"cache.md": OLD})]))
    CredentialStore().set("ops", "revoked-token-123")
    window = _window(qtbot)
    qtbot.waitUntil(lambda: window.message_bar.isVisible(), timeout=15000)
    assert "ops: the server refused the username or password" in window.message_bar.text
    assert "revoked-token-123" not in window.message_bar.text
    assert "systemctl restart cache" in window.view.toPlainText()
    assert window.sources.sync_label.text().startswith("Sync failed for ops")


def test_cancel_stops_a_running_sync_and_keeps_the_copy(
        qtbot, upstream: Upstream) -> None:  # noqa: F811
    import random

    from viewer.sync.snapshots import SourceCache
    from viewer.ui.sync_keeper import SyncKeeper

    source = synced_source(upstream, {"cache.md": OLD})
    rng = random.Random(11)
    upstream.commit({f"bulk/{i:03}.md": f"{rng.getrandbits(40000):x}" for i in range(40)})
    upstream.push()
    upstream.kill()
    upstream.start(slow=True)
    keeper = SyncKeeper(SourceList([source]))
    with qtbot.waitSignal(keeper.finished, timeout=60000) as finished:
        keeper.sync_now()
        qtbot.waitUntil(lambda: (upstream.root / ".sending").exists(), timeout=30000)
        keeper.cancel()
    [outcome] = finished.args[0]
    assert not outcome.ok and "cancelled" in outcome.error
    shown = SourceCache("ops").current()
    assert (shown / "cache.md").read_text() == OLD and not (shown / "bulk").exists()
    assert not keeper.running


def test_no_password_prompt_while_offline_then_one_when_the_server_answers(
        qtbot, upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from PySide6.QtWidgets import QInputDialog

    _synced_then_offline(upstream, monkeypatch)  # 3 a.m., on a train
    CredentialStore().delete("ops")  # a new session on a machine whose keyring has no password
    asked: list[str] = []

    def type_password(parent, title, label, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(label)
        return PASSWORD, True

    monkeypatch.setattr(QInputDialog, "getText", type_password)  # what the user types
    window = _window(qtbot)
    qtbot.waitUntil(lambda: window.sources is not None and
                    window.sources.sync_label.text().startswith("Offline"), timeout=15000)
    assert asked == []  # nothing to ask for while the remote cannot be reached
    assert "systemctl restart cache" in window.view.toPlainText()

    upstream.start()  # the connection is back: now the password is worth asking for
    qtbot.waitUntil(lambda: "cachectl drain --all" in window.view.toPlainText(), timeout=30000)
    assert len(asked) == 1 and asked[0].startswith(f"Password or token for {USER} at ")
    assert CredentialStore().get("ops") == PASSWORD


def test_a_remote_the_probe_cannot_see_still_gets_its_password_prompt(
        qtbot, upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from PySide6.QtWidgets import QInputDialog

    # Behind a proxy a direct connection fails, yet git gets through and asks for a login.
    monkeypatch.setattr(viewer.ui.sync_keeper, "reachable", lambda source, **_: False)
    save_sources(SourceList([synced_source(upstream, {"cache.md": OLD})]))
    CredentialStore().delete("ops")
    upstream.commit({"cache.md": NEW})
    upstream.push()
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *args, **kwargs: (asked.append(args[2]), (PASSWORD, True))[1])
    shown: list[str] = []
    monkeypatch.setattr(viewer.ui.main_window.MessageBar, "show_message",
                        lambda bar, text, *args, **kwargs: shown.append(text))
    window = _window(qtbot)
    qtbot.waitUntil(lambda: "cachectl drain --all" in window.view.toPlainText(), timeout=30000)
    assert len(asked) == 1
    assert shown == []  # the refusal without a password led to the prompt, not to an alarm


def test_the_keyring_is_used_off_the_ui_thread_only(
        qtbot, upstream: Upstream) -> None:  # noqa: F811
    """A keyring that hangs on D-Bus must not freeze the window, before or after a sync."""
    from tests.ui.conftest import ThreadRecordingStore
    from viewer.ui.sync_keeper import SyncKeeper

    upstream.commit({"cache.md": OLD})
    upstream.push()
    upstream.start()
    source, _ = new_source("ops", upstream.url, username=USER)
    store = ThreadRecordingStore()
    keeper = SyncKeeper(SourceList([source]), store)
    asked: list[str] = []
    keeper.ask_secret = lambda source: (asked.append(source.name), PASSWORD)[1]
    for _ in range(2):  # the first sync asks for the password; the next finds it stored
        with qtbot.waitSignal(keeper.finished, timeout=30000) as finished:
            keeper.sync_now()
        [outcome] = finished.args[0]
        assert outcome.ok, outcome.error
    assert asked == ["ops"]
    assert store.on_ui_thread and not any(store.on_ui_thread)
