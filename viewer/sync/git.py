"""Git through dulwich: fetch one branch into a bare repository and write out its files.

Pure Python, so the packaged app needs no git binary. The first fetch is
shallow (depth 1); later ones fetch whatever the branch head is now, whether
it moved forward or was rewritten by a force-push. The tree is written file
by file with every path checked: a repository is untrusted, so symlinks,
submodules and names such as ``..`` or ``.git`` are never written.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dulwich.client import get_transport_and_path
from dulwich.errors import NotGitRepository
from dulwich.objects import Commit, Tree
from dulwich.repo import Repo

Progress = Callable[[str], None]


class Cancelled(Exception):
    """The user (or the app closing) stopped the sync."""


class BranchMissing(Exception):
    """The branch is not on the remote; ``str(err)`` says which ones are."""


@dataclass(frozen=True)
class Remote:
    """Where to fetch from and as whom. Never saved: built per sync from the source and keyring."""

    url: str
    branch: str
    username: str = ""
    password: str = ""
    key_file: str = ""

    def client(self) -> tuple[object, str]:
        return get_transport_and_path(
            self.url, username=self.username or None, password=self.password or None,
            key_filename=self.key_file or None, quiet=True)


def open_store(repo_dir: Path) -> Repo:
    """The bare repository that holds a source's objects; a damaged one is started afresh."""
    if repo_dir.is_dir():
        try:
            repo = Repo(str(repo_dir))
            if repo.bare:
                return repo
            repo.close()
        except (NotGitRepository, OSError, ValueError, KeyError):
            pass
        shutil.rmtree(repo_dir, ignore_errors=True)
    repo_dir.mkdir(parents=True, exist_ok=True)
    return Repo.init_bare(str(repo_dir))


def remote_branches(remote: Remote) -> tuple[list[str], str]:
    """The remote's branch names and its default branch: a cheap "test connection"."""
    client, path = remote.client()
    result = client.get_refs(path)  # type: ignore[attr-defined]
    return _branches(result.refs, getattr(result, "symrefs", {}) or {})


def _branches(refs: dict, symrefs: dict) -> tuple[list[str], str]:
    names = sorted(r[len(b"refs/heads/"):].decode("utf-8", "replace")
                   for r in refs if r.startswith(b"refs/heads/"))
    head = symrefs.get(b"HEAD", b"")
    default = head[len(b"refs/heads/"):].decode("utf-8", "replace") if head else ""
    return names, default


def fetch_branch(remote: Remote, repo: Repo, *, progress: Progress | None = None,
                 cancelled: Callable[[], bool] = lambda: False) -> str:
    """Fetch ``remote.branch`` into ``repo``; returns the head commit id (hex)."""
    ref = b"refs/heads/" + remote.branch.encode("utf-8")
    seen: dict[str, bytes] = {}

    def wants(refs: dict, depth: int | None = None) -> list[bytes]:
        if cancelled():
            raise Cancelled()
        sha = refs.get(ref)
        if sha is None:
            names, _ = _branches(refs, {})
            raise BranchMissing(_missing_branch_message(remote.branch, names))
        seen["head"] = sha
        return [] if sha in repo.object_store else [sha]

    def report(data: bytes) -> None:
        if cancelled():
            raise Cancelled()
        if progress is not None:
            text = data.decode("utf-8", "replace").strip().splitlines()
            if text:
                progress(text[-1].split("\r")[-1])

    client, path = remote.client()
    client.fetch(path, repo, determine_wants=wants, progress=report,  # type: ignore[attr-defined]
                 depth=1)
    head = seen.get("head")
    if head is None or head not in repo.object_store:
        raise OSError("the server did not send the branch head")
    # Keep what is shown reachable, so a later gc never takes it away.
    repo.refs[b"refs/remotes/origin/" + remote.branch.encode("utf-8")] = head
    return head.decode("ascii")


def _missing_branch_message(branch: str, names: list[str]) -> str:
    if not names:
        return f"The repository has no branches (it is empty); branch {branch!r} is not there."
    listed = ", ".join(names[:8]) + (" ..." if len(names) > 8 else "")
    return (f"Branch {branch!r} is not on the remote (was it renamed or deleted?). "
            f"The remote has: {listed}. Edit the source to pick one.")


@dataclass
class WrittenTree:
    files: int = 0
    bytes: int = 0
    skipped: int = 0  # symlinks, submodules and unsafe names, never written


def write_tree(repo: Repo, commit_id: str, dest: Path, *, subdir: str = "",
               cancelled: Callable[[], bool] = lambda: False) -> WrittenTree:
    """Write the files of ``commit_id`` (only ``subdir``, if given) under ``dest``."""
    store = repo.object_store
    commit = store[commit_id.encode("ascii")]
    if not isinstance(commit, Commit):
        raise OSError(f"{commit_id} is not a commit")
    tree_id = commit.tree
    if subdir:
        tree = store[tree_id]
        assert isinstance(tree, Tree)
        try:
            mode, tree_id = tree.lookup_path(store.__getitem__, subdir.encode("utf-8"))
        except KeyError:
            raise OSError(f"the folder {subdir!r} is not in the repository") from None
        if not stat.S_ISDIR(mode):
            raise OSError(f"{subdir!r} in the repository is a file, not a folder")
    written = WrittenTree()
    made: set[Path] = set()
    for entry in store.iter_tree_contents(tree_id):
        if cancelled():
            raise Cancelled()
        parts = _safe_parts(entry.path)
        if parts is None or not stat.S_ISREG(entry.mode):
            written.skipped += 1  # symlink (0o120000), submodule (0o160000) or unsafe name
            continue
        target = dest.joinpath(*parts)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        data = store[entry.sha].as_raw_string()
        with open(target, "xb") as handle:  # "x": never through something already there
            handle.write(data)
        written.files += 1
        written.bytes += len(data)
    return written


def _safe_parts(path: bytes) -> list[str] | None:
    try:
        text = path.decode("utf-8")
    except UnicodeDecodeError:
        return None
    parts = text.split("/")
    for part in parts:
        if part in ("", ".", "..") or "\\" in part or "\x00" in part:
            return None
        if os.name == "nt" and ":" in part:  # a drive letter or an alternate data stream
            return None
        if part.lower() == ".git":
            return None
    return parts
