"""Alert paste and the symptom sidebar, measured on a real runbook library.

Ground truth comes from the files themselves, not from the app: an alert
runbook is a Markdown file with a Meaning section and at least one of
Impact, Diagnosis or Mitigation; its names are its first heading and its
file stem. A page whose front matter says ``type: Alert`` is one too, named by
its title. For each one, a notification naming it is pasted (as
Alertmanager's Slack template writes it) and the first runbook offered is
checked. The sidebar is read as the window shows it.

    python -m benchmarks.alert_corpus LIBRARY [LIBRARY...] [--json]
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.corpus_cli import corpus_main
from viewer.core.library import Library
from viewer.core.rendering import render_file
from viewer.core.search.index import SearchIndex
from viewer.core.search.refresh import refresh_index
from viewer.core.triage.tree import OTHER, TriageTree

_SECTIONS = {"impact", "diagnosis", "mitigation"}
_URL_ONLY = re.compile(r"^[(<\[]*(?:https?://|www\.)\S*$")


_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def alert_runbooks(library: Library) -> dict[str, set[str]]:
    """{path: alert names} of every file shaped as an alert runbook, or holding alerts:
    headings of alert names under an "Alerts" heading (playbooks), or rows of a
    Name | Summary table of alerts."""
    found: dict[str, set[str]] = {}
    for rel in library.iter_runbooks():
        if not rel.endswith(".md"):
            continue
        document = render_file(library, rel, with_html=False)
        headings = [h.text.strip() for h in getattr(document, "headings", [])]
        lowered = [h.lower() for h in headings[1:]]
        if headings and lowered.count("meaning") == 1 and set(lowered) & _SECTIONS:
            found[rel] = {name for name in (headings[0], rel.rsplit("/", 1)[-1].rsplit(".", 1)[0])
                          if _NAME.match(name)}
            continue
        metadata = getattr(document, "metadata", {})
        if str(metadata.get("type") or "").strip().lower() == "alert" and document.title:
            found[rel] = {document.title.strip()}  # its front matter says so, and names it
            continue
        names: set[str] = set()
        under_alerts, level = False, 0
        for heading in getattr(document, "headings", []):
            if heading.text.strip().lower() in ("alerts", "playbooks"):
                under_alerts, level = True, heading.level
            elif under_alerts and heading.level <= level:
                under_alerts, level = False, 0
            elif under_alerts and heading.level == level + 1 and _NAME.match(heading.text):
                names.add(heading.text.strip())
        header: list[str] = []
        # A table of metrics or settings is not one of alerts: the page's title or the
        # table's heading says alerts (kubevirt's metrics.md lists 160 metrics so).
        page_of_alerts = "alert" in (getattr(document, "title", "") or "").lower()
        about_alerts = page_of_alerts
        for block in getattr(document, "blocks", []):
            if block.kind == "heading":
                about_alerts = page_of_alerts or "alert" in block.text.lower()
            cells = [c.strip().lower() for c in block.text.split(" | ")] \
                if block.kind == "table_row" else []
            if "name" in cells and ("summary" in cells or "description" in cells) \
                    and about_alerts:
                header = cells
            elif header and cells and _NAME.match(block.text.split(" | ")[0].strip()):
                names.add(block.text.split(" | ")[header.index("name")].strip())
            elif block.kind != "table_row":
                header = []
        if names:
            found[rel] = names
    return found


def notification(name: str) -> str:
    return (f"[FIRING:1] {name} (namespace=openshift-monitoring severity=warning)\n"
            f"*Alert:* {name} - something is wrong\n*Labels:*\n - alertname = {name}\n"
            " - namespace = openshift-monitoring\n - severity = warning\n")


def is_junk(label: str) -> bool:
    text = label.strip()
    return (not text or bool(_URL_ONLY.match(text)) or text.endswith(":")
            or text.lower().startswith(("here is", "here are", "this page", "see ")))


def measure(root: Path) -> dict:
    library = Library(root)
    with tempfile.TemporaryDirectory() as scratch:
        index = SearchIndex(Path(scratch) / "index.sqlite3", library.root)
        refresh_index(index, library)
        tree = TriageTree.load(index)
        truth = alert_runbooks(library)
        in_sidebar: set[str] = set()
        named: set[str] = set()
        labels: list[str] = []
        texts: list[str] = []
        other = total = 0
        for category in tree.categories:
            for node in category.symptoms:
                total += 1
                other += category.name == OTHER
                labels.append(getattr(node, "label", node.text))
                texts.append(node.text)
                in_sidebar |= {entry.target.path for entry in tree.scenarios_for(node.key)}
                named |= {a.lower() for a in getattr(node, "alerts", ())}
        found_first = wrong = 0
        misses: list[str] = []
        holders: dict[str, set[str]] = {}
        for path, names in truth.items():  # some alerts have two runbooks; either is right
            for name in names:
                holders.setdefault(name.lower(), set()).add(path)
        alerts = sum(len(names) for names in truth.values())
        shown = 0
        for path, names in sorted(truth.items()):
            for name in sorted(names):
                one_alert_file = len(names) <= 2
                shown += name.lower() in named or (one_alert_file and path in in_sidebar)
                targets = tree.match_alert(notification(name))
                if targets and targets[0].path in holders[name.lower()]:
                    found_first += 1
                    continue
                if targets:
                    first = targets[0]
                    first_names = {first.alert.lower(), first.title.lower(),
                                   first.path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()}
                    wrong += name.lower() not in first_names
                misses.append(f"{name} -> {targets[0].path if targets else 'nothing'}")
        index.close()
    return {
        "library": str(root), "alert_runbooks": len(truth), "alerts": alerts,
        "in_sidebar": shown,
        "found_first_by_paste": found_first,
        "wrong_runbook_opened": wrong,
        "symptoms": total, "other_share": round(other / total, 3) if total else 0.0,
        "median_label_chars": statistics.median(len(x) for x in labels) if labels else 0,
        "junk_items": sum(is_junk(x) for x in texts),
        "examples_missed": misses[:8],
        "examples_junk": [x for x in texts if is_junk(x)][:5],
    }


def report(r: dict) -> None:
    share = r["in_sidebar"] / r["alerts"] if r["alerts"] else 0
    first = r["found_first_by_paste"] / r["alerts"] if r["alerts"] else 0
    print(f"{r['library']}: {r['alert_runbooks']} files, {r['alerts']} alerts, "
          f"{share:.0%} in the sidebar,"
          f" {first:.0%} first by paste, {r['wrong_runbook_opened']} wrong opened; "
          f"{r['symptoms']} symptoms, Other {r['other_share']:.0%}, median label "
          f"{r['median_label_chars']} chars, {r['junk_items']} junk")
    for line in r["examples_missed"][:4]:
        print(f"    missed: {line}")
    for line in r["examples_junk"][:3]:
        print(f"    junk: {line!r}")


def main() -> int:
    return corpus_main(__doc__.split("\n\n")[0], measure, report)


if __name__ == "__main__":
    sys.exit(main())
