"""Render time (parse + highlight + sanitise + page HTML) of a 50 KB and a 1 MB runbook.

Targets on a 2-core machine: 50 KB <= 100 ms, 1 MB <= 2 s (Markdown, the
common case); reST figures are printed for information.

    python -m benchmarks.render_bench
"""

from __future__ import annotations

import platform
import statistics
import time

from benchmarks.synthetic import markdown_runbook, rst_runbook
from viewer.core.render.highlight import forget_lexed_blocks
from viewer.core.render.page import page_html
from viewer.core.rendering import render_text

TARGETS_MS = {("markdown", 50_000): 100, ("markdown", 1_000_000): 2000}


def time_render(text: str, path: str, runs: int) -> float:
    render_text(text, path)  # warm caches (lexers, stylesheet)
    samples = []
    for _ in range(runs):
        forget_lexed_blocks()  # each run as the first opening of the page
        start = time.perf_counter()
        page_html(render_text(text, path), "light")
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> int:
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
          f"Python {platform.python_version()}")
    failed = False
    kinds = (("markdown", markdown_runbook, ".md"), ("rst", rst_runbook, ".rst"))
    for markup, make, suffix in kinds:
        for size, runs in ((50_000, 15), (1_000_000, 3)):
            text = make(size)
            ms = time_render(text, f"bench{suffix}", runs)
            target = TARGETS_MS.get((markup, size))
            verdict = "" if target is None else (" ok" if ms <= target else " OVER TARGET")
            failed |= target is not None and ms > target
            limit = f" (target {target} ms)" if target else ""
            print(f"{markup:8} {len(text) / 1000:7.0f} KB  {ms:8.1f} ms median{limit}{verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
