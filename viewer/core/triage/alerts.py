"""Alerts: their names as words, their runbooks' short labels, and alerts in a pasted notification.

Real alert names come in every spelling (``etcdNoLeader``,
``ODFDiskUtilizationHigh``, ``KMSServerConnectionAlert``, ``TargetDown``,
``node_exporter_down``), so nothing here assumes one. A pasted text is read
the way each sender writes it: Alertmanager's default Slack and e-mail
templates (``[FIRING:2] Name (label=value ...)`` and ``Labels: - alertname =
Name``), its webhook JSON, PagerDuty and Opsgenie summaries, or just a name.
Every alert found keeps its labels, for the commands that need them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from viewer.core.cjk import is_cjk
from viewer.core.log_lines import log_message

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_:.\-]*[A-Za-z0-9]$")
# A security finding's type, AWS GuardDuty's ThreatPurpose:ResourceType/ThreatName.Mechanism:
# ``Backdoor:EC2/C&CActivity.B``, ``UnauthorizedAccess:IAMUser/TorIPCaller``.
FINDING_TYPE = re.compile(r"^[A-Za-z][A-Za-z0-9]*:[A-Za-z0-9]+(?:/[A-Za-z0-9&._!-]+)+$")
# An alert named within its service, as Sourcegraph's generated alerts reference heads each
# ("frontend: 99th_percentile_search_request_duration"); Prometheus knows it by its level,
# service and name ("warning_frontend_99th_percentile_search_request_duration").
SCOPED_ALERT = re.compile(r"^([a-z][a-z0-9-]*):\s+([a-z0-9]+(?:[_-][a-z0-9]+)*)$", re.IGNORECASE)
# Sourcegraph's notification text: "Warning alert 'disk_space_remaining' is firing for
# service 'gitserver' (owner)."
_SERVICE_ALERT = re.compile(r"\balert\s+'([a-z0-9_-]+)'\s+is\s+(?:firing|resolved)\s+for\s+"
                            r"service\s+'([a-z][a-z0-9-]*)'", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"[A-Za-z][\w:.\-/&!]*[A-Za-z0-9]")
_WORD_PARTS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_BOILERPLATE = re.compile(
    r"^\s*(?:this|the|these)\s+(?:[`'\"]?[\w.:-]+[`'\"]?\s+)?(?:alerts?(?:\s+[`'\"]?[\w.:-]+"
    r"[`'\"]?)?|health\s+rules?(?:\s+templates?)?|rules?|errors?)\s+"
    r"(?:is\s+|are\s+|will\s+|was\s+|becomes\s+)?(?:being\s+)?"
    r"(?:trigger(?:s|ed)?|fire[sd]?|go(?:es)?\s+off|raised|occurs|indicates?|means|signals"
    r"|checks|firing|alerts|pending|an?\s+\w+\s+that\s+\w+)\b\s*"
    r"(?:when|if|whenever|because|that|on|once|for)?\s*(?:the\s+number\s+of\s+)?"
    r"|^\s*(?:it\s+)?(?:fires|triggers|is\s+triggered|goes\s+off|is\s+raised)\s+"
    r"(?:when|if|whenever)\s+"
    # "When you see a X alert in #alarms, it means that ..."
    r"|^\s*(?:when|if|once)\s+(?:you|we)\s+(?:see|get|receive)\s+(?:a|an|the)\s+\S+\s+alerts?"
    r"\b[^,]{0,80},\s*(?:it|this)\s+(?:usually\s+)?(?:means|indicates)\s+(?:that\s+)?",
    re.IGNORECASE)
_LABEL_PAIR = re.compile(
    r"""\b([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s,)"']+))""")
_LABEL_LINE = re.compile(r"^\s*(?:[-*•]\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|:)\s*(.+?)\s*$")
_ALERTNAME = re.compile(r"""\balertname\s*[=:]\s*["']?([A-Za-z][\w:.\-]*)""", re.IGNORECASE)
_STATUS_TITLE = re.compile(r"\[(?:FIRING|RESOLVED)(?::\s*\d+)?\]\s*([A-Za-z][\w:.\-]*)(.*)",
                           re.IGNORECASE)
_ALERT_FIELD = re.compile(r"^\s*\*?(?:alert(?:\s+name)?|title|summary)\*?\s*:\s*\*?\s*"
                          r"([A-Za-z][\w:.\-]*)([^\n]*)", re.IGNORECASE | re.MULTILINE)
# What a field's name may be followed by on its line ("Alert: X on db-1", "X (prod)", "X - ..."):
# a first word followed by a sentence ("Summary: GitHub API rate limit nearly used") is a word.
_AFTER_NAME = re.compile(r"^\W*$|^\s*(?:[(\[|:\-–—]|(?:on|in|at|for|from)\b)", re.IGNORECASE)
LABEL_CHARS = 60
# Lines of a notification that look like "key: value" but are its headings or annotations.
_NOT_LABELS = {"labels", "annotations", "alert", "alerts", "description", "summary", "runbook",
               "runbook_url", "source", "details", "priority", "message", "title", "status"}


def alert_words(name: str) -> list[str]:
    """``"etcdMembersDown"`` -> ["etcd", "members", "down"]; ``"ODFDiskFull"`` -> ["odf", ...]."""
    return [part.lower() for part in _WORD_PARTS.findall(name)]


def looks_like_alert_name(text: str) -> bool:
    """One identifier, not a sentence: ``etcdNoLeader``, ``KubePodCrashLooping``, ``node_down``.

    A plain capitalised word ("Overview") is not one, nor a word in capitals
    ("ATTRIBUTES"): a name has a second capital, a digit, an underscore or a
    colon in it.
    """
    text = text.strip().strip("`")
    if FINDING_TYPE.match(text):
        return True
    if not _IDENTIFIER.match(text) or len(text) < 4:
        return False
    if text.isalpha() and text.isupper():
        return False  # a word in capitals ("ATTRIBUTES", "CHANGES"), not a name
    return any(c in text for c in "_:") or any(c.isupper() for c in text[1:]) \
        or any(c.isdigit() for c in text)


def gist(sentence: str) -> str:
    """A Meaning sentence without its boilerplate: "This alert fires when X is down" -> "X is
    down"."""
    text = _BOILERPLATE.sub("", sentence.strip(), count=1).strip()
    if not text:
        return sentence.strip()
    return text[0].upper() + text[1:]


def rule_said(code: str, name: str) -> tuple[str, str] | None:
    """(what it says, its severity) from the Prometheus alerting rule for ``name`` in a
    code block (a page quoting each alert's rule, as monitoring.mixins.dev does): its
    summary, else its description or message; None when the block holds no such rule."""
    if f"alert: {name}" not in code and f"alert: '{name}'" not in code \
            and f'alert: "{name}"' not in code:
        return None
    import yaml  # here: the index build meets few rules, a search none

    from viewer.core.yaml_budget import YamlTooLarge, load_bounded

    try:
        rule = _rule_named(load_bounded(code), name, depth=0)
    except (yaml.YAMLError, YamlTooLarge, RecursionError):
        return None
    if rule is None:
        return None
    notes = rule.get("annotations") if isinstance(rule.get("annotations"), dict) else {}
    labels = rule.get("labels") if isinstance(rule.get("labels"), dict) else {}
    said = next((str(notes[k]) for k in ("summary", "description", "message")
                 if isinstance(notes.get(k), str) and notes[k].strip()), "")
    return readable_template(" ".join(said.split())), str(labels.get("severity") or "")


def _rule_named(data: Any, name: str, depth: int) -> dict | None:
    """The rule ``alert: name`` in a rule, a list of rules, or a rules file's groups."""
    if depth > 4:
        return None
    if isinstance(data, dict):
        if str(data.get("alert") or "") == name:
            return data
        data = data.get("groups") or data.get("rules")
    if isinstance(data, list):
        for item in data:
            found = _rule_named(item, name, depth + 1)
            if found is not None:
                return found
    return None


_TEMPLATE_LABEL = re.compile(r"\{\{\s*\$labels\.([A-Za-z_]\w*)\s*\}\}")
_TEMPLATE_VALUE = re.compile(r"\{\{[^{}]*\}\}")  # $value, or a figure put in by the rule's author


def readable_template(text: str) -> str:
    """An alert's message template as a reader takes it: ``{{ $labels.pod }}`` is
    ``<pod>``, ``{{ $value | humanizePercentage }}`` (or any other figure) is ``N``."""
    if "{{" not in text:
        return text
    return _TEMPLATE_VALUE.sub("N", _TEMPLATE_LABEL.sub(r"<\1>", text))


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut at a word boundary to ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    if any(is_cjk(c) for c in text[limit - 3: limit - 1]):  # each is a word: cut right there
        return text[: limit - 1].rstrip(" ,;:-–—(，；：（") + "…"
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—(")
    return (cut or text[: limit - 1]) + "…"


def symptom_label(text: str, alert: str = "") -> str:
    """What the sidebar shows for a symptom: short; the whole ``text`` goes in the tooltip."""
    if not alert:
        return shorten(log_message(text))
    scoped = SCOPED_ALERT.match(alert)
    if scoped and text.lower().startswith(scoped.group(1).lower() + ":"):
        return shorten(text)  # "frontend: 20s+ 99th percentile...": it names its service
    summary = gist(text)
    if summary.lower().startswith(alert.lower()):  # "CephOSDDown indicates that..."
        summary = gist("This alert " + summary[len(alert):].lstrip(" :-–—"))
    if len(alert) >= LABEL_CHARS - 12 or not summary:
        return alert
    return f"{alert}: {shorten(summary, LABEL_CHARS - len(alert) - 2)}"


def shared_label(text: str) -> str:
    """The label of a symptom several alerts share: what they mean, without a name."""
    return shorten(gist(text))


@dataclass
class PastedAlert:
    """One alert found in a pasted text, with the labels the notification gave it."""

    name: str
    labels: dict[str, str] = field(default_factory=dict)


def parse_notification(text: str, known: set[str] | None = None) -> list[PastedAlert]:
    """Every alert named in ``text``, in order of appearance, explicit names first.

    ``known`` (lower-cased alert names of the library) lets a name written
    anywhere in free text be found too; without it only explicit forms count.
    """
    text = text.strip()
    if not text:
        return []
    if text[0] in "{[":
        found = _from_json(text)
        if found:
            return found
    alerts: list[PastedAlert] = []
    by_name: dict[str, PastedAlert] = {}

    def add(name: str, labels: dict[str, str] | None = None) -> PastedAlert:
        if name.lower() not in (known or ()):  # a known name may end in a quote or a dot
            name = name.strip(".:,`*'\"")
        alert = by_name.get(name.lower())
        if alert is None:
            alert = by_name[name.lower()] = PastedAlert(name)
            alerts.append(alert)
        for key, value in (labels or {}).items():
            alert.labels.setdefault(key, value)
        return alert

    common: dict[str, str] = {}
    for match in _STATUS_TITLE.finditer(text):  # [FIRING:2] Name (label=value ...)
        labels = _pairs(match.group(2).split("\n", 1)[0])
        common.update(labels)
        # The title holds the alert's name, or only the group's labels ("openshift-etcd").
        if looks_like_alert_name(match.group(1)) or match.group(1).lower() in (known or set()):
            add(match.group(1), labels)
    current: PastedAlert | None = None
    for line in text.splitlines():  # Labels: - alertname = Name / - namespace = x
        named = _ALERTNAME.search(line)
        if named:
            current = add(named.group(1))
            current.labels.update(_pairs(line.replace(named.group(0), "")))
            continue
        labelled = _LABEL_LINE.match(line)
        value = labelled.group(2).strip("\"'* ") if labelled else ""
        if labelled and current is not None and value and \
                labelled.group(1).lower() not in _NOT_LABELS:
            current.labels.setdefault(labelled.group(1), value)
    for match in _SERVICE_ALERT.finditer(text):  # "alert 'name' is firing for service 'x'"
        add(scoped_name(match.group(2), match.group(1)))
    for match in _ALERT_FIELD.finditer(text):  # PagerDuty / Opsgenie: "Alert: Name"
        if match.group(1).lower() in (known or set()) or (
                looks_like_alert_name(match.group(1)) and _AFTER_NAME.match(match.group(2))):
            add(match.group(1))
    if not alerts and (_IDENTIFIER.match(text) or FINDING_TYPE.match(text)):  # a bare name
        add(text)
    if known:
        # Names of several words ("PHE Circuit Breaker": an alert runbook titled so), found
        # whole in the text, in the order they appear.
        lowered = text.lower()
        spaced = [(found.start(), found.end()) for name in known if " " in name
                  and name in lowered
                  for found in [re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lowered)]
                  if found]
        # A name inside a longer one found ("PHE Healthz" in "PHE Healthz Liveness") is not
        # another alert.
        taken = -1
        for start, end in sorted(spaced, key=lambda span: (span[0], -span[1])):
            if end > taken and start >= taken and text[start:end].lower() not in by_name:
                add(text[start:end])
                taken = end
        for token in _NAME_TOKEN.findall(text):
            # A finding type whole, else the names a path or URL holds ("KubeJobFailed/x").
            for name in [token] if token.lower() in known else re.split(r"[/&!]", token):
                if name.lower() in known and name.lower() not in by_name:
                    add(name)
    for alert in alerts:
        for key, value in common.items():
            alert.labels.setdefault(key, value)
        alert.labels.pop("alertname", None)
    return alerts


_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"'`)\]|]+", re.IGNORECASE)
_SAYS_RUNBOOK = re.compile(r"run[ _-]?book|playbook", re.IGNORECASE)


class PastedLinks(NamedTuple):
    """The web addresses in a pasted notification."""

    every: list[str]  # those named as its runbook first: where its author says to look
    said: list[str]  # those alone (a dashboard's or a graph's address names no runbook)


def runbook_links(text: str, most: int = 5) -> PastedLinks:
    """The web addresses in a pasted notification, those named as its runbook
    (``runbook_url: ...``, "Runbook: ...") first; read in one pass."""
    found = [(not _SAYS_RUNBOOK.search(text[max(0, m.start() - 40):m.start()]),
              m.group(0).rstrip(".,;:")) for m in _WEB_ADDRESS.finditer(text[:100_000])]
    ordered = [url for other, url in sorted(found, key=lambda pair: pair[0])]
    said = [url for other, url in found if not other]
    return PastedLinks(list(dict.fromkeys(ordered))[:most], list(dict.fromkeys(said))[:most])


def scoped_name(service: str, name: str) -> str:
    """An alert named within its service, as its reference heads it: ``frontend: name``."""
    return f"{service}: {name}"


def _pairs(text: str) -> dict[str, str]:
    return {m.group(1): next(g for g in m.groups()[1:] if g is not None)
            for m in _LABEL_PAIR.finditer(text)}


def _from_json(text: str) -> list[PastedAlert]:
    """Alertmanager's webhook payload, one alert object, or a list of them; or security
    findings (an EventBridge event, ``aws guardduty get-findings`` output)."""
    try:
        data: Any = json.loads(text)
    except ValueError:
        return []
    findings = _findings(data)
    if findings:
        return findings
    found: list[PastedAlert] = []
    common = data.get("commonLabels", {}) if isinstance(data, dict) else {}
    items = data.get("alerts") if isinstance(data, dict) and "alerts" in data else data
    for item in items if isinstance(items, list) else [items]:
        labels = item.get("labels") if isinstance(item, dict) else None
        if isinstance(labels, dict):
            merged = {**common, **labels} if isinstance(common, dict) else dict(labels)
            _add_labelled(found, merged)
    if not found and isinstance(common, dict):
        _add_labelled(found, dict(common))  # only the group's labels (Sourcegraph's example)
    return found


def _add_labelled(found: list[PastedAlert], labels: dict) -> None:
    """The alert ``labels`` name: its ``alertname``, else its service's ``name`` (Sourcegraph
    labels each alert with ``service_name`` and ``name``)."""
    if labels.get("alertname"):
        name = str(labels.pop("alertname"))
    elif labels.get("service_name") and labels.get("name"):
        name = scoped_name(str(labels["service_name"]), str(labels["name"]))
    else:
        return
    if name.lower() not in {a.name.lower() for a in found}:
        found.append(PastedAlert(name, {str(k): str(v) for k, v in labels.items()}))


def _findings(data: Any) -> list[PastedAlert]:
    """GuardDuty findings as they are pasted: the EventBridge event (``detail``, camelCase)
    or the API's ``Findings`` list (PascalCase), each finding's type its name."""
    if isinstance(data, dict) and isinstance(data.get("detail"), dict):
        items = [data["detail"]]
    elif isinstance(data, dict) and isinstance(data.get("Findings"), list):
        items = data["Findings"]
    else:
        items = data if isinstance(data, list) else [data]
    found: list[PastedAlert] = []
    for item in items:
        kind = _field(item, "type")
        if not isinstance(kind, str) or not FINDING_TYPE.match(kind.strip()):
            continue
        labels = {label: str(value) for label, name in _FINDING_LABELS
                  if isinstance(value := _field(item, name), (str, int, float))}
        resource = _field(item, "resource")
        for label, value in (("instance_id", _field(_field(resource, "instanceDetails"),
                                                    "instanceId")),
                             ("resource_type", _field(resource, "resourceType"))):
            if isinstance(value, str):
                labels[label] = value
        if kind.lower() not in {a.name.lower() for a in found}:
            found.append(PastedAlert(kind.strip(), labels))
    return found


_FINDING_LABELS = (("region", "region"), ("account", "accountId"), ("severity", "severity"))


def _field(item: Any, name: str) -> Any:
    """``item[name]`` as the event spells it (camelCase) or the API does (PascalCase)."""
    if not isinstance(item, dict):
        return None
    return item.get(name, item.get(name[:1].upper() + name[1:]))
