"""The symptom sidebar at library scale: extraction cost while indexing, and fill time.

On the synthetic library of the search benchmark (default 5,000 runbooks):

* extraction's share of indexing: for a sample of runbooks, the time of
  ``extract_scenarios`` against the whole per-file indexing work (read,
  parse, cut into sections, extract); target <= 20%;
* sidebar fill: from an up-to-date index at start-up, read every scenario
  and build the tree (what the window does before showing it); target
  <= 200 ms.

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
from viewer.core.rendering import read_runbook, render_decoded
from viewer.core.search.index import SearchIndex
from viewer.core.search.refresh import refresh_index
from viewer.core.search.sections import index_record
from viewer.core.triage.extract import extract_scenarios
from viewer.core.triage.tree import build_tree

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
    whole = extraction = 0.0
    scenarios = symptoms = 0
    for rel in files[::step]:
        started = time.perf_counter()
        decoded = read_runbook(library, rel)
        document = render_decoded(decoded, rel, library, labels={}, with_html=False)
        index_record(document)  # includes one extraction, as the index does
        whole += time.perf_counter() - started
        started = time.perf_counter()
        found = extract_scenarios(document)
        extraction += time.perf_counter() - started
        scenarios += len(found)
        symptoms += sum(len(s.symptoms) for s in found)
    share = extraction / whole
    sampled = len(files[::step])
    print(f"extraction: {extraction / sampled * 1000:.2f} ms a runbook, {share:.1%} of the "
          f"indexing work ({sampled} runbooks sampled: {scenarios} scenarios, {symptoms} "
          "symptoms)")

    index = SearchIndex(scratch / "index.sqlite3", root)
    started = time.perf_counter()
    refresh_index(index, library)
    print(f"full index (with extraction): {time.perf_counter() - started:.1f} s")
    index.close()
    fills = []
    for _ in range(5):
        started = time.perf_counter()
        fresh = SearchIndex(scratch / "index.sqlite3", root)
        tree = build_tree(fresh.scenarios())
        fills.append((time.perf_counter() - started) * 1000)
        fresh.close()
    fill = statistics.median(fills)
    count = sum(len(c.symptoms) for c in tree.categories)
    print(f"sidebar fill from the index: {fill:.0f} ms (median of 5; {len(tree.scenarios)} "
          f"scenarios, {count} distinct symptoms in {len(tree.categories)} categories)")
    failed = [name for name, bad in (("extraction share", share > TARGET_SHARE),
                                     ("fill time", fill > TARGET_FILL_MS)) if bad]
    print("targets: " + ("all met" if not failed else "missed " + ", ".join(failed)))
    shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
