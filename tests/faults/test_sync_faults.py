"""Sync under faults: servers that hang, huge files, names a disk refuses, copies left by a kill."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.faults.hanging_server import hanging_server
from tests.sync.conftest import Upstream, git
from viewer.sync import deadline as sync_deadline
from viewer.sync.engine import sync_source
from viewer.sync.git import MAX_FILE_BYTES
from viewer.sync.snapshots import BUILDING_PREFIX, SourceCache
from viewer.sync.sources import new_source

pytestmark = pytest.mark.faults


@pytest.fixture
def short_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_deadline, "CONNECT_SECONDS", 2.0)
    monkeypatch.setattr(sync_deadline, "STALL_SECONDS", 2.0)
    monkeypatch.setattr(sync_deadline, "SYNC_SECONDS", 5.0)


@pytest.mark.parametrize("behaviour", ["silent", "stall", "trickle"])
def test_a_server_that_hangs_is_given_up_and_the_lock_released(short_timeouts: None,
                                                               behaviour: str) -> None:
    with hanging_server(behaviour) as url:
        source, _ = new_source("slow", url)
        results = []
        threads = [threading.Thread(target=lambda: results.append(sync_source(source)))
                   for _ in range(2)]  # the second waits for the first's lock
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.monotonic() - started
    assert len(results) == 2 and not any(r.ok for r in results)
    assert elapsed < 20, f"two syncs of a {behaviour} server took {elapsed:.0f} s"
    for outcome in results:
        assert outcome.error.startswith("slow: ") and "Traceback" not in outcome.error


def _local_repo(tmp_path: Path, files: dict[str, bytes]) -> Path:
    work = tmp_path / "repo"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    for rel, data in files.items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_bytes(data)
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "files")
    git(work, "gc", "-q")  # packed, as a server sends them
    return work


def test_a_file_over_the_size_limit_is_left_out_with_a_notice(tmp_path: Path) -> None:
    repo = _local_repo(tmp_path, {"ops/disk.md": b"# Disk full\n",
                                  "ops/huge.md": b"\0" * (MAX_FILE_BYTES + 1)})
    source, _ = new_source("big", str(repo))
    outcome = sync_source(source)
    shown = SourceCache("big").current()
    assert outcome.ok, outcome.error
    assert (shown / "ops" / "disk.md").read_bytes() == b"# Disk full\n"
    assert not (shown / "ops" / "huge.md").exists()
    assert "ops/huge.md" in outcome.notice and "over 20 MB" in outcome.notice


def test_a_server_with_partial_clone_never_sends_the_huge_file(upstream: Upstream) -> None:
    git(upstream.bare, "config", "uploadpack.allowFilter", "true")
    (upstream.work / "big.bin").write_bytes(b"\0" * (MAX_FILE_BYTES + 1))
    upstream.commit({"net/dns.md": "# DNS\n"})
    upstream.push()
    upstream.start(anonymous=True)
    source, _ = new_source("ops", upstream.url)
    outcome = sync_source(source)
    assert outcome.ok, outcome.error
    assert "big.bin" in outcome.notice
    store = SourceCache("ops").git_dir / "objects"
    assert sum(p.stat().st_size for p in store.rglob("*") if p.is_file()) < MAX_FILE_BYTES


def test_an_over_long_name_is_skipped_and_later_syncs_still_update(tmp_path: Path) -> None:
    long_name = "x" * 300 + ".md"
    repo = _local_repo(tmp_path, {"ok.md": b"# First\n"})
    (repo / "deep").mkdir()
    git(repo, "update-index", "--add", "--cacheinfo",
        f"100644,{git(repo, 'hash-object', '-w', 'ok.md')},deep/{long_name}")
    git(repo, "commit", "-q", "-m", "long name")
    source, _ = new_source("long", str(repo))
    assert sync_source(source).ok
    (repo / "ok.md").write_text("# Second\n")
    git(repo, "commit", "-q", "-am", "edit")
    outcome = sync_source(source)
    assert outcome.ok, outcome.error
    assert (SourceCache("long").current() / "ok.md").read_text() == "# Second\n"


def test_copies_left_by_a_killed_sync_go_at_the_next_sync(tmp_path: Path) -> None:
    repo = _local_repo(tmp_path, {"ok.md": b"# Ok\n"})
    source, _ = new_source("ops", str(repo))
    assert sync_source(source).ok
    snapshots = SourceCache("ops").snapshots
    for n in range(3):  # as a sync killed while writing leaves them
        (snapshots / f"{BUILDING_PREFIX}{n}" / "sub").mkdir(parents=True)
    outcome = sync_source(source)  # the remote did not change
    assert outcome.ok and not outcome.changed
    assert not any(p.name.startswith(BUILDING_PREFIX) for p in snapshots.iterdir())
