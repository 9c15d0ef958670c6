"""What can be ticked in a runbook during an incident, and each step's lasting identity.

Steps are "Step N" headings, numbered-list items under a step heading or a
procedure section (Mitigation, Steps, Verification...), task-list items,
"If ...:" branches and code blocks. A step is known by its heading path and
its own text, normalised (case, spaces, step numbers): a step inserted above
it, or its section renumbered, leaves its identity and its tick alone.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_STEP_HEADING = re.compile(r"^\s*(?:step\s*\d+\b|\d+[.)]\s)", re.IGNORECASE)
_STEP_NUMBER = re.compile(r"^\s*(?:step\s*\d+\s*[:.)\-–—]?\s*|\d+[.)]\s+)", re.IGNORECASE)
PROCEDURE_SECTIONS = frozenset({
    "steps", "procedure", "mitigation", "remediation", "resolution", "recovery", "fix",
    "verification", "verify", "rollback", "checklist", "diagnosis", "investigation",
    "runbook", "actions", "instructions", "how to fix", "what to do",
})


@dataclass(frozen=True)
class Step:
    id: str
    kind: str  # "heading" | "item" | "task" | "branch" | "code"
    text: str
    anchor: str  # the section it is in (its own, for a heading)


def normalised(text: str) -> str:
    return " ".join(_STEP_NUMBER.sub("", text).lower().split()).strip(" .:;")


def is_step_heading(text: str) -> bool:
    return bool(_STEP_HEADING.match(text))


def is_procedure(path: list[str]) -> bool:
    """Whether a heading path is inside a step or a procedure section."""
    return any(is_step_heading(h) or normalised(h) in PROCEDURE_SECTIONS for h in path)


def is_branch(label: str) -> bool:
    lowered = label.strip().lower()
    return lowered.startswith("if ") and lowered.endswith(":")


class StepNamer:
    """Gives the steps of one page their ids, in reading order."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def name(self, path: list[str], text: str) -> str:
        key = "\x1f".join(normalised(h) for h in path) + "\x1e" + normalised(text)
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        count = self._seen.get(digest, 0) + 1
        self._seen[digest] = count
        return digest if count == 1 else f"{digest}-{count}"
