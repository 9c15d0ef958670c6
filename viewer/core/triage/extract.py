"""Symptoms, scenarios and decision branches, read from a Document as runbooks state them.

The ways real runbooks say "this is what you will see":

* a section headed Symptoms (or Symptom, Signs, What you see, How it shows):
  its bullet items, or else its sentences (of a paragraph that explains, the first;
  not a sentence that refers back to the one before), or the message a lead-in quotes
  ("You see alerts like" and a code block: its first line);
* knowledge-base articles (Issue, Phenomena or Problem / Cause / Solution or
  Workaround): the first of Issue, Phenomena or Problem is read as a Symptoms section;
* a bold label, ``**Symptoms:**`` or ``**Symptoms**:``, followed by bullets or
  by a sentence on the same line, split at commas and semicolons;
* a list item ``Symptoms: ...`` under a named item (an index of runbooks);
* a front-matter ``symptoms:`` list;
* alert runbooks, recognised by their shape whatever the alert's spelling:
  one alert per file (sections Meaning and Impact, Diagnosis or
  Mitigation, or the same template translated, 含义/影响/诊断/缓解; its
  names are the first heading and the file name; or any page of a folder
  named alerts, or typed ``type: Alert``), playbooks of many alerts (a
  heading per alert under "Alerts", or alert-named headings whose text
  says "alert"), alert tables (Name | Summary | Severity rows), and a
  security playbook's table of the finding types it answers. The alert is
  the scenario, the first sentence of its Meaning its symptom;
* security finding runbooks, one per file, headed by the finding's type
  (``Backdoor:EC2/C&CActivity.B``): the sentence after it is the symptom;
* error catalogs: a heading per error code under "Errors" (or "Error codes",
  "Errors catalog"), read like a playbook's alerts: the code is what a pasted
  log line names;
* troubleshooting pages ("Common problems and their solutions", "Troubleshooting",
  "Known issues", "FAQ"): each section heading that names a problem ("Prometheus
  server is out of memory", "5xx errors during login") is a scenario, the
  heading its symptom, the headings under it its branches.

Each symptom belongs to a scenario: the nearest enclosing heading or named
list item, with its anchor (the page's own ``id``) and severity. Inside a
scenario, "Step N", "If ...:" and "Option X" headings or labels are its
branches. Template placeholders (``[What you see]``) are not symptoms.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from viewer.core.cjk import FULL_STOPS
from viewer.core.document import Document
from viewer.core.frontmatter import as_list
from viewer.core.library import file_stem, is_folder_page
from viewer.core.severity import normalize_severity
from viewer.core.triage.alerts import (
    FINDING_TYPE,
    SCOPED_ALERT,
    alert_words,
    looks_like_alert_name,
    readable_template,
    rule_said,
    scoped_name,
)

_SYMPTOM_HEADING = re.compile(
    r"^\s*(symptoms?|signs|what you see|how it shows)\b\s*:?\s*$", re.IGNORECASE)
# A knowledge-base article's parts: the first of Issue / Phenomena / Problem states what is
# seen (a later "Problem" is its cause), when a Solution or Workaround answers it.
_KB_PROBLEM = re.compile(r"^\s*(?:the\s+)?(?:phenomena|phenomenon|issue|problem)\s*:?\s*$",
                         re.IGNORECASE)
_KB_ANSWER = re.compile(r"^\s*(?:solutions?|resolution|workaround|how to fix)\s*:?\s*$",
                        re.IGNORECASE)
_SYMPTOM_LABEL = re.compile(r"^\s*(symptoms?|signs)\s*:?\s*$", re.IGNORECASE)
_PLAIN_SYMPTOM_ITEM = re.compile(r"^\s*(symptoms?)\s*:\s*(.+)$", re.IGNORECASE | re.DOTALL)
_BRANCH = re.compile(r"^\s*(step\s*\d+\b|if\b|option\s+[\w\d]+\b)", re.IGNORECASE)
_SECTION_WORDS = {"diagnosis", "resolution", "verification", "prevention", "impact",
                  "mitigation", "root causes", "causes", "escalation", "check", "fix"}
_PLACEHOLDER = re.compile(r"\[[^\]]*\]")
_HEADING_SEVERITY = re.compile(
    r"\b(P[0-4]|SEV[ -]?[0-4]|Severity[ -]?[0-4])\b|^(Critical|High|Medium|Low)\b\s*[:(-]"
    r"|\((Critical|High|Medium|Low)\)", re.IGNORECASE)
_MEANING = "meaning"
# The parts of an alert runbook whose sub-steps are the scenario's branches.
_BRANCHING_PARTS = ("diagnosis", "mitigation", "instructions to fix")
# A page whose front matter says it is an alert's runbook (``type: Alert``, as IBM's
# cloud-sre template writes) describes the alert under one of these, not "Meaning".
_ALERT_TYPES = {"alert", "alerts", "alert runbook", "pagerduty"}
# A folder that holds one alert's runbook per page (GOV.UK's ``source/manual/alerts``) says
# the same of its pages as ``type: Alert`` does.
_ALERT_FOLDERS = {"alerts", "alert"}
_DESCRIBES_ALERT = {_MEANING, "purpose", "description", "overview", "summary",
                    "alert description", "problem description", "about this alert",
                    "understanding the alert"}
_LEAD = ""  # the part describing an alert is the page's opening text, before any heading
# The template's parts as its translations name them: kubesphere/alert-runbooks' Chinese
# pages (含义, 影响, 诊断, 缓解), the same words in traditional characters, and Japanese.
_TRANSLATED_PARTS = {"含义": _MEANING, "含義": _MEANING, "意味": _MEANING,
                     "影响": "impact", "影響": "impact",
                     "诊断": "diagnosis", "診斷": "diagnosis", "診断": "diagnosis",
                     "缓解": "mitigation", "緩解": "mitigation", "緩和": "mitigation"}
_ALERT_PARTS = {"impact", "diagnosis", "mitigation", "resolution", "remediation",
                "how to investigate", "how to fix", "investigation"}
_PLAYBOOK_PARENTS = {"alerts", "alert", "playbooks", "playbook", "runbooks", "alert runbooks",
                     "alert rules", "findings", "security findings", "finding types"}
# Error catalogs: a heading per error code the software logs (``### err-ledger-entry-too-old``),
# which an engineer finds in a log line and pastes like an alert.
_ERROR_PARENTS = {"errors", "errors catalog", "error catalog", "error codes", "error reference",
                  "error messages", "common errors", "known errors"}
# A page of problems and what to do about each, by its title.
_PROBLEM_PAGE = re.compile(r"^\W*(?:(?:common|known|frequent|typical)\s+(?:problems|errors|issues|"
                           r"failures)|troubleshoot|faq\b|frequently asked|(?:problems|errors|"
                           r"issues)\s+and\b)", re.IGNORECASE)
# A page of the alerts on-call meets, a section each ("Responding to alerts", the PaaS team
# manual's): every top section is an alert, named in words ("CPU credits", "RDS Failures").
_ALERT_RESPONSES_PAGE = re.compile(
    r"^\W*(?:(?:responding|reacting|responses?)\s+to|handling|dealing\s+with|triaging)\s+"
    r"(?:\w+\s+)?alerts\b|^\W*alert\s+(?:responses|playbooks?|handbook|guide)\b",
    re.IGNORECASE)
# A heading that names a problem, not a task ("Roll back a deploy", "Accessing the logs").
_PROBLEM = re.compile(
    r"\b(?:errors?|fail(?:s|ed|ing|ures?)?|issues?|problems?|broken|crash\w*|out of memory|"
    r"oom\w*|no space|disk full|(?:is|are|gets?|getting|became|becomes) full|timeouts?|"
    r"timed out|stuck|hangs?|hanging|slow\w*|out of sync|impaired|degraded|"
    r"unavailable|down|unreachable|refused|denied|forbidden|can(?:no|')t|cannot|unable|"
    r"won't|doesn't|does not|not (?:working|starting|found|loading|responding|ready)|"
    r"[45]\d\d|[45]xx|spikes?|leak\w*|expired|evicted|throttl\w*)\b", re.IGNORECASE)
# Headings that say what to do or group others, though they name a problem: "Check for
# slow queries", "Investigate a web UI error", "Other failure modes".
_NOT_A_PROBLEM = re.compile(r"^(?:check|investigate|verify|debug|diagnose|troubleshoot\w*|fix|"
                            r"resolve|find|look|use|collect|gather|enable|configure|other|"
                            r"most common|common|general|more|further|additional)\b",
                            re.IGNORECASE)
# A heading that says how to look into a problem it names: "Troubleshooting instance
# connectivity issues", "Diagnose Image service issues".
_TROUBLESHOOTING_WHAT = re.compile(
    r"^(?:troubleshoot(?:ing)?|diagnos(?:e|ing)|debug(?:ging)?)\s+(.+)$", re.IGNORECASE)
# A heading that gathers problems rather than naming one: "Ceph Common Issues".
_PROBLEMS_INDEX = re.compile(r"\b(?:common|known|other|frequent|typical)\s+(?:issues|problems|"
                             r"errors|failures)\s*$", re.IGNORECASE)
_TASK_WHEN = re.compile(r"^\w+ing\b.*?\b(?:when|if)\s+(.+)$", re.IGNORECASE)
# kubernetes-mixin's runbook.md, copied by many teams: '##### Alert Name: "KubeAPIDown"',
# then "+ *Message*: ..." and "+ *Severity*: critical".
_ALERT_NAME_HEADING = re.compile(r"^alert(?:\s*name)?\s*:\s*([\"'`]?)([A-Za-z][\w:.\-]*)\1$",
                                 re.IGNORECASE)
_FIELD_ITEM = re.compile(r"^(message|summary|description|severity)\s*:\s*(\S.*)$",
                         re.IGNORECASE | re.DOTALL)
# Sourcegraph's alerts reference: "**Descriptions**", then "- warning frontend: 20s+ ...".
_DESCRIPTIONS = {"description", "descriptions"}
_LEVELLED = re.compile(r"^(critical|warning|info)\s+(\S.*)$", re.IGNORECASE | re.DOTALL)
# A playbook's table of the findings it answers: "Finding Type", "Finding / Event Type".
_FINDING_COLUMN = re.compile(r"^finding(?:\s*/\s*event)?\s+types?$")
_PLAYBOOK = -1  # a finding table's "text column": the playbook's own title says it
_ERROR_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_:.][A-Za-z0-9]+)+$")
# The word, not a part of one: "the alertmanager-storage block" is a configuration reference.
_SAYS_ALERT = re.compile(r"\balert(?:s|ing)?\b", re.IGNORECASE)
# A page opening with the alert it answers: "When you see a `PrometheusOperatorReconcile`
# alert in #alarms, it means...", "If we see an ErrorsInExternalDNS alert", '"X" alerts are
# sent to the channel' (MoJ's cloud platform runbooks, and many teams' prose).
_NAME = r"([A-Za-z][\w:.\-]{2,80}?)"
_ALERT_IN_PROSE = re.compile(
    rf"\b(?:when|if|once)\s+(?:you|we)\s+(?:see|get|receive)\s+(?:a|an|the)\s+[\"'“`]?{_NAME}"
    rf"[\"'”`]?\s+alert\b|[\"'“`]{_NAME}[\"'”`]\s+alerts?\s+(?:is|are)\s+"
    r"(?:sent|raised|fired|triggered)\b", re.IGNORECASE)
_THIS_ALERT = re.compile(r"^\W*this\s+alert\b", re.IGNORECASE)  # "[This alert][1] means"
_STATED_SEVERITY = re.compile(r"^\W*(?:default\s+)?severity\W*:?\W*([\w -]+?)\W*$",
                              re.IGNORECASE)
_JUNK = re.compile(r"^(?:here (?:is|are)|see\b|for more\b|this (?:page|document|runbook|section)"
                   r"|the following\b|more information|note\b|todo\b|tbd\b|below (?:is|are)\b"
                   r"|you can (?:see|find|read)\b"
                   # an explanation beside the symptoms: an example, a cause, a possibility
                   r"|for example\b|e\.g\.|the underlying (?:issue|cause|problem|reason)\b"
                   r"|it is possible (?:for|that)\b)", re.IGNORECASE)
_LISTED_SENTENCES = 2  # a Symptoms paragraph this short may list them, one a sentence
# A sentence that goes on about the one before: "This will lead to...", "As such, ...".
_CONTINUES = re.compile(
    r"^\W*(?:this|that|these|those|such|as such|since|because|otherwise|normally|normal"
    r"|usually|typically|therefore|thus|hence|moreover|furthermore)\b", re.IGNORECASE)
# Within a paragraph, a pronoun does too ("It's used as..."); opening a paragraph it is as
# often the situation's own "it" ("It takes a minute to reach the endpoint").
_PRONOUN = re.compile(r"^\W*(?:it|it's|its|they)\b", re.IGNORECASE)
# "You see alerts like", "a message of the form:", "you may see" before a quoted message.
_QUOTING_LEAD_IN = re.compile(
    r"^(?=.*\b(?:see|saw|seeing|message|messages|alert|alerts|error|errors|logs?|output"
    r"|shows?)\b).*(?:\blike|\bsuch as|\bsaying|\bsimilar to|\bsee|:)\W*$",
    re.IGNORECASE | re.DOTALL)
_COMMAND_LANGUAGES = frozenset({"bash", "sh", "shell", "console", "zsh", "powershell", "ps1",
                                "sql", "python", "yaml", "yml", "json5", "hcl", "terraform"})
_PROMPT = re.compile(r"^(?:[\w@.:~/-]*\s?[$#%]|>|PS\s[^>]*>)\s+\S")  # "$ kubectl", "/ # cd"
_LEAD_IN_TAIL = 160  # characters
_CHAT_MENTION = re.compile(r"^@(?:channel|here|everyone)\b\s*", re.IGNORECASE)
_QUOTED_MESSAGE_MOST = 300  # characters: a longer first line is a dump, not a message
_URL_ONLY = re.compile(r"^[(<\[]*(?:https?://|www\.)\S*[)>\].,;]*$", re.IGNORECASE)
_CONJUNCTION = re.compile(r"^(?:and|or|but|plus)\s+", re.IGNORECASE)


class Branch(NamedTuple):
    label: str
    anchor: str


@dataclass
class Scenario:
    title: str
    anchor: str
    severity: str = ""
    symptoms: list[str] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)
    alert: str = ""  # the alert name shown, for alert runbooks
    alerts: list[str] = field(default_factory=list)  # every name it answers to (H1, file name)
    keyed: list[tuple[str, str, str]] = field(default_factory=list, repr=False)

    def keyed_symptoms(self) -> list[tuple[str, str, str]]:
        """(text, merge key, category) of each symptom; computed once, by the parsing worker."""
        if len(self.keyed) != len(self.symptoms):
            from viewer.core.triage.tree import category_of, symptom_key

            self.keyed = [(text, symptom_key(text), category_of(text, self.alert))
                          for text in self.symptoms]
        return self.keyed


def clean_symptom(text: str) -> str:
    """One symptom as shown: single spaces, no trailing stop; "" for a placeholder or junk.

    Junk is what a Symptoms section holds besides symptoms: a bare link, a
    lead-in ending with a colon, "Here is a list of...", "See ...".
    """
    text = " ".join(text.split()).strip(" .;,-–—•。；，")
    if not text or not _PLACEHOLDER.sub("", text).strip(" .;,:-"):
        return ""
    if text.endswith((":", "：")) or _URL_ONLY.match(text) or _JUNK.match(text):
        return ""
    return text


def split_symptoms(sentence: str) -> list[str]:
    """A sentence of symptoms as separate symptoms, split at commas and semicolons.

    Not inside quotes or brackets, and not inside a number ("1,000 req/s"),
    so thresholds such as "P95 > 300ms" and quoted errors stay whole.
    """
    parts: list[str] = []
    current: list[str] = []
    quote, depth = "", 0
    for i, ch in enumerate(sentence):
        if quote:
            if ch == quote or (quote == "“" and ch == "”"):
                quote = ""
        elif ch in "\"“`":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif ch in ",;" and not depth:
            between_digits = (ch == "," and 0 < i < len(sentence) - 1
                              and sentence[i - 1].isdigit() and sentence[i + 1].isdigit())
            if not between_digits:
                parts.append("".join(current))
                current = []
                continue
        current.append(ch)
    parts.append("".join(current))
    cleaned = (clean_symptom(_CONJUNCTION.sub("", part.strip())) for part in parts)
    return [part for part in cleaned if part]


# A sentence ends at a stop and a space, or at a Chinese or Japanese full stop, which
# no space follows (looked for only where there is one: it doubles the split's time).
# Not after "e.g." or "i.e.": "(e.g. https://...)" is inside its sentence.
_NOT_ABBREVIATED = r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bcf\.)"
_SENTENCE_END = re.compile(rf"(?<=[.!?]){_NOT_ABBREVIATED}\s+")
_CJK_SENTENCE_END = re.compile(rf"(?<=[.!?]){_NOT_ABBREVIATED}\s+|(?<=[{FULL_STOPS}])\s*")


def _split_sentences(text: str) -> list[str]:
    cjk = any(stop in text for stop in FULL_STOPS)
    return (_CJK_SENTENCE_END if cjk else _SENTENCE_END).split(text)


def _sentences(text: str) -> list[str]:
    return [s for s in (clean_symptom(p) for p in _split_sentences(text)) if s]


def _stated(written: list[str], after: bool) -> list[str]:
    """The symptoms a Symptoms paragraph's sentences state (``after``: not its first).

    Two short sentences may be two symptoms ("Alerts will be lost."); a longer
    paragraph explains, and its first sentence says what happens (or, opening
    with "For example" or "The underlying issue", nothing does). A sentence
    that refers back ("It's used as...", "This will lead to...", "Normally...")
    says more about the one before, and so does the rest of its paragraph. A contrast
    ("However, the volume keeps its old size") is often the symptom itself, and stays.
    """
    stated: list[str] = []
    for number, sentence in enumerate(written[:_LISTED_SENTENCES] if len(
            written) <= _LISTED_SENTENCES else written[:1]):
        goes_on = _CONTINUES.match(sentence) or (number and _PRONOUN.match(sentence))
        if goes_on and (number or after):
            break
        if symptom := clean_symptom(sentence):
            stated.append(symptom)
    return stated


def _capitalised(text: str) -> str:
    """A heading's words as a symptom: its first letter a capital, the rest as written."""
    return text[:1].upper() + text[1:]


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def _spoken(alert: str) -> str:
    """An alert with nothing written about it yet, as words: "Cortex queries incorrect"."""
    words = alert_words(alert)
    return " ".join(words).capitalize() if words else alert


def _part(heading: str) -> str:
    """A heading as a part name: "## Meaning:" -> "meaning", "## 含义" -> "meaning"."""
    name = " ".join(heading.strip().rstrip(":：").lower().split())
    return _TRANSLATED_PARTS.get(name, name)


part_name = _part  # for the checker, which must read sections as the sidebar does


def is_symptoms_heading(text: str) -> bool:
    """"Symptoms", "Signs", "What you see": a heading whose section lists symptoms."""
    return bool(_SYMPTOM_HEADING.match(text))


class _Extractor:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.blocks = document.blocks
        self.scenarios: dict[tuple[str, str], Scenario] = {}
        self._symptoms_seen: dict[int, set[str]] = {}
        # the heading chain above each block: list of (level, text, anchor)
        self.trails: list[list[tuple[int, str, str]]] = []
        trail: list[tuple[int, str, str]] = []
        for block in self.blocks:
            if block.kind == "heading":
                while trail and trail[-1][0] >= block.level:
                    trail.pop()
                trail.append((block.level, block.text, block.anchor))
            self.trails.append(list(trail))
        self.default_severity = normalize_severity(
            str(document.metadata.get("severity") or document.metadata.get("priority") or ""))
        self.kb_problems = self._kb_problem_headings()
        self._kb_anchors = {self.blocks[i].anchor for i in self.kb_problems}

    def _kb_problem_headings(self) -> set[int]:
        """The heading of each knowledge-base article's problem: the first Issue, Phenomena
        or Problem among headings of one level and parent that also hold a Solution (or
        Workaround), and no Symptoms heading of their own."""
        siblings: dict[tuple, list[int]] = {}
        for i, block in enumerate(self.blocks):
            if block.kind == "heading":
                siblings.setdefault((tuple(self.trails[i][:-1]), block.level), []).append(i)
        found: set[int] = set()
        for group in siblings.values():
            texts = [self.blocks[i].text for i in group]
            if any(map(_KB_ANSWER.match, texts)) and not any(map(_SYMPTOM_HEADING.match, texts)):
                first = next((i for i in group if _KB_PROBLEM.match(self.blocks[i].text)), None)
                if first is not None:
                    found.add(first)
        return found

    # -- scenarios ----------------------------------------------------------------
    def scenario_for_heading(self, trail: list[tuple[int, str, str]]) -> Scenario:
        """The scenario a symptom under ``trail`` belongs to (a Symptoms heading is skipped)."""
        chain = [h for h in trail
                 if not _SYMPTOM_HEADING.match(h[1]) and h[2] not in self._kb_anchors]
        if chain:
            _level, title, anchor = chain[-1]
        else:
            title, anchor = self.document.title, self._top_anchor()
        return self._scenario(title, anchor, [h[1] for h in chain[:-1]])

    def _scenario(self, title: str, anchor: str, enclosing: list[str]) -> Scenario:
        key = (title, anchor)
        found = self.scenarios.get(key)
        if found is None:
            found = Scenario(title, anchor, self._severity(title, enclosing))
            self.scenarios[key] = found
        return found

    def _alert(self, name: str, title: str, anchor: str, enclosing: list[str]) -> Scenario:
        """The scenario ``title`` at ``anchor``, answering to the alert ``name`` alone."""
        scenario = self._scenario(title, anchor, enclosing)
        scenario.alert, scenario.alerts = name, [name]
        return scenario

    def _enclosing(self, i: int) -> list[str]:
        """The headings above heading ``i``, outermost first."""
        return [h[1] for h in self.trails[i][:-1]]

    def _top_anchor(self) -> str:
        return next((b.anchor for b in self.blocks if b.kind == "heading"), "")

    def _severity(self, title: str, enclosing: list[str]) -> str:
        for text in [title, *reversed(enclosing)]:
            match = _HEADING_SEVERITY.search(text)
            if match:
                return normalize_severity(next(g for g in match.groups() if g))
        return self.default_severity

    # -- the styles ----------------------------------------------------------------
    def run(self) -> list[Scenario]:
        if not (self._alert_runbook() or self._finding_runbook()):
            self._front_matter()
            self._alert_sections()
            self._scoped_alerts()
            self._finding_paragraphs()
            self._alert_tables()
            self._problem_sections()
            i = 0
            while i < len(self.blocks):
                i = self._at(i)
        named = self._page_alerts()
        self._branches()  # before the page's scenario is an alert's: its steps are branches
        if named is not None:
            scenario, names = named
            scenario.alerts = list(dict.fromkeys([*scenario.alerts, *names]))
            scenario.alert = scenario.alert or names[0]
        return [s for s in self.scenarios.values() if s.symptoms]

    def _page_alerts(self) -> tuple[Scenario, list[str]] | None:
        """The alerts an author names in the front matter (``alerts: [HighErrorRate5xx]``,
        ``alert: X``) or in the page's opening words, and the scenario at the page's top
        that answers to them, whatever the page's title."""
        given = [self.document.metadata.get(key) for key in ("alerts", "alert")]
        names = list(dict.fromkeys([  # names only: a theme's "alerts: {enabled: true}" is none
            *(name.strip().strip("`") for value in given if isinstance(value, (str, list))
              for name in as_list(value) if name.strip().strip("`") and len(name) <= 200
              and not name.lstrip().startswith(("{", "["))),
            *self._alerts_said_first()]))
        if not names:
            return None
        top = self._top_anchor()
        scenario = next((s for s in self.scenarios.values() if s.anchor in ("", top)
                         and s.alert), None) or self._scenario(self.document.title, top, [])
        if not scenario.symptoms:
            first = next((i for i, b in enumerate(self.blocks) if b.kind == "heading"), -1)
            described = str(self.document.metadata.get("description") or "").strip()
            self._add(scenario, [clean_symptom(described)] if described
                      else self._first_statement(first + 1) or [_spoken(names[0])])
        return scenario, names

    def _alerts_said_first(self) -> list[str]:
        """The alerts the page's opening paragraphs (under its title, before any other
        heading) say it is for; a name further down is a mention, not the page's alert."""
        names: list[str] = []
        start = 1 if self.blocks and self.blocks[0].kind == "heading" else 0
        for block in self.blocks[start:start + 3]:
            if block.kind == "heading":
                break
            if block.kind != "paragraph":
                continue
            for match in _ALERT_IN_PROSE.finditer(" ".join(block.text.split())[:600]):
                name = match.group(1) or match.group(2)
                if looks_like_alert_name(name):
                    names.append(name)
        return names

    def _at(self, i: int) -> int:
        block = self.blocks[i]
        if block.kind == "heading" and (_SYMPTOM_HEADING.match(block.text)
                                        or i in self.kb_problems):
            return self._symptom_section(i)
        if block.kind in ("paragraph", "list_item") and block.label and _SYMPTOM_LABEL.match(
                block.label.rstrip(":") + ":"):
            if block.kind == "list_item" and self._is_glossary(i):
                return i + 1
            return self._symptom_label(i)
        if block.kind == "list_item" and not block.label:
            match = _PLAIN_SYMPTOM_ITEM.match(block.text)
            if match and block.level >= 2:
                self._named_item(i, split_symptoms(_first_line(match.group(2))))
        return i + 1

    def _symptom_section(self, i: int) -> int:
        scenario = self.scenario_for_heading(self.trails[i])
        items: list[str] = []
        prose: list[str] = []
        j = i + 1
        while j < len(self.blocks):
            block = self.blocks[j]
            if block.kind == "heading":
                break  # the section ends, or a sub-heading starts something else
            if block.kind == "list_item" and block.level == 1:
                items.append(clean_symptom(_first_line(block.text)))
            elif block.kind == "paragraph" and block.level == 0:
                written = _split_sentences(block.text)
                quoted = self._quoted_message(j, written[-1])
                if quoted is not None:  # the lead-in is never a symptom itself
                    written = written[:-1]
                stated = _stated(written, after=bool(prose))
                # The message a bare lead-in quotes: what the engineer sees, and pastes.
                prose.extend(stated or ([quoted] if quoted else []))
            j += 1
        self._add(scenario, [s for s in items if s] or prose)
        return j

    def _quoted_message(self, j: int, last: str) -> str | None:
        """When paragraph ``j`` ends with a lead-in (``last``: "You see alerts like", "the
        log shows:") before a code block: the block's first line as a symptom ("" when
        it is a command or a dump, not a message). None when there is no such lead-in."""
        # A lead-in is the sentence's end: its last words are enough, and a long sentence
        # of punctuation never costs more than they do.
        if not _QUOTING_LEAD_IN.search(last[-_LEAD_IN_TAIL:]) or j + 1 >= len(self.blocks):
            return None
        code = self.blocks[j + 1]
        if code.kind != "code":
            return None
        first = next((line.strip() for line in code.text.splitlines() if line.strip()), "")
        first = _CHAT_MENTION.sub("", first)  # "@channel": who was paged, not what was seen
        if (code.language.lower() in _COMMAND_LANGUAGES or _PROMPT.match(first)
                or len(first) > _QUOTED_MESSAGE_MOST):
            return ""
        return clean_symptom(first)

    def _symptom_label(self, i: int) -> int:
        block = self.blocks[i]
        scenario = self._named_parent(i) if block.kind == "list_item" else None
        scenario = scenario or self.scenario_for_heading(self.trails[i])
        rest = block.text[len(block.label):].lstrip(" :*") if block.text.startswith(
            block.label) else block.text
        rest = _first_line(rest)
        if rest.strip():
            self._add(scenario, split_symptoms(rest))
            return i + 1
        # "**Symptoms:**" on its own: the bullets right after it
        j, symptoms = i + 1, []
        base = block.level
        while j < len(self.blocks) and self.blocks[j].kind == "list_item" and \
                self.blocks[j].level > base:
            if self.blocks[j].level == base + 1:
                symptoms.append(clean_symptom(_first_line(self.blocks[j].text)))
            j += 1
        self._add(scenario, [s for s in symptoms if s])
        return j

    def _named_parent(self, i: int) -> Scenario | None:
        """The named list item (``**Database Pool Exhausted** (TODO)``) above item ``i``."""
        level = self.blocks[i].level
        for j in range(i - 1, -1, -1):
            block = self.blocks[j]
            if block.kind != "list_item":
                return None
            if block.level < level:
                name = block.label or _first_line(block.text)
                name = re.sub(r"\s*\((?:TODO|WIP|draft)\)\s*$", "", name, flags=re.I).strip()
                if not name:
                    return None
                enclosing = [h[1] for h in self.trails[i]]
                anchor = self.trails[i][-1][2] if self.trails[i] else self._top_anchor()
                return self._scenario(name, anchor, enclosing)
        return None

    def _named_item(self, i: int, symptoms: list[str]) -> None:
        scenario = self._named_parent(i)
        if scenario is not None:
            self._add(scenario, symptoms)

    def _is_glossary(self, i: int) -> bool:
        """A list that defines the parts of a runbook ("**Symptoms**: what it looks like")."""
        level, labels = self.blocks[i].level, []
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(self.blocks) and self.blocks[j].kind == "list_item":
                if self.blocks[j].level == level:
                    labels.append(self.blocks[j].label.rstrip(":").strip().lower())
                j += step
        return sum(label in _SECTION_WORDS for label in labels) >= 2

    def _front_matter(self) -> None:
        listed = [clean_symptom(str(s)) for s in as_list(self.document.metadata.get("symptoms"))]
        if any(listed):
            scenario = self._scenario(self.document.title, self._top_anchor(), [])
            self._add(scenario, [s for s in listed if s])

    def _alert_runbook(self) -> bool:
        """One alert per file: a Meaning section and an Impact, Diagnosis or Mitigation one;
        or front matter saying so (``type: Alert``) and one section describing the alert."""
        headings = [(i, b) for i, b in enumerate(self.blocks) if b.kind == "heading"]
        parts = [_part(b.text) for _, b in headings]
        # Not the Meaning / Impact template: a page typed as an alert's, or in a folder of them.
        other_template = parts.count(_MEANING) != 1 or not set(parts) & _ALERT_PARTS
        describing = self._typed_alert_part(parts) if other_template else _MEANING
        if describing is None:
            return False  # several Meanings: a playbook, read by _alert_sections
        stem = file_stem(self.document.path)
        first = headings[0][1] if headings else None
        if describing == _LEAD:
            title, anchor = self.document.title, ""  # the opening text, at the very top
        elif first is None or _part(first.text) in (describing, *_ALERT_PARTS):
            title, anchor = self.document.title, self._top_anchor()  # no heading above Meaning
        else:
            title, anchor = first.text.strip(), first.anchor
        names = list(dict.fromkeys(n for n in (title.strip("` "), stem) if n))
        # A page typed as an alert's runbook is titled with the alert; its file name is
        # the template's ("Runbook_PHE_Healthz").
        shown = names[0] if self._typed() else next(
            (n for n in names if looks_like_alert_name(n)), names[0])
        scenario = self._scenario(title, anchor, [])
        scenario.alert, scenario.alerts = shown, names
        start = -1 if describing == _LEAD else next(
            i for (i, b), part in zip(headings, parts, strict=True) if part == describing)
        self._add(scenario, self._first_statement(start + 1) or [_spoken(shown)])
        self._alert_branches(scenario)
        if other_template and not scenario.branches:  # its own headings are what to do
            top = min((b.level for _, b in headings), default=0)
            scenario.branches += [Branch(b.text, b.anchor) for (_, b), part in zip(
                headings, parts, strict=True)
                if b.level == top and part not in (describing, *_ALERT_PARTS)]
        return True

    def _typed(self) -> bool:
        """Whether the front matter says the page is an alert's runbook (``type: Alert``)."""
        return str(self.document.metadata.get("type") or "").strip().lower() in _ALERT_TYPES

    def _in_alerts_folder(self) -> bool:
        """A page of a folder of alert runbooks, not the folder's own page (its README)."""
        folder = posixpath.basename(posixpath.dirname(self.document.path))
        return folder.lower() in _ALERT_FOLDERS and not is_folder_page(self.document.path)

    def _typed_alert_part(self, parts: list[str]) -> str | None:
        """The one part describing the alert on a page its front matter calls an alert's
        runbook, or in a folder of alerts (Purpose, Description...); ``_LEAD`` when none
        does and the page opens with text; else None."""
        if not (self._typed() or self._in_alerts_folder()) or _MEANING in parts:
            return None
        described = [part for part in parts if part in _DESCRIBES_ALERT]
        if len(described) == 1:
            return described[0]
        opening = next((b for b in self.blocks if b.kind != "heading"), None)
        if described or opening is None or opening is not self.blocks[0] or any(
                b.kind == "heading" and looks_like_alert_name(b.text) for b in self.blocks):
            return None  # nothing says what it is, or a playbook of several alerts
        return _LEAD  # no part describes it: the opening text does

    def _finding_runbook(self) -> bool:
        """One security finding per file, headed by its type (``Backdoor:EC2/C&CActivity.B``,
        as GuardDuty's finding runbooks are): what it says is the heading or sentence after
        the type, its severity the page's "Default severity: High"."""
        first = next((i for i, b in enumerate(self.blocks) if b.kind == "heading"), None)
        if first is None or not FINDING_TYPE.match(self.blocks[first].text.strip().strip("`")):
            return False
        heading = self.blocks[first]
        name = heading.text.strip().strip("`")
        stem = file_stem(self.document.path)
        scenario = self._scenario(heading.text.strip(), heading.anchor, [])
        scenario.alert, scenario.alerts = name, list(dict.fromkeys((name, stem)))
        for block in self.blocks[first + 1:first + 8]:
            stated = block.kind == "paragraph" and _STATED_SEVERITY.match(
                " ".join(block.text.split()))
            if stated:
                scenario.severity = normalize_severity(stated.group(1)) or scenario.severity
        after = self.blocks[first + 1] if first + 1 < len(self.blocks) else None
        said = (_sentences(after.text)[:1] if after is not None and after.kind == "heading"
                and len(after.text.split()) >= 4 else []) or self._first_statement(first + 1)
        self._add(scenario, said or [_spoken(name)])
        return True

    def _first_statement(self, start: int) -> list[str]:
        """The first sentence from block ``start`` on, before the next heading.

        A short lead-in ("How it **works**:") is passed over; a sentence that
        ends with a colon ("...when two conditions are met:") takes the list
        items after it.
        """
        for j in range(start, len(self.blocks)):
            block = self.blocks[j]
            if block.kind in ("heading", "table_row"):
                return []
            if block.kind not in ("paragraph", "list_item"):
                continue
            raw = " ".join(block.text.split())
            if len(_split_sentences(raw.rstrip(FULL_STOPS))) == 1 and raw.endswith((":", "：")):
                if len(raw) < 40:
                    continue  # "How it works:": the statement is in what follows
                items = []
                for item in self.blocks[j + 1:]:
                    if item.kind != "list_item":
                        break
                    if item.level == block.level + 1 or (block.kind == "paragraph"
                                                         and item.level == 1):
                        items.append(" ".join(_first_line(item.text).split()).rstrip(" .;:"))
                joined = clean_symptom(raw.rstrip(":：") + ": " + "; ".join(i for i in items if i))
                if items and joined:
                    return [joined]
                continue
            sentences = _sentences(block.text)
            if sentences:
                return sentences[:1]
        return []

    def _alert_sections(self) -> None:
        """Playbooks: a heading per alert (``### CortexIngesterUnhealthy``), each its scenario;
        in a folder of alerts, a heading in words whose text opens by saying "This alert"
        (GOV.UK's "Whitehall scheduled publications are overdue")."""
        in_alerts_folder = self._in_alerts_folder()
        for i, block in enumerate(self.blocks):
            if block.kind != "heading":
                continue
            parents = [_part(h) for h in self._enclosing(i)]
            titled = _ALERT_NAME_HEADING.match(block.text.strip())
            if titled is not None:
                self._titled_alert(i, titled.group(2))
                continue
            code = block.text.strip().strip("`")
            if any(code.lower().startswith(parent + ".") for parent in parents):
                continue  # a settings reference's "errors.404.title" under "errors": a property
            named = looks_like_alert_name(block.text) or (
                set(parents) & _ERROR_PARENTS and _ERROR_CODE.match(code))
            if not (named or in_alerts_folder):
                continue
            body = self._section_blocks(i)
            says_alert = any(_SAYS_ALERT.search(b.text) for b in body[:2]
                             if b.kind in ("paragraph", "list_item"))
            if not named and not (says_alert and body[0].kind == "paragraph"
                                  and _THIS_ALERT.match(body[0].text)):
                continue
            has_meaning = any(b.kind == "heading" and _part(b.text) == _MEANING for b in body)
            if not (set(parents) & (_PLAYBOOK_PARENTS | _ERROR_PARENTS) or says_alert
                    or has_meaning):
                continue
            name = block.text.strip().strip("`")
            scenario = self._alert(name, name, block.anchor, self._enclosing(i))
            start = next((i + 1 + k for k, b in enumerate(body)
                          if b.kind == "heading" and _part(b.text) == _MEANING), i)
            rule = next((said for b in body if b.kind == "code"
                         for said in [rule_said(b.text, name)] if said), None)
            if rule is not None:
                scenario.severity = normalize_severity(rule[1]) or scenario.severity
            self._add(scenario, self._first_statement(start + 1)
                      or (_sentences(rule[0])[:1] if rule else []) or [_spoken(name)])
            for sub in body:
                if sub.kind == "heading" and _part(sub.text) not in (_MEANING, *_ALERT_PARTS):
                    scenario.branches.append(Branch(sub.text, sub.anchor))

    def _finding_paragraphs(self) -> None:
        """A playbook naming a finding it answers in a paragraph of its own (AWS's older
        GuardDuty playbooks: "**[Execution:EC2/MaliciousFile](...)**", then a sentence in
        bold saying what it means): the finding opens the playbook there."""
        for i, block in enumerate(self.blocks):
            if block.kind != "paragraph" or "/" not in block.text or len(block.text) > 200:
                continue  # most paragraphs: a finding type has a slash and is short
            kind = " ".join(block.text.split()).strip("`* ")
            if not FINDING_TYPE.match(kind):
                continue
            scenario = self._alert(kind, kind, block.anchor, [h[1] for h in self.trails[i]])
            self._add(scenario, self._first_statement(i + 1) or [_spoken(kind)])

    def _titled_alert(self, i: int, name: str) -> None:
        """A heading that says it names an alert ("Alert Name: KubeAPIDown"): its
        Message (or Summary, Description) item is what happens, its Severity item its
        severity; else its first statement."""
        block = self.blocks[i]
        scenario = self._alert(name, name, block.anchor, self._enclosing(i))
        said: list[str] = []
        for item in self._section_blocks(i):
            field = _FIELD_ITEM.match(" ".join(item.text.split())) \
                if item.kind in ("list_item", "paragraph") else None
            if field is None:
                continue
            if field.group(1).lower() == "severity":
                scenario.severity = normalize_severity(field.group(2)) or scenario.severity
            elif not said:
                said = _sentences(readable_template(field.group(2)))[:1]
        self._add(scenario, said or self._first_statement(i + 1) or [_spoken(name)])

    def _scoped_alerts(self) -> None:
        """An alerts reference of services' alerts (Sourcegraph's): a heading
        ``service: alert_name`` whose section lists the alert's descriptions, each opening
        with its level ("warning frontend: 20s+ ..."). The descriptions are what its
        notifications say; the first is its symptom."""
        for i, block in enumerate(self.blocks):
            scoped = SCOPED_ALERT.match(block.text.strip().strip("`")) \
                if block.kind == "heading" else None
            if scoped is None:
                continue
            described = self._levelled_descriptions(self._section_blocks(i))
            if not described:
                continue
            service, name = scoped.groups()
            levels = list(dict.fromkeys(level for level, _ in described))
            scenario = self._scenario(block.text.strip(), block.anchor, self._enclosing(i))
            scenario.alert = scoped_name(service, name)
            scenario.alerts = [scenario.alert, *(f"{level}_{service}_{name}" for level in levels),
                               *(text for _, text in described)]
            scenario.severity = normalize_severity(
                "critical" if "critical" in levels else levels[0]) or scenario.severity
            self._add(scenario, [described[0][1]])

    @staticmethod
    def _levelled_descriptions(body: list) -> list[tuple[str, str]]:
        """(level, text) of each item under a "Descriptions" label in ``body``."""
        found: list[tuple[str, str]] = []
        listing = False
        for block in body:
            if block.kind == "paragraph" and block.label:
                listing = block.label.rstrip(": ").lower() in _DESCRIPTIONS
            elif listing and block.kind == "list_item" and block.level == 1:
                levelled = _LEVELLED.match(" ".join(block.text.split()))
                if levelled:
                    found.append((levelled.group(1).lower(), levelled.group(2)))
            elif block.kind != "list_item":
                listing = False
        return found

    def _problem_sections(self) -> None:
        """A troubleshooting page: each top section named as a problem is a scenario; on a
        page of alert responses, each top section is an alert, what it says first its
        symptom."""
        alerts_page = bool(_ALERT_RESPONSES_PAGE.match(self.document.title))
        if not alerts_page and not _PROBLEM_PAGE.match(self.document.title):
            return
        levels = sorted({b.level for b in self.blocks if b.kind == "heading"})
        if not levels:
            return
        # The sections are the level under the page's titles (a page may have several:
        # "Troubleshooting", then "Failover and Recovery"), or its only level.
        top = levels[1] if len(levels) > 1 else levels[0]
        for i, block in enumerate(self.blocks):
            if block.kind != "heading" or block.level != top:
                continue
            if not alerts_page and _PROBLEMS_INDEX.search(block.text.replace("`", "")):
                # "Some known issues": the problems are the sections under it.
                for j in self._section_range(i):
                    if self.blocks[j].kind == "heading" and self.blocks[j].level == top + 1:
                        self._problem_section(j, alerts_page)
                continue
            self._problem_section(i, alerts_page)

    def _problem_section(self, i: int, alerts_page: bool) -> None:
        """Heading ``i`` of a troubleshooting page (or of alert responses) as a scenario,
        when it names a problem (or an alert); its sub-headings are the branches."""
        block = self.blocks[i]
        symptom = clean_symptom(block.text.replace("`", ""))
        named = _TROUBLESHOOTING_WHAT.match(symptom)  # "Troubleshooting X issues": X issues
        if named and _PROBLEM.search(named.group(1)):
            symptom = _capitalised(named.group(1))
        if not symptom or not (alerts_page or _PROBLEM.search(symptom)) \
                or _NOT_A_PROBLEM.match(symptom) or _PROBLEMS_INDEX.search(symptom) \
                or (alerts_page and block.text.strip() == self.document.title.strip()):
            return  # (the alerts page's own title is not one of its alerts)
        task = _TASK_WHEN.match(symptom)  # "Resetting the app when users see a 403"
        if task is not None and _PROBLEM.search(task.group(1)):
            symptom = _capitalised(task.group(1))
        if alerts_page:
            scenario = self._alert(symptom, block.text, block.anchor, self._enclosing(i))
            self._add(scenario, self._first_statement(i + 1) or [symptom])
        else:
            scenario = self._scenario(block.text, block.anchor, self._enclosing(i))
            self._add(scenario, [symptom])
        for sub in self._section_blocks(i):
            if sub.kind == "heading" and sub.level > block.level:
                scenario.branches.append(Branch(sub.text, sub.anchor))

    def _section_range(self, i: int) -> range:
        """The indexes of the blocks under heading ``i``, up to the next heading of its
        level or higher."""
        level, end = self.blocks[i].level, i + 1
        while end < len(self.blocks) and not (self.blocks[end].kind == "heading"
                                              and self.blocks[end].level <= level):
            end += 1
        return range(i + 1, end)

    def _section_blocks(self, i: int) -> list:
        """The blocks under heading ``i``, up to the next heading of its level or higher."""
        return [self.blocks[j] for j in self._section_range(i)]

    def _alert_tables(self) -> None:
        """Tables of alerts: a header with Name (or Alert) and Summary (or Description);
        and a playbook's table of the findings it answers (a Finding Type column, as AWS's
        incident response playbooks list GuardDuty's): each finding opens the playbook."""
        columns: dict[str, int] | None = None
        for i, block in enumerate(self.blocks):
            if block.kind != "table_row":
                columns = None
                continue
            cells = [c.strip() for c in block.text.split(" | ")]
            lowered = [c.lower() for c in cells]
            if columns is None or i == 0 or self.blocks[i - 1].kind != "table_row":
                name_col = next((k for k, c in enumerate(lowered)
                                 if c in ("name", "alert", "alertname", "alert name")), None)
                text_col = next((k for k, c in enumerate(lowered)
                                 if c in ("summary", "description", "meaning", "message")), None)
                finding_col = next((k for k, c in enumerate(lowered)
                                    if _FINDING_COLUMN.match(c)), None)
                if name_col is None and text_col is None and finding_col is not None:
                    name_col, text_col = finding_col, _PLAYBOOK
                columns = {"name": name_col, "text": text_col,
                           "severity": next((k for k, c in enumerate(lowered)
                                             if c == "severity"), -1)} \
                    if name_col is not None and text_col is not None else {}
                # "Name | Type | Description" is as often an API's fields: a table of
                # alerts says so in a column or in a heading above it.
                if columns and lowered[name_col] == "name" and columns["severity"] < 0 \
                        and not any(_SAYS_ALERT.search(h[1]) for h in self.trails[i]) \
                        and not _SAYS_ALERT.search(self.document.title):
                    columns = {}
                continue
            if not columns or len(cells) <= max(columns["name"], columns["text"]):
                continue
            name = cells[columns["name"]].strip("`* ")
            playbook = columns["text"] == _PLAYBOOK
            if not (FINDING_TYPE.match(name) if playbook else looks_like_alert_name(name)):
                continue  # a playbook's table also lists other sources' events, in words
            scenario = self._alert(name, name, self._top_anchor() if playbook else block.anchor,
                                   [h[1] for h in self.trails[i]])
            if 0 <= columns["severity"] < len(cells) and cells[columns["severity"]]:
                scenario.severity = normalize_severity(cells[columns["severity"]]) or \
                    scenario.severity
            # The playbook says what all its findings mean: its title is their symptom.
            said = [self.document.title] if playbook else _sentences(cells[columns["text"]])
            self._add(scenario, said[:1])

    def _alert_branches(self, scenario: Scenario) -> None:
        """Sub-steps of Diagnosis and Mitigation: their sub-headings, else their items."""
        section_level, inside = 0, ""
        for block in self.blocks:
            if block.kind == "heading":
                if _part(block.text) in _BRANCHING_PARTS:
                    section_level, inside = block.level, block.anchor
                    continue
                if inside and block.level <= section_level:
                    inside = ""
                elif inside:
                    scenario.branches.append(Branch(block.text, block.anchor))
                    continue
            elif inside and block.kind == "list_item" and block.level == 1:
                scenario.branches.append(Branch(_first_line(block.text)[:120], block.anchor))

    def _add(self, scenario: Scenario, symptoms: list[str]) -> None:
        # A set beside each list: a scenario listing thousands of symptoms stays linear.
        seen = self._symptoms_seen.get(id(scenario))
        if seen is None:  # not setdefault: its default would be built every time
            seen = self._symptoms_seen[id(scenario)] = set(scenario.symptoms)
        for symptom in symptoms:
            if symptom and symptom not in seen:
                seen.add(symptom)
                scenario.symptoms.append(symptom)

    # -- branches -------------------------------------------------------------------
    def _branches(self) -> None:
        """Step / If / Option headings and labels inside each scenario, in order."""
        by_anchor: dict[str, list[Scenario]] = {}
        for scenario in self.scenarios.values():
            if not scenario.alert:
                by_anchor.setdefault(scenario.anchor, []).append(scenario)
        if not by_anchor:
            return
        labelled: dict[int, set[str]] = {}
        for i, block in enumerate(self.blocks):
            label = ""
            if block.kind == "heading" and _BRANCH.match(block.text):
                label = block.text
            elif block.kind in ("paragraph", "list_item") and block.label and _BRANCH.match(
                    block.label):
                label = block.label.rstrip(":").strip()
            if not label:
                continue
            trail = self.trails[i]
            owners = [h for h in trail if h[2] in by_anchor and not (
                block.kind == "heading" and h[2] == block.anchor)]
            if not owners:
                continue
            for scenario in by_anchor[owners[-1][2]]:
                labels = labelled.get(id(scenario))
                if labels is None:  # not setdefault: its default would be built every time
                    labels = labelled[id(scenario)] = {b.label for b in scenario.branches}
                if label not in labels:
                    labels.add(label)
                    scenario.branches.append(Branch(label, block.anchor))


def extract_scenarios(document: Document) -> list[Scenario]:
    """Every scenario of ``document`` that states at least one symptom, in page order."""
    return _Extractor(document).run()

