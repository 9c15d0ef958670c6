"""SSH for git sources: the user's ``ssh`` and agent, and a key passphrase from the window.

dulwich runs the system ``ssh`` (as git does). A key protected by a
passphrase would make ``ssh`` ask on a terminal the app does not have, so
the passphrase the user typed in the window reaches ``ssh`` through
``SSH_ASKPASS``: a small helper script (no secret in it) prints what it finds
in an environment variable set only for that ``ssh`` process. The helper
answers passphrase and password prompts only; anything else (an unknown host
key, say) is refused, so ssh fails safe and the app says why.
"""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

from dulwich.client import (
    DEFAULT_GIT_PROTOCOL_VERSION_FETCH,
    StrangeHostname,
    SubprocessSSHVendor,
    SubprocessWrapper,
)

from viewer.locations import cache_dir
from viewer.sync.deadline import CONNECT_SECONDS, STALL_SECONDS, SyncDeadline
from viewer.sync.sources import SCP_LIKE

SECRET_VARIABLE = "RUNBOOK_VIEWER_SSH_SECRET"
_HELPER = f"""#!/bin/sh
# Runbook Viewer's SSH_ASKPASS helper: answers key passphrase prompts only.
case "$1" in
  *assphrase*|*assword*) printf '%s\\n' "${SECRET_VARIABLE}" ;;
  *) exit 1 ;;
esac
"""
_DEFAULT_KEYS = ("id_ed25519", "id_ecdsa", "id_rsa", "id_ed25519_sk", "id_ecdsa_sk")


def is_ssh(url: str) -> bool:
    return url.startswith(("ssh://", "git+ssh://", "ssh+git://")) or bool(SCP_LIKE.match(url))


def askpass_helper() -> Path:
    """The helper script, (re)written in the cache folder when missing or changed."""
    path = cache_dir() / "ssh-askpass.sh"
    try:
        current = path.read_text(encoding="utf-8")
    except OSError:
        current = ""
    if current != _HELPER:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(_HELPER, encoding="utf-8")
        os.chmod(tmp, stat.S_IRWXU)
        os.replace(tmp, path)
    return path


def key_is_encrypted(path: Path) -> bool:
    """True when the private key at ``path`` needs a passphrase (OpenSSH or PEM format)."""
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    if "ENCRYPTED" in text:  # PEM: "Proc-Type: 4,ENCRYPTED" or "BEGIN ENCRYPTED PRIVATE KEY"
        return True
    body = "".join(line for line in text.splitlines() if line and not line.startswith("-----"))
    try:
        raw = base64.b64decode(body)
    except ValueError:
        return False
    magic = b"openssh-key-v1\x00"
    if not raw.startswith(magic) or len(raw) < len(magic) + 4:
        return False
    size = int.from_bytes(raw[len(magic):len(magic) + 4], "big")
    cipher = raw[len(magic) + 4:len(magic) + 4 + size]
    return cipher != b"none"


def needs_passphrase(url: str, key_file: str = "") -> Path | None:
    """The key ``ssh`` will need a passphrase for, or None (no SSH, an agent, or no such key)."""
    if not is_ssh(url):
        return None
    if key_file:
        key = Path(key_file).expanduser()
        return key if key_is_encrypted(key) else None
    if os.environ.get("SSH_AUTH_SOCK"):
        return None  # the agent holds the user's default keys
    home = Path.home() / ".ssh"
    return next((home / name for name in _DEFAULT_KEYS if key_is_encrypted(home / name)), None)


class AskpassSSHVendor(SubprocessSSHVendor):
    """The system ``ssh``, never waiting on a terminal; given a passphrase, it answers with it."""

    def __init__(self, passphrase: str = "", deadline: SyncDeadline | None = None) -> None:
        super().__init__()
        self.passphrase = passphrase
        self.deadline = deadline

    def run_command(self, host: str, command: bytes, username: str | None = None,  # type: ignore[override]
                    port: int | None = None, password: str | None = None,
                    key_filename: str | None = None, ssh_command: str | None = None,
                    protocol_version: int | None = None) -> SubprocessWrapper:
        import shlex

        args = [*shlex.split(ssh_command, posix=sys.platform != "win32")] if ssh_command \
            else ["ssh"]
        args.append("-x")
        # A host that accepts and never answers, or stops answering: ssh gives up.
        args += ["-o", f"ConnectTimeout={int(CONNECT_SECONDS)}",
                 "-o", f"ServerAliveInterval={int(STALL_SECONDS // 3)}",
                 "-o", "ServerAliveCountMax=3"]
        if port:
            args += ["-p", str(port)]
        if key_filename:
            args += ["-i", str(key_filename)]
        if protocol_version is None:
            protocol_version = DEFAULT_GIT_PROTOCOL_VERSION_FETCH
        if protocol_version > 0:
            args += ["-o", f"SetEnv GIT_PROTOCOL=version={protocol_version}"]
        env = dict(os.environ)
        if self.passphrase:
            env.update({"SSH_ASKPASS": str(askpass_helper()), "SSH_ASKPASS_REQUIRE": "force",
                        "DISPLAY": env.get("DISPLAY", ":0"), SECRET_VARIABLE: self.passphrase})
        else:
            args += ["-o", "BatchMode=yes"]  # no terminal to ask on: fail and say why
        target = f"{username}@{host}" if username else host
        if target.startswith("-"):
            raise StrangeHostname(hostname=target)
        process = subprocess.Popen([*args, target, command], bufsize=0, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                   start_new_session=True)  # no controlling terminal to prompt on
        if self.deadline is not None:
            self.deadline.track_process(process)
        return SubprocessWrapper(process)
