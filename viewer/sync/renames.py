"""Runbooks renamed or moved by a sync, found by git's rename detection, and pins that follow.

Between the snapshot shown before a sync and the new one, dulwich's
:class:`RenameDetector` pairs deleted and added files by content similarity,
as ``git diff -M`` does. Each pin on an old path then points at the new one,
so "pinned before the repository was reorganised" keeps working.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from dulwich.diff_tree import RenameDetector
from dulwich.repo import Repo

from viewer.core.library import Library
from viewer.core.pins import PinStore
from viewer.locations import union_root
from viewer.sync.git import tree_of


def renamed_paths(repo: Repo, old_commit: str, new_commit: str,
                  subdir: str = "") -> list[tuple[str, str]]:
    """(old path, new path) of each file git would call renamed between the two commits."""
    old_tree = tree_of(repo, old_commit, subdir)
    new_tree = tree_of(repo, new_commit, subdir)
    detector = RenameDetector(repo.object_store)
    pairs = []
    for change in detector.changes_with_renames(old_tree, new_tree):
        if change.type in ("rename", "copy") and change.old and change.new and \
                change.old.path and change.new.path:
            pairs.append((change.old.path.decode("utf-8", "replace"),
                          change.new.path.decode("utf-8", "replace")))
    return pairs


def follow_renames(renames: Iterable[tuple[str, str]], store: PinStore | None = None) -> int:
    """Move the union library's pins along ``renames`` (library paths); returns pins moved."""
    renames = list(renames)
    if not renames:
        return 0
    root = Library(union_root()).root
    own = store is None
    try:
        store = store or PinStore()
        return sum(store.move(root, old, new) for old, new in renames)
    except sqlite3.Error:
        return 0  # pins are not lost: they show as missing until pinned again
    finally:
        if own and store is not None:
            store.close()
