"""The change feed: a search helper skips the disk check only when the kernel says nothing
a runbook listing could see has changed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from viewer.core.library import Library
from viewer.core.search import open_index
from viewer.core.search.change_feed import ChangeFeed, WatchedLibraries
from viewer.core.search.refresh import refresh_index

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the kernel's change feed (inotify) is Linux's")


def _checked(feed: ChangeFeed, library: Library) -> None:
    """What the helper does when the feed said "changed": the full check, watching."""
    library.runbook_stats(feed.watch)
    feed.settled()


def test_feed_reports_runbook_edits_new_folders_and_removals_not_other_files(
        tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    pool = tmp_path / "db" / "pool.md"
    pool.write_text("# Pool\n", encoding="utf-8")
    library = Library(tmp_path)
    feed = ChangeFeed()
    assert feed.live
    assert feed.changed()  # nothing is known before a first full check
    _checked(feed, library)
    assert not feed.changed()

    (tmp_path / "db" / "diagram.png").write_bytes(b"\x89PNG")
    (tmp_path / "db" / ".pool.md.swp").write_text("x", encoding="utf-8")
    assert not feed.changed(), "a picture or an editor's swap file is not a runbook"

    with pool.open("a", encoding="utf-8") as out:
        out.write("\nzanzibar\n")
    assert feed.changed(), "an edit is seen by the very next question, with no delay"
    assert feed.changed(), "and it stays changed until a full check settles it"
    _checked(feed, library)

    (tmp_path / "net").mkdir()
    assert feed.changed()
    _checked(feed, library)  # the check lists the new folder: it is watched from now on
    (tmp_path / "net" / "dns.rst").write_text("DNS\n===\n", encoding="utf-8")
    assert feed.changed()
    _checked(feed, library)

    pool.unlink()
    assert feed.changed()
    feed.close()
    assert feed.changed(), "a closed feed knows nothing: every search checks the disk"


def test_watched_library_is_fresh_only_while_the_index_holds_the_checked_stamp(
        tmp_path: Path) -> None:
    (tmp_path / "pool.md").write_text("# Pool\n\nRestart the pooler.\n", encoding="utf-8")
    library = Library(tmp_path)
    index = open_index(library)
    watched = WatchedLibraries()
    root = str(library.root)
    assert not watched.fresh(root, index.disk_stamp)
    refresh_index(index, library, watch=watched.watch_for(root))
    watched.checked(root, index.disk_stamp())
    assert watched.fresh(root, index.disk_stamp)

    index.reset("the window rebuilt it")  # no file changed, but the index is not the one checked
    assert not watched.fresh(root, index.disk_stamp)
    watched.close()


def test_watched_libraries_keep_a_few_feeds(tmp_path: Path) -> None:
    watched = WatchedLibraries(keep=2)
    roots = []
    for name in ("a", "b", "c"):
        folder = tmp_path / name
        folder.mkdir()
        roots.append(str(folder))
        Library(folder).runbook_stats(watched.watch_for(str(folder)))
        watched.checked(str(folder), "stamp")
    assert not watched.fresh(roots[0], lambda: "stamp"), "the oldest feed was closed"
    assert watched.fresh(roots[2], lambda: "stamp")
    watched.close()


def test_a_network_file_system_is_walked_at_every_search(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another machine's write to an NFS share raises no event here: no feed is trusted."""
    from viewer.core.search import change_feed

    (tmp_path / "pool.md").write_text("# Pool\n", encoding="utf-8")
    monkeypatch.setattr(change_feed, "file_system_type", lambda device: "nfs4")
    feed = ChangeFeed()
    _checked(feed, Library(tmp_path))
    assert not feed.live
    assert feed.changed()


def test_file_system_type_reads_the_mount_table(tmp_path: Path) -> None:
    import os

    table = tmp_path / "mountinfo"
    table.write_text(
        "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
        "36 27 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        "90 36 0:55 / /mnt/share rw,relatime - nfs4 server:/export rw,vers=4.2\n",
        encoding="utf-8")
    from viewer.core.search.change_feed import file_system_type

    assert file_system_type(os.makedev(8, 1), str(table)) == "ext4"
    assert file_system_type(os.makedev(0, 55), str(table)) == "nfs4"
    assert file_system_type(os.makedev(9, 9), str(table)) == ""
    assert file_system_type(os.makedev(8, 1), str(tmp_path / "missing")) == ""
