"""YAML front matter: the metadata block at the top of a runbook, never its text.

Teams put title, owner, severity, last_reviewed, tags and symptoms there.
Bad YAML is not fatal: the runbook still renders, with a notice.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

# What a page's summary line shows, in order (key, label): from the front matter,
# or from the field list a reST page opens with.
SUMMARY_FIELDS = (("severity", "Severity"), ("owner", "Owner"),
                  ("last_reviewed", "Last reviewed"), ("tags", "Tags"),
                  ("alerts", "Alerts"), ("alert", "Alert"))
# Shown under that line: what the engineer sees when this runbook applies.
SYMPTOMS_FIELD = ("symptoms", "Symptoms")
SUMMARY_KEYS = frozenset(key for key, _label in (*SUMMARY_FIELDS, SYMPTOMS_FIELD))


def field_key(name: str) -> str:
    """A metadata key as front matter spells it: "Last reviewed" -> "last_reviewed"."""
    return "_".join(name.lower().replace("-", " ").split())


_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split ``text`` into (yaml source, body, number of lines the front matter used)."""
    match = _FENCE.match(text)
    if not match:
        return "", text, 0
    return match.group(1), text[match.end() :], text[: match.end()].count("\n")


def parse_front_matter(source: str) -> tuple[dict[str, Any], str]:
    """Parse YAML metadata safely; returns (metadata, problem message or "")."""
    if not source.strip():
        return {}, ""
    import yaml  # deferred: most pages have no front matter

    from viewer.core.yaml_budget import YamlTooLarge, load_bounded

    try:
        data = load_bounded(source)
    except YamlTooLarge as err:
        return {}, f"The front matter is too large to read: {err}"
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        return {}, f"The front matter is not valid YAML{where}; it is ignored."
    if data is None:
        return {}, ""
    if not isinstance(data, dict):
        return {}, "The front matter is not a set of 'key: value' lines; it is ignored."
    return {str(k): _plain(v) for k, v in data.items()}, ""


def _plain(value: Any) -> Any:
    """Dates and odd scalars become strings so metadata is JSON-friendly."""
    if isinstance(value, _dt.date | _dt.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def items_of(value: Any) -> list[str]:
    """A metadata field's items, each whole: a list's, or the one string (commas and all)."""
    values = value if isinstance(value, list) else [value]
    return [str(item) for item in values if item is not None and str(item).strip()]


def as_list(value: Any) -> list[str]:
    """A metadata field that may be one string or a list, as a list of strings."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None and str(v).strip()]
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(value)]
