"""SIGKILL during sync and indexing, a few rounds in CI: the next run works, nothing is left."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.faults.kill_loops import index_kill_rounds, sync_kill_rounds

pytestmark = [pytest.mark.faults,
              pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                 reason="finds child processes through /proc")]


def test_sync_killed_again_and_again_then_finishes_clean(tmp_path: Path) -> None:
    report = sync_kill_rounds(tmp_path, rounds=4, rng=random.Random(3))
    assert report.killed_running >= 2, f"the kills came too late to test anything: {report}"
    assert report.final_ok and report.leftovers == [], report


def test_index_killed_again_and_again_then_finishes_clean(tmp_path: Path) -> None:
    report = index_kill_rounds(tmp_path, rounds=4, rng=random.Random(3))
    assert report.killed_running >= 2, f"the kills came too late to test anything: {report}"
    assert report.final_ok and report.leftovers == [], report
