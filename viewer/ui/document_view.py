"""The page: a QTextBrowser that shows rendered runbooks and reads nothing it should not.

No JavaScript engine, no network. Every resource the page asks for goes
through :meth:`DocumentView.loadResource`, the one place that decides what
may be read: images from inside the library root (symlinks followed and
checked) and images the author inlined as ``data:`` URLs. Remote URLs and
anything else get nothing. Clicked links are handed to the window, which
decides with ``core.links``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QUrl, Signal
from PySide6.QtGui import QColor, QImage, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QTextEdit

from viewer.core.library import Library
from viewer.core.textio import MAX_FILE_BYTES

_DATA_IMAGE = re.compile(r"^data:image/[a-z+.\-]+;base64,(.*)$", re.I | re.S)
_MAX_IMAGE_BYTES = MAX_FILE_BYTES


READING_POINT_SIZE = 11.0  # body text at zoom 0; headings and small print scale from it


class DocumentView(QTextBrowser):
    """Shows one runbook page; emits ``link_clicked`` for every activated link."""

    link_clicked = Signal(QUrl)
    first_paint = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.anchorClicked.connect(self.link_clicked.emit)
        self.library: Library | None = None
        self.blocked_resources: list[str] = []
        self._zoom = 0
        self._painted = False
        # The page's sizes are relative to this font (see page.css); zoom changes it.
        font = self.font()
        font.setPointSizeF(READING_POINT_SIZE)
        self.setFont(font)
        self.viewport().installEventFilter(self)

    # -- the resource gate ----------------------------------------------------
    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        url = QUrl(url) if isinstance(url, str) else url
        if kind != int(QTextDocument.ResourceType.ImageResource.value):
            return None  # stylesheets and anything else: the page carries its own
        text = url.toString()
        data_match = _DATA_IMAGE.match(text)
        if data_match:
            try:
                raw = base64.b64decode(data_match.group(1), validate=False)
            except ValueError:
                return self._refuse(text)
            return QImage.fromData(QByteArray(raw)) if len(raw) <= _MAX_IMAGE_BYTES else None
        if url.scheme() not in ("", "file") or self.library is None:
            return self._refuse(text)
        local = url.toLocalFile() if url.scheme() == "file" else ""
        if not local:
            return self._refuse(text)
        path = Path(local)
        if not self.library.contains(path) or not path.is_file():
            return self._refuse(text)
        try:
            if path.stat().st_size > _MAX_IMAGE_BYTES:
                return self._refuse(text)
            image = QImage(str(path.resolve()))
        except OSError:
            return self._refuse(text)
        return image if not image.isNull() else None

    def _refuse(self, what: str) -> None:
        self.blocked_resources.append(what)
        return None

    # -- showing pages ----------------------------------------------------------
    def show_page(self, page_html: str, base_url: QUrl, anchor: str = "", scroll: int = -1) -> None:
        self.blocked_resources = []
        self.document().setBaseUrl(base_url)
        self.setHtml(page_html)
        self.document().setBaseUrl(base_url)
        if anchor:
            self.scrollToAnchor(anchor)
        elif scroll >= 0:
            self.verticalScrollBar().setValue(scroll)

    @property
    def painted(self) -> bool:
        """True once a page has been painted on screen."""
        return self._painted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painted and event.type() == QEvent.Type.Paint and self.toPlainText():
            self._painted = True
            self.first_paint.emit()
        return super().eventFilter(watched, event)

    def link_fragments(self) -> Iterator[tuple[int, int, str]]:
        """(position, length, href) of every link on the page, in reading order."""
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                href = fragment.charFormat().anchorHref()
                if href:
                    yield fragment.position(), fragment.length(), href
                it += 1
            block = block.next()

    # -- zoom ---------------------------------------------------------------------
    @property
    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, steps: int) -> None:
        steps = max(-6, min(12, steps))
        delta = steps - self._zoom
        if delta > 0:
            self.zoomIn(delta)
        elif delta < 0:
            self.zoomOut(-delta)
        self._zoom = steps

    # -- find in page -------------------------------------------------------------
    def find_all(self, text: str, case_sensitive: bool = False) -> list[QTextCursor]:
        """Every match of ``text`` in the page, in order."""
        if not text:
            return []
        flags = QTextDocument.FindFlag.FindCaseSensitively if case_sensitive else \
            QTextDocument.FindFlag(0)
        found: list[QTextCursor] = []
        cursor = QTextCursor(self.document())
        while True:
            cursor = self.document().find(text, cursor, flags)
            if cursor.isNull():
                break
            found.append(QTextCursor(cursor))
            if len(found) >= 10000:
                break
        return found

    def highlight_words(self, words: list[str], colour: QColor | None = None) -> int:
        """Mark every occurrence of ``words`` (a search's terms) without moving the view."""
        colour = colour or QColor(255, 214, 0, 110)
        selections = []
        for word in dict.fromkeys(w for w in words if len(w) >= 2):
            for cursor in self.find_all(word):
                selection = QTextEdit.ExtraSelection()
                fmt = QTextCharFormat()
                fmt.setBackground(colour)
                selection.format = fmt
                selection.cursor = cursor
                selections.append(selection)
        self.setExtraSelections(selections)
        return len(selections)

    def highlight(self, matches: list[QTextCursor], current: int, colour: QColor,
                  current_colour: QColor) -> None:
        selections = []
        for i, cursor in enumerate(matches):
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(current_colour if i == current else colour)
            selection.format = fmt
            selection.cursor = cursor
            selections.append(selection)
        self.setExtraSelections(selections)
        if 0 <= current < len(matches):
            self.setTextCursor(matches[current])
            self.ensureCursorVisible()
