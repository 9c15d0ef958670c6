"""The library tree's model: one folder listed at a time, when it is opened.

A library of 50,000 runbooks is never walked for the tree: the top folders
are listed when the tree is shown and each folder's entries when it is
expanded (Qt's ``canFetchMore``/``fetchMore``), through the library's gate
(:meth:`viewer.core.library.Library.list_folder`). Titles come from the search
index, one query per folder opened; before the index is ready a small folder
shows its files' titles read from their first lines, a big one their names.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from viewer.core.library import Library, LibraryEntry, peek_title

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 2
PEEK_TITLES_UP_TO = 200  # files in a folder whose titles are read while there is no index

Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()  # the invisible root, as Qt's own models default to it
TitleSource = Callable[[str], dict[str, str]]
FolderCheck = Callable[[str], bool]  # does this folder hold any runbook, at any depth?


class _Node:
    """One folder or runbook of the tree; a folder's ``children`` is None until listed."""

    __slots__ = ("children", "is_dir", "name", "parent", "problem", "rel", "row", "title")

    def __init__(self, entry: LibraryEntry, parent: _Node | None, row: int) -> None:
        self.rel, self.name, self.is_dir = entry.rel_path, entry.name, entry.is_dir
        self.title, self.problem = entry.title, entry.problem
        self.parent, self.row = parent, row
        self.children: list[_Node] | None = None

    @property
    def label(self) -> str:
        return self.name if self.is_dir else (self.title or self.name)


class LibraryModel(QAbstractItemModel):
    """Folders and runbooks of a library, read as the reader opens them."""

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.titles: TitleSource | None = None
        self.has_pages: FolderCheck | None = None
        self._root = _Node(LibraryEntry("", library.name, True), None, 0)

    # -- what the window asks ------------------------------------------------------
    def set_library(self, library: Library) -> None:
        self.beginResetModel()
        self.library = library
        self.titles = self.has_pages = None
        self._root = _Node(LibraryEntry("", library.name, True), None, 0)
        self.endResetModel()

    def set_titles(self, source: TitleSource | None, has_pages: FolderCheck | None = None
                   ) -> None:
        """Titles from now on come from ``source`` (the index), and folders without a
        runbook (code, pictures) are left out; folders already listed follow at once."""
        self.titles, self.has_pages = source, has_pages
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.children is None:
                continue
            self._merge(node)
            stack.extend(child for child in node.children or [] if child.is_dir)

    def refresh(self, changed_paths: set[str]) -> None:
        """Files were added, changed or removed: list again the folders that show them."""
        folders: set[str] = set()
        for path in changed_paths:
            parts = path.split("/")[:-1]
            while parts and self._find("/".join(parts)) is None:
                parts.pop()  # a folder new to the tree: list the one above it that is shown
            folders.add("/".join(parts))
        for folder in sorted(folders):
            node = self._find(folder)
            if node is not None and node.children is not None:
                self._merge(node)

    def index_of(self, rel_path: str) -> QModelIndex:
        """The index of ``rel_path``, listing the folders on its way; invalid if not there."""
        node = self._root
        parts = rel_path.split("/")
        for depth in range(len(parts)):
            if node.children is None:
                self._list(node)
            want = "/".join(parts[:depth + 1])
            node = next((c for c in node.children or [] if c.rel == want), None)
            if node is None:
                return QModelIndex()
        return self._index(node)

    def is_folder(self, index: Index) -> bool:
        return index.isValid() and index.internalPointer().is_dir

    # -- QAbstractItemModel ----------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = _TOP) -> QModelIndex:
        node = self._node(parent)
        if column != 0 or node.children is None or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: Index = _TOP) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        up = index.internalPointer().parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: Index = _TOP) -> int:
        node = self._node(parent)
        return len(node.children) if node.children is not None else 0

    def columnCount(self, parent: Index = _TOP) -> int:
        return 1

    def hasChildren(self, parent: Index = _TOP) -> bool:
        node = self._node(parent)
        return node.is_dir and (node.children is None or bool(node.children))

    def canFetchMore(self, parent: Index) -> bool:
        node = self._node(parent)
        return node.is_dir and node.children is None

    def fetchMore(self, parent: Index) -> None:
        node = self._node(parent)
        if node.is_dir and node.children is None:
            self._list(node, parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{node.label}\n{node.rel}" + (f"\n{node.problem}" if node.problem else "")
        if role == PATH_ROLE:
            return node.rel
        if role == PROBLEM_ROLE:
            return node.problem or None
        if role == Qt.ItemDataRole.ForegroundRole and node.problem:
            return Qt.GlobalColor.gray
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- listing -------------------------------------------------------------------
    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def _index(self, node: _Node) -> QModelIndex:
        return QModelIndex() if node is self._root else self.createIndex(node.row, 0, node)

    def _find(self, rel: str) -> _Node | None:
        """The node of folder ``rel`` if the tree has listed its way to it."""
        node = self._root
        if not rel:
            return node
        parts = rel.split("/")
        for depth in range(len(parts)):
            want = "/".join(parts[:depth + 1])
            node = next((c for c in node.children or [] if c.rel == want), None)
            if node is None:
                return None
        return node

    def _entries(self, node: _Node) -> list[LibraryEntry]:
        dirs, files = self.library.list_folder(node.rel)
        if self.has_pages is not None:
            with contextlib.suppress(Exception):  # the index is being rebuilt: every folder
                dirs = [entry for entry in dirs if self.has_pages(entry.rel_path)]
        if self.titles is None and len(files) <= PEEK_TITLES_UP_TO:
            for entry in files:
                if not entry.problem:
                    entry.title = peek_title(self.library.root / entry.rel_path) or entry.name
        return dirs + files

    def _list(self, node: _Node, parent: Index | None = None) -> None:
        entries = self._entries(node)
        parent = parent if parent is not None else self._index(node)
        if entries:
            self.beginInsertRows(parent, 0, len(entries) - 1)
        node.children = [_Node(entry, node, row) for row, entry in enumerate(entries)]
        self._apply_titles(node)
        if entries:
            self.endInsertRows()

    def _merge(self, node: _Node) -> None:
        """List ``node`` again, keeping the rows (and what is open under them) that remain."""
        entries = self._entries(node)
        parent = self._index(node)
        wanted = {entry.rel_path for entry in entries}
        children = node.children or []
        for row in reversed(range(len(children))):
            if children[row].rel not in wanted:
                self.beginRemoveRows(parent, row, row)
                del children[row]
                self.endRemoveRows()
        for row, entry in enumerate(entries):
            if row < len(children) and children[row].rel == entry.rel_path:
                children[row].title = entry.title or children[row].title
                continue
            self.beginInsertRows(parent, row, row)
            children.insert(row, _Node(entry, node, row))
            for later, child in enumerate(children):
                child.row = later
            self.endInsertRows()
        self._apply_titles(node)
        if children:
            self.dataChanged.emit(self._index(children[0]), self._index(children[-1]))

    def _apply_titles(self, node: _Node) -> None:
        if self.titles is None or not node.children:
            return
        try:
            titles = self.titles(node.rel)
        except Exception:  # the index is being rebuilt: names and peeked titles stay
            return
        for child in node.children:
            if not child.is_dir and titles.get(child.rel):
                child.title = titles[child.rel]
