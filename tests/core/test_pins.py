"""Pins: kept across restarts, never half-written, a damaged file set aside."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO
from viewer.core.pins import Pin, PinStore, split_target


def test_pins_persist_in_order_per_library(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    store = PinStore(db)
    assert store.add("/lib/a", Pin("db/pool.md", "step-1"))
    assert store.add("/lib/a", Pin("api.md"))
    assert not store.add("/lib/a", Pin("api.md"))  # already pinned
    assert store.add("/lib/b", Pin("other.md"))
    store.close()
    again = PinStore(db)  # a restart
    assert [p.target for p in again.pins("/lib/a")] == ["db/pool.md#step-1", "api.md"]
    assert [p.target for p in again.pins("/lib/b")] == ["other.md"]
    assert again.remove("/lib/a", "db/pool.md", "step-1")
    assert not again.remove("/lib/a", "db/pool.md", "step-1")
    assert [p.target for p in again.pins("/lib/a")] == ["api.md"]
    assert split_target(" db/pool.md#step-1 ") == ("db/pool.md", "step-1")


def test_a_damaged_file_is_moved_aside_with_a_message(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    db.write_bytes(b"not a database at all" * 100)
    store = PinStore(db)
    assert "moved" in store.problem and store.pins("/lib") == []
    assert (tmp_path / "state.sqlite3.corrupt").read_bytes().startswith(b"not a database")
    assert store.add("/lib", Pin("a.md"))


WRITER = """
import sys
from pathlib import Path
from viewer.core.pins import Pin, PinStore
store = PinStore(Path(sys.argv[1]))
n = len(store.pins("/lib"))
print("ready", flush=True)
step = 0
while True:
    store.add("/lib", Pin(f"runbook-{n:05}.md"))
    n += 1
    step += 1
    if step % 7 == 0:  # and some removals, so the list both grows and shrinks
        n -= 1
        store.remove("/lib", f"runbook-{n:05}.md")
"""


def test_killing_the_app_while_it_writes_never_corrupts_the_pins(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    rng = random.Random(7)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    seen = 0
    for _ in range(20):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], env=env,
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.15))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        store = PinStore(db)
        assert store.problem == ""
        pins = [p.path for p in store.pins("/lib")]
        # Every restart reads a whole list: runbook-00000 ... runbook-N, no gaps, no dupes.
        assert pins == [f"runbook-{i:05}.md" for i in range(len(pins))]
        assert len(pins) >= seen - 1  # what was committed stays (the writer removes one in 7)
        seen = len(pins)
        store.close()
    assert seen > 0


def test_a_pinned_runbooks_copy_is_rewritten_only_when_its_text_changed(tmp_path: Path) -> None:
    store = PinStore(tmp_path / "state.sqlite3")
    store.keep_copy("/lib", "db.md", "# Not pinned\n")
    assert store.kept_copy("/lib", "db.md") is None  # only pinned runbooks are copied
    store.add("/lib", Pin("db.md"))
    store.keep_copy("/lib", "db.md", "# Pool\n")
    first = store.kept_copy("/lib", "db.md")
    assert first is not None and first[0] == "# Pool\n"
    store.keep_copy("/lib", "db.md", "# Pool\n")  # read again, unchanged: nothing written
    assert store.kept_copy("/lib", "db.md") == first
    store.keep_copy("/lib", "db.md", "# Pool, revised\n")
    latest = store.kept_copy("/lib", "db.md")
    assert latest is not None and latest[0] == "# Pool, revised\n" and latest[1] >= first[1]
    store.close()
