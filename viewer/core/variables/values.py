"""The values the reader gave this session, and the command that is copied with them.

A value typed once applies to every runbook until it is reset; an alert
pasted into the sidebar lends its labels to the variables that name them;
a declared default comes last. Values live in memory only: nothing here
is ever written to disk or logged, secrets least of all.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from viewer.core.variables.names import fold, label_base
from viewer.core.variables.scan import Occurrence

SECRET_MASK = "\u2022" * 8


@dataclass(frozen=True)
class Value:
    text: str
    source: str  # "typed", "alert label namespace", "default"
    secret: bool = False

    @property
    def shown(self) -> str:
        """The value as the page and panel may show it: never a secret in full."""
        return SECRET_MASK if self.secret else self.text


@dataclass
class VariableValues:
    """What the reader typed, and the labels of the last alert pasted, by folded name."""

    typed: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def set(self, name: str, text: str) -> None:
        if text:
            self.typed[fold(name)] = text
        else:
            self.typed.pop(fold(name), None)

    def take_labels(self, labels: dict[str, str]) -> None:
        """An alert's labels; they replace the previous alert's."""
        self.labels = {fold(key): str(value) for key, value in labels.items()
                       if fold(key) and str(value)}

    def reset(self) -> None:
        self.typed.clear()
        self.labels.clear()

    def __bool__(self) -> bool:
        return bool(self.typed or self.labels)

    def resolve(self, name: str, label: str = "", default: str = "",
                secret: bool = False) -> Value | None:
        """The value of variable ``name``: typed, else from its alert label, else its default."""
        if name in self.typed:
            return Value(self.typed[name], "typed", secret)
        for candidate in dict.fromkeys((label, name, label_base(name))):
            if candidate and candidate in self.labels:
                return Value(self.labels[candidate], f"alert label {candidate}", secret)
        if default:
            return Value(default, "default", secret)
        return None


def values_from_pairs(pairs: Sequence[str]) -> VariableValues:
    """The values ``--set NAME=VALUE`` gave on a command line; ValueError names a bad one."""
    values = VariableValues()
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise ValueError(f"--set needs NAME=VALUE, not {pair!r}")
        values.set(name, value)
    return values


@dataclass(frozen=True)
class Filled:
    text: str
    missing: list[str]  # names without a value, in order of first use; left as written


def quoted_for(value: str, context: str) -> str:
    """``value`` as it must be written where the placeholder sits, to arrive unchanged."""
    if context == "'":
        return value.replace("'", "'\\''")
    if context == '"':
        return "".join("\\" + c if c in '\\"$`' else c for c in value)
    if context == "#":
        return value.replace("\n", " ")
    return shlex.quote(value)


def fill(text: str, occurrences: Sequence[Occurrence],
         resolve: Callable[[Occurrence], Value | None]) -> Filled:
    """``text`` with each placeholder that has a value replaced by it, quoted for its place."""
    pieces: list[str] = []
    missing: list[str] = []
    position = 0
    for occurrence in occurrences:
        pieces.append(text[position:occurrence.start])
        value = resolve(occurrence)
        if value is None:
            pieces.append(occurrence.raw)
            if occurrence.name not in missing:
                missing.append(occurrence.name)
        else:
            pieces.append(quoted_for(value.text, occurrence.context))
        position = occurrence.end
    pieces.append(text[position:])
    return Filled("".join(pieces), missing)
