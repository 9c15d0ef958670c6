"""What the index stores of one runbook: its sections, cut from the Document model.

A section runs from one heading to the next. Each keeps its anchor (the
same one the rendered page has, so a hit opens at the right place), the
path of headings above it for context, its prose and its commands. The
record also carries what describes the whole file: front-matter tags,
severity and symptoms, and the words of its path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from viewer.core.document import Document
from viewer.core.frontmatter import as_list, items_of
from viewer.core.search.meta_labels import LABEL_END
from viewer.core.severity import normalize_severity
from viewer.core.triage.extract import Scenario, extract_scenarios

_META_TEXT_KEYS = ("tags", "tag", "keywords", "symptoms", "services", "service", "owner",
                   "team", "category", "aliases", "alert", "alerts", "summary", "description")
@dataclass
class Section:
    ordinal: int
    anchor: str
    heading: str  # "Parent › Child", "" before the first heading
    body: str
    code: str


@dataclass
class IndexedDocument:
    path: str
    title: str
    markup: str
    tags: list[str] = field(default_factory=list)
    severity: str = ""
    meta: str = ""  # front-matter values and the path's words: "Label\x1fvalue" lines
    sections: list[Section] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)  # for the symptom sidebar


def _meta_lines(metadata: dict[str, Any]) -> list[str]:
    """A line per front-matter value the index searches: its label, LABEL_END, the value."""
    lines: list[str] = []
    for key in _META_TEXT_KEYS:
        label = key.replace("_", " ").capitalize()
        lines += (f"{label}{LABEL_END}{' '.join(item.split())}"
                  for item in items_of(metadata.get(key)))
    return lines


def index_record(document: Document) -> IndexedDocument:
    """Cut ``document`` into the sections the index stores."""
    metadata = document.metadata or {}
    tags = sorted({str(t).strip().lower() for key in ("tags", "tag", "keywords")
                   for t in as_list(metadata.get(key)) if str(t).strip()})
    severity = normalize_severity(str(metadata.get("severity") or metadata.get("priority") or ""))
    record = IndexedDocument(document.path, document.title, document.markup, tags, severity,
                             scenarios=extract_scenarios(document))
    for scenario in record.scenarios:
        scenario.keyed_symptoms()  # here, in the worker process, not in the writer

    trail: list[tuple[int, str]] = []  # (level, text) of the headings above
    anchor, body, code = "", [], []

    def close() -> None:
        # The title is indexed once per section already; repeating it in every
        # heading trail would let it outweigh the section's own heading.
        names = [text for _, text in trail]
        if len(names) > 1 and names[0] == document.title:
            names = names[1:]
        heading = " › ".join(names)
        if body or code or heading:
            record.sections.append(Section(len(record.sections), anchor, heading,
                                           "\n".join(body), "\n".join(code)))

    for block in document.blocks:
        if block.kind == "heading":
            close()
            while trail and trail[-1][0] >= block.level:
                trail.pop()
            trail.append((block.level, block.text))
            anchor, body, code = block.anchor, [], []
        elif block.kind == "code":
            code.append(block.text)
        else:
            body.append(block.text)
    close()
    if not record.sections:
        record.sections.append(Section(0, "", "", "", ""))
    path_words = re.sub(r"[/_.\-]+", " ", document.path.rsplit(".", 1)[0])
    # One value a line, so that a hit found by its front matter can show the one that matched.
    lines = _meta_lines(metadata)
    if record.severity:
        lines.append(f"Severity{LABEL_END}{record.severity}")
    if path_words:
        lines.append(f"Path{LABEL_END}{path_words}")
    record.meta = "\n".join(lines)
    return record
