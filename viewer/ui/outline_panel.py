"""The outline of the open runbook: its headings as a tree; activating one jumps to it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from viewer.core.document import Heading
from viewer.ui.plain_text import plain_tip

ANCHOR_ROLE = Qt.ItemDataRole.UserRole + 1


class OutlinePanel(QTreeWidget):
    """Emits ``jump_requested(anchor)``."""

    jump_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)

    def set_headings(self, headings: list[Heading]) -> None:
        self.clear()
        stack: list[tuple[int, QTreeWidgetItem]] = []
        for heading in headings:
            item = QTreeWidgetItem([heading.text])
            item.setData(0, ANCHOR_ROLE, heading.anchor)
            item.setToolTip(0, plain_tip(heading.text))
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            if stack:
                stack[-1][1].addChild(item)
            else:
                self.addTopLevelItem(item)
            stack.append((heading.level, item))
        self.expandToDepth(1)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        anchor = item.data(0, ANCHOR_ROLE)
        if anchor:
            self.jump_requested.emit(anchor)
