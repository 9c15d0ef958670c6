"""Syncing from a real git server (git http-backend behind basic auth) into the atomic cache."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.sync.conftest import PASSWORD, USER, Upstream, git, synced_source
from viewer.core.library import Library
from viewer.core.rendering import render_file
from viewer.sync.credentials import CredentialStore
from viewer.sync.engine import sync_source
from viewer.sync.snapshots import SourceCache, wait_for_cleanups
from viewer.sync.sources import SourceList, new_source, save_sources
from viewer.sync.union import build_union

DISK = "# Disk full\n\n## Symptoms\n\n- writes fail with ENOSPC\n"
DNS = "# DNS failures\n\nRun `dig +short api.internal`.\n"


def _source(upstream: Upstream, name: str = "ops", password: str = PASSWORD, **kw: str):
    source, _ = new_source(name, upstream.url, username=USER, **kw)
    CredentialStore().set(name, password)
    return source


def _shown(name: str = "ops") -> Path:
    current = SourceCache(name).current()
    assert current is not None, "no copy is shown"
    return current


def test_first_sync_clones_the_branch_into_a_readable_copy(upstream: Upstream) -> None:
    head = upstream.commit({"storage/disk.md": DISK, "net/dns.md": DNS})
    upstream.push()
    upstream.start()
    outcome = sync_source(_source(upstream))
    assert outcome.ok and outcome.changed, outcome.error
    assert outcome.commit == head
    assert (_shown() / "storage" / "disk.md").read_text() == DISK
    status = SourceCache("ops").status()
    assert status.commit == head and status.last_error == "" and status.last_sync > 0


def test_union_library_shows_each_source_by_name_and_renders_it(upstream: Upstream) -> None:
    source = synced_source(upstream, {"net/dns.md": DNS})
    root = build_union(SourceList([source]))
    library = Library(root)
    assert "ops/net/dns.md" in list(library.iter_runbooks())
    assert any(p.startswith("Runbook Viewer guide/") for p in library.iter_runbooks())
    page = render_file(library, "ops/net/dns.md")
    assert "dig +short api.internal" in page.body_html


def test_sync_after_a_push_shows_changes_additions_and_deletions(upstream: Upstream) -> None:
    upstream.commit({"storage/disk.md": DISK, "net/dns.md": DNS})
    upstream.push()
    upstream.start()
    source = _source(upstream)
    first = sync_source(source)
    head = upstream.commit({"storage/disk.md": DISK + "\nCheck `df -h` first.\n",
                            "net/tls.md": "# TLS expiry\n"}, remove=("net/dns.md",))
    upstream.push()
    outcome = sync_source(source)
    assert outcome.ok and outcome.changed and outcome.commit == head
    assert outcome.previous_commit == first.commit
    shown = _shown()
    assert "df -h" in (shown / "storage" / "disk.md").read_text()
    assert (shown / "net" / "tls.md").is_file()
    assert not (shown / "net" / "dns.md").exists()
    wait_for_cleanups()
    assert [p.name for p in SourceCache("ops").snapshots.iterdir()] == [shown.name]


def test_sync_with_nothing_new_keeps_the_same_copy(upstream: Upstream) -> None:
    upstream.commit({"net/dns.md": DNS})
    upstream.push()
    upstream.start()
    source = _source(upstream)
    sync_source(source)
    before = _shown()
    outcome = sync_source(source)
    assert outcome.ok and not outcome.changed
    assert _shown() == before


def test_a_sync_killed_while_writing_a_pack_does_not_block_the_next(upstream: Upstream) -> None:
    """dulwich writes each file through a ``.lock`` and refuses to write where one is
    left; fetching the same commits again writes the same pack name. A kill at that moment
    used to make every later sync of the source fail."""
    upstream.commit({"net/dns.md": DNS})
    upstream.push()
    upstream.start()
    source = _source(upstream)
    assert sync_source(source).ok
    store = SourceCache("ops").git_dir
    packs = store / "objects" / "pack"
    names = sorted(path.name for path in packs.iterdir())
    # What the kill leaves: the objects and refs not yet there, the pack's locks are.
    for path in packs.iterdir():
        path.unlink()
    for ref in (store / "refs").rglob("*"):
        if ref.is_file():
            ref.unlink()
    (store / "packed-refs").unlink(missing_ok=True)
    for name in names:
        (packs / f"{name}.lock").write_bytes(b"")
    outcome = sync_source(source)
    assert outcome.ok, outcome.error
    assert not list(store.rglob("*.lock"))
    assert (_shown() / "net" / "dns.md").read_text() == DNS


def test_sync_follows_a_force_push_that_rewrote_history(upstream: Upstream) -> None:
    upstream.commit({"net/dns.md": DNS})
    upstream.commit({"net/dns.md": DNS + "\nOld advice.\n"})
    upstream.push()
    upstream.start()
    source = _source(upstream)
    assert sync_source(source).ok
    git(upstream.work, "reset", "-q", "--hard", "HEAD~1")
    rewritten = upstream.commit({"net/dns.md": DNS + "\nNew advice.\n"}, "rewrite")
    upstream.push(force=True)
    outcome = sync_source(source)
    assert outcome.ok and outcome.commit == rewritten, outcome.error
    assert "New advice." in (_shown() / "net" / "dns.md").read_text()


def test_wrong_password_is_a_clear_error_and_keeps_the_copy(upstream: Upstream) -> None:
    head = upstream.commit({"net/dns.md": DNS})
    upstream.push()
    upstream.start()
    assert sync_source(_source(upstream)).ok
    upstream.commit({"net/dns.md": "# changed\n"})
    upstream.push()
    wrong = _source(upstream, password="not-the-token-xyz")
    outcome = sync_source(wrong)
    assert not outcome.ok
    assert outcome.error.startswith("ops: ") and "username or password" in outcome.error
    assert "not-the-token-xyz" not in outcome.error
    assert (_shown() / "net" / "dns.md").read_text() == DNS
    status = SourceCache("ops").status()
    assert status.commit == head and status.last_error == outcome.error


def test_renamed_branch_says_which_branches_exist(upstream: Upstream) -> None:
    upstream.commit({"net/dns.md": DNS})
    upstream.push(branch="trunk")
    upstream.start()
    outcome = sync_source(_source(upstream))
    assert not outcome.ok
    assert "'main' is not on the remote" in outcome.error and "trunk" in outcome.error


def test_server_killed_mid_transfer_keeps_the_previous_copy(upstream: Upstream) -> None:
    source = synced_source(upstream, {"net/dns.md": DNS})
    old = _shown()
    # Incompressible content, so the pack takes seconds to trickle out of the slow server.
    rng = random.Random(7)
    upstream.commit({f"bulk/{i:03}.md": f"# Page {i}\n\n" + f"{rng.getrandbits(40000):x}"
                     for i in range(40)}, "bulk")
    upstream.push()
    upstream.kill()
    upstream.start(slow=True)
    result: dict[str, object] = {}
    thread = threading.Thread(target=lambda: result.update(out=sync_source(source)))
    thread.start()
    deadline = time.monotonic() + 30
    while not (upstream.root / ".sending").exists():
        assert time.monotonic() < deadline, "the transfer never started"
        time.sleep(0.02)
    upstream.kill()
    thread.join(60)
    outcome = result["out"]
    assert not outcome.ok and outcome.error.startswith("ops: ")
    assert _shown() == old and (old / "net" / "dns.md").read_text() == DNS
    assert not (old / "bulk").exists()
    wait_for_cleanups()
    leftovers = [p.name for p in SourceCache("ops").snapshots.iterdir() if p != old]
    assert leftovers == []
    library = Library(build_union(SourceList([source])))
    assert not any(p.startswith("ops/bulk/") for p in library.iter_runbooks())
    # The server comes back: the next sync succeeds and shows everything.
    (upstream.root / ".sending").unlink()
    upstream.start()
    again = sync_source(source)
    assert again.ok and again.changed, again.error
    assert len(list((_shown() / "bulk").iterdir())) == 40


def test_unreachable_server_says_offline_and_keeps_the_copy(upstream: Upstream) -> None:
    source = synced_source(upstream, {"net/dns.md": DNS})
    upstream.kill()
    outcome = sync_source(source)
    assert not outcome.ok and "cannot reach 127.0.0.1" in outcome.error
    assert (_shown() / "net" / "dns.md").read_text() == DNS


def test_hostile_tree_entries_are_never_written(upstream: Upstream) -> None:
    upstream.commit({"net/dns.md": DNS})
    os.symlink("/etc/passwd", upstream.work / "passwd.md")
    os.symlink("..", upstream.work / "up")
    upstream.commit({}, "links")
    upstream.push()
    upstream.start()
    assert sync_source(_source(upstream)).ok
    shown = _shown()
    assert not (shown / "passwd.md").exists() and not (shown / "up").exists()
    assert not any(p.is_symlink() for p in shown.rglob("*"))


def test_subdir_source_shows_only_that_folder(upstream: Upstream) -> None:
    upstream.commit({"docs/runbooks/dns.md": DNS, "src/app.py": "print('x')\n"})
    upstream.push()
    upstream.start()
    assert sync_source(_source(upstream, subdir="docs/runbooks")).ok
    assert sorted(p.name for p in _shown().iterdir()) == ["dns.md"]


def test_editing_the_subdir_shows_the_new_folder_at_once(upstream: Upstream) -> None:
    upstream.commit({"docs/runbooks/dns.md": DNS, "docs/old/disk.md": DISK})
    upstream.push()
    upstream.start()
    assert sync_source(_source(upstream, subdir="docs/old")).ok
    # The user points the source at another folder; nothing new was pushed.
    outcome = sync_source(_source(upstream, subdir="docs/runbooks"))
    assert outcome.ok and outcome.changed, outcome.error
    assert sorted(p.name for p in _shown().iterdir()) == ["dns.md"]
    assert (_shown() / "dns.md").read_text() == DNS
    # Back again after a push: no file of the other folder is carried over.
    upstream.commit({"docs/old/tls.md": "# TLS\n"})
    upstream.push()
    assert sync_source(_source(upstream, subdir="docs/old")).ok
    assert sorted(p.name for p in _shown().iterdir()) == ["disk.md", "tls.md"]


def test_local_repository_path_syncs_without_a_server(upstream: Upstream) -> None:
    head = upstream.commit({"net/dns.md": DNS})
    upstream.push()
    source, _ = new_source("local", str(upstream.bare))
    assert source.kind == "git"
    outcome = sync_source(source)
    assert outcome.ok and outcome.commit == head, outcome.error
    assert (_shown("local") / "net" / "dns.md").is_file()


@pytest.mark.parametrize("typed", ["https://bob:tok3n-abc@git.example.com/ops.git"])
def test_credentials_typed_into_the_url_are_split_off(typed: str) -> None:
    source, secret = new_source("ops", typed)
    assert source.url == "https://git.example.com/ops.git"
    assert source.username == "bob" and secret == "tok3n-abc"


def test_cancelled_sync_keeps_the_copy_and_says_so(upstream: Upstream) -> None:
    source = synced_source(upstream, {"net/dns.md": DNS})
    upstream.commit({"net/dns.md": "# changed\n"})
    upstream.push()
    outcome = sync_source(source, cancelled=lambda: True)
    assert not outcome.ok and "sync cancelled" in outcome.error
    assert (_shown() / "net" / "dns.md").read_text() == DNS
    assert SourceCache("ops").status().last_error == ""  # cancelling is not a failure


def test_full_disk_keeps_the_copy_and_names_the_cause(upstream: Upstream,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    source = synced_source(upstream, {"net/dns.md": DNS})
    upstream.commit({"net/dns.md": "# changed\n", "net/new.md": "# new\n"})
    upstream.push()

    def no_space(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr("viewer.sync.git.os.write", no_space)
        outcome = sync_source(source)
    assert not outcome.ok and "the disk is full" in outcome.error
    assert (_shown() / "net" / "dns.md").read_text() == DNS
    assert [p.name for p in SourceCache("ops").snapshots.iterdir()] == [_shown().name]


def test_a_folder_it_may_not_write_is_not_blamed_on_ssh(upstream: Upstream,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    source = synced_source(upstream, {"net/dns.md": DNS})
    upstream.commit({"net/dns.md": "# changed\n"})
    upstream.push()

    def denied(cache: SourceCache) -> Path:  # the data folder turned read-only
        raise PermissionError(errno.EACCES, "Permission denied", str(cache.snapshots))

    with monkeypatch.context() as patched:
        patched.setattr(SourceCache, "begin", denied)
        outcome = sync_source(source)
    assert not outcome.ok and "the copy could not be written (Permission denied)" in outcome.error
    assert "SSH" not in outcome.error
    assert (_shown() / "net" / "dns.md").read_text() == DNS


def test_killed_sync_process_leaves_the_copy_shown(upstream: Upstream) -> None:
    upstream.commit({"net/dns.md": DNS})
    upstream.push()
    upstream.start(anonymous=True)
    source, _ = new_source("ops", upstream.url)  # the command reads sources.json
    save_sources(SourceList([source]))
    first = _run_cli_sync(upstream, wait_for_transfer=False)
    assert first.returncode == 0, first.stderr
    old = _shown()
    rng = random.Random(3)
    upstream.commit({f"bulk/{i:03}.md": f"{rng.getrandbits(40000):x}" for i in range(40)})
    upstream.push()
    upstream.kill()
    upstream.start(slow=True, anonymous=True)
    killed = _run_cli_sync(upstream, wait_for_transfer=True)
    assert killed.returncode == -signal.SIGKILL
    assert _shown() == old and (old / "net" / "dns.md").read_text() == DNS
    assert not (old / "bulk").exists()
    upstream.kill()
    upstream.start(anonymous=True)
    again = _run_cli_sync(upstream, wait_for_transfer=False)
    assert again.returncode == 0, again.stderr
    assert len(list((_shown() / "bulk").iterdir())) == 40


def _run_cli_sync(upstream: Upstream, *, wait_for_transfer: bool) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    process = subprocess.Popen([sys.executable, "-m", "viewer", "sync"], env=env, cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if wait_for_transfer:
        deadline = time.monotonic() + 30
        while not (upstream.root / ".sending").exists():
            assert time.monotonic() < deadline, "the transfer never started"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)
