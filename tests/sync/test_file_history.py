"""A runbook's last change read from git: its age, renames followed, shallow copies honest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dulwich.index import commit_tree
from dulwich.objects import Blob, Commit
from dulwich.repo import Repo

from tests.sync.conftest import PASSWORD, USER, Upstream
from viewer.core.freshness import freshness_of, review_facts
from viewer.core.library import Library
from viewer.core.library_config import FreshnessSettings
from viewer.sync.credentials import CredentialStore
from viewer.sync.engine import deepen_history, sync_source
from viewer.sync.file_history import SHALLOW, change_in, last_change
from viewer.sync.sources import SourceList, new_source
from viewer.sync.union import build_union

DISK = "# Disk full\n\n## Mitigation\n\n```sh\ndf -h /var\n```\n"
CPU = "# CPU saturated\n\nTop the busy process.\n"


def _at(day: str) -> int:
    return int(dt.datetime.fromisoformat(day + "T12:00:00+00:00").timestamp())


def build_history(repo: Repo) -> dict[str, bytes]:
    """Commits with fixed dates: add, edit one page, rename the other, then unrelated work."""
    files: dict[str, bytes] = {}
    made: dict[str, bytes] = {}

    def commit(day: str, author: str, message: str) -> bytes:
        entries = []
        for path, text in sorted(files.items()):
            blob = Blob.from_string(text)
            repo.object_store.add_object(blob)
            entries.append((path.encode(), blob.id, 0o100644))
        tree = commit_tree(repo.object_store, entries)
        made_commit = Commit()
        made_commit.tree = tree
        made_commit.parents = [repo.refs[b"refs/heads/main"]] if made else []
        made_commit.author = f"{author} <{author.lower()}@example.com>".encode()
        made_commit.committer = b"CI <ci@example.com>"
        made_commit.commit_time = made_commit.author_time = _at(day)
        made_commit.commit_timezone = made_commit.author_timezone = 0
        made_commit.message = message.encode()
        repo.object_store.add_object(made_commit)
        repo.refs[b"refs/heads/main"] = sha = made_commit.id
        made[day] = sha
        return sha

    files.update({"alerts/disk.md": DISK.encode(), "alerts/cpu.md": CPU.encode(),
                  "README.md": b"# Runbooks\n"})
    commit("2026-01-10", "Alice", "Add the first runbooks")
    files["alerts/cpu.md"] = (CPU + "\nThen check the cgroup limits.\n").encode()
    commit("2026-03-01", "Bob", "CPU: cgroup limits")
    files["storage/disk-full.md"] = files.pop("alerts/disk.md")
    commit("2026-05-01", "Carol", "Move disk runbooks under storage")
    for n, day in enumerate(("2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04")):
        files["README.md"] += f"Note {n}\n".encode()
        commit(day, "Dan", f"README {n}")
    return made


def test_last_change_is_the_commit_that_changed_the_text_following_a_rename(
        tmp_path: Path) -> None:
    repo = Repo.init_bare(str(tmp_path / "r.git"), mkdir=True)
    build_history(repo)
    head = repo.refs[b"refs/heads/main"]
    cpu = change_in(repo, head, "alerts/cpu.md")
    assert cpu.when is not None and cpu.when.date() == dt.date(2026, 3, 1)
    assert cpu.author == "Bob"
    moved = change_in(repo, head, "storage/disk-full.md")
    assert moved.when is not None and moved.when.date() == dt.date(2026, 1, 10), \
        "a pure rename is not a change of the text: its history goes on under the old name"
    assert moved.author == "Alice"
    line = freshness_of(review_facts({}), moved, FreshnessSettings(), dt.date(2026, 2, 20)).line
    assert line.startswith("Changed 41 days ago by Alice (")


def test_a_shallow_copy_says_unknown_until_the_history_is_deepened(tmp_path: Path) -> None:
    upstream = Upstream(tmp_path)
    try:
        build_history(Repo(str(upstream.bare)))
        upstream.start()
        source, _ = new_source("ops", upstream.url, username=USER)
        CredentialStore().set("ops", PASSWORD)
        outcome = sync_source(source)
        assert outcome.ok, outcome.error
        library = Library(build_union(SourceList([source])))

        shallow = last_change(library, "ops/storage/disk-full.md")
        assert shallow is not None and not shallow.known
        assert shallow.unknown_because == SHALLOW, "never the date of the shallow boundary"
        line = freshness_of(review_facts({}), shallow, FreshnessSettings(),
                            dt.date(2026, 7, 1)).line
        assert "History unknown" in line and "2026" not in line

        assert deepen_history(source) == ""
        deep = last_change(library, "ops/storage/disk-full.md")
        assert deep is not None and deep.when is not None
        assert deep.when.date() == dt.date(2026, 1, 10) and deep.author == "Alice"
        cpu = last_change(library, "ops/alerts/cpu.md")
        assert cpu is not None and cpu.when is not None and cpu.when.date() == dt.date(2026, 3, 1)
        assert last_change(library, "Runbook Viewer guide/index.md") is None
    finally:
        upstream.kill()


def test_a_clone_opened_as_a_library_is_dated_from_its_own_head_as_it_moves(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.sync.conftest import git

    work = tmp_path / "clone"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    (work / "dns.md").write_text("# Flush DNS\n\nFlush the resolver cache.\n")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-02-01T12:00:00+00:00")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "first")
    library = Library(work)
    first = last_change(library, "dns.md")
    assert first is not None and first.when is not None
    assert first.when.date() == dt.date(2026, 2, 1)
    (work / "dns.md").write_text("# Flush DNS\n\nFlush the resolver cache on every node.\n")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-03-01T12:00:00+00:00")
    git(work, "commit", "-q", "-am", "second")
    moved = last_change(library, "dns.md")
    assert moved is not None and moved.when is not None
    assert moved.when.date() == dt.date(2026, 3, 1), "not the answer kept for the old HEAD"
