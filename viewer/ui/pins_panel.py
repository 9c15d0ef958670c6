"""The pinned runbooks, above the sidebar: click or Alt+1...Alt+9 opens, drag reorders.

A pin whose runbook is gone stays in the list, greyed and marked missing,
so the user sees what changed instead of a pin silently disappearing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QMenu

from viewer.core.pins import Pin, split_target
from viewer.ui.plain_text import plain_tip

TARGET_ROLE = Qt.ItemDataRole.UserRole + 1


class PinsPanel(QListWidget):
    """Emits ``open_requested(path, anchor)``, ``order_changed([target, ...])``,
    ``rename_requested(target, label)`` (F2 or right-click) and ``unpin_requested(target)``."""

    open_requested = Signal(str, str)
    order_changed = Signal(list)
    rename_requested = Signal(str, str)
    unpin_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.itemActivated.connect(self._open)
        self.itemClicked.connect(self._open)
        self.model().rowsMoved.connect(lambda *_: self.order_changed.emit(self.targets()))
        self.setToolTip("Pinned runbooks: click or Alt+1…Alt+9 to open, drag to reorder, "
                        "F2 or right-click to rename, Ctrl+D pins or unpins the page you "
                        "are reading")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self._labels: dict[str, str] = {}

    def set_pins(self, pins: list[Pin], root: Path) -> None:
        self.clear()
        self._labels = {pin.target: pin.label for pin in pins}
        for number, pin in enumerate(pins, 1):
            name = pin.label or pin.target
            key = f"Alt+{number}  " if number <= 9 else ""
            missing = not (root / pin.path).is_file()
            item = QListWidgetItem(f"{key}{name}{'  (missing)' if missing else ''}")
            item.setData(TARGET_ROLE, pin.target)
            gone = "\nThis runbook is no longer in the library." if missing else ""
            item.setToolTip(plain_tip(f"{pin.target}{gone}"))
            if missing:
                item.setForeground(Qt.GlobalColor.gray)
            self.addItem(item)
        if not pins:
            hint = QListWidgetItem("Nothing pinned: Ctrl+D pins the page you are reading.")
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(hint)

    def targets(self) -> list[str]:
        found = [self.item(i).data(TARGET_ROLE) for i in range(self.count())]
        return [t for t in found if t]

    def open_number(self, number: int) -> None:
        targets = self.targets()
        if 1 <= number <= len(targets):
            self.open_requested.emit(*split_target(targets[number - 1]))

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        item = self.currentItem()
        target = item.data(TARGET_ROLE) if item is not None else None
        if target and event.key() == Qt.Key.Key_F2:
            self._rename(target)
        elif target and event.key() == Qt.Key.Key_Delete:
            self.unpin_requested.emit(target)
        else:
            super().keyPressEvent(event)

    def _menu(self, point) -> None:  # type: ignore[no-untyped-def]
        item = self.itemAt(point)
        target = item.data(TARGET_ROLE) if item is not None else None
        if not target:
            return
        menu = QMenu(self)
        menu.addAction("Open", lambda: self._open(item))
        menu.addAction("Rename…\tF2", lambda: self._rename(target))
        menu.addAction("Unpin\tDel", lambda: self.unpin_requested.emit(target))
        menu.exec(self.viewport().mapToGlobal(point))

    def _rename(self, target: str) -> None:
        self.rename_requested.emit(target, self._labels.get(target, ""))

    def _open(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET_ROLE)
        if target:
            self.open_requested.emit(*split_target(target))
