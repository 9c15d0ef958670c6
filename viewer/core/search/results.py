"""What a search returns (hits with marked snippets) and the filters it takes.

Kept apart from the SQLite code so the window can show results without
loading the index machinery before its first paint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MARK_START, MARK_END = "\x02", "\x03"  # replaced by each front end's own marking


@dataclass(frozen=True)
class SearchFilters:
    folder: str = ""
    tag: str = ""
    severity: str = ""

    def merged(self, typed: dict[str, str]) -> SearchFilters:
        """Filters typed into the query (``tag:db``) override the chosen ones."""
        return SearchFilters(
            folder=typed.get("folder", self.folder), tag=typed.get("tag", self.tag),
            severity=typed.get("severity", self.severity))


@dataclass
class Hit:
    path: str
    title: str
    anchor: str | None
    heading: str
    snippet: str  # matched words between MARK_START and MARK_END
    score: float  # higher is better
    severity: str = ""
    tags: list[str] = field(default_factory=list)
    section_text: str = field(default="", repr=False)

    def snippet_marked(self, start: str = "**", end: str = "**") -> str:
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)
