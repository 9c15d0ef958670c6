"""A runbook's web address (forge page, raw file, published site) opens its synced copy."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from viewer.core.library import Library
from viewer.sync.snapshots import SourceCache
from viewer.sync.sources import Source, SourceList
from viewer.sync.union import build_union
from viewer.sync.web_links import Located, NotLocated, locate, repository_of

PAGES = {
    "alerts/KubePodCrashLooping.md": "# KubePodCrashLooping\n\n## Diagnosis\n",
    "alerts/etcd members down.md": "# etcd members down\n",
    "alerts/index.md": "# Alerts\n",
    "docs/storage/disk-full.md": "# Disk full\n",
    "docs/storage/index.md": "# Storage\n",
    "source/admin/backup.rst": "Backup\n======\n",
    "README.md": "# Team runbooks\n",
}


def synced(name: str, url: str, tmp_path: Path, *, branch: str = "main", subdir: str = "",
           site_urls: tuple[str, ...] = ()) -> Source:
    """A git source whose copy is on disk as a sync would leave it (no server needed)."""
    copy = tmp_path / f"copy-{name}"
    for rel, text in PAGES.items():
        if rel.startswith(subdir):
            path = copy / rel[len(subdir):].lstrip("/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    cache = SourceCache(name)
    cache.dir.mkdir(parents=True, exist_ok=True)
    os.symlink(copy, cache.current_link)
    return Source(name, url, branch=branch, subdir=subdir, site_urls=list(site_urls))


def union(*sources: Source) -> tuple[SourceList, Library]:
    listing = SourceList(list(sources), show_bundled=False)
    return listing, Library(build_union(listing))


@pytest.fixture
def forges(tmp_path: Path) -> tuple[SourceList, Library]:
    return union(
        synced("gh", "https://github.com/Acme/Runbooks.git", tmp_path),
        synced("lab", "git@gitlab.example.com:ops/sre/runbooks.git", tmp_path,
               branch="release/2026.12"),
        synced("tea", "ssh://git@git.example.org:2222/infra/runbooks", tmp_path),
        synced("bb", "https://someone@bitbucket.org/acme/ops-runbooks.git", tmp_path,
               subdir="alerts"),
    )


@pytest.mark.parametrize(("url", "source", "path", "anchor"), [
    ("https://github.com/acme/runbooks/blob/main/alerts/KubePodCrashLooping.md#diagnosis",
     "gh", "alerts/KubePodCrashLooping.md", "diagnosis"),
    ("https://raw.githubusercontent.com/Acme/Runbooks/main/alerts/KubePodCrashLooping.md",
     "gh", "alerts/KubePodCrashLooping.md", ""),
    ("https://raw.githubusercontent.com/Acme/Runbooks/refs/heads/main/README.md",
     "gh", "README.md", ""),
    ("https://github.com/Acme/Runbooks", "gh", "README.md", ""),
    ("https://github.com/Acme/Runbooks/tree/main/alerts", "gh", "alerts/index.md", ""),
    ("https://github.com/Acme/Runbooks/blob/main/alerts/etcd%20members%20down.md",
     "gh", "alerts/etcd members down.md", ""),
    ("https://gitlab.example.com/ops/sre/runbooks/-/blob/release/2026.12/docs/storage/"
     "disk-full.md#user-content-diagnosis", "lab", "docs/storage/disk-full.md", "diagnosis"),
    ("https://gitlab.example.com/ops/sre/runbooks/-/raw/release/2026.12/README.md",
     "lab", "README.md", ""),
    ("https://git.example.org/infra/runbooks/src/branch/main/source/admin/backup.rst",
     "tea", "source/admin/backup.rst", ""),
    ("https://git.example.org/infra/runbooks/raw/branch/main/README.md", "tea", "README.md", ""),
    ("https://bitbucket.org/acme/ops-runbooks/src/main/alerts/KubePodCrashLooping.md",
     "bb", "KubePodCrashLooping.md", ""),
    ("https://bitbucket.org/acme/ops-runbooks/raw/main/alerts/index.md", "bb", "index.md", ""),
])
def test_forge_addresses_open_the_synced_copy(forges: tuple[SourceList, Library], url: str,
                                              source: str, path: str, anchor: str) -> None:
    found = locate(url, *forges)
    assert isinstance(found, Located), found
    assert (found.source, found.path, found.anchor) == (source, path, anchor)
    assert found.library_path == f"{source}/{path}"
    assert found.note == ""


def test_a_link_to_another_branch_or_commit_opens_the_synced_copy_and_says_so(
        forges: tuple[SourceList, Library]) -> None:
    found = locate("https://github.com/acme/runbooks/blob/3f2a1b9c/alerts/index.md", *forges)
    assert isinstance(found, Located) and found.path == "alerts/index.md"
    assert "3f2a1b9c" in found.note and "main" in found.note
    slashed = locate("https://github.com/acme/runbooks/blob/feature/new-alerts/README.md",
                     *forges)
    assert isinstance(slashed, Located) and slashed.path == "README.md"
    assert "feature/new-alerts" in slashed.note


def test_an_address_that_maps_to_nothing_names_the_sources_tried(
        forges: tuple[SourceList, Library]) -> None:
    missing = locate("https://github.com/acme/runbooks/blob/main/alerts/NodeDown.md", *forges)
    assert isinstance(missing, NotLocated)
    assert missing.search_for == "NodeDown"
    assert "gh (github.com/acme/runbooks): alerts/NodeDown.md is not in its synced copy" \
        in missing.message
    elsewhere = locate("https://github.com/other/repo/blob/main/x/ApiDown.md", *forges)
    assert isinstance(elsewhere, NotLocated) and "github.com" in elsewhere.reason
    assert {t.split(" ")[0] for t in elsewhere.tried} == {"gh", "lab", "tea", "bb"}
    outside = locate("https://bitbucket.org/acme/ops-runbooks/src/main/README.md", *forges)
    assert isinstance(outside, NotLocated) and "outside alerts/" in outside.message


@pytest.mark.parametrize(("url", "path"), [
    ("https://runbooks.example.com/alerts/kubepodcrashlooping/", "alerts/KubePodCrashLooping.md"),
    ("https://runbooks.example.com/alerts/KubePodCrashLooping.html",
     "alerts/KubePodCrashLooping.md"),
    ("https://runbooks.example.com/alerts/etcd-members-down/", "alerts/etcd members down.md"),
    ("https://runbooks.example.com/alerts/", "alerts/index.md"),
    ("https://runbooks.example.com/alerts/index.html", "alerts/index.md"),
    ("https://runbooks.example.com/storage/disk-full/", "docs/storage/disk-full.md"),
    ("https://runbooks.example.com/storage/disk-full/index.html", "docs/storage/disk-full.md"),
    ("https://runbooks.example.com/storage/", "docs/storage/index.md"),
    ("https://runbooks.example.com/admin/backup.html", "source/admin/backup.rst"),
    ("https://runbooks.example.com/", "README.md"),
])
def test_published_site_addresses_in_mkdocs_sphinx_and_hugo_forms(tmp_path: Path, url: str,
                                                                    path: str) -> None:
    source = synced("site", "https://github.com/acme/runbooks.git", tmp_path,
                    site_urls=("https://runbooks.example.com/",))
    found = locate(url + "#diagnosis", *union(source))
    assert isinstance(found, Located), found
    assert (found.path, found.anchor) == (path, "diagnosis")


def test_a_site_under_a_path_prefix_and_a_page_it_does_not_have(tmp_path: Path) -> None:
    source = synced("site", "/srv/runbooks.git", tmp_path,
                    site_urls=("https://docs.example.com/ops/runbooks",))
    listing, library = union(source)
    found = locate("https://docs.example.com/ops/runbooks/admin/backup/", listing, library)
    assert isinstance(found, Located) and found.path == "source/admin/backup.rst"
    missing = locate("https://docs.example.com/ops/runbooks/admin/restore/", listing, library)
    assert isinstance(missing, NotLocated) and missing.search_for == "restore"
    assert "no page of its site is published at /admin/restore" in missing.message


def test_a_link_that_climbs_out_of_the_copy_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("# not in the library\n")
    source = synced("gh", "https://github.com/acme/runbooks.git", tmp_path)
    (tmp_path / "copy-gh" / "escape.md").symlink_to(outside)
    listing, library = union(source)
    assert isinstance(locate("https://github.com/acme/runbooks/blob/main/escape.md",
                             listing, library), NotLocated)
    assert isinstance(locate("https://github.com/acme/runbooks/blob/main/../../outside.md",
                             listing, library), NotLocated)


@pytest.mark.parametrize(("clone", "repo"), [
    ("https://github.com/Acme/Runbooks.git", ("github.com", "acme/runbooks")),
    ("https://user:secret@gitlab.com/a/b/c.git/", ("gitlab.com", "a/b/c")),
    ("git@ssh.github.com:acme/runbooks.git", ("github.com", "acme/runbooks")),
    ("ssh://git@host.example:2222/x/y", ("host.example", "x/y")),
    ("file:///srv/repo.git", None),
    ("/srv/repo.git", None),
])
def test_repository_address_from_the_clone_url(clone: str, repo: tuple[str, str] | None) -> None:
    assert repository_of(clone) == repo
