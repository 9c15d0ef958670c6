"""The symptom tree: categories, then symptoms, then the scenarios that list them.

Symptoms from every runbook are merged when they say the same thing in
nearly the same words ("Too many connections" and "too many connection"),
so one node lists every scenario for it. Categories come from the words of
the symptom. The tree also answers the sidebar's filter (what the engineer
typed, matched forgivingly), the symptom checker (scenarios ranked by how
many ticked symptoms they list) and pasted alert notifications.

The tree reads the search index: its first two levels come from one
grouped query, and a symptom's scenarios are read when it is opened, so
the sidebar fills at once even for thousands of runbooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from viewer.core.search.index import ScenarioRow, SearchIndex

# First match wins, so the specific come before the general ("certificate
# errors" is about certificates, "OOM kills after deploy" about resources).
CATEGORIES: list[tuple[str, tuple[str, ...]]] = [
    ("Security", ("security", "breach", "attack", "ddos", "vulnerab", "intrusion",
                  "suspicious", "leaked", "compromis", "malware")),
    ("Certificates and auth", ("certificate", "cert ", "tls", "ssl", "x509", "handshake",
                               "auth", "token", "401", "403", "login", "credential",
                               "expired")),
    ("Database and connections", ("database", " db", "postgres", "mysql", "sql",
                                  "connection", "pool", "replication", "deadlock", "query",
                                  "queries", "too many clients")),
    ("Cache", ("cache", "redis", "memcache", "evict", "miss rate")),
    ("Queues and jobs", ("queue", "consumer", "lag", "backlog", "job", "kafka", "rabbit",
                         "message", "webhook", "retry", "dead letter")),
    ("Deployments", ("deploy", "rollout", "release", "rollback", "crashloop", "imagepull",
                     "image pull", "migration", "pending", "restarting",
                     "restarts")),
    ("Resources (CPU, memory, disk)", ("cpu", "memory", "oom", "disk", "inode", "iowait",
                                       "load average", "swap", "heap", "file system",
                                       "filesystem", "throttl")),
    ("Latency and timeouts", ("latency", "slow", "timeout", "timed out", "time out", "p95",
                              "p99", "p50", "response time", "late", "delay")),
    ("Availability and outages", ("down", "outage", "unavailable", "503", "health check",
                                  "unreachable", "not responding", "100%", "offline",
                                  "failover", "nxdomain", "dns", "status page", "upstream",
                                  "healthy")),
    ("Errors", ("error", "5xx", "500", "502", "exception", "fail", "crash", "429",
                "reject", "broken", "fatal", "panic")),
]
OTHER = "Other"
_STOP = {"the", "a", "an", "of", "on", "in", "for", "is", "are", "from", "to", "with",
         "at", "by", "and", "or"}
_SEVERITY_RANK = {"P0": 0, "SEV0": 0, "P1": 1, "SEV1": 1, "Critical": 1, "P2": 2, "SEV2": 2,
                  "High": 2, "P3": 3, "SEV3": 3, "Medium": 3, "P4": 4, "SEV4": 4, "Low": 4}


def category_of(text: str) -> str:
    lowered = f" {text.lower()} "
    for name, words in CATEGORIES:
        if any(word in lowered for word in words):
            return name
    return OTHER


def symptom_key(text: str) -> str:
    """What two wordings of the same symptom have in common (case, plurals, small words)."""
    words = re.findall(r"[a-z0-9%<>=.]+", text.lower().replace("'", ""))
    kept = []
    for word in words:
        word = word.strip(".")
        if not word or word in _STOP:
            continue
        kept.append(_singular(word))
    return " ".join(kept)


def _singular(word: str) -> str:
    """"timeouts" -> "timeout", "503s" -> "503"; short words and "-ss" endings stay."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") \
        else word


def severity_rank(severity: str) -> int:
    return _SEVERITY_RANK.get(severity, 9)


def _query_words(text: str) -> list[str]:
    """What the filter looks for: lowercase words, small words dropped, plurals folded."""
    words = []
    for raw in text.lower().split():
        word = raw.strip("\"'`,;:!?()[]{}")
        if not word or word in _STOP or (len(word) == 1 and not word.isdigit()):
            continue
        # "misses" finds "miss rate"; "503s" finds "503 errors".
        word = word[:-2] if word.endswith(("sses", "xes", "ches", "shes")) else _singular(word)
        if word not in words:
            words.append(word)
    return words


_KEYWORDS = {name: " ".join(words) for name, words in CATEGORIES}


@dataclass(frozen=True)
class SymptomMatch:
    """What the filter shows: the symptoms' keys, and how well they match."""

    keys: frozenset[str] | None  # None: nothing typed, every symptom shows
    words: int = 0  # words looked for
    matched: int = 0  # words each shown symptom holds (== words: all of them)

    @property
    def closest(self) -> bool:
        """No symptom holds every word: these are the nearest ones."""
        return self.keys is not None and self.matched < self.words


class Target(NamedTuple):
    """A scenario in one runbook: where a click goes."""

    path: str
    anchor: str
    title: str  # the scenario's name
    document_title: str
    severity: str = ""
    alert: str = ""

    @property
    def badge(self) -> str:
        """The severity to show beside the name; "" when the name says it ("SEV1: API down")."""
        named = re.search(rf"(?<![a-z0-9]){re.escape(self.severity)}(?![a-z0-9])", self.title,
                          re.IGNORECASE) if self.severity else None
        return "" if named else self.severity


class ScenarioEntry(NamedTuple):
    target: Target
    symptoms: list[str]
    branches: list  # [label, anchor] pairs


def entry_of(row: ScenarioRow) -> ScenarioEntry:
    return ScenarioEntry(Target(row.path, row.anchor, row.title, row.document_title,
                                row.severity, row.alert), row.symptoms, row.branches)


def _order(entry: ScenarioEntry) -> tuple[int, str]:
    return severity_rank(entry.target.severity), entry.target.path


@dataclass
class SymptomNode:
    key: str
    text: str
    category: str
    count: int  # scenarios that list it


@dataclass
class Category:
    name: str
    symptoms: list[SymptomNode] = field(default_factory=list)


@dataclass
class TriageTree:
    """Categories and symptoms; scenarios are read from the index on demand."""

    index: SearchIndex | None = None
    categories: list[Category] = field(default_factory=list)
    by_key: dict[str, SymptomNode] = field(default_factory=dict, repr=False)
    _scenarios: dict[str, list[ScenarioEntry]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, index: SearchIndex) -> TriageTree:
        tree = cls(index)
        by_category: dict[str, Category] = {}
        for key, text, category, count in index.symptom_overview():
            node = tree.by_key[key] = SymptomNode(key, text, category, count)
            by_category.setdefault(category, Category(category)).symptoms.append(node)
        for name in [name for name, _ in CATEGORIES] + [OTHER]:
            if name in by_category:
                category = by_category[name]
                # most-listed symptoms first, then alphabetically
                category.symptoms.sort(key=lambda n: (-n.count, n.text.lower()))
                tree.categories.append(category)
        return tree

    @property
    def symptom_count(self) -> int:
        return len(self.by_key)

    def symptom(self, key: str) -> SymptomNode | None:
        return self.by_key.get(key)

    def scenarios_for(self, key: str) -> list[ScenarioEntry]:
        """The scenarios listing symptom ``key``: most severe first, then by path."""
        if key not in self._scenarios:
            rows = self.index.scenario_rows([key]) if self.index is not None else []
            self._scenarios[key] = sorted((entry_of(r) for r in rows), key=_order)
        return self._scenarios[key]

    def match_symptoms(self, text: str) -> SymptomMatch:
        """The symptoms for what the engineer typed ("p95 over 500 ms on checkout").

        Symptoms whose words (or category) hold every typed word, if any;
        else the ones holding the most, a category's keywords counting too
        ("slow" finds the latency symptoms), so one word too many never
        empties the sidebar.
        """
        words = _query_words(text)
        if not words:
            return SymptomMatch(None)
        every = [(node, f"{node.text.lower()} {category.name.lower()}")
                 for category in self.categories for node in category.symptoms]
        exact = frozenset(node.key for node, own in every if all(w in own for w in words))
        if exact:
            return SymptomMatch(exact, len(words), len(words))
        scores: dict[str, int] = {}
        for node, own in every:
            keywords = _KEYWORDS.get(node.category, "")
            scores[node.key] = sum(w in own or w in keywords for w in words)
        best = max(scores.values(), default=0)
        return SymptomMatch(frozenset(k for k, n in scores.items() if n == best and best),
                            len(words), best)

    def rank_ticked(self, ticked: set[str]) -> list[tuple[ScenarioEntry, int]]:
        """Scenarios listing at least one ticked symptom, most ticks first, then severity."""
        if self.index is None or not ticked:
            return []
        counted = [(entry_of(row), n) for row, n in self.index.tick_counts(sorted(ticked))]
        return sorted(counted, key=lambda pair: (-pair[1], *_order(pair[0])))

    def match_alert(self, text: str) -> list[Target]:
        """The scenarios for the alert named in ``text``, best first."""
        names = alert_names(text)
        if not names or self.index is None:
            return []
        results: list[tuple[int, int, Target]] = []
        for row in self.index.alert_rows(names):
            target = entry_of(row).target
            stem = target.path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
            for order, name in enumerate(names):
                lowered = name.lower()
                if target.alert.lower() == lowered:
                    score = 0
                elif stem == lowered:
                    score = 1
                elif lowered in target.title.lower() or lowered in target.document_title.lower():
                    score = 2
                else:
                    continue
                results.append((score, order, target))
                break
        results.sort(key=lambda r: (r[0], r[1], severity_rank(r[2].severity), r[2].path))
        return list(dict.fromkeys(target for _score, _order, target in results))

    def as_json(self) -> dict:
        return {"categories": [
            {"name": c.name, "symptoms": [
                {"text": s.text,
                 "targets": [target_json(e.target) for e in self.scenarios_for(s.key)]}
                for s in c.symptoms]}
            for c in self.categories]}


def target_json(target: Target) -> dict:
    """A target as the command line's JSON shows it (null anchor and severity when none)."""
    return {"path": target.path, "anchor": target.anchor or None, "title": target.title,
            "document": target.document_title, "severity": target.severity or None}


_ALERT_PATTERNS = [
    re.compile(r"alertname\s*[=:]\s*[\"']?([A-Za-z][\w:.-]*)", re.IGNORECASE),
    re.compile(r"\[FIRING(?::\d+)?\]\s*([A-Za-z][\w:.-]*)", re.IGNORECASE),
    re.compile(r"\b([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*){1,})\b"),  # CamelCase names
]


def alert_names(text: str) -> list[str]:
    """Alert names in a pasted notification, most explicit first (``alertname=...``)."""
    found: list[str] = []
    for pattern in _ALERT_PATTERNS:
        for match in pattern.finditer(text):
            name = match.group(1).strip(".:")
            if name and name not in found:
                found.append(name)
    return found
