"""Garbage is collected on the UI thread only (viewer/ui/collector.py)."""

from __future__ import annotations

import gc
import threading
import weakref

from viewer.ui.collector import UiThreadCollector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_a_worker_threads_garbage_is_collected_on_the_ui_thread(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    UiThreadCollector(qapp)
    collected_on: list[str] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            collected_on.append(threading.current_thread().name)

    gc.callbacks.append(note)
    try:
        kept: list[weakref.ref] = []

        def work() -> None:  # a page parse: thousands of objects, some in cycles
            for _ in range(20_000):
                kept.append(weakref.ref(_Node()))

        worker = threading.Thread(target=work, name="worker")
        worker.start()
        worker.join()
        assert collected_on == []  # the worker crossed every threshold, and collected nothing
        qtbot.waitUntil(lambda: all(ref() is None for ref in kept), timeout=5000)
        assert collected_on and set(collected_on) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(note)
