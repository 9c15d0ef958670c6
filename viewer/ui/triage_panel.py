"""The symptom sidebar: "What do you see?" -> symptom -> scenario -> step, one click to the page.

The tree (categories, symptoms, the scenarios that list them, their
branches) comes from ``core.triage``. The filter narrows it as you type and
recognises a pasted alert notification; ticking symptoms ranks scenarios
below the tree (the symptom checker); "Start triage" walks the library's
``triage.yaml``. Reloading the tree after a change on disk keeps what the
user had expanded and ticked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from viewer.core.triage.alerts import looks_like_alert_name, runbook_links
from viewer.core.triage.tree import AlertMatch, ScenarioEntry, SymptomMatch, Target, TriageTree
from viewer.core.words import plural
from viewer.ui.plain_text import plain_label, plain_tip
from viewer.ui.theme import severity_colour
from viewer.ui.triage_walk import TriageWalk

if TYPE_CHECKING:
    from viewer.core.triage.authored import Question

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "category" | "symptom" | "scenario" | "branch"
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # a stable key, to keep expansion across reloads
TARGET_ROLE = Qt.ItemDataRole.UserRole + 3  # (path, anchor)
_FLAG = QTreeWidgetItemIterator.IteratorFlag
_EXPAND_AT_MOST = 5  # a filter leaving this many symptoms or fewer shows their scenarios
SHOWN_PER_SYMPTOM = 100  # scenarios under one symptom; the rest are counted (31,000 at 50,000)
READ_HERE_UP_TO = 2000  # scenarios read on the UI thread (ms); more, in the background


class TriagePanel(QWidget):
    """Emits ``open_requested(path, anchor)``."""

    open_requested = Signal(str, str)
    pin_requested = Signal(str, str, str)  # path, anchor, label
    search_requested = Signal(str)  # no symptom matches: search every runbook for it
    grouping_changed = Signal(str)  # "category" | "component": the tree is loaded again
    labels_pasted = Signal(object)  # a pasted alert's labels, for the commands' variables
    alert_pasted = Signal(str, str, object)  # its name, the text pasted, its labels
    # A pasted alert with no runbook by its name, and the web addresses its text gives:
    # one may be its runbook's page in a source (see show_runbook_link).
    runbook_links_pasted = Signal(str, list, list)  # name, addresses, those said runbooks

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # (symptom key, paths, show) -> None: finds the overdue runbooks among paths in the
        # background
        self.overdue_lookup = None
        # (symptom key, read, show, failed) -> None: runs read() in the background, then
        # show(its result) or failed(the exception)
        self.read_later = None
        self.tree_data = TriageTree()
        self.question: Question | None = None
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("What do you see? (or paste an alert)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.filter.returnPressed.connect(self._filter_entered)
        self.filter.installEventFilter(self)  # Down: into the tree
        self.start_button = QPushButton("Start triage")
        self.start_button.setToolTip("Answer a few questions from this library's triage.yaml")
        self.start_button.clicked.connect(self.start_walk)
        self.start_button.hide()
        self.grouping = QComboBox()
        self.grouping.addItem("By category", "category")
        self.grouping.addItem("By component (folder)", "component")
        self.grouping.setToolTip("Group symptoms by what they are about, or by the folder "
                                 "(component, operator, service) of their runbooks")
        self.grouping.currentIndexChanged.connect(
            lambda _i: self.grouping_changed.emit(self.grouping.currentData()))
        self.alerts = QListWidget()  # the alerts of a pasted notification, each with its runbook
        self.alerts.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        self.alerts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.alerts.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.alerts.itemActivated.connect(self._ranked_activated)
        self.alerts.itemClicked.connect(self._ranked_activated)
        self.alerts.hide()
        self._pasted_names: list[str] = []
        # The runbook a pasted alert opened, while it is the page shown: see _show_pasted.
        self._opened_for_paste: tuple[str, str] | None = None
        self.note = plain_label(QLabel(""))
        self.note.setWordWrap(True)
        self.note.hide()
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        # Long symptoms must not widen the dock; they elide and show in full as tooltips.
        self.tree.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemChanged.connect(self._tick_changed)
        self.tree.itemExpanded.connect(self._fill_symptom)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.ranked_label = QLabel("Scenarios for the ticked symptoms:")
        self.ranked_label.setWordWrap(True)  # a long label must not widen the dock
        self.ranked = QListWidget()
        self.ranked.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.ranked.itemActivated.connect(self._ranked_activated)
        self.ranked.itemClicked.connect(self._ranked_activated)
        self.clear_ticks_button = QPushButton("Clear ticks")
        self.clear_ticks_button.clicked.connect(self.clear_ticks)
        ranked_header = QHBoxLayout()
        ranked_header.addWidget(self.ranked_label, 1)
        ranked_header.addWidget(self.clear_ticks_button)
        self.ranked_box = QWidget()
        ranked_layout = QVBoxLayout(self.ranked_box)
        ranked_layout.setContentsMargins(0, 0, 0, 0)
        ranked_layout.addLayout(ranked_header)
        ranked_layout.addWidget(self.ranked)
        self.ranked_box.hide()

        self.walk_page = TriageWalk()
        self.walk_page.open_requested.connect(self.open_requested)
        self.walk_page.closed.connect(self._walk_closed)
        self.walk_question = self.walk_page.question
        self.walk_answers = self.walk_page.answers

        tree_page = QWidget()
        tree_layout = QVBoxLayout(tree_page)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_layout.addWidget(self.tree, 3)
        tree_layout.addWidget(self.ranked_box, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(tree_page)
        self.pages.addWidget(self.walk_page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.alerts)
        top_row = QHBoxLayout()
        top_row.addWidget(self.start_button, 1)
        top_row.addWidget(self.grouping)
        layout.addLayout(top_row)
        layout.addWidget(self.note)
        layout.addWidget(self.pages, 1)
        self.status = plain_label(QLabel("Reading the runbooks' symptoms…"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

    # -- content --------------------------------------------------------------------
    def set_content(self, tree: TriageTree, question: Question | None, note: str) -> None:
        """Show a new tree, keeping expansion and ticks; and the authored walk, if any."""
        expanded, ticked = self._expanded_keys(), self.ticked()
        first_fill = self.tree.topLevelItemCount() == 0
        self.tree_data, self.question = tree, question
        self.start_button.setVisible(question is not None)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.tree.blockSignals(True)
        self.tree.clear()
        for category in tree.categories:
            top = self._item(self.tree.invisibleRootItem(), category.name, "category",
                             f"c:{category.name}")
            top.setToolTip(0, f"{len(category.symptoms)} symptoms")
            for node in category.symptoms:
                symptom = self._item(top, node.label, "symptom", node.key)
                symptom.setFlags(symptom.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                symptom.setCheckState(0, Qt.CheckState.Checked if node.key in ticked
                                      else Qt.CheckState.Unchecked)
                symptom.setToolTip(0, plain_tip(
                    f"{node.text}\nListed by {node.count} scenario"
                    f"{'s' if node.count != 1 else ''}. Tick to rank scenarios by your symptoms."))
                # Its scenarios are read when it is opened (see _fill_symptom).
                symptom.setChildIndicatorPolicy(
                    QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        self.tree.blockSignals(False)
        if first_fill and not expanded:
            self.tree.expandToDepth(0)
        else:
            self._restore(expanded)
        self._filter_changed(self.filter.text())
        self._update_ranking()

    def _item(self, parent: QTreeWidgetItem, text: str, kind: str, key: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [text])
        item.setData(0, KIND_ROLE, kind)
        item.setData(0, KEY_ROLE, key)
        return item

    def _scenario_item(self, parent: QTreeWidgetItem, target: Target,
                       branches: list[tuple[str, str]], key: str) -> None:
        badge = f"[{target.badge}] " if target.badge else ""
        where = "" if target.title == target.document_title else f" — {target.document_title}"
        item = self._item(parent, f"{badge}{target.title}{where}", "scenario", key)
        item.setData(0, TARGET_ROLE, (target.path, target.anchor))
        item.setToolTip(0, plain_tip(f"Open {target.path}#{target.anchor}"))
        colour = severity_colour(target.severity)
        if colour is not None:
            item.setForeground(0, QBrush(colour))
        for label, anchor in branches:
            branch = self._item(item, label, "branch", f"{key}|{label}")
            branch.setData(0, TARGET_ROLE, (target.path, anchor))
            branch.setToolTip(0, plain_tip(f"Open {target.path}#{anchor}"))

    def _fill_symptom(self, item: QTreeWidgetItem, wait: bool = False) -> None:
        """Put the scenarios listing this symptom under it, the first SHOWN_PER_SYMPTOM.

        A symptom thousands of runbooks list (a big library) is read in the background,
        under a "Reading" line, unless ``wait`` (Enter is opening its first one).
        """
        if item.data(0, KIND_ROLE) != "symptom" or item.childCount():
            return
        key = item.data(0, KEY_ROLE)
        tree = self.tree_data
        node = tree.by_key.get(key)
        big = (not wait and node is not None and node.count > READ_HERE_UP_TO
               and not tree.has_scenarios(key))
        if big and self.read_later is not None:
            self._item(item, "Reading the runbooks that list it…", "reading", key)
        # An index being rebuilt fails the read: said, and the tree stays.
        self._read(key, big, lambda: tree.scenarios_for(key),
                   lambda entries: self._show_scenarios(item, key, entries),
                   lambda err: self._not_read(item, err))

    def _read(self, channel: str, big: bool, read, show, failed) -> None:  # type: ignore[no-untyped-def]
        """``show(read())``: in the background when ``big`` (a symptom thousands of runbooks
        list), else at once; ``failed(error)`` when the index cannot answer."""
        if big and self.read_later is not None:
            self.read_later(channel, read, show, failed)
            return
        try:
            found = read()
        except Exception as err:
            failed(err)
            return
        show(found)

    def _not_read(self, item: QTreeWidgetItem, error: BaseException) -> None:
        self.status.setText(f"The scenarios cannot be read just now ({error}).")
        try:
            item.takeChildren()  # opened again, it is read again
            item.setExpanded(False)
        except RuntimeError:  # the tree was filled again meanwhile
            pass

    def _show_scenarios(self, item: QTreeWidgetItem, key: str,
                        entries: list[ScenarioEntry]) -> None:
        try:
            item.takeChildren()  # the "Reading" line
        except RuntimeError:  # the tree was filled again meanwhile
            return
        shown = entries[:SHOWN_PER_SYMPTOM]
        blocked = self.tree.blockSignals(True)
        for entry in shown:
            self._scenario_item(item, entry.target, entry.branches,
                                f"{key}|{entry.target.path}#{entry.target.anchor}")
        if len(entries) > len(shown):
            more = self._item(item, f"… and {len(entries) - len(shown):,} more: tick the "
                                    "other symptoms you see to rank them, or open this to "
                                    "search for them all", "more", key)
            more.setToolTip(0, plain_tip("Enter or double-click: search every runbook for "
                                         "this symptom"))
        self.tree.blockSignals(blocked)
        if self.overdue_lookup is not None and shown:
            paths = list(dict.fromkeys(entry.target.path for entry in shown))
            self.overdue_lookup(key, paths, lambda overdue: self._mark_overdue(item, overdue))

    def _mark_overdue(self, item: QTreeWidgetItem, overdue: set[str]) -> None:
        """A small mark beside each scenario whose runbook's review is overdue."""
        from viewer.ui.search_panel import OVERDUE_MARK

        try:
            children = [item.child(i) for i in range(item.childCount())]
        except RuntimeError:  # the tree was refilled meanwhile
            return
        for child in children:
            target = child.data(0, TARGET_ROLE)
            if target and target[0] in overdue and OVERDUE_MARK not in child.text(0):
                child.setText(0, f"{child.text(0)}  {OVERDUE_MARK} review overdue")
                child.setToolTip(0, child.toolTip(0) + " (its review is overdue)")

    def _expanded_keys(self) -> set[str]:
        keys: set[str] = set()
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            if item.isExpanded():
                keys.add(item.data(0, KEY_ROLE))
            iterator += 1
        return keys

    def _restore(self, keys: set[str]) -> None:
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            if item.data(0, KEY_ROLE) in keys:
                item.setExpanded(True)
            iterator += 1

    # -- filter and alerts -------------------------------------------------------------
    def _filter_changed(self, text: str) -> None:
        self._pasted_names = []
        self.alerts.clear()
        self.alerts.hide()
        pasted = _looks_pasted(text)
        if pasted or len(text.strip()) >= _LOG_LINE_CHARS:
            matches = self.tree_data.paste(text)
            # A long line (a log line) counts only where it names a known alert or error code.
            if matches and (pasted or any(m.targets for m in matches)):
                self._show_pasted(matches)
                return
        self._opened_for_paste = None
        match = self.tree_data.match_symptoms(text)
        self._show_symptoms(match)
        self.status.setText(self._describe(match))

    def page_shown(self, path: str) -> None:
        """The window shows ``path``: another page than the pasted alert's means pasting
        that alert again must open its runbook again."""
        if self._opened_for_paste is not None and self._opened_for_paste[0] != path:
            self._opened_for_paste = None

    def _show_pasted(self, matches: list[AlertMatch]) -> None:
        """A pasted notification: each alert with its runbooks (exact names only), or the
        nearest names as suggestions; one alert with a runbook opens it at once."""
        self._pasted_names = [m.name for m in matches]
        self._show_symptoms(SymptomMatch(None))  # a pasted notification is not a filter
        labels: dict[str, str] = {}
        for match in matches:  # the first alert's labels first
            for key, value in match.labels.items():
                labels.setdefault(key, value)
        if labels:  # before its runbook opens, so that it opens filled
            self.labels_pasted.emit(labels)
        self.alert_pasted.emit(matches[0].name, self.filter.text(), labels)
        for match in matches:
            labels = ", ".join(f"{k}={v}" for k, v in match.labels.items())
            several = len(match.targets) > 1  # one per language, say: their titles may match
            for target in match.targets:
                where = _path_of(target) if several else _where(target, match.name)
                item = QListWidgetItem(f"{match.name} → {where}")
                item.setData(TARGET_ROLE, (target.path, target.anchor))
                item.setToolTip(plain_tip(f"{target.path}#{target.anchor}\n{labels}"))
                self.alerts.addItem(item)
            if not match.targets:
                near = ", ".join(t.alert or t.title for t in match.suggestions)
                item = QListWidgetItem(f"No runbook for {match.name}"
                                       + (f"; closest: {near}" if near else ""))
                item.setForeground(QBrush(self.palette().placeholderText().color()))
                self.alerts.addItem(item)
                for target in match.suggestions:
                    hint = QListWidgetItem(f"   maybe {target.alert or target.title}"
                                           f" → {_where(target, target.alert)}")
                    hint.setData(TARGET_ROLE, (target.path, target.anchor))
                    hint.setToolTip(plain_tip(f"Not the alert you pasted: {target.path}"))
                    self.alerts.addItem(hint)
        self._show_alerts()
        found = [m for m in matches if m.targets]
        if len(matches) == 1 and found:
            target = found[0].targets[0]
            # Editing the pasted text (a word added, a typo mended) keeps the same alert:
            # its runbook is already open, so it is not rendered again at each key.
            self._open_for_paste(target.path, target.anchor)
            self.status.setText(f"Alert {found[0].name}: opened its runbook. "
                                "Clear the box to see every symptom.")
        elif found:
            self.status.setText(f"{len(matches)} alerts in that text; {len(found)} have a "
                                "runbook. Click one to open it.")
        else:
            names = " ".join(self._pasted_names)
            self.status.setText(f"No runbook for {names}. Enter searches every runbook for "
                                "the alert name.")
            links = runbook_links(self.filter.text())
            if links.every:
                self.runbook_links_pasted.emit(matches[0].name, links.every, links.said)

    def show_runbook_link(self, name: str, path: str, anchor: str) -> None:
        """The runbook a pasted alert's own link names (its ``runbook_url``): listed and
        opened, as a runbook found by its name would be."""
        item = QListWidgetItem(f"{name} → {path} (its runbook link)")
        item.setData(TARGET_ROLE, (path, anchor))
        item.setToolTip(plain_tip(f"{path}#{anchor}" if anchor else path))
        self.alerts.insertItem(0, item)
        self._show_alerts()
        self._open_for_paste(path, anchor)
        self.status.setText(f"Alert {name}: opened the runbook its link names. Clear the box "
                            "to see every symptom.")

    def _open_for_paste(self, path: str, anchor: str) -> None:
        """Open a pasted alert's runbook, unless it is the page already shown for it."""
        if self._opened_for_paste != (path, anchor):
            self._opened_for_paste = (path, anchor)
            self.open_requested.emit(path, anchor)

    def _show_alerts(self) -> None:
        """The pasted alerts' list, as tall as its rows (eight at most)."""
        rows = min(8, self.alerts.count())
        self.alerts.setFixedHeight(rows * self.alerts.sizeHintForRow(0)
                                   + 2 * self.alerts.frameWidth())
        self.alerts.show()

    def _show_symptoms(self, match: SymptomMatch) -> None:
        few = bool(match.keys) and len(match.keys) <= _EXPAND_AT_MOST
        for i in range(self.tree.topLevelItemCount()):
            category = self.tree.topLevelItem(i)
            any_visible = False
            for j in range(category.childCount()):
                symptom = category.child(j)
                visible = match.keys is None or symptom.data(0, KEY_ROLE) in match.keys
                symptom.setHidden(not visible)
                if visible and few:
                    symptom.setExpanded(True)  # its runbooks in sight, one click away
                any_visible = any_visible or visible
            category.setHidden(not any_visible)
            if match.keys and any_visible:
                category.setExpanded(True)

    def _describe(self, match: SymptomMatch) -> str:
        total = self.tree_data.symptom_count
        if not total:
            return ("No runbook in this library lists its symptoms yet "
                    "(a 'Symptoms' section or a **Symptoms:** line).")
        if match.keys is None:
            return (f"{plural(total, 'symptom')} in "
                    f"{plural(len(self.tree_data.categories), 'category', 'categories')}")
        if not match.keys:
            return "No symptom matches that. Enter searches every runbook for it."
        shown = f"{len(match.keys)} of {total} symptoms"
        if match.closest:
            return (f"No symptom says all of that; the closest ({shown}) hold "
                    f"{match.matched} of {match.words} words. Enter opens the first; "
                    "Ctrl+K searches every runbook.")
        return f"{shown} match. Enter opens the first."

    def _filter_entered(self) -> None:
        if self._pasted_names:  # a pasted notification: search for its alerts, not the text
            first = next((self.alerts.item(i) for i in range(self.alerts.count())
                          if self.alerts.item(i).data(TARGET_ROLE)
                          and not self.alerts.item(i).text().startswith("   maybe")), None)
            if first is not None:
                self._ranked_activated(first)
            else:
                self.search_requested.emit(" OR ".join(self._pasted_names))
            return
        if not self._open_first_visible() and self.filter.text().strip():
            self.search_requested.emit(self.filter.text().strip())

    def _open_first_visible(self) -> bool:
        """Open the first scenario of the first symptom shown; False when none is shown."""
        iterator = QTreeWidgetItemIterator(self.tree, _FLAG.NotHidden)
        while iterator.value():
            item = iterator.value()
            if (item.data(0, KIND_ROLE) == "symptom" and not item.parent().isHidden()):
                self._fill_symptom(item, wait=True)  # read when first needed
                if item.childCount():
                    self._activated(item.child(0))
                    return True
            iterator += 1
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.filter and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)):
            first = self._first_shown()
            if first is not None:
                self.tree.setCurrentItem(first)
                self.tree.setFocus()
                return True
        return super().eventFilter(watched, event)

    def _first_shown(self) -> QTreeWidgetItem | None:
        """The first runbook on screen in the tree, else its first symptom."""
        symptom = None
        iterator = QTreeWidgetItemIterator(self.tree, _FLAG.NotHidden)
        while iterator.value():
            item = iterator.value()
            kind, parent = item.data(0, KIND_ROLE), item.parent()
            if kind == "symptom" and symptom is None and not parent.isHidden():
                symptom = item
            elif kind == "scenario" and parent is symptom and parent.isExpanded():
                return item
            elif symptom is not None and kind == "symptom":
                break
            iterator += 1
        return symptom

    # -- ticks: the symptom checker ----------------------------------------------------
    def ticked(self) -> set[str]:
        keys: set[str] = set()
        iterator = QTreeWidgetItemIterator(self.tree, _FLAG.Checked)
        while iterator.value():
            keys.add(iterator.value().data(0, KEY_ROLE))
            iterator += 1
        return keys

    def clear_ticks(self) -> None:
        self.tree.blockSignals(True)
        iterator = QTreeWidgetItemIterator(self.tree, _FLAG.Checked)
        items = []
        while iterator.value():
            items.append(iterator.value())
            iterator += 1
        for item in items:
            item.setCheckState(0, Qt.CheckState.Unchecked)
        self.tree.blockSignals(False)
        self._update_ranking()

    def _tick_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, KIND_ROLE) == "symptom":
            self._update_ranking()

    def _update_ranking(self) -> None:
        ticked = self.ticked()
        self.ranked.clear()
        self.ranked_box.setVisible(bool(ticked))
        if not ticked:
            return
        tree = self.tree_data
        # Symptoms thousands of runbooks list (0.36 s for two at 50,000): counted in the
        # background; the latest ticks win.
        big = sum(node.count for node in map(tree.by_key.get, ticked)
                  if node is not None) > READ_HERE_UP_TO
        if big and self.read_later is not None:
            self.ranked_label.setText("Ranking the scenarios for your ticked symptoms…")
        self._read("ticked", big, lambda: tree.rank_ticked(ticked),
                   lambda ranked: self._show_ranking(ticked, ranked),
                   lambda err: self.ranked_label.setText(
                       f"The scenarios cannot be ranked just now ({err})."))

    def _show_ranking(self, ticked: set[str], ranked: list[tuple[ScenarioEntry, int]]) -> None:
        if ticked != self.ticked():
            return  # ticked differently since: that ranking is on its way
        self.ranked.clear()
        for entry, count in ranked:
            target = entry.target
            badge = f" [{target.badge}]" if target.badge else ""
            item = QListWidgetItem(f"{count} of {len(ticked)} · {target.title}{badge}")
            item.setData(TARGET_ROLE, (target.path, target.anchor))
            item.setToolTip(plain_tip(f"{target.path}#{target.anchor}\nLists: "
                                      + "; ".join(entry.symptoms)))
            colour = severity_colour(target.severity)
            if colour is not None:
                item.setForeground(QBrush(colour))
            self.ranked.addItem(item)
        self.ranked_label.setText(f"Scenarios for your {len(ticked)} ticked symptom"
                                  f"{'s' if len(ticked) != 1 else ''}, best match first:")

    # -- opening ---------------------------------------------------------------------
    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, TARGET_ROLE)
        if target:
            self.open_requested.emit(*target)
        elif item.data(0, KIND_ROLE) in ("category", "symptom"):
            item.setExpanded(True)
        elif item.data(0, KIND_ROLE) == "more":
            # The runbooks not listed under a symptom: all of them, ranked, in search.
            node = self.tree_data.by_key.get(item.data(0, KEY_ROLE))
            if node is not None:
                self.search_requested.emit(f'"{node.text}"')

    def pin_item(self, item: QTreeWidgetItem) -> None:
        target = item.data(0, TARGET_ROLE)
        if not target:
            return
        label = item.text(0)
        if item.data(0, KIND_ROLE) == "branch" and item.parent() is not None:
            label = f"{item.parent().text(0)} › {label}"
        self.pin_requested.emit(target[0], target[1], label)

    def _context_menu(self, point) -> None:  # type: ignore[no-untyped-def]
        item = self.tree.itemAt(point)
        if item is not None and item.data(0, TARGET_ROLE):
            menu = QMenu(self)
            menu.addAction("Pin", lambda: self.pin_item(item))
            menu.exec(self.tree.viewport().mapToGlobal(point))

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        """A click opens a scenario or step; on a symptom it only ticks (rows stay put)."""
        target = item.data(0, TARGET_ROLE)
        if target:
            self.open_requested.emit(*target)

    def _ranked_activated(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET_ROLE)
        if target:
            self.open_requested.emit(*target)

    # -- the authored walk -------------------------------------------------------------
    def start_walk(self) -> None:
        if self.question is None:
            return
        self.walk_page.start(self.question)
        self.pages.setCurrentWidget(self.walk_page)

    def end_walk(self) -> None:
        self.walk_page.end()

    def _walk_closed(self) -> None:
        self.pages.setCurrentIndex(0)
        self.filter.setFocus()

    def focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()


def _where(target: Target, name: str) -> str:
    """Where an alert's runbook is: its title when it says more than the name, else its path."""
    if target.document_title.strip().lower() != name.lower():
        return target.document_title
    return _path_of(target)


def _path_of(target: Target) -> str:
    return target.path + (f"#{target.anchor}" if target.title != target.document_title else "")


# Longer than a symptom is typed: a pasted log line, searched for the library's alert names
# and error codes (``... (err-mimir-sample-out-of-order) ...``).
_LOG_LINE_CHARS = 60


def _looks_pasted(text: str) -> bool:
    """A notification or an alert name rather than words typed to filter the symptoms."""
    stripped = text.strip()
    if not stripped:
        return False
    return ("\n" in stripped or stripped[0] in "{[" or "alertname" in stripped.lower()
            or "firing" in stripped.lower() or looks_like_alert_name(stripped))
