"""Real git repositories and a real ``git http-backend`` server on 127.0.0.1, for sync tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SERVER_SCRIPT = Path(__file__).with_name("gitserver.py")
USER, PASSWORD = "oncall", "s3cret-t0ken-4f9a"

if shutil.which("git") is None:
    pytest.skip("the git command line is needed to set up test repositories",
                allow_module_level=True)


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


class Upstream:
    """A bare repository served over HTTP and a working copy that pushes to it."""

    def __init__(self, base: Path) -> None:
        self.root = base / "srv"
        self.bare = self.root / "runbooks.git"
        self.work = base / "work"
        self.root.mkdir()
        git(self.root, "init", "-q", "--bare", "-b", "main", str(self.bare))
        git(self.bare, "config", "http.receivepack", "true")
        self.work.mkdir()
        git(self.work, "init", "-q", "-b", "main")
        git(self.work, "remote", "add", "origin", str(self.bare))
        self.server: subprocess.Popen[str] | None = None
        self.port = 0

    def commit(self, files: dict[str, str], message: str = "update", *,
               remove: tuple[str, ...] = ()) -> str:
        for rel, text in files.items():
            path = self.work / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for rel in remove:
            git(self.work, "rm", "-q", rel)
        git(self.work, "add", "-A")
        git(self.work, "commit", "-q", "-m", message)
        return git(self.work, "rev-parse", "HEAD")

    def push(self, *, force: bool = False, branch: str = "main") -> None:
        git(self.work, "push", "-q", *(["--force"] if force else []), "origin", f"HEAD:{branch}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/runbooks.git"

    def start(self, *, slow: bool = False, port: int = 0, anonymous: bool = False) -> None:
        (self.root / ".sending").unlink(missing_ok=True)
        self.server = subprocess.Popen(
            [sys.executable, str(SERVER_SCRIPT), str(self.root), USER,
             "-" if anonymous else PASSWORD,
             "--port", str(port or self.port), *(["--slow"] if slow else [])],
            stdout=subprocess.PIPE, text=True)
        line = self.server.stdout.readline() if self.server.stdout else ""
        assert line.startswith("ready "), f"git server did not start: {line!r}"
        self.port = int(line.split()[1])

    def kill(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.send_signal(signal.SIGKILL)
            self.server.wait(timeout=10)
        if self.server is not None and self.server.stdout is not None:
            self.server.stdout.close()
        self.server = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[Upstream]:
    repo = Upstream(tmp_path)
    yield repo
    repo.kill()


def synced_source(upstream: Upstream, files: dict[str, str], name: str = "ops"):  # type: ignore[no-untyped-def]
    """A source on ``upstream`` (served with basic auth) holding ``files``, synced once."""
    from viewer.sync.credentials import CredentialStore
    from viewer.sync.engine import sync_source
    from viewer.sync.sources import new_source

    upstream.commit(files)
    upstream.push()
    if upstream.server is None:
        upstream.start()
    source, _ = new_source(name, upstream.url, username=USER)
    CredentialStore().set(name, PASSWORD)
    outcome = sync_source(source)
    assert outcome.ok, outcome.error
    return source
