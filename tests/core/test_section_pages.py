"""A section's page with nothing of its own lists the section's pages."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.conftest import MakeLibrary
from viewer.core.library import Library
from viewer.core.links import classify_link
from viewer.core.rendering import render_file


def test_an_empty_section_page_lists_its_pages_and_folders(make_library: MakeLibrary,
                                                           tmp_path: Path) -> None:
    (tmp_path / "secret.md").write_text("# Not in the library\n")
    root = make_library({
        "runbooks/etcd/_index.md": "---\ntitle: etcd\nweight: 3\n---\n",
        "runbooks/etcd/etcdNoLeader.md": "# etcd has no leader\n",
        "runbooks/etcd/etcdMembersDown.md": "---\ntitle: Members down\n---\nText.\n",
        "runbooks/etcd/defrag/_index.md": "# Defragmenting\n",
        "runbooks/node/_index.md": "# Node alerts\n\nRead these first.\n",
        "runbooks/node/NodeDown.md": "# NodeDown\n",
    })
    os.symlink(tmp_path / "secret.md", root / "runbooks/etcd/leak.md")
    library = Library(root)
    page = render_file(library, "runbooks/etcd/_index.md")
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', page.body_html)
    assert [label for _, label in links] == ["defrag/", "Members down", "etcd has no leader"]
    assert [classify_link(href, library, "runbooks/etcd/_index.md").path
            for href, _ in links] == ["runbooks/etcd/defrag/_index.md",
                                      "runbooks/etcd/etcdMembersDown.md",
                                      "runbooks/etcd/etcdNoLeader.md"]
    # A section page with text of its own is shown as written; the index never lists.
    assert "In this section" not in render_file(library, "runbooks/node/_index.md").body_html
    assert render_file(library, "runbooks/etcd/_index.md", with_html=False).body_html == ""


def test_a_big_section_lists_its_first_pages_and_counts_the_rest(
        make_library: MakeLibrary, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from viewer.core import section_pages

    monkeypatch.setattr(section_pages, "MAX_LISTED", 2)
    root = make_library({"alerts/_index.md": "---\ntitle: Alerts\n---\n",
                         **{f"alerts/Alert{n}.md": f"# Alert {n}\n" for n in range(5)}})
    page = render_file(Library(root), "alerts/_index.md")
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', page.body_html) == ["Alert 0", "Alert 1"]
    assert "… and 3 more" in page.body_html
