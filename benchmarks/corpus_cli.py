"""The command line the corpus benchmarks share: libraries in, one report each, or JSON."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path


def corpus_main(description: str, measure: Callable[[Path], dict],
                report: Callable[[dict], None]) -> int:
    """Measure each library named on the command line; print ``report`` of each, or JSON."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("libraries", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [measure(root) for root in args.libraries]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for result in results:
        report(result)
    return 0
