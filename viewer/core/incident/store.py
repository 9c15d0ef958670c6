"""Where incidents live (the data folder), and which one is active.

One incident is active at a time: its id is in ``incidents/active``, written
atomically, read by the window and the command line alike. Past incidents
stay in the folder and can be read (never changed) at any time.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from viewer.core.config import write_atomically
from viewer.core.incident.log import IncidentLog, utc_now
from viewer.locations import data_dir

_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{4}$")


def incidents_dir() -> Path:
    return data_dir() / "incidents"


def _active_file() -> Path:
    return incidents_dir() / "active"


@dataclass(frozen=True)
class IncidentSummary:
    id: str
    title: str
    started: str
    ended: str  # "" while it is going on
    events: int


def log_of(incident_id: str) -> IncidentLog:
    if not _ID.match(incident_id):
        raise ValueError(f"{incident_id!r} is not an incident id")
    return IncidentLog(incidents_dir() / f"{incident_id}.jsonl")


def start(title: str, alert: str = "", labels: dict[str, str] | None = None,
          moment: datetime | None = None) -> str:
    """Begin an incident (ending none: the caller ends the active one first) and make it
    the active one. Returns its id."""
    moment = moment or utc_now()
    incident_id = f"{moment.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"
    log_of(incident_id).append("started", moment, title=title.strip() or "Incident",
                               alert=alert, labels=dict(labels or {}))
    write_atomically(_active_file(), incident_id + "\n")
    return incident_id


def active_id() -> str:
    """The active incident's id, or "" when none is (or its file is gone)."""
    try:
        incident_id = _active_file().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    if not _ID.match(incident_id) or not log_of(incident_id).path.exists():
        return ""
    return incident_id


def end(incident_id: str, moment: datetime | None = None) -> None:
    """Mark the incident resolved; it is no longer the active one."""
    log_of(incident_id).append("resolved", moment)
    if active_id() == incident_id:
        _active_file().unlink(missing_ok=True)


def incidents() -> list[IncidentSummary]:
    """Every incident in the folder, newest first."""
    found = []
    for path in incidents_dir().glob("*.jsonl"):
        if not _ID.match(path.stem):
            continue
        events = IncidentLog(path).events()
        if not events or events[0].get("kind") != "started":
            continue
        ended = next((e.get("at", "") for e in reversed(events) if e["kind"] == "resolved"), "")
        found.append(IncidentSummary(path.stem, str(events[0].get("title", "")),
                                     str(events[0].get("at", "")), str(ended), len(events)))
    return sorted(found, key=lambda s: s.id, reverse=True)
