"""What a reader waits for in the window of a big library, measured in one offscreen run.

The library and its warm index come from ``benchmarks.scale`` (run it first with the
same ``--count`` and ``--root``). Printed:

* the symptom sidebar filled, from the start of this process (window, index opened,
  sidebar read);
* quick open (Ctrl+P): the ranking of each keystroke of a typed name, and of a fresh
  query;
* opening the symptom the most runbooks list: how long the UI thread is held, and
  when its first scenarios show;
* the first reST page of a session: its ``:ref:`` labels from the index against a
  scan of every reST file.

    python -m benchmarks.interaction --count 50000 --root /tmp/rv-scale
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.scale import user_env


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def quick_open(documents: list[tuple[str, str]]) -> None:
    from viewer.core.fuzzy import FuzzyCatalog

    catalog = FuzzyCatalog(documents)
    typed = "ledgr dlq"
    times = []
    for end in range(1, len(typed) + 1):
        started = time.perf_counter()
        catalog.rank(typed[:end], [])
        times.append(_ms(started))
    started = time.perf_counter()
    catalog.rank("pool", [])
    fresh = _ms(started)
    print(f"quick open, per keystroke of {typed!r}: median {statistics.median(times):.0f} ms, "
          f"slowest {max(times):.0f} ms; a fresh query: {fresh:.0f} ms (off the UI thread "
          "above 3,000 runbooks)")


def labels(library_root: Path) -> None:
    from viewer.core.library import Library
    from viewer.core.rendering import render_file
    from viewer.core.rst_targets import LabelIndex
    from viewer.core.search import library_labels

    library = Library(library_root)
    started = time.perf_counter()
    render_file(library, "index.rst", labels=library_labels(library))
    stored = _ms(started)
    started = time.perf_counter()
    render_file(library, "index.rst", labels=LabelIndex(library))
    scanned = _ms(started)
    print(f"first reST page of a session: {stored:.0f} ms with the index's labels, "
          f"{scanned:.0f} ms scanning every reST file")


def window(library_root: Path) -> list[tuple[str, str]]:
    """Runs the window offscreen; returns the index's (path, title) pairs."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QTreeWidgetItemIterator

    from viewer.core.config import load_settings
    from viewer.core.library import Library
    from viewer.ui.main_window import MainWindow
    from viewer.ui.triage_panel import KEY_ROLE, KIND_ROLE

    started = time.perf_counter()
    app = QApplication.instance() or QApplication(sys.argv)
    settings, _problem = load_settings()
    shown = MainWindow(Library(library_root), settings, quick_start=True)
    shown.show()
    state: dict = {"filled": None, "item": None}
    documents: list[tuple[str, str]] = []

    def poll() -> None:
        panel = shown.triage_panel
        if state["filled"] is None:
            if panel is None or panel.tree.topLevelItemCount() == 0:
                return
            state["filled"] = _ms(started)
            print(f"symptom sidebar filled {state['filled']:.0f} ms after this process "
                  "started its window")
        if shown.keeper is None or not shown.keeper.ready:
            return
        if state["item"] is None:
            biggest, count = None, -1
            iterator = QTreeWidgetItemIterator(panel.tree)
            while iterator.value():
                item = iterator.value()
                node = panel.tree_data.by_key.get(item.data(0, KEY_ROLE))
                if item.data(0, KIND_ROLE) == "symptom" and node and node.count > count:
                    biggest, count = item, node.count
                iterator += 1
            state["item"], state["count"] = biggest, count
            state["opened"] = time.perf_counter()
            biggest.setExpanded(True)
            state["held"] = _ms(state["opened"])
            return
        if state["item"].childCount() > 1:
            print(f"opening the symptom {state['count']:,} scenarios list: UI thread held "
                  f"{state['held']:.0f} ms, first scenarios shown after "
                  f"{_ms(state['opened']):.0f} ms")
            documents.extend((d.path, d.title) for d in shown.keeper.index.documents())
            app.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(10)
    QTimer.singleShot(120_000, app.quit)
    app.exec()
    shown.close()
    return documents


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "rv-scale")
    args = parser.parse_args()
    library = args.root / f"lib{args.count}"
    home = args.root / f"home{args.count}"
    if not (home / "cache").is_dir():
        print(f"no warm index under {home}: run benchmarks.scale --count {args.count} first")
        return 2
    os.environ.update({k: v for k, v in user_env(home).items()
                       if k.startswith("XDG_") or k == "QT_QPA_PLATFORM"})
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; library: {args.count} runbooks")
    documents = window(library)
    quick_open(documents)
    labels(library)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
