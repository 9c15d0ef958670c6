"""The union library: every source by name, local folders live, bundled docs optional."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.conftest import MakeLibrary
from viewer.core.library import Library
from viewer.core.watch import LibraryWatcher
from viewer.sync.sources import SourceList, new_source
from viewer.sync.union import BUNDLED_NAME, build_union


def test_local_folder_source_is_shown_and_bundled_docs_can_be_hidden(
        make_library: MakeLibrary) -> None:
    folder = make_library({"dns.md": "# DNS\n"})
    source, _ = new_source("team", str(folder))
    assert source.kind == "folder"
    shown = list(Library(build_union(SourceList([source]))).iter_runbooks())
    assert "team/dns.md" in shown and any(p.startswith(f"{BUNDLED_NAME}/") for p in shown)
    hidden = list(Library(build_union(SourceList([source], show_bundled=False))).iter_runbooks())
    assert hidden == ["team/dns.md"]


def test_a_link_inside_a_source_cannot_reach_another_source_or_outside(
        make_library: MakeLibrary, tmp_path: Path) -> None:
    folder = make_library({"dns.md": "# DNS\n"})
    secret = tmp_path / "secret.md"
    secret.write_text("# not a runbook of this library\n")
    (folder / "escape.md").symlink_to(secret)
    library = Library(build_union(SourceList([new_source("team", str(folder))[0]])))
    assert library.contains(library.root / "team" / "dns.md")
    assert not library.contains(library.root / "team" / "escape.md")
    assert "team/escape.md" not in list(library.iter_runbooks())


def test_edits_in_a_local_folder_source_reach_the_watcher_by_library_path(
        make_library: MakeLibrary) -> None:
    folder = make_library({"dns.md": "# DNS\n"})
    library = Library(build_union(SourceList([new_source("team", str(folder))[0]],
                                             show_bundled=False)))
    seen: list[set[str] | None] = []
    arrived = threading.Event()

    def changed(paths: set[str] | None) -> None:
        seen.append(paths)
        arrived.set()

    watcher = LibraryWatcher(library.root, changed, quiet_seconds=0.05,
                             mounts=library.mounts())
    assert watcher.start() == ""
    try:
        (folder / "dns.md").write_text("# DNS, edited\n")
        assert arrived.wait(10), "no change reported"
    finally:
        watcher.stop()
    assert seen[0] is not None and "team/dns.md" in seen[0]


def test_a_repository_given_by_a_relative_path_is_saved_absolute(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    repo = tmp_path / "repos" / "ops.git"
    (repo / "objects").mkdir(parents=True)
    (repo / "HEAD").write_text("ref: refs/heads/main\n")
    monkeypatch.chdir(tmp_path / "repos")
    source, _ = new_source("ops", "ops.git")
    assert source.kind == "git" and source.url == str(repo.resolve())
