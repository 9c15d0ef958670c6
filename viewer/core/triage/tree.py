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

from viewer.core.cjk import has_cjk
from viewer.core.triage.alerts import alert_words, parse_notification
from viewer.core.triage.store import OTHER

if TYPE_CHECKING:
    from viewer.core.triage.store import ScenarioRow, SymptomStore

# First match wins, so the specific come before the general ("certificate
# errors" is about certificates, "OOM kills after deploy" about resources).
# A keyword of one word matches a word starting with it ("throttl" finds
# "throttling"), a short one (up to 3 letters) only that word, and one with
# a space the phrase. An alert's own name is read first (KubeletDiskFull is
# about a disk whatever its Meaning says), so the words are those alert
# names use across real alert libraries, as well as those people write.
CATEGORIES: list[tuple[str, tuple[str, ...]]] = [
    ("Security", ("security", "breach", "attack", "ddos", "vulnerab", "intrusion",
                  "suspicious", "leaked", "compromis", "malware", "audit", "malicious",
                  # security findings' own words (GuardDuty's threat purposes)
                  "backdoor", "trojan", "cryptocurrency", "bitcoin", "exfiltrat", "pentest",
                  "stealth", "brute", "privilege escalation", "unauthorized access",
                  "defense evasion", "credential access", "initial access",
                  "command and control")),
    ("Certificates and auth", ("certificat", "cert", "tls", "ssl", "x509", "handshake", "auth",
                               "token", "401", "403", "login", "credential", "expir", "kms",
                               "secret", "oauth", "ldap", "rbac")),
    ("Storage and volumes", ("storage", "volume", "pvc", "pv", "persistent", "disk",
                             "filesystem", "file system", "inode", "ceph", "osd", "rbd",
                             "bucket", "object store", "s3", "obc", "snapshot", "backup",
                             "mirror", "noobaa", "blocks", "odf", "nfs", "mount", "space")),
    ("Database and connections", ("database", "db", "postgres", "mysql", "sql", "mongo",
                                  "connection pool", "too many connections", "pool exhaust",
                                  "deadlock", "query", "queries", "too many clients")),
    ("Cache", ("cache", "redis", "memcache", "evicted keys", "key eviction", "miss rate")),
    ("Queues and jobs", ("queue", "consumer", "lag", "backlog", "job", "kafka", "rabbit",
                         "message", "webhook", "retry", "dead letter", "cron", "batch")),
    ("Deployments and pods", ("deploy", "rollout", "release", "rollback", "crashloop",
                              "imagepull", "image pull", "migration", "pending", "restart",
                              "replica", "pod", "pods", "daemonset", "statefulset", "container",
                              "launcher", "evacuat", "drain", "evict")),
    ("Resources (CPU, memory)", ("cpu", "memory", "oom", "iowait", "load average", "swap",
                                 "heap", "throttl", "limit", "capacity", "usage", "overcommit",
                                 "resource", "series", "cardinality", "mmap", "map areas")),
    ("Latency and timeouts", ("latency", "slow", "timeout", "timed out", "time out", "p95",
                              "p99", "p50", "response time", "late", "delay", "duration",
                              "stuck", "hung")),
    ("Network and DNS", ("network", "dns", "nxdomain", "ovn", "ovs", "sdn", "ingress",
                         "route", "router", "proxy", "haproxy", "load balancer", "mtu",
                         "packet", "interface", "nic", "bond", "ip", "ipsec", "vpn", "bgp",
                         "multus", "sriov", "nmstate", "egress", "grpc", "http", "endpoint",
                         "subnet", "bandwidth", "flows", "netpol", "firewall")),
    ("Monitoring and alerting", ("prometheus", "alertmanager", "target", "scrape", "metric",
                                 "rule", "thanos", "cortex", "mimir", "loki", "ingester",
                                 "compactor", "querier", "distributor", "remote write",
                                 "tsdb", "wal", "exporter", "telemetry", "monitoring",
                                 "alert", "watchdog")),
    ("Availability and outages", ("down", "outage", "unavailable", "503", "health check",
                                  "unreachable", "not responding", "100%", "offline",
                                  "failover", "status page", "upstream", "healthy",
                                  "unhealthy", "absent", "disappeared", "not ready",
                                  "notready", "ready", "missing", "quorum", "leader")),
    ("Cluster and control plane", ("etcd", "apiserver", "api server", "api", "kube",
                                   "kubelet", "scheduler", "controller", "operator",
                                   "cluster", "node", "machine", "upgrade", "version",
                                   "config", "deprecat", "install", "reconcil", "degraded",
                                   "crd", "cr", "hco", "cdi", "mcd", "mco", "descheduler")),
    ("Virtual machines", ("virt", "vm", "vmi", "kubevirt", "virtual machine", "hypervisor",
                          "libvirt", "qemu")),
    ("Errors", ("error", "5xx", "500", "502", "exception", "fail", "crash", "429",
                "reject", "broken", "fatal", "panic", "corrupt", "mismatch", "inconsisten",
                "invalid", "orphan")),
]
# Words that begin with a keyword and mean something else: "certain requests are slow" is
# not about certificates, "image downloads" not an outage, "the latest version" not latency.
_NOT_KEYWORDS = frozenset({
    "certain", "certainly", "certainty", "certification", "certifications",
    "download", "downloads", "downloaded", "downloading", "downloader",
    "later", "latest", "lateral", "laterally",
})
# In a metrics or log system's words, a query is its own work ("Thanos Query is failing to
# handle requests", Mimir's query-scheduler), not a database's.
_QUERYING_SYSTEMS = frozenset({"thanos", "cortex", "mimir", "loki", "prometheus", "promql",
                               "tempo"})
_QUERY_WORDS = frozenset({"query", "queries"})
_STOP = {"the", "a", "an", "of", "on", "in", "for", "is", "are", "from", "to", "with",
         "at", "by", "and", "or"}
_SEVERITY_RANK = {"P0": 0, "SEV0": 0, "P1": 1, "SEV1": 1, "Critical": 1, "P2": 2, "SEV2": 2,
                  "High": 2, "P3": 3, "SEV3": 3, "Medium": 3, "P4": 4, "SEV4": 4, "Low": 4}


def category_of(text: str, alert: str = "") -> str:
    """The category of a symptom: from its alert's name first (``KubeletDiskFull`` is about a
    disk whatever its Meaning says), else from its words."""
    if alert:
        found = _category_of_words(" ".join(alert_words(alert)))
        if found != OTHER:
            return found
    return _category_of_words(text)


class _CategoryMatcher(NamedTuple):
    name: str
    short: frozenset[str]  # whole words
    prefixes: re.Pattern[str] | None  # a word starting with one of them
    phrases: tuple[str, ...]


def _matcher(name: str, keywords: tuple[str, ...]) -> _CategoryMatcher:
    short = frozenset(k for k in keywords if " " not in k and len(k) <= 3)
    long = [k for k in keywords if " " not in k and len(k) > 3]
    prefixes = re.compile(r"(?<![a-z0-9%])(?:" + "|".join(map(re.escape, long)) + ")") \
        if long else None
    return _CategoryMatcher(name, short, prefixes, tuple(k for k in keywords if " " in k))


# Compiled once: the index build asks for the category of every symptom it meets,
# and testing keyword by keyword was a fifth of a runbook's parse.
_MATCHERS = [_matcher(name, keywords) for name, keywords in CATEGORIES]


def _category_of_words(text: str) -> str:
    lowered = text.lower()
    tokens = [token for token in re.findall(r"[a-z0-9%]+", lowered) if token not in _NOT_KEYWORDS]
    if not _QUERYING_SYSTEMS.isdisjoint(tokens):
        tokens = [token for token in tokens if token not in _QUERY_WORDS]
    words = set(tokens)
    phrase = " " + " ".join(tokens) + " "
    for matcher in _MATCHERS:
        if not matcher.short.isdisjoint(words):
            return matcher.name
        if matcher.prefixes is not None and matcher.prefixes.search(phrase):
            return matcher.name
        if any(f" {k} " in phrase or k in lowered for k in matcher.phrases):
            return matcher.name
    return OTHER


_KEY_WORD = re.compile(r"(?:[^\W_]|[%<>=.])+")
_ASCII_KEY_WORD = re.compile(r"[a-z0-9%<>=.]+")  # the same on ASCII text, three times faster


def symptom_key(text: str) -> str:
    """What two wordings of the same symptom have in common (case, plurals, small words).

    Letters of any script count: a key of the ASCII words alone made one symptom of
    "Pod 处于未就绪状态" and "Pod 重启过于频繁" (both "pod"), and none of a sentence
    without them."""
    lowered = text.lower().replace("'", "")
    words = (_ASCII_KEY_WORD if lowered.isascii() else _KEY_WORD).findall(lowered)
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


def _whole_page(target: Target) -> bool:
    """A scenario that is the runbook itself (its front matter's symptoms), not a section."""
    return target.title == target.document_title and not target.alert


def _order(entry: ScenarioEntry) -> tuple[int, str]:
    return severity_rank(entry.target.severity), entry.target.path


@dataclass
class SymptomNode:
    key: str
    text: str  # in full: the tooltip and the JSON
    category: str
    count: int  # scenarios that list it
    label: str = ""  # what the sidebar shows (short)
    alerts: tuple[str, ...] = ()  # its scenarios' alert names: the filter reads their words
    folders: tuple[str, ...] = ()  # where its runbooks are (the library's components)

    def __post_init__(self) -> None:
        self.label = self.label or self.text
        self.words = f"{self.text} {' '.join(self.alerts)} " \
            f"{' '.join(w for a in self.alerts for w in alert_words(a))}".lower()


@dataclass
class Category:
    name: str
    symptoms: list[SymptomNode] = field(default_factory=list)


@dataclass
class TriageTree:
    """Categories and symptoms; scenarios are read from the index on demand."""

    index: SymptomStore | None = None
    categories: list[Category] = field(default_factory=list)
    by_key: dict[str, SymptomNode] = field(default_factory=dict, repr=False)
    _scenarios: dict[str, list[ScenarioEntry]] = field(default_factory=dict, repr=False)

    grouping: str = "category"  # or "component": the library's folders
    _alert_names: dict[str, str] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, index: SymptomStore, grouping: str = "category") -> TriageTree:
        """The tree by category (what the symptom is about) or by component (the folder
        of the runbooks listing it, as the library groups them)."""
        tree = cls(index, grouping=grouping)
        by_group: dict[str, Category] = {}
        for row in index.symptom_overview():
            node = tree.by_key[row.key] = SymptomNode(row.key, row.text, row.category,
                                                      row.count, row.label, row.alerts,
                                                      row.folders)
            groups = [row.category] if grouping == "category" else \
                sorted({component_of(folder) for folder in row.folders})
            for group in groups:
                by_group.setdefault(group, Category(group)).symptoms.append(node)
        order = [name for name, _ in CATEGORIES] + [OTHER] if grouping == "category" else \
            sorted(by_group, key=lambda g: (g == TOP_FOLDER, g.lower()))
        for name in order:
            if name in by_group:
                category = by_group[name]
                # most-listed symptoms first, then alphabetically
                category.symptoms.sort(key=lambda n: (-n.count, n.label.lower()))
                tree.categories.append(category)
        return tree

    @property
    def symptom_count(self) -> int:
        return len(self.by_key)

    def symptom(self, key: str) -> SymptomNode | None:
        return self.by_key.get(key)

    def has_scenarios(self, key: str) -> bool:
        """Whether the scenarios of ``key`` were read already (no index read to show them)."""
        return key in self._scenarios

    def scenarios_for(self, key: str) -> list[ScenarioEntry]:
        """The scenarios listing symptom ``key``: most severe first, then by path."""
        if key not in self._scenarios:
            rows = self.index.scenario_rows([key]) if self.index is not None else []
            entries = [entry_of(r) for r in rows]
            # A runbook whose front matter lists the symptom for the whole page, and a
            # section that lists it too: the section is where the reader should land.
            sectioned = {e.target.path for e in entries if not _whole_page(e.target)}
            entries = [e for e in entries
                       if not (_whole_page(e.target) and e.target.path in sectioned)]
            self._scenarios[key] = sorted(entries, key=_order)
        return self._scenarios[key]

    def match_symptoms(self, text: str) -> SymptomMatch:
        """The symptoms for what the engineer typed ("p95 over 500 ms on checkout").

        A typed word matches a symptom's own words, its alert's name split
        into words (``etcd members down`` finds ``etcdMembersDown``), or a word
        on-call people use for the same thing (full / out of space /
        exhausted). Symptoms holding every typed word show; else the ones
        holding the most, so one word too many never empties the sidebar.
        The category's name is not a symptom's word: "disk full" never
        reaches a cache symptom because both sit under Resources.
        """
        words = _query_words(text)
        if not words:
            return SymptomMatch(None)
        nodes = [node for category in self.categories for node in category.symptoms]
        choices = [synonyms_of(word) for word in words]
        scores = {node.key: sum(any(c in node.words for c in alternatives)
                                for alternatives in choices) for node in nodes}
        best = max(scores.values(), default=0)
        return SymptomMatch(frozenset(k for k, n in scores.items() if n == best and best),
                            len(words), best)

    def rank_ticked(self, ticked: set[str]) -> list[tuple[ScenarioEntry, int]]:
        """Scenarios listing at least one ticked symptom, most ticks first, then severity."""
        if self.index is None or not ticked:
            return []
        counted = [(entry_of(row), n) for row, n in self.index.tick_counts(sorted(ticked))]
        return sorted(counted, key=lambda pair: (-pair[1], *_order(pair[0])))

    def known_alerts(self) -> dict[str, str]:
        """{lower-case name: name} of every alert the library has a runbook for."""
        if self._alert_names is None:
            self._alert_names = self.index.alert_names() if self.index is not None else {}
        return self._alert_names

    def paste(self, text: str) -> list[AlertMatch]:
        """Each alert named in a pasted notification, with the runbooks for it.

        Only a runbook for exactly that alert name (any case) is a target; a
        near name is a suggestion, shown but never opened by itself.
        """
        known = self.known_alerts()
        alerts = parse_notification(text, set(known))
        if not alerts or self.index is None:
            return [AlertMatch(a.name, a.labels) for a in alerts]
        rows_of = self.index.alert_rows([a.name for a in alerts])
        # A library in two languages has a runbook for each alert in each: the one in
        # the language the alert was written in comes first.
        in_cjk = has_cjk(text)
        matches: list[AlertMatch] = []
        by_scenarios: dict[frozenset[tuple[int, int]], AlertMatch] = {}
        for alert in alerts:
            lowered = alert.name.lower()
            rows = rows_of.get(lowered, [])
            # Two names of one alert, both pasted (Sourcegraph's notification gives its
            # description as the title and its name in the text), are one alert.
            scenarios = frozenset((row.file_id, row.ordinal) for row in rows)
            if scenarios in by_scenarios:
                for key, value in alert.labels.items():
                    by_scenarios[scenarios].labels.setdefault(key, value)
                continue
            ranked = sorted(((entry_of(row).target, has_cjk(" ".join(row.symptoms)) != in_cjk)
                             for row in rows),
                            key=lambda pair: (pair[0].alert.lower() != lowered, pair[1],
                                              severity_rank(pair[0].severity), pair[0].path))
            targets = [target for target, _ in ranked]
            suggestions: list[Target] = []
            if not targets:
                near = _near_names(lowered, known)
                near_rows = self.index.alert_rows(near) if near else {}
                suggestions = list(dict.fromkeys(entry_of(row).target for name in near
                                                 for row in near_rows.get(name, [])))
            match = AlertMatch(alert.name, alert.labels, targets, suggestions[:3])
            matches.append(match)
            if scenarios:
                by_scenarios[scenarios] = match
        return matches

    def match_alert(self, text: str) -> list[Target]:
        """The runbooks for the alerts named in ``text``, best first: exact names only."""
        return list(dict.fromkeys(t for match in self.paste(text) for t in match.targets))

    def as_json(self) -> dict:
        return {"categories": [
            {"name": c.name, "symptoms": [
                {"text": s.text, "label": s.label, "alerts": list(s.alerts),
                 "targets": [target_json(e.target) for e in self.scenarios_for(s.key)]}
                for s in c.symptoms]}
            for c in self.categories]}


@dataclass
class AlertMatch:
    """One pasted alert: its name, its labels, the runbooks for exactly it, near misses."""

    name: str
    labels: dict[str, str] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    suggestions: list[Target] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"name": self.name, "labels": self.labels,
                "targets": [target_json(t) for t in self.targets],
                "suggestions": [target_json(t) for t in self.suggestions]}


def _near_names(name: str, known: dict[str, str], most: int = 3) -> list[str]:
    """Alert names close to ``name``: one holding the other, or a near spelling."""
    import difflib

    holding = sorted((k for k in known if (name in k or k in name) and k != name),
                     key=lambda k: abs(len(k) - len(name)))
    close = difflib.get_close_matches(name, list(known), n=most, cutoff=0.75)
    return list(dict.fromkeys([*holding, *close]))[:most]


TOP_FOLDER = "(top folder)"


def component_of(folder: str) -> str:
    """The component a runbook belongs to, as its library groups them: its own folder."""
    return folder.rsplit("/", 1)[-1] if folder else TOP_FOLDER


# Words on-call people use for the same thing: a typed word finds any of its group.
SYNONYMS: list[tuple[str, ...]] = [
    ("full", "out of space", "no space", "exhausted", "filling up", "fillingup", "space"),
    ("down", "unavailable", "unreachable", "not responding", "offline", "outage", "absent",
     "disappeared"),
    ("slow", "latency", "p95", "p99", "p50", "response time", "delay", "slowness", "timeout",
     "timed out", "time out"),
    ("error", "errors", "failing", "failure", "failed", "fail", "5xx", "500"),
    ("oom", "out of memory", "memory", "oomkilled"),
    ("cert", "certificate", "tls", "x509", "ssl"),
    ("expire", "expiry", "expiring", "expired", "expiration"),
    ("restart", "restarts", "crashloop", "crashlooping", "crash", "restarting"),
    ("disk", "volume", "filesystem", "storage", "pvc", "persistent volume"),
    ("cpu", "throttl", "load"),
]


def synonyms_of(word: str) -> tuple[str, ...]:
    """``word`` and the words of its synonym group (typed "unreachable" finds "down")."""
    for group in SYNONYMS:
        if word in group:
            return group
    return (word,)


def target_json(target: Target) -> dict:
    """A target as the command line's JSON shows it (null anchor and severity when none)."""
    return {"path": target.path, "anchor": target.anchor or None, "title": target.title,
            "document": target.document_title, "severity": target.severity or None}
