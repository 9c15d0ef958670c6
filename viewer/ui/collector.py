"""Python's garbage collection, run on the UI thread only.

The cyclic collector runs in whichever thread happens to allocate when its
thresholds are crossed. When it frees a Qt object from a worker thread (a
page parsed off the UI thread, say), Qt destroys the object holding its
signal-and-slot lock and PySide then waits for the GIL, while the UI
thread, holding the GIL, waits for that lock to connect a signal: the
window freezes for good. A CI run caught it so (a page parse in a worker
collected an old window's QObject while a test connected a signal). As Qt
for Python applications commonly do, automatic collection is turned off
and a timer on the UI thread collects as often as the thresholds would
have asked: a cycle of garbage waits at most half a second.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500
FULL_EVERY_S = 10.0


class UiThreadCollector(QObject):
    """Collects garbage from a timer on the thread it lives on (the UI thread)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._last_full = time.monotonic()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(INTERVAL_MS)

    def collect_due(self) -> int:
        """Collect the generations whose thresholds were crossed; the objects freed."""
        if gc.isenabled():  # something turned it back on: a worker could collect again
            gc.disable()
        young, middle, old = gc.get_count()
        first, second, third = self._thresholds
        if young < first:
            return 0
        generation = (2 if old >= third else 1) if middle >= second else 0
        now = time.monotonic()
        if generation == 2 and now - self._last_full < FULL_EVERY_S:
            # Python's own collector holds back full passes while few long-lived objects
            # are new; a pass over a big library's window is tens of ms on the UI thread.
            generation = 1
        if generation == 2:
            self._last_full = now
        return gc.collect(generation)
