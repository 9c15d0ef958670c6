"""The folder watcher: bursts become one batch, storms and folder moves a full rescan."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tests.conftest import MakeLibrary
from viewer.core.watch import LibraryWatcher


class Batches:
    def __init__(self) -> None:
        self.items: list[set[str] | None] = []
        self.arrived = threading.Event()

    def __call__(self, paths: set[str] | None) -> None:
        self.items.append(paths)
        self.arrived.set()

    def wait(self, seconds: float = 10) -> list[set[str] | None]:
        assert self.arrived.wait(seconds), "no batch arrived"
        time.sleep(0.6)  # let a trailing batch land, to prove there is none
        return self.items


def watch(root: Path, **options: float) -> tuple[LibraryWatcher, Batches]:
    batches = Batches()
    watcher = LibraryWatcher(root, batches, **options)  # type: ignore[arg-type]
    assert watcher.start() == ""
    time.sleep(0.2)
    return watcher, batches


def test_an_editor_save_burst_is_one_batch_of_runbook_paths(make_library: MakeLibrary) -> None:
    root = make_library({"a.md": "# A\n", "docs/b.rst": "B\n=\n"})
    watcher, batches = watch(root)
    try:
        (root / ".a.md.swp").write_text("swap")
        (root / "a.md").write_text("# A edited\n")
        (root / "docs" / "b.rst").write_text("B\n=\n\nmore\n")
        (root / "image.png").write_bytes(b"\x89PNG")
        (root / ".git").mkdir()
        (root / ".git" / "index.md").write_text("not a runbook")
        assert batches.wait() == [{"a.md", "docs/b.rst"}]
    finally:
        watcher.stop()


def test_a_storm_or_a_moved_folder_asks_for_a_rescan(make_library: MakeLibrary) -> None:
    root = make_library({"docs/b.md": "# B\n"})
    watcher, batches = watch(root, storm_size=20)
    try:
        for i in range(50):
            (root / f"n{i}.md").write_text(f"# {i}\n")
        assert None in batches.wait()
        batches.items.clear()
        batches.arrived.clear()
        (root / "docs").rename(root / "guides")
        assert batches.wait() == [None]
    finally:
        watcher.stop()


def test_a_long_storm_still_flushes_within_the_maximum_delay(
        make_library: MakeLibrary) -> None:
    root = make_library({"a.md": "# A\n"})
    watcher, batches = watch(root, quiet_seconds=0.5, max_delay=1.0)
    try:
        started = time.monotonic()
        while time.monotonic() - started < 2.5 and not batches.items:
            (root / "a.md").write_text(f"# A {time.monotonic()}\n")
            time.sleep(0.1)
        assert batches.items, "events every 0.1 s kept postponing the batch forever"
        assert time.monotonic() - started < 2.0
    finally:
        watcher.stop()
