"""The export as a PDF for printing, made with Qt's own text layout and PDF writer.

No browser engine: the export's print HTML is laid out by QTextDocument in
pages of A4. A code block that fits on a page is moved whole to the next
page rather than cut; long command lines wrap with a visible mark; each page
has the runbook's title above and its number below; a table of contents
lists every runbook, linked to it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from viewer.core.variables.catalog import filled_block
from viewer.export.book import Book

WRAP_COLUMNS = 88  # what fits across A4 in the print font
WRAP_MARK = "\u21a9"  # at the end of a line that goes on below
_CODE_TABLE = re.compile(r'<table class="codeblock".*?</table>\n?', re.S)
_COPY_INDEX = re.compile(r'href="copy:(\d+)"')
_LABEL = re.compile(r'<td class="code-head">(.*?)&nbsp;', re.S)


def wrapped_lines(text: str, columns: int = WRAP_COLUMNS) -> list[str]:
    """``text``'s lines cut at ``columns``, each cut marked, so nothing runs off the page."""
    out: list[str] = []
    for line in text.rstrip("\n").split("\n"):
        while len(line) > columns:
            out.append(line[:columns - 1] + WRAP_MARK)
            line = line[columns - 1:]
        out.append(line)
    return out


def print_html(book: Book) -> str:
    """The export's print HTML: code as plain wrapped text, an anchor at each runbook."""
    from viewer.export.html_file import book_html

    for chapter in book.chapters:
        document = chapter.document
        if document is None:
            continue

        def plain(match: re.Match[str], document=document) -> str:  # type: ignore[no-untyped-def]
            found = _COPY_INDEX.search(match.group(0))
            if found is None or int(found.group(1)) >= len(document.code_blocks):
                return match.group(0)
            index = int(found.group(1))
            text = filled_block(document, index, book.values, masked=True).text
            label = _LABEL.search(match.group(0))
            lines = "\n".join(html.escape(line) for line in wrapped_lines(text))
            return (f'<table class="codeblock" width="100%" cellspacing="0" cellpadding="4">'
                    f'<tr><td class="code-head">{label.group(1) if label else ""}</td></tr>'
                    f'<tr><td class="code-body"><pre class="code">{lines}</pre></td></tr>'
                    f"</table>\n")

        chapter.body = _CODE_TABLE.sub(plain, chapter.body)
    text = book_html(book, for_print=True)
    # Each runbook starts a page; its first line carries the anchor the page headers find.
    return re.sub(r'<section class="runbook" id="(r\d+)"><p class="runbook-meta">(.*?)</p>',
                  r'<section class="runbook" id="\1"><p class="runbook-meta" '
                  r'style="page-break-before: always"><a name="\1" style="color: #59636e; '
                  r'text-decoration: none">\2</a></p>', text)


def write_pdf(book: Book, path: Path) -> int:
    """Write ``book`` to ``path`` as a PDF; returns the number of pages."""
    from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF
    from PySide6.QtGui import (
        QFont,
        QGuiApplication,
        QPageLayout,
        QPageSize,
        QPainter,
        QPdfWriter,
        QTextDocument,
    )

    if QGuiApplication.instance() is None:
        import os

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _APP.append(QGuiApplication(["runbook-viewer"]))
    source = print_html(book)
    writer = QPdfWriter(str(path))
    writer.setTitle("Runbooks: break-glass copy")
    writer.setCreator("Runbook Viewer")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15)))
    writer.setResolution(96)
    page = writer.pageLayout().paintRectPixels(96)
    header, footer = 28.0, 24.0
    body_height = page.height() - header - footer
    document = QTextDocument()
    document.setDefaultFont(QFont("DejaVu Sans", 9))
    document.setDocumentMargin(0)
    document.setHtml(source)
    document.setPageSize(QSizeF(page.width(), body_height))
    _keep_code_together(document, body_height)
    titles = {c.top: c.title for c in book.chapters}
    starts = [(first, titles.get(name, "")) for first, name in
              _chapter_pages(document, body_height)]
    pages = document.pageCount()
    painter = QPainter(writer)
    try:
        small = QFont("DejaVu Sans", 7)
        for number in range(pages):
            if number:
                writer.newPage()
            title = next((t for first, t in reversed(starts) if first <= number), "")
            painter.setFont(small)
            painter.drawText(QRectF(0, 0, page.width(), header - 8), title)
            painter.drawText(QRectF(0, page.height() - footer + 8, page.width(), footer - 8),
                             f"{number + 1} / {pages}")
            painter.save()
            painter.translate(QPointF(0, header - number * body_height))
            document.drawContents(painter, QRectF(0, number * body_height, page.width(),
                                                  body_height))
            painter.restore()
    finally:
        painter.end()
    return pages


_APP: list = []  # the QGuiApplication the command line made, kept for the process's life


def _keep_code_together(document, body_height: float) -> None:  # type: ignore[no-untyped-def]
    """Move each code block that fits on one page but is cut by a page break to the next
    page, in document order (each move shifts what follows)."""
    from PySide6.QtGui import QTextFormat, QTextTable

    layout = document.documentLayout()
    for frame in document.rootFrame().childFrames():
        if not isinstance(frame, QTextTable):
            continue
        rect = layout.frameBoundingRect(frame)
        if rect.height() >= body_height:
            continue  # longer than a page: it has to be cut somewhere
        first, last = int(rect.top() // body_height), int((rect.bottom() - 1) // body_height)
        if first != last:
            fmt = frame.frameFormat()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            frame.setFrameFormat(fmt)


def _chapter_pages(document, body_height: float) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """(first page, anchor) of each runbook, from the anchors ``print_html`` put there."""
    layout = document.documentLayout()
    found: list[tuple[int, str]] = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.isValid():
                for name in fragment.charFormat().anchorNames():
                    if re.fullmatch(r"r\d+", name):
                        top = layout.blockBoundingRect(block).top()
                        found.append((int(top // body_height), name))
            iterator += 1
        block = block.next()
    return found
