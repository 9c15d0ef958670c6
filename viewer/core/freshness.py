"""How fresh a runbook is: reviewed when and by whom, changed when, owned by whom.

Read from what teams already write, in this order: the page's front matter
(``last_reviewed``, ``review_by`` or ``review_interval``, ``owner``; the GOV.UK
template's ``last_reviewed_on`` and ``review_in``), a
g3doc-style freshness comment, then what the caller found elsewhere (the
file's last commit, OWNERS and CODEOWNERS files). A date that cannot be
known is said to be unknown: never a guessed one. Staleness is shown, it
never hides or down-ranks a runbook.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from viewer.core.frontmatter import as_list, field_key
from viewer.core.library_config import FreshnessSettings

FRESH, DUE, OVERDUE, UNKNOWN = "fresh", "due", "overdue", "unknown"

# last_reviewed_on and review_in: the GOV.UK technical documentation template's page review.
_REVIEWED_KEYS = ("last_reviewed", "reviewed", "last_review", "reviewed_on", "review_date",
                  "last_reviewed_on")
_REVIEW_BY_KEYS = ("review_by", "next_review", "review_due")
_INTERVAL_KEYS = ("review_interval", "review_every", "review_in")
_REVIEWER_KEYS = ("reviewed_by", "reviewer")
_OWNER_KEYS = ("owner", "owners", "team")
_G3DOC = re.compile(r"<!--\*\s*freshness\s*:\s*\{(?P<body>.{0,2000}?)\}\s*\*-->", re.S)
_G3DOC_PAIR = re.compile(r"(\w+)\s*:\s*(?:'([^']*)'|\"([^\"]*)\"|([^\s'\"}]+))")
_DURATION = re.compile(r"^\s*(\d{1,5})\s*(d|days?|w|weeks?|m|mo|months?|y|years?)?\s*$", re.I)
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "mo": 30, "y": 365}
_NAMED_INTERVALS = {"weekly": 7, "monthly": 30, "quarterly": 91, "yearly": 365, "annually": 365}


@dataclass
class ReviewFacts:
    """What a page itself says about its review, and what of it could not be read."""

    reviewed: dt.date | None = None
    review_by: dt.date | None = None
    interval_days: int | None = None
    # "6 months", "1y", "quarterly": counted on the calendar, as the sites that write
    # them do (GOV.UK's template: last_reviewed_on + review_in), not as 30-day months.
    interval_months: int | None = None
    reviewer: str = ""
    owners: list[str] = field(default_factory=list)
    # (field as written, value as written, message) for each value that is not a date
    malformed: list[tuple[str, str, str]] = field(default_factory=list)
    exempt: bool = False  # g3doc's "exempt: true": reviews are not tracked for this page


@dataclass(frozen=True)
class LastChange:
    """The file's last commit, or why it is not known (a shallow copy, not a git source)."""

    when: dt.datetime | None = None
    author: str = ""
    commit: str = ""
    unknown_because: str = ""

    @property
    def known(self) -> bool:
        return self.when is not None


@dataclass(frozen=True)
class Freshness:
    state: str  # fresh | due | overdue | unknown
    line: str  # the quiet line under the page's title
    review_by: dt.date | None = None
    owners: tuple[str, ...] = ()


def review_facts(metadata: dict[str, Any], text: str = "") -> ReviewFacts:
    """The review dates, reviewer and owners a page states, front matter first."""
    facts = ReviewFacts()
    fields = {field_key(str(k)): v for k, v in metadata.items()}
    g3doc = _g3doc_fields(text) if text else {}
    for key in _REVIEWED_KEYS:
        if fields.get(key) not in (None, ""):
            facts.reviewed = _date(key, fields[key], facts)
            break
    else:
        if g3doc.get("reviewed"):
            facts.reviewed = _date("reviewed", g3doc["reviewed"], facts)
    for key in _REVIEW_BY_KEYS:
        if fields.get(key) not in (None, ""):
            facts.review_by = _date(key, fields[key], facts)
            break
    for key, source in [(k, fields) for k in _INTERVAL_KEYS] + [("review_interval", g3doc)]:
        if source.get(key) not in (None, ""):
            facts.interval_days = _interval(key, source[key], facts)
            facts.interval_months = _months(source[key])
            break
    facts.reviewer = next((str(fields[k]).strip() for k in _REVIEWER_KEYS if fields.get(k)), "")
    for key in _OWNER_KEYS:
        if fields.get(key):
            facts.owners = as_list(fields[key])
            break
    else:
        if g3doc.get("owner"):
            facts.owners = as_list(g3doc["owner"])
    facts.exempt = str(g3doc.get("exempt", "")).lower() == "true"
    return facts


def _g3doc_fields(text: str) -> dict[str, str]:
    match = _G3DOC.search(text, 0, 64 * 1024)  # it sits near the top; never scan a whole book
    if not match:
        return {}
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
            for m in _G3DOC_PAIR.finditer(match.group("body"))}


def _date(key: str, value: Any, facts: ReviewFacts) -> dt.date | None:
    text = str(value).strip()
    if text[10:11] in ("", "T", " "):  # a date, or the date of a date and time
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(text[:10])
    facts.malformed.append((key, text, f"{key} {text!r} is not a date (write YYYY-MM-DD)"))
    return None


def _interval(key: str, value: Any, facts: ReviewFacts) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 36500:
        return value
    text = str(value).strip().lower()
    if text in _NAMED_INTERVALS:
        return _NAMED_INTERVALS[text]
    match = _DURATION.match(text)
    if match and int(match.group(1)) > 0:
        unit = (match.group(2) or "d").lower()
        unit = "mo" if unit.startswith("mo") else unit[0]
        return int(match.group(1)) * _UNIT_DAYS[unit]
    facts.malformed.append((key, str(value), f"{key} {value!r} is not a duration "
                                             "(write 90d, 12w, 6 months or 1y)"))
    return None


_NAMED_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12, "annually": 12}
_MONTH_UNITS = {"m": 1, "mo": 1, "month": 1, "months": 1, "y": 12, "year": 12, "years": 12}


def _months(value: Any) -> int | None:
    """The interval in calendar months, when it is written in months or years."""
    text = str(value).strip().lower()
    if text in _NAMED_MONTHS:
        return _NAMED_MONTHS[text]
    match = _DURATION.match(text)
    if match and int(match.group(1)) > 0 and (match.group(2) or "").lower() in _MONTH_UNITS:
        return int(match.group(1)) * _MONTH_UNITS[match.group(2).lower()]
    return None


def _after(start: dt.date, facts: ReviewFacts, default_days: int) -> dt.date:
    """``start`` plus the page's interval (calendar months where it gives months; the
    last day of a shorter month, as Jan 31 + 1 month is Feb 28), else the library's."""
    if facts.interval_months:
        month = start.month - 1 + facts.interval_months
        year, month = start.year + month // 12, month % 12 + 1
        last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        return dt.date(year, month, min(start.day, last_day))
    return start + dt.timedelta(days=facts.interval_days or default_days)


def review_due(facts: ReviewFacts, settings: FreshnessSettings) -> dt.date | None:
    """When the page's next review is due: its own date, else its last review plus the
    interval (the page's, else the library's); None when it states no review."""
    if facts.review_by is not None:
        return facts.review_by
    if facts.reviewed is None:
        return None
    return _after(facts.reviewed, facts, settings.review_interval_days)


def freshness_of(facts: ReviewFacts, change: LastChange | None, settings: FreshnessSettings,
                 today: dt.date, owners: list[str] | None = None) -> Freshness:
    """The page's state and the line that says it.

    The review date decides when there is one; otherwise, where the library asks for
    reviews, the last change does (the last time someone looked at the page); else unknown.
    """
    owners = facts.owners or list(owners or [])
    due = review_due(facts, settings)
    if due is None and change is not None and change.known and not facts.exempt and \
            settings.changes_count:
        assert change.when is not None
        due = _after(change.when.date(), facts, settings.review_interval_days)
    if facts.exempt or due is None:
        state = UNKNOWN
    elif today > due:
        state = OVERDUE
    elif (due - today).days <= settings.due_soon_days:
        state = DUE
    else:
        state = FRESH
    parts: list[str] = []
    if facts.reviewed is not None:
        by = f" by {facts.reviewer}" if facts.reviewer else ""
        parts.append(f"Reviewed {age_words(facts.reviewed, today)}{by}")
    elif facts.malformed:
        parts.append("Review date unreadable")
    if change is not None:
        if change.known:
            assert change.when is not None
            commit = f" ({change.commit[:7]})" if change.commit else ""
            author = f" by {change.author}" if change.author and facts.reviewed is None else ""
            parts.append(f"changed {age_words(change.when.date(), today)}{author}{commit}")
        else:
            parts.append("history unknown")
    if owners:
        more = f" +{len(owners) - 3}" if len(owners) > 3 else ""
        parts.append(f"owner: {', '.join(owners[:3])}{more}")
    if state == OVERDUE and due is not None:
        parts.append(f"review overdue since {due.isoformat()}")
    elif state == DUE and due is not None:
        parts.append(f"review due {due.isoformat()}")
    line = " · ".join(parts)
    return Freshness(state, line[:1].upper() + line[1:], due, tuple(owners))


def age_words(when: dt.date, today: dt.date) -> str:
    """"today", "yesterday", "41 days ago", "5 months ago", "3 years ago", "in 4 days"."""
    days = (today - when).days
    if days < 0:
        return f"in {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


HEAD_BYTES = 16 * 1024  # front matter and a freshness comment sit at the top of a page


_HEADS: dict[tuple[str, str], tuple[tuple[int, int], ReviewFacts]] = {}  # (root, path) ->
_HEADS_KEPT = 20_000  # (file's size and time, what its head says about reviews)


def overdue_pages(library, paths: list[str],  # type: ignore[no-untyped-def]
                  today: dt.date | None = None) -> set[str]:
    """Which of ``paths`` (a page of search or symptom results) are past their review date
    (``today`` by default), for a small mark beside them, never to hide or rank them.
    Each file's head is read through the library's gate once, then again only when the
    file changes: this runs at every search as the reader types."""
    from viewer.core.library_config import library_config_for

    today = today or dt.date.today()
    found = set()
    for rel in dict.fromkeys(paths):
        facts = _head_facts(library, rel)
        if facts is None:
            continue
        config, _note = library_config_for(library, rel)
        due = review_due(facts, config.freshness)
        if due is not None and not facts.exempt and today > due:
            found.add(rel)
    return found


def _head_facts(library, rel: str) -> ReviewFacts | None:  # type: ignore[no-untyped-def]
    from viewer.core.frontmatter import parse_front_matter, split_front_matter

    try:
        info = library.resolve(rel).stat()
    except Exception:  # gone or refused: no mark
        return None
    key, stamp = (str(library.root), rel), (info.st_size, info.st_mtime_ns)
    kept = _HEADS.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    try:
        data, _ = library.read_bytes(rel)  # the gate, as for every read
    except Exception:  # refused or too large: no mark
        return None
    text = data[:HEAD_BYTES].decode("utf-8", "replace")
    metadata, _problem = parse_front_matter(split_front_matter(text)[0])
    facts = review_facts(metadata, text)
    if len(_HEADS) >= _HEADS_KEPT:
        _HEADS.clear()
    _HEADS[key] = (stamp, facts)
    return facts
