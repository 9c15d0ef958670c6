"""Syncing repositories built to hurt: nothing written outside the copy, the old copy survives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.faults.hostile_repos import HOSTILE, build, commit_good, commit_hostile
from viewer.core.library import Library
from viewer.core.search.index import SearchIndex
from viewer.core.search.refresh import refresh_index
from viewer.sync.engine import sync_source
from viewer.sync.snapshots import SourceCache
from viewer.sync.sources import new_source

pytestmark = pytest.mark.faults


def _files(folder: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(folder.rglob("*")):
        assert not path.is_symlink(), f"a symlink was written: {path}"
        if path.is_file():
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def _everything(top: Path, skip: Path) -> set[str]:
    return {str(p) for p in top.rglob("*") if skip not in p.parents and p != skip}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_repository_writes_nothing_outside_and_keeps_the_copy(
        kind: str, tmp_path: Path, isolated_user_dirs: Path) -> None:
    remote = tmp_path / "remote.git"
    if kind == "deep tree":
        build(remote, kind)
    else:
        build(remote, "symlinks")  # any start; a good commit follows
    commit_good(remote)
    source, _ = new_source("ops", str(remote))
    first = sync_source(source)
    assert first.ok, first.error
    shown = SourceCache("ops").current()
    before = _files(shown)
    outside_before = _everything(tmp_path, remote)
    commit_hostile(remote, kind)
    outcome = sync_source(source)
    assert "Traceback" not in outcome.error
    assert _everything(tmp_path, remote) - outside_before <= {
        str(p) for p in (isolated_user_dirs).rglob("*")}, "a file appeared outside the copies"
    now = SourceCache("ops").current()
    if not outcome.ok:
        assert now == shown and _files(now) == before, "a failed sync changed the copy"
        return
    files = _files(now)
    assert files["README.md"].startswith(b"# Still here")
    for name in files:
        assert ".." not in name.split("/") and ".git" not in name.lower().split("/")
    for path in now.rglob("*"):
        assert now in path.resolve().parents
    library = Library(now)  # what was written reads, indexes and searches
    index = SearchIndex(tmp_path / "index.sqlite3", library.root)
    refresh_index(index, library)
    assert index.search("still here")


def test_no_sync_of_any_hostile_repository_leaves_a_file_in_the_home_folder(
        tmp_path: Path) -> None:
    home_before = set(os.listdir(Path.home())) if Path.home().is_dir() else set()
    for n, kind in enumerate(["symlinks", "escaping names"]):
        remote = build(tmp_path / f"r{n}.git", kind)
        source, _ = new_source(f"s{n}", str(remote))
        sync_source(source)
    assert (set(os.listdir(Path.home())) if Path.home().is_dir() else set()) == home_before
