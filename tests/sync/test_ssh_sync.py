"""SSH sources against a real sshd on 127.0.0.1, with a key protected by a passphrase.

``.ci/run`` installs openssh-server; the test starts its own sshd (as root,
which sshd needs for privilege separation) with its own host key and an
authorized key, and points ``GIT_SSH_COMMAND`` at a throwaway known_hosts.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.conftest import Upstream, free_port
from viewer.sync.credentials import CredentialStore
from viewer.sync.engine import secret_need, sync_source
from viewer.sync.snapshots import SourceCache
from viewer.sync.sources import SourceList, new_source
from viewer.sync.ssh import key_is_encrypted

PASSPHRASE = "correct horse 4f9a battery"
SSHD = "/usr/sbin/sshd"
PAGE = "# Disk full\n\nRun `df -h /var`.\n"


def _unavailable() -> str:
    if not Path(SSHD).exists() or shutil.which("ssh") is None:
        return "needs openssh-server and the ssh client (Debian: apt-get install openssh-server)"
    if os.geteuid() != 0:
        return "sshd needs root for privilege separation"
    return ""


@pytest.fixture
def ssh_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, int]]:
    """(client key with a passphrase, port of an sshd that accepts it)."""
    why = _unavailable()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to run sshd: {why}")
        pytest.skip(why)
    base = tmp_path / "ssh"
    base.mkdir(mode=0o700)
    for name, secret in (("host", ""), ("client", PASSPHRASE)):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", secret, "-f",
                        str(base / name)], check=True)
    shutil.copy(base / "client.pub", base / "authorized_keys")
    port = free_port()
    config = base / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {base / 'host'}\n"
        f"AuthorizedKeysFile {base / 'authorized_keys'}\nPidFile {base / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "PermitRootLogin prohibit-password\nStrictModes no\nAcceptEnv GIT_PROTOCOL\n")
    Path("/run/sshd").mkdir(exist_ok=True)
    server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "sshd did not start"
            time.sleep(0.05)
    monkeypatch.setenv("GIT_SSH_COMMAND", f"ssh -o UserKnownHostsFile={base / 'known_hosts'} "
                                          "-o StrictHostKeyChecking=accept-new")
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    yield base / "client", port
    server.kill()
    server.wait(10)


def _ssh_source(upstream: Upstream, key: Path, port: int):  # type: ignore[no-untyped-def]
    upstream.commit({"storage/disk.md": PAGE})
    upstream.push()
    url = f"ssh://{getpass.getuser()}@127.0.0.1:{port}{upstream.bare}"
    source, _ = new_source("infra", url, key_file=str(key))
    return source


def test_key_with_a_passphrase_is_asked_for_then_syncs(ssh_key, upstream: Upstream) -> None:  # type: ignore[no-untyped-def]
    key, port = ssh_key
    assert key_is_encrypted(key)
    source = _ssh_source(upstream, key, port)
    assert secret_need(source).prompt == f"Passphrase for the SSH key {key}"
    refused = sync_source(source)  # nothing stored yet: ssh must fail, not hang on a prompt
    assert not refused.ok and "refused the key" in refused.error
    assert SourceCache("infra").current() is None
    CredentialStore().set("infra", PASSPHRASE)
    outcome = sync_source(source)
    assert outcome.ok, outcome.error
    assert (SourceCache("infra").current() / "storage" / "disk.md").read_text() == PAGE
    assert PASSPHRASE not in refused.error + outcome.error


def test_window_prompts_for_the_passphrase_instead_of_failing(
        qtbot, ssh_key, upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    from viewer.core.config import Settings
    from viewer.core.library import Library
    from viewer.sync.sources import save_sources
    from viewer.sync.union import union_library
    from viewer.ui.main_window import MainWindow

    key, port = ssh_key
    save_sources(SourceList([_ssh_source(upstream, key, port)]))
    asked: list[str] = []

    def type_passphrase(parent, title, label, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(label)
        return PASSPHRASE, True

    monkeypatch.setattr(QInputDialog, "getText", type_passphrase)  # what the user types
    union, _ = union_library()
    window = MainWindow(Library(union), Settings(), start="infra/storage/disk.md")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "df -h /var" in window.view.toPlainText(), timeout=30000)
    assert asked and asked[0].startswith(f"Passphrase for the SSH key {key}")
    assert window.sources.sync_label.text().startswith("Synced")
