"""The library tree: folders and runbooks with their titles, filterable, keyboard-driven.

The tree lists a folder when it is opened (:mod:`viewer.ui.library_model`);
the filter asks the search index for the runbooks whose title or path holds
the text and lists them flat, so neither holds every runbook of a large
library in the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from viewer.core.library import Library
from viewer.ui.library_model import (
    PATH_ROLE,
    PROBLEM_ROLE,
    FolderCheck,
    LibraryModel,
    TitleSource,
)

__all__ = ["PATH_ROLE", "PROBLEM_ROLE", "LibraryPanel"]
FILTER_LIMIT = 500
Matcher = Callable[[str, int], list[tuple[str, str]]]


class LibraryPanel(QWidget):
    """Emits ``open_requested(rel_path)`` when a runbook is activated (click or Enter)."""

    open_requested = Signal(str)
    pin_requested = Signal(str, str, str)  # path, anchor, label

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LibraryModel(Library("."), self)
        self.matches = QStandardItemModel(self)  # the filter's runbooks, flat
        self.matcher: Matcher | None = None
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter runbooks")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)  # no per-row measuring in a long folder
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.activated.connect(self._activated)
        self.tree.clicked.connect(self._activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.filter.returnPressed.connect(self._open_first_match)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.note)
        layout.addWidget(self.tree)
        self.shown = False  # the library's top folders are listed
        self._selected = ""  # the page shown, selected again when the filter is cleared

    def set_library(self, library: Library) -> None:
        """Show ``library``: its top folders, each opened one level (one listing each)."""
        self.model.set_library(library)
        self.matcher = None  # the index of the library shown before
        self.model.fetchMore(QModelIndex())
        self.tree.expandToDepth(0)
        self.shown = True
        if self.filter.text():
            self._filter_changed(self.filter.text())

    def set_index(self, titles: TitleSource | None, matcher: Matcher | None,
                  has_pages: FolderCheck | None = None) -> None:
        """The search index is ready: titles, the filter and which folders hold runbooks
        come from it."""
        self.model.set_titles(titles, has_pages)
        self.matcher = matcher
        if self.filter.text():
            self._filter_changed(self.filter.text())

    def files_changed(self, paths: set[str]) -> None:
        self.model.refresh(paths)

    def select_path(self, rel_path: str) -> None:
        self._selected = rel_path
        if self.tree.model() is not self.model or not self.shown or not rel_path:
            return
        index = self.model.index_of(rel_path)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def pin_index(self, index: QModelIndex) -> None:
        path = index.data(PATH_ROLE)
        if path and not self._is_folder(index):
            self.pin_requested.emit(path, "", index.data(Qt.ItemDataRole.DisplayRole) or "")

    def _is_folder(self, index: QModelIndex) -> bool:
        return self.tree.model() is self.model and self.model.is_folder(index)

    def _context_menu(self, point) -> None:  # type: ignore[no-untyped-def]
        index = self.tree.indexAt(point)
        if index.isValid() and not self._is_folder(index):
            menu = QMenu(self)
            menu.addAction("Pin", lambda: self.pin_index(index))
            menu.exec(self.tree.viewport().mapToGlobal(point))

    def _activated(self, index: QModelIndex) -> None:
        path = index.data(PATH_ROLE)
        if path and not self._is_folder(index) and not index.data(PROBLEM_ROLE):
            self.open_requested.emit(path)

    def _filter_changed(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.note.hide()
            if self.tree.model() is not self.model:  # the tree back as it was left
                self.tree.setModel(self.model)
                self.tree.expandToDepth(0)
                self.select_path(self._selected)
            return
        self.matches.clear()
        if self.matcher is None:
            self.note.setText("The filter works once the library is indexed (a moment).")
            self.note.show()
        else:
            try:
                found = self.matcher(text, FILTER_LIMIT)
            except Exception:  # the index is being rebuilt
                found = []
            for path, title in found:
                folder, _, name = path.rpartition("/")
                # Runbooks of one title in many folders (one per alert or service) told apart.
                item = QStandardItem(f"{title or name}  \u2014 {folder}/" if folder
                                     else title or name)
                item.setData(path, PATH_ROLE)
                item.setToolTip(f"{title}\n{path}")
                self.matches.appendRow(item)
            more = len(found) >= FILTER_LIMIT
            self.note.setText(f"The first {FILTER_LIMIT} matches; type more to narrow them."
                              if more else "" if found else f"No runbook title or path has "
                              f"\u201c{text}\u201d.")
            self.note.setVisible(more or not found)
        self.tree.setModel(self.matches)

    def _open_first_match(self) -> None:
        model = self.tree.model()
        index = model.index(0, 0)
        while index.isValid() and model is self.model and self.model.is_folder(index):
            self.model.fetchMore(index)
            index = model.index(0, 0, index)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self._activated(index)
