"""The library tree: titles, folders, and links that leave the root."""

import os
from pathlib import Path

from tests.conftest import MakeLibrary
from viewer.core.library import Library


def test_tree_lists_folders_then_runbooks_with_titles(make_library: MakeLibrary) -> None:
    root = make_library({
        "zeta.md": "---\ntitle: From front matter\n---\n# Heading\n",
        "alpha.rst": "Alpha Runbook\n=============\n",
        "db/pool.txt": "Intro\n\n## Pool exhausted\n",
        "db/notes.pdf": b"%PDF-1.4",
        "empty-dir/.keep": "",
        ".git/config": "[core]",
    })
    tree = Library(root).tree()
    names = [(c.name, c.is_dir) for c in tree.children]
    assert names == [("db", True), ("alpha.rst", False), ("zeta.md", False)]
    titles = {c.rel_path: c.title for c in tree.children if not c.is_dir}
    assert titles == {"alpha.rst": "Alpha Runbook", "zeta.md": "From front matter"}
    assert [(c.rel_path, c.title) for c in tree.children[0].children] == [
        ("db/pool.txt", "Pool exhausted")]


def test_symlink_out_of_the_library_is_listed_as_refused(make_library: MakeLibrary,
                                                          tmp_path: Path) -> None:
    root = make_library({"ok.md": "# ok\n"})
    (tmp_path / "secret.md").write_text("# secret\n")
    os.symlink(tmp_path / "secret.md", root / "linked.md")
    os.symlink(tmp_path, root / "linked-dir")
    entries = {c.rel_path: c for c in Library(root).tree().children}
    assert "outside the library" in entries["linked.md"].problem
    assert "linked-dir" not in entries
    assert list(Library(root).iter_runbooks()) == ["ok.md"]


def test_symlink_inside_the_library_is_fine(make_library: MakeLibrary) -> None:
    root = make_library({"real.md": "# Real\n"})
    os.symlink(root / "real.md", root / "alias.md")
    assert sorted(Library(root).iter_runbooks()) == ["alias.md", "real.md"]
