"""Opening one runbook: from a library path to a Document, or a Problem explaining why not.

This is the pipeline every caller uses (the window, ``render``, the index):
check the path stays inside the library, read and decode it, pick the
front end by file type, and turn every failure, even one inside a parser,
into a sentence for the user.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from viewer.core.document import Document, Problem
from viewer.core.frontmatter import split_front_matter
from viewer.core.library import Library, OutsideLibrary, markup_of
from viewer.core.render.budget import RenderTooSlow, deadline, plain_document, seconds_for
from viewer.core.render.markdown import render_markdown
from viewer.core.render.placeholders import attach_variables
from viewer.core.render.step_marks import attach_steps
from viewer.core.rst_targets import LabelIndex, LabelLookup, LabelTarget
from viewer.core.section_pages import is_section_page, section_listing_html
from viewer.core.textio import DecodedText, UnreadableFile

log = logging.getLogger(__name__)
# Private-use characters the renderers mark places with (placeholders, steps, boxes).
_OUR_MARKS = {code: None for code in range(0xE010, 0xE018)}


def render_text(text: str, path: str, *, library: Library | None = None,
                labels: LabelIndex | LabelLookup | None = None,
                with_html: bool = True) -> Document:
    """Render already-decoded text; ``path`` decides the markup. Never raises for bad input.

    A parser that fails, runs over the page's time budget or shows nothing
    of a page that has text gives way to the text itself, with a notice.
    A :class:`LabelIndex` is refreshed only here, for reST pages: Markdown
    pages never pay for a scan of the library's labels.
    """
    markup = markup_of(path)
    name = path.rsplit("/", 1)[-1]
    text = text.translate(_OUR_MARKS)  # the page's own marks are ours to place, never its
    if markup == "rst" and isinstance(labels, LabelIndex):
        # The library's label table is the library's cost, not this page's: outside its budget.
        labels = labels.refresh()
    try:
        with deadline(seconds_for(len(text))):
            document = _parse(text, path, markup, library, labels, with_html)
    except RenderTooSlow:
        return plain_document(text, path, markup, (
            f"{name} takes too long to lay out (over {seconds_for(len(text)):.0f} s), so it "
            "is shown as plain text. The file is unchanged."))
    except RecursionError:
        return plain_document(text, path, markup, (
            f"{name} is nested too deeply to lay out (thousands of levels of quotes or "
            "lists), so it is shown as plain text."))
    except Exception as err:  # a parser bug must not take the page away
        log.info("rendering %s failed: %s: %s", path, type(err).__name__, err)
        return plain_document(text, path, markup, (
            f"{name} could not be laid out ({type(err).__name__} in the "
            f"{'reStructuredText' if markup == 'rst' else 'Markdown'} parser), so it is shown "
            "as plain text. The file is unchanged."))
    if with_html and not document.body_html.strip() and split_front_matter(text)[1].strip():
        return plain_document(text, path, markup, (
            f"Nothing in {name} could be laid out as a page, so it is shown as plain text."))
    if with_html and library is not None and not document.blocks and \
            not document.headings and is_section_page(path):
        document.body_html += section_listing_html(library, path)
    if with_html:  # the index reads no commands: it never pays for their placeholders
        attach_steps(document)
        attach_variables(document)
    return document


def _parse(text: str, path: str, markup: str, library: Library | None,
           labels: LabelIndex | LabelLookup | None, with_html: bool) -> Document:
    if markup == "rst":
        # docutils is imported on first use: it is the slowest import of the app
        # and a library of Markdown runbooks never needs it.
        from viewer.core.render.rst import render_rst
        from viewer.core.render.rst_sphinx import RstContext

        table = labels.refresh() if isinstance(labels, LabelIndex) else (
            labels if labels is not None else {})
        context = RstContext(library=library, path=path, labels=table)
        return render_rst(text, path, context, with_html=with_html)
    return render_markdown(text, path, with_html=with_html, library=library,
                           mark_paragraphs=with_html, find_label=_label_finder(labels))


def _label_finder(labels: LabelIndex | LabelLookup | None) -> Callable[[str], LabelTarget | None]:
    """How a Markdown page finds a MyST target of another page: in the index's stored
    labels, asked for only when the page refers to one. Never a scan of the library:
    until the index has been complete, such a reference shows as its text."""
    if not isinstance(labels, LabelIndex):
        table = labels
        return lambda name: table.get(name) if table is not None else None
    index = labels
    opened: list[LabelLookup | None] = []

    def find(name: str) -> LabelTarget | None:
        if not opened:
            opened.append(index.stored_labels())
        return opened[0].get(name) if opened[0] is not None else None

    return find


def read_runbook(library: Library, rel_path: str) -> DecodedText | Problem:
    """Read and decode the runbook at ``rel_path``, refusing anything outside the library."""
    try:
        return library.read_text(rel_path)
    except (OutsideLibrary, UnreadableFile) as err:
        return Problem(rel_path, str(err))


def render_decoded(decoded: DecodedText, rel_path: str, library: Library | None = None, *,
                   labels: LabelIndex | LabelLookup | None = None,
                   with_html: bool = True) -> Document | Problem:
    """Render text read by :func:`read_runbook`; a parser failure becomes a Problem."""
    name = rel_path.rsplit("/", 1)[-1]
    try:
        document = render_text(decoded.text, rel_path, library=library, labels=labels,
                               with_html=with_html)
    except RecursionError:
        return Problem(rel_path, f"{name} is nested too deeply to display "
                                 "(thousands of levels of quotes or lists).")
    except Exception as err:  # a parser bug must not take the window down
        log.exception("rendering %s failed", rel_path)
        return Problem(rel_path, f"{name} could not be rendered ({type(err).__name__}). "
                                 "The file is unchanged; open it in a text editor meanwhile.")
    document.encoding = decoded.encoding
    document.mtime_ns = decoded.mtime_ns
    return document


def render_file(library: Library, rel_path: str, *,
                labels: LabelIndex | LabelLookup | None = None,
                with_html: bool = True) -> Document | Problem:
    """Render the runbook at ``rel_path`` in ``library``; never raises for bad input.

    ``with_html=False`` gives the same Document without its HTML, for readers
    of the model (the index, the symptom extractor).
    """
    decoded = read_runbook(library, rel_path)
    if isinstance(decoded, Problem):
        return decoded
    return render_decoded(decoded, rel_path, library, labels=labels, with_html=with_html)


def render_path(path: Path, library: Library | None = None,
                labels: LabelIndex | None = None) -> Document | Problem:
    """Render a file given by filesystem path; its library defaults to its folder.

    Without a library, the file's real folder is the library: a runbook
    reached through a symlinked folder (every synced copy is) opens.
    """
    if library is None:
        real = path.resolve()
        library, path = Library(real.parent), real
    try:
        rel = library.rel_path(path.absolute())
    except ValueError:
        return Problem(str(path), f"{path.name} is not inside the library {library.root}.")
    return render_file(library, rel, labels=labels or LabelIndex(library))
