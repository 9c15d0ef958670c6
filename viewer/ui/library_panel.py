"""The library tree: folders and runbooks with their titles, filterable, keyboard-driven."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from viewer.core.library import LibraryEntry

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 2


class LibraryPanel(QWidget):
    """Emits ``open_requested(rel_path)`` when a runbook is activated (click or Enter)."""

    open_requested = Signal(str)
    pin_requested = Signal(str, str, str)  # path, anchor, label

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(Qt.ItemDataRole.ToolTipRole)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter runbooks")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.activated.connect(self._activated)
        self.tree.clicked.connect(self._activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.filter.returnPressed.connect(self._open_first_match)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self._items: dict[str, QStandardItem] = {}

    def set_tree(self, root: LibraryEntry) -> None:
        expanded = self._expanded_paths()
        self.model.clear()
        self._items.clear()
        self._add(self.model.invisibleRootItem(), root.children)
        if expanded:
            self._restore_expanded(expanded)
        else:
            self.tree.expandToDepth(0)

    def _add(self, parent: QStandardItem, entries: list[LibraryEntry]) -> None:
        for entry in entries:
            label = entry.name if entry.is_dir else (entry.title or entry.name)
            item = QStandardItem(label)
            item.setData(entry.rel_path, PATH_ROLE)
            tip = entry.rel_path if not entry.problem else f"{entry.rel_path}\n{entry.problem}"
            item.setData(f"{label}\n{tip}", Qt.ItemDataRole.ToolTipRole)
            if entry.problem:
                item.setData(entry.problem, PROBLEM_ROLE)
                item.setForeground(Qt.GlobalColor.gray)
            parent.appendRow(item)
            self._items[entry.rel_path] = item
            if entry.is_dir:
                self._add(item, entry.children)

    def _expanded_paths(self) -> set[str]:
        paths = set()
        for path, item in self._items.items():
            index = self.proxy.mapFromSource(item.index())
            if index.isValid() and self.tree.isExpanded(index):
                paths.add(path)
        return paths

    def _restore_expanded(self, paths: set[str]) -> None:
        for path in paths:
            item = self._items.get(path)
            if item is not None:
                self.tree.setExpanded(self.proxy.mapFromSource(item.index()), True)

    def select_path(self, rel_path: str) -> None:
        item = self._items.get(rel_path)
        if item is None:
            return
        index = self.proxy.mapFromSource(item.index())
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def pin_index(self, index: QModelIndex) -> None:
        path = index.data(PATH_ROLE)
        if path and not self.model.itemFromIndex(self.proxy.mapToSource(index)).hasChildren():
            self.pin_requested.emit(path, "", index.data(Qt.ItemDataRole.DisplayRole) or "")

    def _context_menu(self, point) -> None:  # type: ignore[no-untyped-def]
        index = self.tree.indexAt(point)
        if index.isValid() and not self.proxy.hasChildren(index):
            menu = QMenu(self)
            menu.addAction("Pin", lambda: self.pin_index(index))
            menu.exec(self.tree.viewport().mapToGlobal(point))

    def _activated(self, index: QModelIndex) -> None:
        path = index.data(PATH_ROLE)
        if path and not self.model.itemFromIndex(self.proxy.mapToSource(index)).hasChildren():
            self.open_requested.emit(path)

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if text:
            self.tree.expandAll()

    def _open_first_match(self) -> None:
        index = self.proxy.index(0, 0)
        while index.isValid() and self.proxy.hasChildren(index):
            index = self.proxy.index(0, 0, index)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self._activated(index)

    def runbook_count(self) -> int:
        return sum(1 for item in self._items.values() if not item.hasChildren())

    def runbooks(self) -> list[tuple[str, str]]:
        """(path, title) of every runbook that can be opened, as listed."""
        return [(path, item.text()) for path, item in self._items.items()
                if not item.hasChildren() and not item.data(PROBLEM_ROLE)]
