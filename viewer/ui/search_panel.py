"""The search panel: results while typing, filters, Enter opens the runbook at the section.

Searches run on a worker thread through the window's TaskRunner (a newer
keystroke drops an older, slower result). Each result shows the title,
severity, the section it lands on and a snippet with the matched words in
bold.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from viewer.core.pins import pin_label
from viewer.core.search.query import parse_query
from viewer.core.search.results import MARK_END, MARK_START, Hit, SearchFilters
from viewer.ui.plain_text import plain_label, plain_tip
from viewer.ui.tasks import TaskRunner
from viewer.ui.theme import severity_colour

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
_ALL = ""


OVERDUE_MARK = "\u23f1"  # a stopwatch: the page's review date has passed


def hit_html(hit: Hit, overdue: bool = False) -> str:
    """One result as rich text: title and badge, section, snippet with matches in bold;
    a small mark when the runbook's review is overdue (it is never hidden or moved down)."""
    badge = ""
    if hit.severity:
        known = severity_colour(hit.severity)
        colour = known.name() if known is not None else "#607d8b"
        badge = (f' <span style="color:{colour}; font-weight:600">'
                 f"[{html.escape(hit.severity)}]</span>")
    if overdue:
        badge += (f' <span style="color:palette(mid)" title="Review overdue">{OVERDUE_MARK} '
                  "review overdue</span>")
    lines = [f"<b>{html.escape(hit.title)}</b>{badge}"]
    where = hit.heading if hit.heading and hit.heading != hit.title else ""
    lines.append(f'<span style="color:palette(mid)">{html.escape(where or hit.path)}</span>')
    if hit.snippet:
        snippet = html.escape(hit.snippet).replace(MARK_START, "<b>").replace(MARK_END, "</b>")
        lines.append(snippet)
    return "<br>".join(lines)


def _overdue(root: str, paths: list[str]) -> set[str]:
    """The results whose review is overdue; read in the search's own worker thread."""
    if not root:
        return set()
    from viewer.core.freshness import overdue_pages
    from viewer.core.library import Library

    return overdue_pages(Library(root), paths)


SHOWN = 50  # results listed: more is for refining the words, not scrolling

_INLINE_STYLE = re.compile(r'\s*style="[^"]*"')


class _RichTextDelegate(QStyledItemDelegate):
    """Paints an item's DisplayRole as HTML."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if option.state & QStyle.StateFlag.State_Selected:
            # On the selection colour, a red [SEV1] or a grey path is hard to read: the
            # selected row is drawn in the selection's own text colour.
            text = _INLINE_STYLE.sub("", text)
        doc.setHtml(text)
        doc.setTextWidth(max(option.rect.width() - 8, 120))
        return doc

    def paint(self, painter, option, index) -> None:  # type: ignore[no-untyped-def]
        self.initStyleOption(option, index)
        doc = self._document(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                              option.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.left() + 4, option.rect.top() + 3)
        painter.setClipRect(QRectF(0, 0, option.rect.width() - 8, option.rect.height() - 3))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # type: ignore[no-untyped-def]
        self.initStyleOption(option, index)
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 6)


class SearchPanel(QWidget):
    """Emits ``open_requested(path, anchor, words)`` when a result is chosen."""

    open_requested = Signal(str, str, list)
    pin_requested = Signal(str, str, str)  # path, anchor, label

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.index = None  # a SearchIndex once the keeper has one
        self.ready = False
        self.field = QLineEdit()
        self.field.setPlaceholderText("Search runbooks: words, \"phrase\", prefix*, tag:db")
        self.field.setClearButtonEnabled(True)
        self.field.setToolTip(
            "All words must match. \"exact phrase\", prefix*, a OR b, -word, tag:NAME, "
            "severity:SEV1, folder:PATH. Punctuation (pg_stat_activity, --replicas=20) is "
            "matched as typed.")
        self.field.installEventFilter(self)
        self.folder = self._combo("All folders")
        self.tag = self._combo("All tags")
        self.severity = self._combo("All severities")
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        for combo in (self.folder, self.tag, self.severity):
            filters.addWidget(combo, 1)
        self.results = QListWidget()
        self._shown_text = ""  # the words the listed results are for
        self.results.setItemDelegate(_RichTextDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.itemActivated.connect(self._activated)
        self.results.itemClicked.connect(self._activated)
        self.results.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.results.customContextMenuRequested.connect(self._context_menu)
        self.status = plain_label(QLabel(""))
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self._debounce = QTimer(self, singleShot=True, interval=60)
        self._debounce.timeout.connect(self.run_search)
        self.field.textChanged.connect(lambda _text: self._debounce.start())
        self.field.returnPressed.connect(self.open_selected)

    def _combo(self, everything: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, _ALL)
        combo.currentIndexChanged.connect(lambda _i: self.run_search())
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
        return combo

    # -- state from the window ------------------------------------------------------
    def set_index(self, index, ready: bool) -> None:  # type: ignore[no-untyped-def]
        self.index, self.ready = index, ready
        if index is not None and ready:
            # Read in the background: a scan of every runbook's row (0.15-0.4 s at 50,000).
            self.tasks.run("search-facets", index.facets, self._show_facets,
                           lambda _error: None)  # an index being rebuilt has none yet
        self.run_search()

    def _show_facets(self, facets: tuple[list[str], list[str], list[str]]) -> None:
        for combo, values in zip((self.folder, self.tag, self.severity), facets, strict=True):
            self._fill(combo, values)

    @staticmethod
    def _fill(combo: QComboBox, values: list[str]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for value in values:
            combo.addItem(value, value)
        found = combo.findData(chosen)
        combo.setCurrentIndex(found if found >= 0 else 0)
        combo.setVisible(bool(values))
        combo.blockSignals(False)

    def show_progress(self, done: int, total: int) -> None:
        if not self.ready and total and not self.field.text().strip():
            self.status.setText(f"Indexing the library… {done} of {total} runbooks")

    def focus_search(self, text: str | None = None) -> None:
        """Focus the field; with ``text``, search for it (what the symptom filter passed on)."""
        if text is not None:
            self.field.setText(text)
        self.field.setFocus()
        self.field.selectAll()

    # -- searching --------------------------------------------------------------------
    def filters(self) -> SearchFilters:
        return SearchFilters(folder=self.folder.currentData() or "",
                             tag=self.tag.currentData() or "",
                             severity=self.severity.currentData() or "")

    def run_search(self) -> None:
        text = self.field.text()
        filters = self.filters()
        if not text.strip() and filters == SearchFilters():
            self.results.clear()
            self.status.setText("" if self.ready else "Indexing the library…")
            return
        index = self.index
        if index is None:
            self.status.setText("Indexing the library… results will appear when it is ready.")
            return

        def job() -> tuple[list[Hit], set[str]]:
            # One more than is shown: it tells "exactly 50" from "more than 50".
            hits = index.search(text, limit=SHOWN + 1, filters=filters, typing=True)
            return hits, _overdue(index.library_root, [h.path for h in hits[:SHOWN]])

        self.tasks.run("search", job, lambda found: self._show(text, *found), self._failed)

    def _show(self, text: str, hits: list[Hit], overdue: set[str] | None = None) -> None:
        # The same words searched again (the index took in a change, a build went on):
        # the result the reader had chosen stays chosen.
        current = self.results.currentItem()
        chosen = (current.data(HIT_ROLE).path
                  if current is not None and text == self._shown_text else None)
        self._shown_text = text
        self.results.clear()
        more = len(hits) > SHOWN
        hits = hits[:SHOWN]
        for hit in hits:
            item = QListWidgetItem(hit_html(hit, hit.path in (overdue or ())))
            item.setData(HIT_ROLE, hit)
            item.setToolTip(plain_tip(f"{hit.path}#{hit.anchor}" if hit.anchor else hit.path))
            self.results.addItem(item)
        if hits:
            rows = [i for i, hit in enumerate(hits) if hit.path == chosen]
            self.results.setCurrentRow(rows[0] if rows else 0)
            found = (f"More than {SHOWN} runbooks match; the best {SHOWN} are shown"
                     if more else f"{len(hits)} runbook{'s' if len(hits) != 1 else ''} "
                                  f"match{'es' if len(hits) == 1 else ''}")
            pending = "" if self.ready else " so far (still indexing)"
            self.status.setText(f"{found}{pending}. Enter opens the selected one.")
        else:
            pending = "" if self.ready else " (still indexing)"
            self.status.setText(f"No runbook matches {text.strip() or 'these filters'}"
                                f"{pending}.")

    def _failed(self, error: BaseException) -> None:
        self.results.clear()
        self.status.setText(f"Search is unavailable for a moment: {error}")

    # -- opening ------------------------------------------------------------------------
    def open_selected(self) -> None:
        item = self.results.currentItem() or self.results.item(0)
        if item is not None:
            self._activated(item)

    def pin_item(self, item: QListWidgetItem) -> None:
        hit: Hit = item.data(HIT_ROLE)
        heading = hit.heading.rsplit(" › ", 1)[-1] if hit.heading else ""
        self.pin_requested.emit(hit.path, hit.anchor or "", pin_label(hit.title, heading))

    def _context_menu(self, point) -> None:  # type: ignore[no-untyped-def]
        item = self.results.itemAt(point)
        if item is not None:
            menu = QMenu(self)
            menu.addAction("Pin this section", lambda: self.pin_item(item))
            menu.exec(self.results.viewport().mapToGlobal(point))

    def _activated(self, item: QListWidgetItem) -> None:
        hit: Hit = item.data(HIT_ROLE)
        words = parse_query(self.field.text()).words
        self.open_requested.emit(hit.path, hit.anchor or "", words)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.field and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)
