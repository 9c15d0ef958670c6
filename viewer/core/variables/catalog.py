"""A page's variables: each with its declaration and every place it is written.

Built by :mod:`viewer.core.render.placeholders` as it scans a page's code;
read by the Variables panel, the ``vars`` command and copying.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from viewer.core.document import Document
from viewer.core.variables.declared import Declaration
from viewer.core.variables.names import label_base
from viewer.core.variables.scan import Occurrence
from viewer.core.variables.values import SECRET_MASK, Filled, Value, VariableValues, fill


@dataclass(frozen=True)
class Placement:
    """Where one placeholder is: code block ``block`` (1-based; 0 for a code span)."""

    block: int
    line: int  # 1-based, in the block's text as shown
    column: int  # 1-based
    raw: str
    kind: str


@dataclass
class Variable:
    name: str  # folded
    shown: str  # how the page first writes it
    label: str  # the alert label that fills it
    description: str = ""
    default: str = ""
    choices: tuple[str, ...] = ()
    secret: bool = False
    kinds: list[str] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)

    def value(self, values: VariableValues) -> Value | None:
        return values.resolve(self.name, self.label, self.default, self.secret)


def catalog_of(declared: dict[str, Declaration]) -> dict[str, Variable]:
    """The declared variables, before any is found in the code."""
    found: dict[str, Variable] = {}
    for declaration in declared.values():
        if declaration.name not in found:
            found[declaration.name] = Variable(
                declaration.name, declaration.shown,
                declaration.from_label or label_base(declaration.name),
                declaration.description, declaration.default, declaration.choices,
                declaration.secret)
    return found


def add_placement(variables: dict[str, Variable], occurrence: Occurrence,
                  placement: Placement) -> None:
    variable = variables.get(occurrence.name)
    if variable is None:
        variable = variables[occurrence.name] = Variable(
            occurrence.name, occurrence.raw, occurrence.label or label_base(occurrence.name))
    if occurrence.kind not in variable.kinds:
        variable.kinds.append(occurrence.kind)
    variable.placements.append(placement)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def filled_block(document: Document, index: int, values: VariableValues | None, *,
                 masked: bool = False) -> Filled:
    """The copy text of code block ``index`` with the values filled in; ``masked`` puts
    a mask where a secret's value goes (for a record of what was copied)."""
    block = document.code_blocks[index]
    by_name = {v.name: v for v in document.variables}

    def resolve(occurrence: Occurrence) -> Value | None:
        variable = by_name.get(occurrence.name)
        if variable is None or values is None:
            return None if variable is None or not variable.default else \
                Value(variable.default, "default", variable.secret)
        return variable.value(values)

    def resolve_shown(occurrence: Occurrence) -> Value | None:
        value = resolve(occurrence)
        if value is not None and value.secret and masked:
            return Value(SECRET_MASK, value.source, True)
        return value

    return fill(block.copy_text, block.copy_placeholders, resolve_shown)


def blocks_in_section(document: Document, anchor: str) -> list[int]:
    """The indexes of the code blocks under heading ``anchor``, its subsections' included."""
    found: list[int] = []
    inside, level = False, 0
    for block, index in document.outline_with_code():
        if block.kind == "heading":
            if inside and block.level <= level:
                break
            if block.anchor == anchor and not inside:
                inside, level = True, block.level
        elif inside and index is not None:
            found.append(index)
    return found


def section_of_block(document: Document, index: int) -> str:
    """The anchor of the section code block ``index`` is in ("" before any heading)."""
    return next((block.anchor for block, at in document.outline_with_code() if at == index), "")


def alert_labels(text: str) -> dict[str, str]:
    """The labels of the alerts in a pasted notification, the first alert's first."""
    from viewer.core.triage.alerts import parse_notification

    labels: dict[str, str] = {}
    for alert in parse_notification(text):
        for key, value in alert.labels.items():
            labels.setdefault(key, value)
    return labels
