"""The Variables dock: the open page's placeholders, each with a field for its value.

A value typed here applies to every runbook for the rest of the session
(the controller keeps it); a value an alert or a default gave is shown with
where it came from, and typing over it makes it the reader's own. Secret
variables are typed into a password field and never shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.core.variables.catalog import Variable
from viewer.core.variables.values import VariableValues
from viewer.ui.plain_text import ElidingLabel, plain_label, plain_tip

_EDIT_SETTLES_MS = 300  # the page is shown again once typing pauses, not at each key
_NAME_SHARE = 1 / 3  # of the panel's width, at most, for a placeholder's name


class VariablesPanel(QWidget):
    """Signals: ``changed()`` after a value was typed, cleared or reset."""

    changed = Signal()

    def __init__(self, values: VariableValues, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values = values
        self.variables: list[Variable] = []
        self.fields: dict[str, QLineEdit] = {}
        self._sources: dict[str, QLabel] = {}
        self._names: list[ElidingLabel] = []
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(_EDIT_SETTLES_MS)
        self._settle.timeout.connect(self.changed.emit)
        self.summary = plain_label(QLabel("No placeholders in this page's commands."))
        self.summary.setWordWrap(True)
        self.reset_button = QPushButton("Reset all")
        self.reset_button.setToolTip("Forget every value typed or taken from an alert")
        self.reset_button.clicked.connect(self.reset_all)
        header = QHBoxLayout()
        header.addWidget(self.summary, 1)
        header.addWidget(self.reset_button)
        self._rows = QWidget()
        self._grid = QGridLayout(self._rows)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._rows)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)
        self._update_summary()

    def set_variables(self, variables: list[Variable]) -> None:
        """Show ``variables`` (the page's), each field holding its current value."""
        self._settle.stop()
        self.variables = variables
        self.fields.clear()
        self._sources.clear()
        self._names.clear()
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for row, variable in enumerate(variables):
            self._add_row(row, variable)
        for row in range(self._grid.rowCount()):
            self._grid.setRowStretch(row, 0)
        self._grid.setRowStretch(len(variables) * 2, 1)  # rows stay together at the top
        self.refresh()

    def _add_row(self, row: int, variable: Variable) -> None:
        name = ElidingLabel()
        name.setText(variable.name)
        where = ", ".join(dict.fromkeys(p.raw for p in variable.placements)) or "declared"
        name.setToolTip(plain_tip("\n".join(filter(None, (
            variable.name, variable.description, f"Written as {where}")))))
        self._fit_name(name)
        self._names.append(name)
        if variable.choices:
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItems(["", *variable.choices])
            field = combo.lineEdit()
            editor: QWidget = combo
        else:
            field = QLineEdit()
            editor = field
        editor.setMinimumWidth(60)
        if variable.secret:
            field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setPlaceholderText(variable.description or "type a value")
        field.textEdited.connect(lambda text, v=variable: self._typed(v, text))
        source = plain_label(QLabel(""))
        source.setWordWrap(True)
        source.setStyleSheet("color: palette(placeholder-text);")
        clear = QToolButton()
        clear.setText("\u00d7")
        clear.setToolTip(f"Forget the value typed for {variable.name}")
        clear.clicked.connect(lambda _c=False, v=variable: self._typed(v, "", settle=False))
        self._grid.addWidget(name, row * 2, 0)
        self._grid.addWidget(editor, row * 2, 1)
        self._grid.addWidget(clear, row * 2, 2)
        self._grid.addWidget(source, row * 2 + 1, 1, 1, 2)
        self.fields[variable.name] = field
        self._sources[variable.name] = source

    def _fit_name(self, name: ElidingLabel) -> None:
        # A long placeholder name ("changelog_summary_message") would otherwise take
        # the row and leave its field a sliver: past this share it ends in "…".
        name.setMaximumWidth(max(40, int(self.width() * _NAME_SHARE)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        for name in self._names:
            self._fit_name(name)
        super().resizeEvent(event)

    def _typed(self, variable: Variable, text: str, settle: bool = True) -> None:
        self.values.set(variable.name, "")
        inherited = variable.value(self.values)  # from an alert or the default
        if text and (inherited is None or text != inherited.text):
            self.values.set(variable.name, text)
        if settle:
            self._show_source(variable)
            self._update_summary()
            self._settle.start()
        else:
            self.refresh()
            self.changed.emit()

    def refresh(self) -> None:
        """Each field shows its variable's value now (typed, from an alert, or default)."""
        for variable in self.variables:
            field = self.fields[variable.name]
            value = variable.value(self.values)
            if not field.hasFocus() or not field.text():
                field.setText(value.text if value else "")
            self._show_source(variable)
        self._update_summary()

    def _show_source(self, variable: Variable) -> None:
        value = variable.value(self.values)
        self._sources[variable.name].setText(
            f"{'secret, ' if variable.secret else ''}{_said(value.source)}" if value
            else "no value yet")

    def _update_summary(self) -> None:
        if not self.variables:
            self.summary.setText("No placeholders in this page's commands.")
        else:
            open_ = [v.name for v in self.variables if v.value(self.values) is None]
            self.summary.setText(f"{len(self.variables)} on this page; "
                                 + (f"{len(open_)} without a value" if open_ else "all filled"))
        self.reset_button.setEnabled(bool(self.values))

    def reset_all(self) -> None:
        self.values.reset()
        for field in self.fields.values():
            field.clear()
        self.refresh()
        self.changed.emit()

    def focus(self, name: str = "") -> None:
        """Put the cursor in ``name``'s field, else the first without a value."""
        if not name:
            name = next((v.name for v in self.variables if v.value(self.values) is None),
                        self.variables[0].name if self.variables else "")
        field = self.fields.get(name)
        if field is not None:
            field.setFocus(Qt.FocusReason.ShortcutFocusReason)
            field.selectAll()


def _said(source: str) -> str:
    """Where a value came from, in words: typed, an alert's label, the runbook's default."""
    if source.startswith("alert label "):
        return f"from the alert's {source[len('alert label '):]} label"
    return {"typed": "typed by you", "default": "the runbook's default"}.get(source, source)
