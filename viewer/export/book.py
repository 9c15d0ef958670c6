"""The runbooks of an export, rendered once, with the facts each one's header shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from viewer.core.document import Problem
from viewer.core.freshness import review_facts
from viewer.core.library import Library
from viewer.core.links import landing_anchors
from viewer.core.owners import OwnersTable
from viewer.core.render.page_marks import show_ticks, show_values
from viewer.core.rendering import read_runbook, render_decoded
from viewer.core.rst_targets import LabelIndex
from viewer.core.variables.values import VariableValues


@dataclass
class Chapter:
    number: int  # 1-based; its anchors are r<number>-<anchor>
    path: str
    title: str
    body: str  # the page's HTML, placeholders shown as values or as written
    anchors: set[str] = field(default_factory=set)
    headings: list[tuple[str, str]] = field(default_factory=list)
    problem: str = ""
    version: str = ""  # "commit 1a2b3c4", or the file's digest
    owners: list[str] = field(default_factory=list)
    reviewed: str = ""

    @property
    def top(self) -> str:
        return f"r{self.number}"


@dataclass
class Book:
    library: Library
    chapters: list[Chapter]
    made_at: dt.datetime
    sources: list[tuple[str, str]]  # (name, "commit 1a2b3c4" or "folder")
    values: VariableValues | None = None  # --set: placeholders filled where given

    def __post_init__(self) -> None:
        self._by_path = {chapter.path: chapter for chapter in self.chapters}

    def chapter_of(self, path: str) -> Chapter | None:
        return self._by_path.get(path)


PARALLEL_FROM = 50  # runbooks; below this, starting worker processes costs more than it saves
# In each process that renders chapters: the library, its label table and its owners.
_SHARED: list[tuple[Library, LabelIndex, OwnersTable]] = []


def _setup(root: str) -> None:
    from viewer.core.search import library_labels

    library = Library(root)
    # The index's labels where they match the files (a MyST reference to another page
    # needs them), else a scan. An export reads the library as it is when it starts:
    # the table is read once, not once a chapter.
    labels = library_labels(library, check_disk=True)
    labels.watched = True
    _SHARED[:] = [(library, labels, OwnersTable(library))]


def _chapter(number: int, rel: str, values: VariableValues | None, keep: bool) -> Chapter:
    """One runbook rendered for the export (``keep``: for print)."""
    from viewer.sync.versions import runbook_version

    library, labels, owners = _SHARED[0]
    decoded = read_runbook(library, rel)
    result = decoded if isinstance(decoded, Problem) else \
        render_decoded(decoded, rel, library, labels=labels)
    if isinstance(result, Problem):
        chapter = Chapter(number, rel, rel.rsplit("/", 1)[-1], "", problem=result.message)
    else:
        body = show_ticks(show_values(result.body_html, result.variables, values), None)
        if keep:  # for paper: commands as plain wrapped text
            from viewer.export.print_code import print_body

            body = print_body(body, result, values)
        review = review_facts(result.metadata, decoded.text)
        anchors, headings = landing_anchors(result)
        chapter = Chapter(
            number, rel, result.title, body, anchors, headings,
            owners=review.owners or owners.owners(rel),
            reviewed=review.reviewed.isoformat() if review.reviewed else "")
    chapter.version = runbook_version(library, rel)
    return chapter


def make_book(library: Library, paths: list[str], *, values: VariableValues | None = None,
              progress: Callable[[int, int], None] | None = None,
              now: dt.datetime | None = None, workers: int | None = None,
              for_print: bool = False) -> Book:
    """Render each runbook of ``paths`` (in that order) for the export, on every core.

    ``for_print`` lays commands out for paper (plain text, long lines wrapped with a mark).
    No Document is kept: 5,000 of them would not fit a laptop's memory beside the rest.
    """
    from viewer.core.workers import default_workers, map_in_workers

    chapters = []
    calls = [(number, rel, values, for_print) for number, rel in enumerate(paths, 1)]
    for chapter in map_in_workers(_chapter, calls, workers=workers or default_workers(),
                                  parallel_from=PARALLEL_FROM, setup=_setup,
                                  setup_args=(str(library.root),)):
        chapters.append(chapter)
        if progress is not None:
            progress(len(chapters), len(paths))
    return Book(library, chapters, now or dt.datetime.now(dt.UTC), _sources(library), values)


def _sources(library: Library) -> list[tuple[str, str]]:
    from viewer.sync.snapshots import SourceCache

    if not library.is_union:
        return [(library.name, "a folder on this computer")]
    found = []
    for name in library.mount_order():
        try:
            commit = SourceCache(name).current_commit()
        except (OSError, ValueError):
            commit = ""
        found.append((name, f"commit {commit[:12]}" if commit else "a folder on this computer"))
    return found
