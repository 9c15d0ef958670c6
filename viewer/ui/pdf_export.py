"""The export as a PDF for printing, made with Qt's own text layout and PDF writer.

No browser engine: QTextDocument lays out the cover, then each runbook, in
A4 pages; each runbook starts a page, with its title above every page and
the page's number below. A code block that fits on a page is moved whole to
the next page rather than cut. One runbook is laid out at a time, so a
5,000-runbook export needs the memory of its longest runbook, not of all.
Qt writes every id as a named destination and every ``#id`` link as a link
to it, so the contents and the links between exported runbooks work in a PDF
reader too; on paper the contents give each runbook's first page (each part
is laid out twice: once to count its pages, once to print; its HTML and pictures
are made once).
"""

from __future__ import annotations

from pathlib import Path

from viewer.export.book import Book

_APP: list = []  # the QGuiApplication the command line made, kept for the process's life


def write_pdf(book: Book, path: Path) -> int:
    """Write ``book`` (made with ``for_print=True``) to ``path`` as a PDF; returns the pages."""
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

    from viewer.export.html_file import print_chapter, print_cover, print_style

    if QGuiApplication.instance() is None:
        import os

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _APP.append(QGuiApplication(["runbook-viewer"]))
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

    def laid_out(style: str, fragment: str) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(QFont("DejaVu Sans", 9))
        document.setDocumentMargin(0)
        document.setHtml(f'<html><head><meta charset="utf-8"><style>{style}</style>'
                         f"</head><body>{fragment}</body></html>")
        document.setPageSize(QSizeF(page.width(), body_height))
        _keep_code_together(document, body_height)
        return document

    # Each runbook's part is made once (its pictures read once) and laid out once to count
    # its pages; the cover is laid out until its own page count agrees with the contents'
    # numbers (a longer number can push the contents onto another page).
    style = print_style()
    chapters = [(c.title, print_chapter(book, c)) for c in book.chapters]
    counts = [laid_out(style, fragment).pageCount() for _title, fragment in chapters]
    cover_pages, cover = 1, ""
    for _attempt in range(4):
        starts, first = {}, cover_pages + 1
        for chapter, count in zip(book.chapters, counts, strict=True):
            starts[chapter.top] = first
            first += count
        cover = print_cover(book, starts)
        laid = laid_out(style, cover).pageCount()
        if laid == cover_pages:
            break
        cover_pages = laid
    parts = [("", cover), *chapters]
    small = QFont("DejaVu Sans", 7)
    painter = QPainter(writer)
    pages = 0
    try:
        for title, fragment in parts:
            document = laid_out(style, fragment)
            for number in range(document.pageCount()):
                if pages:
                    writer.newPage()
                pages += 1
                painter.setFont(small)
                painter.drawText(QRectF(0, 0, page.width(), header - 8), title)
                painter.drawText(QRectF(0, page.height() - footer + 8, page.width(),
                                        footer - 8), f"page {pages}")
                painter.save()
                painter.translate(QPointF(0, header - number * body_height))
                document.drawContents(painter, QRectF(0, number * body_height, page.width(),
                                                      body_height))
                painter.restore()
    finally:
        painter.end()
    return pages


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
