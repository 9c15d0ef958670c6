"""Pages of an MkDocs site without a ``# heading`` are titled as the site titles them."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import MakeLibrary
from viewer.core.library import Library
from viewer.core.rendering import render_file

CONFIG = """site_name: Ops guide
docs_dir: guide
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
nav:
  - Home: index.md
  - Roles:
      - Incident Commander: roles/commander.md
      - Scribe: roles/scribe.md
  - Status page: https://status.example.com
"""


def _library(make_library: MakeLibrary) -> Path:
    return make_library({
        "mkdocs.yml": CONFIG,
        "guide/index.md": "Welcome.\n\n## Purpose\n\nThis guide...\n",
        "guide/roles/commander.md": "## Purpose\n\nRuns the call.\n",
        "guide/roles/scribe.md": "## Purpose\n\nKeeps the timeline.\n",
        "guide/roles/customer_liaison.md": "## Purpose\n\nTalks to customers.\n",
        "guide/roles/deputy.md": "# The deputy\n\n## Purpose\n\nBacks up the commander.\n",
        "notes/loose.md": "## Purpose\n\nNot part of the site.\n",
    })


def titles(root: Path, *paths: str) -> list[str]:
    library = Library(root)
    return [render_file(library, path).title for path in paths]


def test_pages_without_a_first_level_heading_take_their_nav_title(
        make_library: MakeLibrary) -> None:
    root = _library(make_library)
    assert titles(root, "guide/index.md", "guide/roles/commander.md", "guide/roles/scribe.md",
                  "guide/roles/customer_liaison.md") == [
        "Home", "Incident Commander", "Scribe", "Customer liaison"]
    # A page's own "# heading" stays its title; a page outside the site keeps its first one.
    assert titles(root, "guide/roles/deputy.md", "notes/loose.md") == ["The deputy", "Purpose"]


def test_an_edited_nav_retitles_the_page(make_library: MakeLibrary) -> None:
    root = _library(make_library)
    assert titles(root, "guide/roles/scribe.md") == ["Scribe"]
    config = root / "mkdocs.yml"
    config.write_text(CONFIG.replace("Scribe: roles", "Note taker: roles"))
    os.utime(config, ns=(config.stat().st_mtime_ns + 10**9,) * 2)
    assert titles(root, "guide/roles/scribe.md") == ["Note taker"]


def test_a_config_outside_the_library_or_broken_is_not_used(make_library: MakeLibrary,
                                                            tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yml"
    outside.write_text(CONFIG)
    root = make_library({"guide/roles/scribe.md": "## Purpose\n\nKeeps the timeline.\n"})
    os.symlink(outside, root / "mkdocs.yml")
    assert titles(root, "guide/roles/scribe.md") == ["Purpose"]
    (root / "mkdocs.yml").unlink()
    (root / "mkdocs.yml").write_text("nav: [unclosed\n")  # MkDocs itself would stop here
    assert titles(root, "guide/roles/scribe.md") == ["Purpose"]
    (root / "mkdocs.yml").write_text("site_name: Ops\ndocs_dir: guide\n")  # no nav
    (root / "guide/index.md").write_text("Welcome.\n")
    (root / "guide/roles/index.md").write_text("## Purpose\n")
    # MkDocs' names for the files: the site's own index is "Home", a folder's its name.
    assert titles(root, "guide/roles/scribe.md", "guide/index.md", "guide/roles/index.md") == [
        "Scribe", "Home", "Roles"]
