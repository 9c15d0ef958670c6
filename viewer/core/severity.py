"""Severity levels as runbooks write them (P1, SEV 2, Severity 3, Critical), in one form."""

from __future__ import annotations

import re

SEVERITY_PATTERN = re.compile(
    r"\b(P[0-4]|SEV[ -]?[0-4]|Severity[ -]?[0-4]|Critical|High|Medium|Low)\b", re.IGNORECASE)


def normalize_severity(value: str) -> str:
    """"sev 1" -> "SEV1", "p2" -> "P2", "critical" -> "Critical"; "" when not a severity."""
    match = SEVERITY_PATTERN.search(value or "")
    if not match:
        return ""
    word = match.group(1)
    compact = re.sub(r"[ -]", "", word).upper()
    if compact.startswith("SEVERITY"):
        return "SEV" + compact[-1]
    if compact[0] in "PS" and compact[-1].isdigit():
        return compact
    return word.capitalize()
