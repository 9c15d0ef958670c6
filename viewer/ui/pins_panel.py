"""The pinned runbooks, above the sidebar: click or Alt+1...Alt+9 opens, drag reorders.

A pin whose runbook is gone stays in the list, greyed and marked missing,
so the user sees what changed instead of a pin silently disappearing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

from viewer.core.pins import Pin

TARGET_ROLE = Qt.ItemDataRole.UserRole + 1


class PinsPanel(QListWidget):
    """Emits ``open_requested(path, anchor)`` and ``order_changed([target, ...])``."""

    open_requested = Signal(str, str)
    order_changed = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.itemActivated.connect(self._open)
        self.itemClicked.connect(self._open)
        self.model().rowsMoved.connect(lambda *_: self.order_changed.emit(self.targets()))
        self.setToolTip("Pinned runbooks: click or Alt+1…Alt+9 to open, drag to reorder, "
                        "Ctrl+D pins or unpins the page you are reading")

    def set_pins(self, pins: list[Pin], root: Path) -> None:
        self.clear()
        for number, pin in enumerate(pins, 1):
            name = pin.label or pin.target
            key = f"Alt+{number}  " if number <= 9 else ""
            missing = not (root / pin.path).is_file()
            item = QListWidgetItem(f"{key}{name}{'  (missing)' if missing else ''}")
            item.setData(TARGET_ROLE, pin.target)
            item.setToolTip(f"{pin.target}" + ("\nThis runbook is no longer in the library."
                                                if missing else ""))
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
            path, _, anchor = targets[number - 1].partition("#")
            self.open_requested.emit(path, anchor)

    def _open(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET_ROLE)
        if target:
            path, _, anchor = target.partition("#")
            self.open_requested.emit(path, anchor)
