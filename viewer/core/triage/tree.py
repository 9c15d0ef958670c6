"""The symptom tree: categories, then symptoms, then the scenarios that list them.

Symptoms from every runbook are merged when they say the same thing in
nearly the same words ("Too many connections" and "too many connection"),
so one node lists every scenario for it. Categories come from the words of
the symptom. The tree also answers the symptom checker (scenarios ranked
by how many ticked symptoms they list) and pasted alert notifications.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from viewer.core.triage.extract import Scenario

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
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        kept.append(word)
    return " ".join(kept)


def severity_rank(severity: str) -> int:
    return _SEVERITY_RANK.get(severity, 9)


@dataclass(frozen=True)
class Target:
    """A scenario in one runbook: where a click goes."""

    path: str
    anchor: str
    title: str  # the scenario's name
    document_title: str
    severity: str = ""
    alert: str = ""


@dataclass
class ScenarioEntry:
    target: Target
    symptoms: list[str]
    branches: list[tuple[str, str]]  # (label, anchor)


@dataclass
class SymptomNode:
    key: str
    text: str
    category: str
    scenarios: list[ScenarioEntry] = field(default_factory=list)


@dataclass
class Category:
    name: str
    symptoms: list[SymptomNode] = field(default_factory=list)


@dataclass
class TriageTree:
    categories: list[Category] = field(default_factory=list)
    scenarios: list[ScenarioEntry] = field(default_factory=list)

    def symptom(self, key: str) -> SymptomNode | None:
        for category in self.categories:
            for node in category.symptoms:
                if node.key == key:
                    return node
        return None

    def as_json(self) -> dict:
        return {"categories": [
            {"name": c.name, "symptoms": [
                {"text": s.text, "targets": [_target_json(e.target) for e in s.scenarios]}
                for s in c.symptoms]}
            for c in self.categories]}


def _target_json(target: Target) -> dict:
    return {"path": target.path, "anchor": target.anchor or None, "title": target.title,
            "document": target.document_title, "severity": target.severity or None}


def build_tree(documents: list[tuple[str, str, list[Scenario]]]) -> TriageTree:
    """The tree from (path, document title, scenarios) of every runbook."""
    tree = TriageTree()
    nodes: dict[str, SymptomNode] = {}
    for path, document_title, scenarios in documents:
        for scenario in scenarios:
            entry = ScenarioEntry(
                Target(path, scenario.anchor, scenario.title, document_title, scenario.severity,
                       scenario.alert),
                scenario.symptoms, [(b.label, b.anchor) for b in scenario.branches])
            tree.scenarios.append(entry)
            for text in scenario.symptoms:
                key = symptom_key(text)
                if not key:
                    continue
                node = nodes.get(key)
                if node is None:
                    node = nodes[key] = SymptomNode(key, text, category_of(text))
                if entry not in node.scenarios:
                    node.scenarios.append(entry)
    by_category: dict[str, Category] = {}
    for node in nodes.values():
        node.scenarios.sort(key=lambda e: (severity_rank(e.target.severity), e.target.path))
        by_category.setdefault(node.category, Category(node.category)).symptoms.append(node)
    order = [name for name, _ in CATEGORIES] + [OTHER]
    for name in order:
        if name in by_category:
            category = by_category[name]
            # most-referenced symptoms first, then alphabetically
            category.symptoms.sort(key=lambda n: (-len(n.scenarios), n.text.lower()))
            tree.categories.append(category)
    return tree


def rank_by_ticks(tree: TriageTree, ticked: set[str]) -> list[tuple[ScenarioEntry, int]]:
    """Scenarios listing at least one ticked symptom, most ticks first, then severity."""
    counts: dict[int, tuple[ScenarioEntry, int]] = {}
    for key in ticked:
        node = tree.symptom(key)
        if node is None:
            continue
        for entry in node.scenarios:
            previous = counts.get(id(entry), (entry, 0))[1]
            counts[id(entry)] = (entry, previous + 1)
    return sorted(counts.values(), key=lambda pair: (
        -pair[1], severity_rank(pair[0].target.severity), pair[0].target.path))


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


def match_alert(tree: TriageTree, text: str) -> list[Target]:
    """The scenarios for the alert named in ``text``, best first."""
    names = alert_names(text)
    if not names:
        return []
    results: list[tuple[int, int, Target]] = []
    for entry in tree.scenarios:
        target = entry.target
        stem = target.path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
        for order, name in enumerate(names):
            lowered = name.lower()
            if target.alert.lower() == lowered:
                score = 0
            elif stem == lowered:
                score = 1
            elif lowered in target.title.lower() or lowered in target.document_title.lower():
                score = 2
            elif any(lowered in s.lower() for s in entry.symptoms):
                score = 3
            else:
                continue
            results.append((score, order, target))
            break
    results.sort(key=lambda r: (r[0], r[1], severity_rank(r[2].severity), r[2].path))
    seen: list[Target] = []
    for _score, _order, target in results:
        if target not in seen:
            seen.append(target)
    return seen
