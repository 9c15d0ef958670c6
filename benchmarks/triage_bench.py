"""The symptom sidebar at library scale: extraction cost while indexing, and fill time.

On the synthetic library of the search benchmark (default 5,000 runbooks):

* what extraction adds to indexing: a sample of runbooks is indexed twice
  in this process (read, parse, cut into sections, store), with and
  without symptom extraction and its tables; target <= 20% more;
* sidebar fill: from an up-to-date index of the whole library at start-up,
  load the tree and fill the sidebar widget (offscreen); target <= 200 ms.

    python -m benchmarks.triage_bench [--count N] [--library DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import write_library
from viewer.core.library import Library
from viewer.core.search import sections
from viewer.core.search.index import SearchIndex
from viewer.core.search.refresh import parse_for_index, refresh_index
from viewer.core.triage.tree import TriageTree

TARGET_SHARE, TARGET_FILL_MS = 0.20, 200.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--library", type=Path)
    parser.add_argument("--sample", type=int, default=1000)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="triage-bench-"))
    root = args.library or scratch / "library"
    if not root.is_dir() or not any(root.iterdir()):
        write_library(root, args.count)
    library = Library(root)
    files = list(library.iter_runbooks())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; {len(files)} runbooks")

    step = max(1, len(files) // args.sample)
    sample = files[::step]

    def index_sample(extract: bool) -> float:
        original = sections.extract_scenarios
        if not extract:
            sections.extract_scenarios = lambda document: []
        try:
            index = SearchIndex(None, root)
            started = time.perf_counter()
            items = [parse_for_index(str(root), rel, "") for rel in sample]
            index.apply(items)
            return time.perf_counter() - started
        finally:
            sections.extract_scenarios = original

    index_sample(True)  # warm imports and caches
    without = min(index_sample(False) for _ in range(2))
    with_triage = min(index_sample(True) for _ in range(2))
    share = with_triage / without - 1
    print(f"indexing {len(sample)} runbooks in one process: {without:.2f} s without symptom "
          f"extraction, {with_triage:.2f} s with it: +{share:.1%}")

    index = SearchIndex(scratch / "index.sqlite3", root)
    started = time.perf_counter()
    refresh_index(index, library)
    print(f"full index of the library (2 workers, with extraction): "
          f"{time.perf_counter() - started:.1f} s")
    index.close()

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from viewer.ui.triage_panel import TriagePanel

    app = QApplication.instance() or QApplication([])
    fills = []
    for _ in range(5):
        panel = TriagePanel()
        started = time.perf_counter()
        fresh = SearchIndex(scratch / "index.sqlite3", root)
        tree = TriageTree.load(fresh)
        panel.set_content(tree, None, "")
        app.processEvents()
        fills.append((time.perf_counter() - started) * 1000)
        fresh.close()
        panel.deleteLater()
    fill = statistics.median(fills)
    biggest = max(tree.by_key.values(), key=lambda node: node.count)
    started = time.perf_counter()
    listed = tree.scenarios_for(biggest.key)
    opened = (time.perf_counter() - started) * 1000
    print(f"sidebar fill from the index: {fill:.0f} ms (median of 5; {tree.symptom_count} "
          f"distinct symptoms in {len(tree.categories)} categories); opening the most listed "
          f"symptom reads its {len(listed)} scenarios in {opened:.0f} ms")
    failed = [name for name, bad in (("extraction share", share > TARGET_SHARE),
                                     ("fill time", fill > TARGET_FILL_MS)) if bad]
    print("targets: " + ("all met" if not failed else "missed " + ", ".join(failed)))
    shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
