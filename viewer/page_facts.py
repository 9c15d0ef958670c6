"""One runbook's facts for a reader: owners, reviews, last change, freshness, what it holds.

Joins what the page says (core) with what its git history says (sync);
``info`` prints it and the window's freshness line shows it. Slow parts
(a history walk) belong off the UI thread: callers run it in a worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from viewer.core.document import Document, Problem
from viewer.core.freshness import Freshness, LastChange, ReviewFacts, freshness_of, review_facts
from viewer.core.library import Library
from viewer.core.library_config import library_config_for
from viewer.core.owners import OwnersTable


@dataclass
class PageFacts:
    path: str
    title: str = ""
    owners: list[str] = field(default_factory=list)
    owners_from: str = ""  # "the page" | "OWNERS/CODEOWNERS" | ""
    review: ReviewFacts | None = None
    change: LastChange | None = None  # None: not from a git repository
    freshness: Freshness | None = None
    symptoms: int = 0
    variables: int = 0
    problem: str = ""
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) rows for a terminal."""
        review = self.review or ReviewFacts()
        fresh = self.freshness
        rows = [("Title", self.title), ("Path", self.path),
                ("Owners", ", ".join(self.owners) + (f" (from {self.owners_from})"
                                                     if self.owners else "") or "not stated"),
                ("Reviewed", (review.reviewed.isoformat() if review.reviewed else "not stated")
                 + (f" by {review.reviewer}" if review.reviewer else "")),
                ("Review due", fresh.review_by.isoformat() if fresh and fresh.review_by
                 else "not known"),
                ("Last change", _change_words(self.change)),
                ("Freshness", ": ".join(filter(None, (fresh.state, fresh.line)))
                 if fresh else "unknown"),
                ("Symptoms", str(self.symptoms)), ("Variables", str(self.variables))]
        rows += [("Note", note) for note in self.notes]
        rows += [("Problem", text) for _key, _value, text in review.malformed]
        return rows

    def as_json(self) -> dict:
        review = self.review or ReviewFacts()
        change = self.change
        fresh = self.freshness
        return {
            "path": self.path, "title": self.title, "owners": self.owners,
            "owners_from": self.owners_from or None,
            "reviewed": review.reviewed.isoformat() if review.reviewed else None,
            "reviewed_by": review.reviewer or None,
            "review_due": fresh.review_by.isoformat() if fresh and fresh.review_by else None,
            "last_change": None if change is None else {
                "date": change.when.isoformat() if change.when else None,
                "author": change.author or None, "commit": change.commit or None,
                "unknown_because": change.unknown_because or None},
            "freshness": fresh.state if fresh else "unknown",
            "line": fresh.line if fresh else "",
            "symptoms": self.symptoms, "variables": self.variables,
            "problems": [text for _k, _v, text in review.malformed],
        }


def _change_words(change: LastChange | None) -> str:
    if change is None:
        return "not from a git repository"
    if change.when is None:
        return f"unknown ({change.unknown_because})"
    return f"{change.when.date().isoformat()} by {change.author} ({change.commit[:7]})"


def page_facts(library: Library, rel_path: str, *, today: dt.date | None = None,
               with_history: bool = True, document: Document | None = None) -> PageFacts:
    """The page's facts; ``document`` is the page as already rendered, if it is at hand."""
    from viewer.core.rendering import render_file
    from viewer.core.triage.extract import extract_scenarios

    facts = PageFacts(rel_path)
    document = document or render_file(library, rel_path)
    if isinstance(document, Problem):
        facts.problem = document.message
        return facts
    facts.title = document.title
    config, note = library_config_for(library, rel_path)
    if note:
        facts.notes.append(note)
    facts.review = review_facts(document.metadata, _text(library, rel_path))
    facts.owners, facts.owners_from = list(facts.review.owners), "the page"
    if not facts.owners:
        facts.owners = OwnersTable(library).owners(rel_path)
        facts.owners_from = "OWNERS/CODEOWNERS" if facts.owners else ""
    if with_history:
        from viewer.sync.file_history import last_change

        facts.change = last_change(library, rel_path)
    facts.freshness = freshness_of(facts.review, facts.change, config.freshness,
                                   today or dt.date.today(), facts.owners)
    facts.symptoms = sum(len(s.symptoms) for s in extract_scenarios(document))
    facts.variables = len(document.variables)
    return facts


def _text(library: Library, rel_path: str) -> str:
    try:
        return library.read_text(rel_path).text
    except Exception:  # already rendered once: a race with a deletion, nothing to add
        return ""
