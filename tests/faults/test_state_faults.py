"""The app's own files under faults: damaged pins and index, a full disk, odd queries, kills."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, MakeLibrary
from tests.faults.kill_loops import alive, children_of
from viewer.core.library import Library
from viewer.core.pins import Pin, PinStore
from viewer.core.search.index import IndexUnavailable, SearchIndex
from viewer.core.search.refresh import refresh_index

pytestmark = pytest.mark.faults


def _pinned_file(db: Path, count: int = 30, copy_size: int = 20) -> None:
    store = PinStore(db)
    for n in range(count):
        store.add("/lib", Pin(f"runbook-{n}.md", label=f"Runbook {n}"))
        store.keep_copy("/lib", f"runbook-{n}.md", f"# Runbook {n}\n" + "x" * copy_size)
    store.close()


def _write_at(db: Path, offset: int, data: bytes) -> None:
    content = bytearray(db.read_bytes())
    content[offset:offset + len(data)] = data
    db.write_bytes(bytes(content))


def test_random_bytes_in_the_schema_never_stop_the_pins(tmp_path: Path) -> None:
    rng = random.Random(20)
    for trial in range(40):  # a quarter of these raised UnicodeDecodeError before
        db = tmp_path / f"state-{trial}.sqlite3"
        _pinned_file(db, count=3)
        _write_at(db, rng.randint(3400, 4080), rng.randbytes(16))  # page 1: the schema's text
        store = PinStore(db)
        store.pins("/lib")
        assert store.add("/lib", Pin("new.md")), store.problem
        store.close()


def test_a_damaged_page_found_by_a_read_is_set_aside_and_pins_carried_over(
        tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    _pinned_file(db, count=40, copy_size=3000)  # the kept copies fill pages of their own
    data = db.read_bytes()
    page = data.find(b"# Runbook 20\n") // 4096 * 4096
    _write_at(db, page, b"\xff" * 4096)  # one of those pages gone to garbage
    store = PinStore(db)  # opened fine before, then every read of a copy failed
    assert "moved to" in store.problem and "40 pins" in store.problem
    assert len(store.pins("/lib")) == 40  # every pin carried over to the fresh file
    assert store.kept_copy("/lib", "runbook-1.md") is not None
    store.add("/lib", Pin("again.md"))
    assert any(p.path == "again.md" for p in PinStore(db).pins("/lib"))


def test_pins_command_on_a_damaged_file_explains_without_a_traceback(
        make_library: MakeLibrary, isolated_user_dirs: Path) -> None:
    root = make_library({"a.md": "# A\n"})
    db = isolated_user_dirs / "data" / "runbook-viewer" / "state.sqlite3"
    db.parent.mkdir(parents=True)
    _pinned_file(db, count=3)
    _write_at(db, 4067, b"\xff" * 16)  # the schema's text: a UnicodeDecodeError traceback before
    env = {**os.environ, "XDG_DATA_HOME": str(isolated_user_dirs / "data"),
           "PYTHONPATH": str(REPO)}
    outputs = []
    for args in (("list",), ("add", "a.md"), ("list",)):
        result = subprocess.run([sys.executable, "-m", "viewer", "pins", *args, "--library",
                                 str(root)], capture_output=True, text=True, cwd=REPO,
                                timeout=60, env=env)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        outputs.append(result)
    assert "damaged" in outputs[0].stderr and "a.md" in outputs[2].stdout


SECRET_WORDS = "zebracorn quokkalith"


def _damaged_text_index(tmp_path: Path, make_library: MakeLibrary) -> tuple[SearchIndex, Library]:
    library = Library(make_library({f"r{n}.md": f"# Runbook {n}\n\n{SECRET_WORDS} {n}\n"
                                    for n in range(20)}))
    db = tmp_path / "index.sqlite3"
    index = SearchIndex(db, library.root)
    refresh_index(index, library)
    index.close()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db.read_bytes()
    at = data.find(SECRET_WORDS.encode())
    assert at > 0
    db.write_bytes(data[:at] + b"\xff\xfe" + data[at + 2:])  # text SQLite hands back as not UTF-8
    return SearchIndex(db, library.root), library


def test_an_index_page_that_is_not_utf8_is_rebuilt_not_quoted(tmp_path: Path,
                                                              make_library: MakeLibrary) -> None:
    index, library = _damaged_text_index(tmp_path, make_library)
    with pytest.raises(IndexUnavailable) as caught:
        for _ in range(3):  # some reads never touch the damaged bytes
            index.search("quokkalith", limit=50)
            index.search("zebracorn", limit=50)
    assert "quokkalith" not in str(caught.value) and "zebracorn" not in str(caught.value)
    refresh_index(index, library)
    assert len(index.search("quokkalith", limit=50)) == 20


def test_a_full_disk_removes_the_partial_index_and_search_still_works(
        tmp_path: Path, make_library: MakeLibrary, monkeypatch: pytest.MonkeyPatch) -> None:
    library = Library(make_library({f"r{n}.md": f"# Runbook {n}\n\n" + "filler words " * 400
                                    + f"\n\nneedle{n}\n" for n in range(60)}))
    db = tmp_path / "index.sqlite3"
    real_connect = SearchIndex._connect

    def small_disk(self: SearchIndex) -> sqlite3.Connection:
        conn = real_connect(self)
        if not self._memory_uri:
            conn.execute("PRAGMA max_page_count = 60")  # SQLITE_FULL, as a full disk gives
        return conn

    monkeypatch.setattr(SearchIndex, "_connect", small_disk)
    index = SearchIndex(db, library.root)
    report = refresh_index(index, library)
    assert not db.exists() and not Path(f"{db}-wal").exists()
    assert "disk is full" in index.rebuilt_because
    assert report.parsed == 60 and index.search("needle7")


@pytest.mark.parametrize("query", ["rest\x00art", "a\x00 b", '"rest\x00"', "\x00", "x\x1b[2J"])
def test_control_characters_in_a_query_are_spaces(make_index, query: str) -> None:  # type: ignore[no-untyped-def]
    index, _ = make_index({"a.md": "# Restart pods\n\nkubectl rollout restart\n"})
    index.search(query)  # an SQLite error before


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_killing_index_takes_its_worker_processes_with_it(make_library: MakeLibrary,
                                                         tmp_path: Path) -> None:
    root = make_library({f"ops/r{n}.rst": f"Runbook {n}\n{'=' * 12}\n\n"
                         + "".join(f"Section {i}\n----------\n\nText {i}.\n\n" for i in range(60))
                         for n in range(600)})
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "viewer", "index", "--library", str(root)],
                               env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and process.poll() is None:
        workers = [pid for pid in children_of(process.pid)
                   if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
        if len(workers) >= 2:
            break
        time.sleep(0.05)
    assert workers, "the index never started worker processes"
    tracker = [pid for pid in children_of(process.pid) if pid not in workers]
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(alive(pid) for pid in workers + tracker):
        time.sleep(0.2)
    assert not [pid for pid in workers + tracker if alive(pid)], "left running after the kill"
