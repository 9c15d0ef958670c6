"""Placeholders in real runbook libraries: how many files have them, and a sample to check.

For each library: runbooks read, runbooks with at least one variable, variables
per runbook, placeholders by kind, and the time the scan adds to rendering.
``--sample N`` prints N placeholders drawn at random (seeded, so the same
ones each run) with their line, for checking by hand.

    python -m benchmarks.variable_corpus LIBRARY [LIBRARY...] [--json] [--sample N]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

from benchmarks.corpus_cli import corpus_main
from viewer.core.document import Document
from viewer.core.library import Library
from viewer.core.render.placeholders import attach_variables
from viewer.core.rendering import render_file

SAMPLE = 0
_SEED = 24


def measure(root: Path) -> dict:
    library = Library(root)
    files = with_variables = 0
    per_file: list[int] = []
    kinds: dict[str, int] = {}
    detections: list[str] = []
    scan_seconds = render_seconds = 0.0
    for rel in library.iter_runbooks():
        started = time.perf_counter()
        document = render_file(library, rel)
        render_seconds += time.perf_counter() - started
        if not isinstance(document, Document):
            continue
        files += 1
        started = time.perf_counter()
        attach_variables(document)  # again, to time the scan alone
        scan_seconds += time.perf_counter() - started
        if document.variables:
            with_variables += 1
        per_file.append(len(document.variables))
        for variable in document.variables:
            for placement in variable.placements:
                kinds[placement.kind] = kinds.get(placement.kind, 0) + 1
                if placement.block:
                    line = document.code_blocks[placement.block - 1].text.splitlines()[
                        placement.line - 1]
                    detections.append(f"{rel}: {placement.raw} -> {variable.name}  |  "
                                      f"{line.strip()[:110]}")
                else:
                    detections.append(f"{rel}: {placement.raw} -> {variable.name}  |  (inline)")
    sample = random.Random(_SEED).sample(detections, min(SAMPLE, len(detections)))
    return {
        "library": str(root), "runbooks": files, "with_variables": with_variables,
        "share": round(with_variables / files, 3) if files else 0.0,
        "variables_per_runbook": round(statistics.mean(per_file), 2) if per_file else 0.0,
        "variables_per_runbook_with_any": round(statistics.mean([n for n in per_file if n]), 2)
        if with_variables else 0.0,
        "placeholders": sum(kinds.values()), "by_kind": kinds,
        "scan_ms": round(scan_seconds * 1000), "render_ms": round(render_seconds * 1000),
        "sample": sample,
    }


def report(r: dict) -> None:
    print(f"{r['library']}: {r['runbooks']} runbooks, {r['with_variables']} with variables "
          f"({r['share']:.0%}); {r['variables_per_runbook']} variables per runbook "
          f"({r['variables_per_runbook_with_any']} in those with any); {r['placeholders']} "
          f"placeholders {r['by_kind']}; scan {r['scan_ms']} ms of {r['render_ms']} ms rendering")
    for line in r["sample"]:
        print(f"    {line}")


def main() -> int:
    global SAMPLE
    if "--sample" in sys.argv:
        at = sys.argv.index("--sample")
        SAMPLE = int(sys.argv[at + 1])
        del sys.argv[at:at + 2]
    return corpus_main(__doc__.split("\n\n")[0], measure, report)


if __name__ == "__main__":
    sys.exit(main())
