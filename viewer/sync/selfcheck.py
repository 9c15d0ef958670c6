"""The self-test's check of sync: a real fetch and snapshot switch, with no git binary.

A repository is made with dulwich in a temporary folder and synced through
the same engine a source uses, so a packaged app missing part of dulwich or
of the keyring backends fails ``--self-test`` with a message saying which.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from viewer.core.selfcheck import SelfCheckFailed


def _libraries() -> str:
    try:
        import dulwich
        import dulwich.porcelain  # part of what a broken build loses
        import keyring.backend
    except ImportError as err:
        raise SelfCheckFailed(f"{err.name} is missing from this build") from err
    backends = sorted({type(b).__name__ for b in keyring.backend.get_all_keyring()})
    version = ".".join(str(part) for part in dulwich.__version__)
    return f"git: dulwich {version}; keyring backends: {', '.join(backends) or 'none'}"


def _make_repository(path: Path, text: bytes) -> str:
    from dulwich.objects import Blob, Commit, Tree
    from dulwich.repo import Repo

    repo = Repo.init_bare(str(path), mkdir=True)
    blob = Blob.from_string(text)
    folder = Tree()
    folder.add(b"check.md", 0o100644, blob.id)
    root = Tree()
    root.add(b"ops", 0o040000, folder.id)
    commit = Commit()
    commit.tree = root.id
    commit.author = commit.committer = b"Self-test <self-test@localhost>"
    commit.author_time = commit.commit_time = int(time.time())
    commit.author_timezone = commit.commit_timezone = 0
    commit.message = b"self-test"
    for item in (blob, folder, root, commit):
        repo.object_store.add_object(item)
    repo.refs[b"refs/heads/main"] = commit.id
    repo.close()
    return commit.id.decode("ascii")


def check_sync() -> list[str]:
    """Sync a fresh local repository into a temporary cache; report lines."""
    from viewer.sync.engine import sync_source
    from viewer.sync.snapshots import SourceCache, wait_for_cleanups
    from viewer.sync.sources import Source

    lines = [_libraries()]
    with tempfile.TemporaryDirectory(prefix="runbook-viewer-selftest-") as tmp:
        base = Path(tmp)
        text = b"# Self-test\n\nRun `true`.\n"
        head = _make_repository(base / "repo.git", text)
        source = Source("selftest", str(base / "repo.git"))
        outcome = sync_source(source, sources_root=base / "sources")
        wait_for_cleanups()
        if not outcome.ok:
            raise SelfCheckFailed(f"a sync from a local repository failed: {outcome.error}")
        shown = SourceCache("selftest", base / "sources").current()
        if outcome.commit != head or shown is None or \
                (shown / "ops" / "check.md").read_bytes() != text:
            raise SelfCheckFailed("a sync did not show the repository's files")
        lines.append(f"sync: fetched and switched to {head[:7]} in "
                     f"{outcome.seconds * 1000:.0f} ms (no git binary)")
    return lines
