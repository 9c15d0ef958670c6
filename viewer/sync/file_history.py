"""When a runbook last changed, and who changed it: read from the synced git history.

Walked back from the branch head the way ``git log -1 -- PATH`` finds it: a
merge that brought the text in is followed into the merged branch, to the
commit (and author) that wrote it; a pure rename is followed back to the
commit that last changed the text. A shallow copy ends where its history
ends: a page whose change lies beyond that is "history unknown" (never the
date of the shallow boundary, which is what makes documentation sites show
one wrong date on every page) until :func:`viewer.sync.engine.deepen_history`
has fetched more of it.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import threading
from pathlib import Path

from viewer.core.freshness import LastChange
from viewer.core.library import Library
from viewer.sync.snapshots import SourceCache

MAX_COMMITS = 5000  # a page unchanged over more commits than this: "history unknown"
SHALLOW = "the copy holds only recent history"
_cache: dict[tuple[str, str, str], LastChange] = {}  # (git dir, head, path): answers never change
_cache_lock = threading.Lock()


def history_place(library: Library, rel_path: str) -> tuple[Path, str, str, str] | None:
    """(git dir, head commit or "" for a clone's own HEAD, path in the repository, source
    name) of a library page, or None when the page is not from a git repository (a plain
    folder, the bundled guide)."""
    if library.is_union:
        if "/" not in rel_path:
            return None
        name, rest = rel_path.split("/", 1)
        cache = SourceCache(name)
        try:
            head = cache.current_commit()
            subdir = cache.status().subdir
        except (OSError, ValueError):
            return None
        if not head or not (cache.git_dir / "objects").is_dir():
            return None
        return cache.git_dir, head, posixpath.join(subdir, rest) if subdir else rest, name
    git_dir = library.root / ".git"  # a clone opened as a library: its own history
    return (git_dir, "", rel_path, "") if (git_dir / "HEAD").is_file() else None


def last_change(library: Library, rel_path: str) -> LastChange | None:
    """The page's last change, "unknown" with the reason, or None for a page not from git."""
    place = history_place(library, rel_path)
    if place is None:
        return None
    git_dir, head, path, _source = place
    if head:  # a synced copy: its commit is known without opening the store
        with _cache_lock:
            known = _cache.get((str(git_dir), head, path))
        if known is not None:
            return known
    from dulwich.errors import NotGitRepository
    from dulwich.repo import Repo

    clone = not head
    try:
        repo = Repo(str(git_dir.parent if clone else git_dir), bare=not clone)
    except (NotGitRepository, OSError) as err:
        return LastChange(unknown_because=f"the history cannot be read ({err})")
    try:
        try:  # a clone's HEAD moves with every pull: the answer is kept by commit
            head = repo.head().decode("ascii") if clone else head
        except KeyError:
            return LastChange(unknown_because="the clone has no commit yet")
        key = (str(git_dir), head, path)
        with _cache_lock:
            found = _cache.get(key)
        if found is None:
            found = change_in(repo, head.encode("ascii"), path)
            if found.known or found.unknown_because != SHALLOW:
                with _cache_lock:  # a shallow answer changes once history is deepened
                    _cache[key] = found
    finally:
        repo.close()
    return found


def change_in(repo, head: bytes, path: str) -> LastChange:  # type: ignore[no-untyped-def]
    """The commit of ``repo``, from ``head`` back, that last changed ``path``'s text."""
    shallow = repo.get_shallow()
    try:
        commit = repo[head]
        blob = _blob(repo, commit.tree, path)
    except (KeyError, ValueError, TypeError):
        return LastChange(unknown_because="the copy has no history for it")
    if blob is None:
        return LastChange(unknown_because="the page is not in the synced commit")
    for _step in range(MAX_COMMITS):
        if commit.id in shallow:
            return LastChange(unknown_because=SHALLOW)
        if not commit.parents:
            return _change(commit)
        try:
            parent = repo[commit.parents[0]]
        except KeyError:
            return LastChange(unknown_because=SHALLOW)
        before = _blob(repo, parent.tree, path)
        if before != blob and len(commit.parents) > 1 and commit.parents[1] not in shallow:
            merged = _merged_blob(repo, commit.parents[1], path)
            if merged == blob:  # the text came in with the merged branch: follow it there
                commit = repo[commit.parents[1]]
                continue
        if before is None:
            old = _renamed_from(repo, parent.tree, commit.tree, path)
            if old is None or _blob(repo, parent.tree, old) != blob:
                return _change(commit)  # added here, or renamed and edited in one go
            path = old  # a pure rename: the text's history goes on under its old name
        elif before != blob:
            return _change(commit)
        commit = parent
    return LastChange(unknown_because=f"it has not changed in the last {MAX_COMMITS} commits")


def _merged_blob(repo, commit_id: bytes, path: str) -> bytes | None:  # type: ignore[no-untyped-def]
    try:
        return _blob(repo, repo[commit_id].tree, path)
    except KeyError:
        return None


def _blob(repo, tree: bytes, path: str) -> bytes | None:  # type: ignore[no-untyped-def]
    from dulwich.object_store import tree_lookup_path

    try:
        _mode, sha = tree_lookup_path(repo.object_store.__getitem__, tree, path.encode("utf-8"))
    except (KeyError, NotADirectoryError):
        return None
    return sha


def _renamed_from(repo, old_tree: bytes, new_tree: bytes, path: str) -> str | None:  # type: ignore[no-untyped-def]
    from dulwich.diff_tree import RenameDetector, tree_changes

    wanted = path.encode("utf-8")
    try:
        for change in tree_changes(repo.object_store, old_tree, new_tree,
                                   rename_detector=RenameDetector(repo.object_store)):
            if change.type in ("rename", "copy") and change.new.path == wanted:
                return change.old.path.decode("utf-8", "replace")
    except KeyError:  # a blob the partial clone left out: no content to compare
        return None
    return None


def _change(commit) -> LastChange:  # type: ignore[no-untyped-def]
    offset = dt.timezone(dt.timedelta(seconds=commit.commit_timezone))
    when = dt.datetime.fromtimestamp(commit.commit_time, tz=offset)
    author = commit.author.decode("utf-8", "replace")
    name = author.split(" <", 1)[0].strip() or author
    return LastChange(when=when, author=name, commit=commit.id.decode("ascii"))
