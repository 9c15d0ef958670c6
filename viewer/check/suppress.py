"""Suppression comments: an author's "this one is on purpose", written in the page.

Markdown ``<!-- runbook-viewer: disable RV009 -->``, reST
``.. runbook-viewer: disable RV009`` and YAML ``# runbook-viewer: disable RV013``.
``disable`` holds to the end of the file or to a matching ``enable``;
``disable-next-line`` holds for the line after the comment. Rules are
named by ID or name, separated by commas or spaces; none named means all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from viewer.check.rules import rule_named

_COMMENT = re.compile(
    r"(?:<!--|^\s*\.\.|^\s*#)\s*runbook-viewer\s*:\s*"
    r"(?P<verb>disable-next-line|disable|enable)\b(?P<rules>[^\n]*?)\s*(?:-->|$)",
    re.MULTILINE)
ALL = "*"


@dataclass
class Suppressions:
    """Which rules are off on which lines of one file."""

    # (rule ID or ALL, first line, last line or None for the end of the file)
    ranges: list[tuple[str, int, int | None]] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (line, name) not a rule

    def allows(self, rule_id: str, line: int) -> bool:
        for rule, first, last in self.ranges:
            if rule in (rule_id, ALL) and first <= line and (last is None or line <= last):
                return False
        return True


def read_suppressions(text: str) -> Suppressions:
    found = Suppressions()
    if "runbook-viewer" not in text:
        return found
    open_from: dict[str, int] = {}
    for match in _COMMENT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        names = [n for n in re.split(r"[\s,]+", match.group("rules").strip()) if n]
        rules = []
        for name in names:
            rule = rule_named(name)
            if rule is None:
                found.unknown.append((line, name))
            else:
                rules.append(rule.id)
        if not names:
            rules = [ALL]
        verb = match.group("verb")
        for rule in rules:
            if verb == "disable-next-line":
                found.ranges.append((rule, line + 1, line + 1))
            elif verb == "disable":
                open_from.setdefault(rule, line)
            elif rule in open_from:
                found.ranges.append((rule, open_from.pop(rule), line))
    found.ranges += [(rule, first, None) for rule, first in open_from.items()]
    return found
