"""Three shortcuts in docutils' state machine, which costs half of every reST parse.

docutils parses each bullet list, field list and directive body with a new
nested state machine, and makes all ~15 reST states for it up front, each
building its transition table from scratch (a ``getattr`` and a pattern
lookup per transition). A list item uses two or three of those states.

* States are made when the machine first asks for one (``_LazyStates``),
  and set up for the current run as they are made.
* Each state class's transition table is worked out once; a new state only
  binds its own methods to it.

* A series of explicit markup constructs (targets, directives, comments)
  is parsed by a nested machine given the rest of the document, copied:
  a page of 4,000 sections with a target each copied 70 million lines.
  The nested machine stops at the first line that is neither blank,
  indented nor explicit markup, so it is given the lines up to and
  including that one (``_explicit_list``), which it parses identically.

Together they make a reST parse ~40% faster, and many targets linear. What docutils builds is
unchanged: a test parses and renders a corpus with and without them and
compares. Making a state late is only safe where a state copies nothing
at set-up that changes during a run: docutils 0.23 reads
``RSTState.parent`` live from the machine, older versions copy it. With
those, or a docutils whose internals moved, nothing is installed.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from docutils import statemachine
from docutils.parsers.rst import states as rst_states

_Recipe = tuple[list[str], list[tuple[str, re.Pattern[str], str]]]
_ORIGINAL = {name: getattr(cls, name, None) for cls, name in (
    (statemachine.State, "make_transitions"),
    (statemachine.StateMachine, "add_state"),
    (statemachine.StateMachine, "runtime_init"),
    (rst_states.Body, "explicit_list"))}
_EXPLICIT_START = re.compile(r"(\.\.|__)( +|$)")
_recipes: dict[tuple[type, tuple], _Recipe] = {}


def _supported() -> bool:
    parent = inspect.getattr_static(rst_states.RSTState, "parent", None)
    return isinstance(parent, property) and all(_ORIGINAL.values())


def _make_transitions(self: Any, name_list: Any) -> tuple[list[str], dict]:
    key = (type(self), tuple(name_list))
    recipe = _recipes.get(key)
    if recipe is None:
        names, transitions = _ORIGINAL["make_transitions"](self, name_list)  # type: ignore[misc]
        _recipes[key] = (list(names), [(name, pattern, next_state) for name, (
            pattern, _method, next_state) in transitions.items()])
        return names, transitions
    names, parts = recipe
    return list(names), {name: (pattern, getattr(self, name), next_state)
                         for name, pattern, next_state in parts}


class _LazyStates(dict):
    """A machine's states by name, each made the first time it is looked up."""

    def __init__(self, machine: Any) -> None:
        super().__init__()
        self.machine = machine
        self.classes: dict[str, type] = {}
        self.running = False  # runtime_init has run: new states need it too

    def __missing__(self, name: str) -> Any:
        state = self.classes.pop(name)(self.machine, self.machine.debug)
        self[name] = state
        if self.running:
            state.runtime_init()
        return state


def _add_state(self: Any, state_class: type) -> None:
    states = self.states
    if not isinstance(states, _LazyStates):
        lazy = _LazyStates(self)
        lazy.update(states)
        self.states = states = lazy
    name = state_class.__name__
    if name in states or name in states.classes:
        raise statemachine.DuplicateStateError(name)
    states.classes[name] = state_class


def _runtime_init(self: Any) -> None:
    if isinstance(self.states, _LazyStates):
        self.states.running = True
    for state in list(self.states.values()):
        state.runtime_init()


def _explicit_list(self: Any, blank_finish: Any) -> None:
    machine = self.state_machine
    lines = machine.input_lines
    data = lines.data
    offset = end = machine.line_offset + 1  # the next line
    while end < len(data):
        line = data[end]
        end += 1
        if line and not line[0].isspace() and not _EXPLICIT_START.match(line):
            break  # the machine ends on this line: it must still see it
    newline_offset, blank_finish = self.nested_list_parse(
        lines[offset:end], input_offset=machine.abs_line_offset() + 1, node=self.parent,
        initial_state="Explicit", blank_finish=blank_finish)
    self.goto_line(newline_offset)
    if not blank_finish:
        self.parent += self.unindent_warning("Explicit markup")


_PATCHES = {"make_transitions": _make_transitions, "add_state": _add_state,
            "runtime_init": _runtime_init, "explicit_list": _explicit_list}


def _apply(functions: dict[str, Any]) -> None:
    statemachine.State.make_transitions = functions["make_transitions"]  # type: ignore[method-assign]
    statemachine.StateMachine.add_state = functions["add_state"]  # type: ignore[method-assign]
    statemachine.StateMachine.runtime_init = functions["runtime_init"]  # type: ignore[method-assign]
    rst_states.Body.explicit_list = functions["explicit_list"]  # type: ignore[method-assign]


def install() -> bool:
    """Use the shortcuts from now on (idempotent); False where docutils does not allow them."""
    if not _supported():
        return False
    _apply(_PATCHES)
    return True


@contextmanager
def as_shipped() -> Iterator[None]:
    """docutils without the shortcuts, for the test that compares the two."""
    if not _supported():
        yield
        return
    _apply(_ORIGINAL)
    try:
        yield
    finally:
        install()
