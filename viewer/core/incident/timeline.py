"""An incident's events replayed: what happened when, which steps are ticked, what was used.

A ``retime`` event moves another event to the time the engineer says it
happened; the timeline is ordered by that time. Ticks are keyed by the
runbook and the step's identity (see ``steps``), so the last tick or untick
of a step is its state, wherever the step has moved in the runbook since.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from viewer.core.incident.log import parse_stamp


@dataclass
class Entry:
    id: str
    kind: str
    at: str  # when it was recorded, UTC
    when: str  # when it happened (back-dated, or = at), UTC
    text: str  # what happened, in words
    event: dict = field(default_factory=dict)


@dataclass
class Timeline:
    id: str = ""
    title: str = ""
    started: str = ""
    ended: str = ""
    alert: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    ticks: dict[tuple[str, str], bool] = field(default_factory=dict)  # (path, step) -> ticked
    runbooks: dict[str, str] = field(default_factory=dict)  # path -> version when first opened
    variables: dict[str, str] = field(default_factory=dict)  # name -> "value (source)"

    @classmethod
    def replay(cls, incident_id: str, events: list[dict]) -> Timeline:
        timeline = cls(id=incident_id)
        retimed = {e.get("target"): e.get("when") for e in events
                   if e["kind"] == "retime" and parse_stamp(str(e.get("when")))}
        for event in events:
            kind = event["kind"]
            if kind == "retime":
                continue
            at = str(event.get("at", ""))
            when = str(retimed.get(event.get("id"), at))
            if kind == "started":
                timeline.title = str(event.get("title", ""))
                timeline.started, timeline.alert = when, str(event.get("alert", ""))
                labels = event.get("labels")
                timeline.labels = dict(labels) if isinstance(labels, dict) else {}
            elif kind == "resolved":
                timeline.ended = when
            elif kind == "opened":
                timeline.runbooks.setdefault(str(event.get("path", "")),
                                             str(event.get("version", "")))
            elif kind == "tick":
                key = (str(event.get("path", "")), str(event.get("step", "")))
                timeline.ticks[key] = bool(event.get("ticked", True))
            elif kind == "variable":
                value = "(secret)" if event.get("secret") else str(event.get("value", ""))
                timeline.variables[str(event.get("name", ""))] = (
                    f"{value} ({event.get('source', 'typed')})")
            timeline.entries.append(Entry(str(event.get("id", "")), kind, at, when,
                                          describe(event), event))
        timeline.entries.sort(key=lambda entry: entry.when)  # stable: same second keeps order
        return timeline

    @property
    def ticked(self) -> set[tuple[str, str]]:
        return {key for key, on in self.ticks.items() if on}


def describe(event: dict) -> str:
    """One event in words, as the timeline and the hand-over show it."""
    kind = event["kind"]
    where = str(event.get("path", "")) + (f"#{event['anchor']}" if event.get("anchor") else "")
    if kind == "started":
        alert = f" (alert: {_one_line(event.get('alert', ''))})" if event.get("alert") else ""
        return f"Incident started: {event.get('title', '')}{alert}"
    if kind == "resolved":
        return "Incident resolved"
    if kind == "opened":
        version = f" at {event['version']}" if event.get("version") else ""
        return f"Opened {where}{version}"
    if kind == "tick":
        verb = "Done" if event.get("ticked", True) else "Not done after all"
        return f"{verb}: {_one_line(event.get('text', ''))} ({where})"
    if kind == "copied":
        return f"Copied (not necessarily ran) from {where}: {_one_line(event.get('text', ''))}"
    if kind == "variable":
        if event.get("secret"):
            return f"Variable {event.get('name')} set ({event.get('source', 'typed')}; secret)"
        return (f"Variable {event.get('name')} = {event.get('value', '')} "
                f"({event.get('source', 'typed')})")
    if kind == "note":
        return f"Note: {event.get('text', '')}"
    return kind


def _one_line(text: object, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"
