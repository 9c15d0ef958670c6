"""The page: a QTextBrowser that shows rendered runbooks and reads nothing it should not.

No JavaScript engine, no network, no file reads. The render worker reads a
page's pictures through the library's gate (``core.page_images``) and
decodes them (:func:`decode_pictures`); :meth:`DocumentView.loadResource`
answers every request from those alone, so Qt never loads a resource on its
own. Clicked links are handed to the window, which decides with ``core.links``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QObject,
    QSize,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QImage,
    QImageReader,
    QKeyEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QToolTip

from viewer.ui.plain_text import plain_tip

MAX_IMAGE_PIXELS = 4096 * 4096  # larger pictures are scaled down as they are decoded


def _key(url: QUrl) -> str:
    """One spelling of a picture's address, however Qt or the page wrote it."""
    if url.isLocalFile():
        return "file:" + os.path.normpath(url.toLocalFile())
    return url.toString()


def _transparent_pixel() -> QImage:
    """A transparent pixel: what a picture that is not shown is drawn as."""
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(0)
    return image


def decode_pictures(pictures: dict[str, bytes]) -> dict[str, QImage]:
    """Pictures read by the render worker, decoded there too (QImage is thread-safe).

    A picture that declares a huge size is decoded scaled down, so a small
    file cannot make the window allocate gigabytes.
    """
    decoded: dict[str, QImage] = {}
    for src, data in pictures.items():
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
        size = reader.size()
        if size.isValid() and size.width() * size.height() > MAX_IMAGE_PIXELS:
            scale = (MAX_IMAGE_PIXELS / (size.width() * size.height())) ** 0.5
            reader.setScaledSize(QSize(max(1, int(size.width() * scale)),
                                       max(1, int(size.height() * scale))))
        image = reader.read()
        if not image.isNull():
            decoded[src] = image
    return decoded


READING_POINT_SIZE = 11.0  # body text at zoom 0; headings and small print scale from it


class DocumentView(QTextBrowser):
    """Shows one runbook page; emits ``link_clicked`` for every activated link."""

    link_clicked = Signal(QUrl)
    first_paint = Signal()
    typed = Signal(str)  # a letter typed on the page, which has no use for it

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.anchorClicked.connect(self.link_clicked.emit)
        self.blocked_resources: list[str] = []
        self._images: dict[str, QImage] = {}
        self._zoom = 0
        self._painted = False
        # The page's sizes are relative to this font (see page.css); zoom changes it.
        font = self.font()
        font.setPointSizeF(READING_POINT_SIZE)
        self.setFont(font)
        # A word longer than the page (a URL, a token in a command) breaks rather than
        # making the page scroll sideways; code wraps too (see page.css).
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.viewport().installEventFilter(self)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(80)
        self._fit_timer.timeout.connect(self.fit_images)

    # -- the resource gate ----------------------------------------------------
    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        """Answer every request from the pictures the render worker read; never read a file.

        Returning None would let ``QTextDocument::loadResource`` fall back to
        reading the URL itself (outside the library, a FIFO, /dev/zero), so
        every request gets an answer: the picture, or an empty one.
        """
        if kind != int(QTextDocument.ResourceType.ImageResource.value):
            return QByteArray()  # stylesheets and anything else: the page carries its own
        try:  # an exception escaping a virtual called from C++ would take the app down
            url = QUrl(url) if isinstance(url, str) else url
            image = self._images.get(_key(url))
        except Exception:
            image = None
        if image is None:
            self.blocked_resources.append(url.toString())
            # Not a null image: given only a width, Qt lays a null one out at a height of
            # minus 33 million pixels, and nothing on the page is painted.
            return _transparent_pixel()
        return image

    # -- showing pages ----------------------------------------------------------
    def show_page(self, page_html: str, base_url: QUrl, anchor: str = "", scroll: int = -1,
                  images: dict[str, QImage] | None = None) -> None:
        """Show ``page_html``; ``images`` maps each ``<img src>`` as written to its picture."""
        self.blocked_resources = []
        self._images = {_key(base_url.resolved(QUrl(src))): image
                        for src, image in (images or {}).items()}
        self.document().setBaseUrl(base_url)
        self.setHtml(page_html)
        self.document().setBaseUrl(base_url)
        self.fit_images()
        if anchor:
            self.scrollToAnchor(anchor)
        elif scroll >= 0:
            self.verticalScrollBar().setValue(scroll)

    def fit_images(self) -> None:
        """Scale every picture wider than the page down to its width, keeping its shape."""
        if not self._images:
            return
        room = max(80, self.viewport().width() - 48)
        base = self.document().baseUrl()
        changes = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                char_format = fragment.charFormat()
                if char_format.isImageFormat():
                    image_format = char_format.toImageFormat()
                    image = self._images.get(_key(base.resolved(QUrl(image_format.name()))))
                    if image is not None and image.width() > 0:
                        width = min(float(image.width()), float(room))
                        if abs(image_format.width() - width) > 0.5:
                            image_format.setWidth(width)
                            image_format.setHeight(image.height() * width / image.width())
                            changes.append((fragment.position(), fragment.length(), image_format))
                it += 1
            block = block.next()
        if not changes:
            return
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        for position, length, image_format in changes:
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(image_format)
        cursor.endEditBlock()
        # Qt relays out only up to a picture whose size changed: the blocks after a second
        # one were left unlaid-out, with no height, and never painted. All of it, then.
        self.document().markContentsDirty(0, self.document().characterCount())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_timer.start()

    @property
    def painted(self) -> bool:
        """True once a page has been painted on screen."""
        return self._painted

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Letters typed on the page are passed on (the window starts a symptom search
        with them); keys the page uses (arrows, Page Down, shortcuts) stay its own."""
        from PySide6.QtCore import Qt  # here: nothing may touch Qt's namespace before paint

        text = event.text()
        held = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier)
        if text and text.isprintable() and not text.isspace() and not event.modifiers() & held:
            self.typed.emit(text)
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painted and event.type() == QEvent.Type.Paint and self.toPlainText():
            self._painted = True
            self.first_paint.emit()
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._show_tip(event)
            return True
        return super().eventFilter(watched, event)

    def _show_tip(self, event: QHelpEvent) -> None:
        """A ``title`` on the page (a placeholder's variable and source, or the runbook's
        own) as plain text: Qt would lay out a tooltip that looks like HTML, images and all."""
        cursor = self.cursorForPosition(event.pos())
        tip = cursor.charFormat().toolTip()
        if not tip and not cursor.atBlockEnd():
            cursor.movePosition(cursor.MoveOperation.Right)
            tip = cursor.charFormat().toolTip()
        if tip:
            QToolTip.showText(event.globalPos(), plain_tip(tip), self.viewport())
        else:
            QToolTip.hideText()

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
            self.show_whole(matches[current])

    def show_whole(self, match: QTextCursor) -> None:
        """Scroll so the whole match is in view, a third of the way down when it was not."""
        start, end = QTextCursor(match), QTextCursor(match)
        start.setPosition(match.selectionStart())
        end.setPosition(match.selectionEnd())
        rect = self.cursorRect(start).united(self.cursorRect(end))
        height = self.viewport().height()
        margin = min(40, height // 6)
        if rect.top() < margin or rect.bottom() > height - margin:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - height // 3)
        if rect.left() < 0 or rect.right() > self.viewport().width():
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() + rect.left() - 20)
