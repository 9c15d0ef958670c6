"""A token goes through a real Secret Service keyring and nowhere else on disk.

The test starts its own D-Bus session and gnome-keyring (``.ci/run`` installs
them); on a machine without them it skips, except in CI where it fails.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.sync.conftest import PASSWORD, USER, Upstream

TOKEN = PASSWORD  # what the test server accepts
WRONG = "ghp-4c9e1b7d2a-expired-token"


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    missing = [c for c in ("dbus-daemon", "gnome-keyring-daemon") if shutil.which(c) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide {', '.join(missing)} (see .ci/run)")
        pytest.skip(f"needs {', '.join(missing)} for a real Secret Service keyring "
                    "(Debian: apt-get install dbus-daemon gnome-keyring)")
    processes, why = _start_keyring(tmp_path / "keyring", monkeypatch)
    if why:
        _stop(processes)
        pytest.fail(f"gnome-keyring did not start: {why}")
    yield
    _stop(processes)


# A session bus that cannot start services itself. The stock session.conf lets the bus
# launch its own gnome-keyring (with the real HOME and no login collection) the moment
# anything asks for the Secret Service before ours has claimed the name: that race made
# this test fail now and then ("another secret service is running").
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={tmpdir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def _start_keyring(base: Path, monkeypatch: pytest.MonkeyPatch
                   ) -> tuple[list[subprocess.Popen], str]:
    """A private D-Bus session with gnome-keyring on it; ("" or why it is not ready)."""
    base.mkdir()
    config = base / "bus.conf"
    config.write_text(BUS_CONFIG.format(tmpdir=base))
    bus = subprocess.Popen(["dbus-daemon", f"--config-file={config}", "--nofork",
                            "--print-address=1"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                           start_new_session=True)
    address = bus.stdout.readline().strip() if bus.stdout else ""
    # The keyring daemon keeps its own (encrypted) files away from the app's folders.
    runtime = base / "runtime"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address, HOME=str(base),
               XDG_DATA_HOME=str(base / "data"), XDG_RUNTIME_DIR=str(runtime))
    log = base / "gnome-keyring.log"
    with log.open("wb") as stderr:
        daemon = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock",
                                   "--components=secrets"], stdin=subprocess.PIPE,
                                  stdout=subprocess.DEVNULL, stderr=stderr, env=env,
                                  start_new_session=True)
    assert daemon.stdin is not None
    daemon.stdin.write(b"keyring-login-password\n")
    daemon.stdin.close()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    deadline = time.monotonic() + 10
    while (why := _login_collection_missing()) and time.monotonic() < deadline:
        time.sleep(0.1)
    if why:
        why += f"; its log: {log.read_text(errors='replace').strip() or '(empty)'}"
    return [daemon, bus], why


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the daemon's own child too
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def _login_collection_missing() -> str:
    """"" once the daemon serves an unlocked login collection, else why not (creates nothing)."""
    import secretstorage

    try:
        with contextlib.closing(secretstorage.dbus_init()) as connection:
            paths = [(c.collection_path, c.is_locked())
                     for c in secretstorage.get_all_collections(connection)]
    except Exception as err:
        return f"{type(err).__name__}: {err}"
    if any(path.endswith("/login") and not locked for path, locked in paths):
        return ""
    return f"collections: {paths}"


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "viewer", *args], input=stdin, text=True,
                          capture_output=True, env=env, cwd=REPO, timeout=120)


def test_token_lives_in_the_keyring_and_in_no_file(secret_service: None, upstream: Upstream,
                                                   isolated_user_dirs: Path) -> None:
    upstream.commit({"net/dns.md": "# DNS failures\n\nRun `dig +short api.internal`.\n"})
    upstream.push()
    upstream.start()
    added = _cli("sources", "add", "ops", upstream.url, "--username", USER, "--password-stdin",
                 stdin=TOKEN + "\n")
    assert added.returncode == 0, added.stderr
    assert "system keyring" in added.stdout
    from keyring.backends.SecretService import Keyring

    assert Keyring().get_password("runbook-viewer", "ops") == TOKEN
    # A sync in another process works: the token came back from the keyring.
    synced = _cli("sync", "--json")
    assert synced.returncode == 0, synced.stderr
    found = _cli("search", "dig", "--json")
    assert '"ops/net/dns.md"' in found.stdout
    Keyring().set_password("runbook-viewer", "ops", WRONG)
    refused = _cli("sync")  # refused by the server: the error must not show the token
    assert refused.returncode == 1 and "ops: the server refused" in refused.stderr
    listed = _cli("sources", "list", "--json")
    assert "the server refused" in listed.stdout
    secrets = [s.encode() for s in (TOKEN, WRONG)]
    secrets += [base64.b64encode(f"{USER}:{s}".encode()) for s in (TOKEN, WRONG)]
    for output in (added, synced, found, refused, listed):
        assert not any(s.decode() in output.stdout + output.stderr for s in secrets)
    checked = 0
    for sub in ("config", "cache", "data", "state"):
        for path in (isolated_user_dirs / sub).rglob("*"):
            if path.is_file() and not path.is_symlink():
                data = path.read_bytes()
                assert not any(s in data for s in secrets), f"a secret is in {path}"
                checked += 1
    assert checked > 10  # config, status, index, snapshot files and git objects were looked at
