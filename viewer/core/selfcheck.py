"""The self-test's checks of the parts a broken build loses first: parsers, highlighting, index.

``runbook-viewer --self-test`` runs these after the window's first paint. A
packaged app missing a data file (docutils' templates, a Pygments lexer)
or a module (SQLite's FTS5, a hidden import) fails here, with a message
saying which.
"""

from __future__ import annotations

from viewer.core.document import Document
from viewer.core.library import Library, markup_of
from viewer.core.render.highlight import highlight_code
from viewer.core.render.page import page_html

# Languages runbooks use most, each with a line that must come out coloured.
_PROBES = {"bash": "echo $HOME", "console": "$ kubectl get pods", "sql": "SELECT 1;",
           "yaml": "key: value", "python": "import os", "json": '{"a": 1}'}


class SelfCheckFailed(Exception):
    """``str(err)`` says what does not work."""


def _first(library: Library, markup: str) -> str | None:
    return next((rel for rel in library.iter_runbooks() if markup_of(rel) == markup), None)


def check_library(library: Library) -> list[str]:
    """Render a Markdown and a reST runbook, refresh the index and search it; report lines."""
    from viewer.core.rendering import render_path
    from viewer.core.search import open_index
    from viewer.core.search.refresh import refresh_index
    from viewer.core.triage.tree import TriageTree

    lines: list[str] = []
    for language, sample in _PROBES.items():
        spans, highlighted = highlight_code(sample, language)
        if not highlighted or 'class="hl-' not in spans:
            raise SelfCheckFailed(f"the {language} highlighter is missing from this build")
    lines.append(f"highlighting: {', '.join(_PROBES)}")
    for markup in ("markdown", "rst"):
        rel = _first(library, markup)
        if rel is None:
            lines.append(f"no {markup} runbook in {library.root} to render")
            continue
        document = render_path(library.root / rel, library)
        if not isinstance(document, Document):
            raise SelfCheckFailed(f"{rel} did not render: {document.message}")
        html = page_html(document, "light")
        lines.append(f"rendered {rel} ({markup}, {len(document.headings)} headings, "
                     f"{len(document.code_blocks)} code blocks, {len(html)} bytes of HTML)")
    index = open_index(library)
    try:
        report = refresh_index(index, library)
        documents, sections = index.counts()
        if documents == 0:
            raise SelfCheckFailed("the search index is empty after a refresh")
        title_word = next(w for w in index.documents()[0].title.split() if len(w) > 2)
        hits = index.search(title_word)
        if not hits:
            raise SelfCheckFailed(f"searching the index for {title_word!r} found nothing")
        tree = TriageTree.load(index)
        lines.append(f"index: {documents} runbooks, {sections} sections ({report.parsed} "
                     f"indexed now); search {title_word!r}: {len(hits)} hits; symptom tree: "
                     f"{tree.symptom_count} symptoms")
    finally:
        index.close()
    return lines
