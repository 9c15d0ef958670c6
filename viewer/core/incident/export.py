"""The hand-over: an incident as Markdown, as JSON, and as Slack messages.

Times are UTC everywhere in the hand-over (the reader may be in another
zone). Secret variables appear by name only: their values were never
recorded. Slack messages are cut at line ends to stay under its limit.
"""

from __future__ import annotations

import json

from viewer.core.incident.timeline import Timeline

SLACK_LIMIT = 4000  # characters Slack shows in one message before it truncates


def _time(stamp: str) -> str:
    return stamp.replace("T", " ").replace("Z", "") if stamp else "-"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def markdown(timeline: Timeline) -> str:
    """A summary, the timeline as a table, the variables used and the runbooks with versions."""
    state = f"resolved {_time(timeline.ended)} UTC" if timeline.ended else "still open"
    lines = [f"# Incident: {timeline.title}", "",
             f"- Started: {_time(timeline.started)} UTC", f"- State: {state}"]
    if timeline.alert:
        lines.append(f"- Alert: {_cell(timeline.alert)}")
    done = sum(timeline.ticks.values())
    lines += [f"- Steps done: {done}", f"- Runbooks used: {len(timeline.runbooks)}", "",
              "## Timeline", "", "| Time (UTC) | Event |", "|---|---|"]
    lines += [f"| {_time(e.when)} | {_cell(e.text)} |" for e in timeline.entries]
    if timeline.variables:
        lines += ["", "## Variables", "", "| Name | Value (source) |", "|---|---|"]
        lines += [f"| {_cell(n)} | {_cell(v)} |" for n, v in sorted(timeline.variables.items())]
    if timeline.runbooks:
        lines += ["", "## Runbooks", "", "| Runbook | Version when first opened |", "|---|---|"]
        lines += [f"| {_cell(p)} | {_cell(v or '-')} |" for p, v in timeline.runbooks.items()]
    return "\n".join(lines) + "\n"


def as_json(timeline: Timeline) -> str:
    return json.dumps({
        "id": timeline.id, "title": timeline.title, "started": timeline.started,
        "ended": timeline.ended or None, "alert": timeline.alert, "labels": timeline.labels,
        "events": [{"time": e.when, "recorded": e.at, "kind": e.kind, "text": e.text}
                   for e in timeline.entries],
        "variables": timeline.variables, "runbooks": timeline.runbooks,
    }, indent=2, ensure_ascii=False) + "\n"


def slack(timeline: Timeline, limit: int = SLACK_LIMIT) -> list[str]:
    """Slack messages, each under ``limit`` characters, in order; a line longer than a
    message is cut (it is in the Markdown export whole)."""
    state = "resolved" if timeline.ended else "open"
    lines = [f"*Incident: {timeline.title}* ({state}, started {_time(timeline.started)} UTC)"]
    lines += [f"`{_time(e.when)[11:]}` {e.text}" for e in timeline.entries]
    if timeline.variables:
        lines.append("*Variables:* " + ", ".join(f"{n} = {v}"
                                                 for n, v in sorted(timeline.variables.items())))
    if timeline.runbooks:
        lines.append("*Runbooks:* " + ", ".join(f"{p} ({v or '-'})"
                                                for p, v in timeline.runbooks.items()))
    messages: list[str] = []
    current = ""
    for line in lines:
        if len(line) > limit - 20:
            line = line[:limit - 21] + "…"
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit - 20:  # room for the "(2/3)" mark
            messages.append(current)
            candidate = line
        current = candidate
    if current:
        messages.append(current)
    if len(messages) > 1:
        messages = [f"{m}\n({i}/{len(messages)})" for i, m in enumerate(messages, 1)]
    return messages
