"""Variables in the window: the dock, the session's values, the page shown with them.

The values belong to the session, not to a page: a namespace typed on one
runbook fills every runbook opened after it, and a pasted alert's labels
fill whatever variables name them. Nothing here is written to disk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from viewer.core.document import Document
from viewer.core.variables.values import VariableValues
from viewer.ui.variables_panel import VariablesPanel

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class VariablesController(QObject):
    """Owns ``values`` and ``panel``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.values = VariableValues()
        self.panel = VariablesPanel(self.values)
        self.panel.changed.connect(self._changed)
        self._recorded: dict[str, str] = {}  # typed values the incident has been told of

    def show_page(self, document: object) -> None:
        self.panel.set_variables(document.variables if isinstance(document, Document) else [])

    def take_alert(self, labels: dict[str, str]) -> None:
        """A pasted alert: its labels fill the variables that name them, on every page."""
        if not labels:
            return
        self.values.take_labels(labels)
        self.panel.refresh()
        self.window.reshow()
        filled = [v for v in self.panel.variables
                  if (value := v.value(self.values)) and value.source.startswith("alert")]
        for variable in filled:
            value = variable.value(self.values)
            assert value is not None
            self.window.incidents.variable_set(variable.name, value.source, value.text,
                                               variable.secret)
        filled = [v.name for v in filled]
        if filled:
            self.window.status_label.setText(f"From the alert's labels: {', '.join(filled)}")

    def focus(self, name: str = "") -> None:
        dock = self.window.variables_dock
        dock.show()
        dock.raise_()
        self.panel.focus(name)

    def _changed(self) -> None:
        for variable in self.panel.variables:  # what was typed since, for the timeline
            typed = self.values.typed.get(variable.name, "")
            if typed != self._recorded.get(variable.name, ""):
                self._recorded[variable.name] = typed
                if typed:
                    self.window.incidents.variable_set(variable.name, "typed", typed,
                                                       variable.secret)
        self.window.reshow()
