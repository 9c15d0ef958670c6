"""Alert paste and the symptom sidebar, measured on a real runbook library.

Ground truth comes from the files themselves, not from the app: an alert
runbook is a Markdown file with a Meaning section and at least one of
Impact, Diagnosis or Mitigation; its names are its first heading and its
file stem. For each one, a notification naming it is pasted (as
Alertmanager's Slack template writes it) and the first runbook offered is
checked. The sidebar is read as the window shows it.

    python -m benchmarks.alert_corpus LIBRARY [LIBRARY...] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path

from viewer.core.library import Library
from viewer.core.rendering import render_file
from viewer.core.search.index import SearchIndex
from viewer.core.search.refresh import refresh_index
from viewer.core.triage.tree import OTHER, TriageTree

_SECTIONS = {"impact", "diagnosis", "mitigation"}
_URL = re.compile(r"https?://|^\S+\.\S+/\S*$")


def alert_runbooks(library: Library) -> dict[str, set[str]]:
    """{path: alert names} of every file shaped as an alert runbook."""
    found: dict[str, set[str]] = {}
    for rel in library.iter_runbooks():
        if not rel.endswith(".md"):
            continue
        document = render_file(library, rel, with_html=False)
        headings = [h.text.strip() for h in getattr(document, "headings", [])]
        lowered = {h.lower() for h in headings[1:]}
        if headings and "meaning" in lowered and lowered & _SECTIONS:
            found[rel] = {headings[0], rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]}
    return found


def notification(name: str) -> str:
    return (f"[FIRING:1] {name} (namespace=openshift-monitoring severity=warning)\n"
            f"*Alert:* {name} - something is wrong\n*Labels:*\n - alertname = {name}\n"
            " - namespace = openshift-monitoring\n - severity = warning\n")


def is_junk(label: str) -> bool:
    text = label.strip()
    return (not text or bool(_URL.search(text)) or text.endswith(":")
            or text.lower().startswith(("here is", "here are", "this page", "see ")))


def measure(root: Path) -> dict:
    library = Library(root)
    with tempfile.TemporaryDirectory() as scratch:
        index = SearchIndex(Path(scratch) / "index.sqlite3", library.root)
        refresh_index(index, library)
        tree = TriageTree.load(index)
        truth = alert_runbooks(library)
        in_sidebar: set[str] = set()
        labels: list[str] = []
        other = total = 0
        for category in tree.categories:
            for node in category.symptoms:
                total += 1
                other += category.name == OTHER
                labels.append(getattr(node, "label", node.text))
                in_sidebar |= {entry.target.path for entry in tree.scenarios_for(node.key)}
        found_first = wrong = 0
        misses: list[str] = []
        for path, names in sorted(truth.items()):
            ok = True
            for name in sorted(names):
                targets = tree.match_alert(notification(name))
                if targets and targets[0].path == path:
                    continue
                ok = False
                if targets:
                    first = targets[0]
                    first_names = {first.alert.lower(), first.title.lower(),
                                   first.path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()}
                    wrong += name.lower() not in first_names
                misses.append(f"{name} -> {targets[0].path if targets else 'nothing'}")
            found_first += ok
        index.close()
    alerts = len(truth)
    return {
        "library": str(root), "alert_runbooks": alerts,
        "in_sidebar": len(set(truth) & in_sidebar),
        "found_first_by_paste": found_first,
        "wrong_runbook_opened": wrong,
        "symptoms": total, "other_share": round(other / total, 3) if total else 0.0,
        "median_label_chars": statistics.median(len(x) for x in labels) if labels else 0,
        "junk_items": sum(is_junk(x) for x in labels),
        "examples_missed": misses[:8],
        "examples_junk": [x for x in labels if is_junk(x)][:5],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("libraries", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [measure(root) for root in args.libraries]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for r in results:
        share = r["in_sidebar"] / r["alert_runbooks"] if r["alert_runbooks"] else 0
        first = r["found_first_by_paste"] / r["alert_runbooks"] if r["alert_runbooks"] else 0
        print(f"{r['library']}: {r['alert_runbooks']} alert runbooks, {share:.0%} in the sidebar,"
              f" {first:.0%} first by paste, {r['wrong_runbook_opened']} wrong opened; "
              f"{r['symptoms']} symptoms, Other {r['other_share']:.0%}, median label "
              f"{r['median_label_chars']} chars, {r['junk_items']} junk")
        for line in r["examples_missed"][:4]:
            print(f"    missed: {line}")
        for line in r["examples_junk"][:3]:
            print(f"    junk: {line!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
