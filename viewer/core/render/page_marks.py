"""Drawing a rendered page's markers at each showing: placeholders and step tick boxes.

The renderers put private-use markers in a page's HTML (``placeholders``
for variables, ``step_marks`` for steps); the page is parsed once, and each
showing turns the markers into a value or an open placeholder, and a tick
box or nothing. Kept apart from the scanners so that showing a page kept
from the last run (the first paint) loads none of them.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from viewer.core.links import TICK_SCHEME, VAR_SCHEME

if TYPE_CHECKING:
    from viewer.core.variables.catalog import Variable
    from viewer.core.variables.values import VariableValues

# Private-use characters: never in a runbook's HTML (the sanitizer's text is escaped).
OPEN, MID, CLOSE = "\ue010", "\ue011", "\ue012"
CHIP_OPEN = "\ue013"  # a block's header names each variable the block needs, with its value
SLOT, MARK = "\ue015", "\ue014"
_MARKER = re.compile(f"{OPEN}([a-z0-9_]{{1,80}}){MID}([^{CLOSE}]*){CLOSE}")
_CHIP = re.compile(f"{CHIP_OPEN}([a-z0-9_]{{1,80}}){CLOSE}")
# A task list's own box comes just before its item's mark: the tick box takes its place.
_MARK = re.compile(f"(?:([\u2610\u2611]) )?{MARK}([0-9a-f]{{10}}(?:-\\d{{1,5}})?){CLOSE}")
BOXES = ("\u2610", "\u2611")  # ☐ ☑: a task list's own box, drawn by the renderer


def show_values(body: str, variables: list[Variable], values: VariableValues | None) -> str:
    """The page's HTML with each marker shown as its value, or as the open placeholder."""
    if OPEN not in body and CHIP_OPEN not in body:
        return body
    by_name = {v.name: v for v in variables}

    def link(name: str, kind: str, open_text: str, filled_text) -> str:  # type: ignore[no-untyped-def]
        """A placeholder (``kind`` "var") or a header chip ("var-chip"), filled or open."""
        variable = by_name.get(name)
        value = variable.value(values) if variable is not None and values is not None else None
        if value is None:
            return (f'<a class="{kind}-open" href="{VAR_SCHEME}:{name}" '
                    f'title="{name}: no value yet; click to type it">{open_text}</a>')
        return (f'<a class="{kind}-filled" href="{VAR_SCHEME}:{name}" '
                f'title="{name} ({html.escape(value.source)})">'
                f'{filled_text(html.escape(value.shown))}</a>')

    def show(match: re.Match[str]) -> str:
        return link(match.group(1), "var", match.group(2), lambda shown: shown)

    def chip(match: re.Match[str]) -> str:
        name = match.group(1)
        return link(name, "var-chip", f"{name}&nbsp;?", lambda shown: f"{name}&nbsp;=&nbsp;{shown}")

    return _CHIP.sub(chip, _MARKER.sub(show, body))


def show_ticks(body: str, ticked: set[str] | None) -> str:
    """Each step mark as a tick box (``ticked`` holds the done steps), or, when no incident
    is on (``ticked`` is None), as the page would be without: a task list keeps its box."""
    if MARK not in body:
        return body

    def show(match: re.Match[str]) -> str:
        box, step_id = match.group(1), match.group(2)
        if ticked is None:
            return f"{box} " if box else ""
        done = step_id in ticked
        return (f'<a class="{"tick-done" if done else "tick"}" href="{TICK_SCHEME}:{step_id}" '
                f'title="{"Done: click to undo" if done else "Click when done"}">'
                f'{BOXES[1] if done else BOXES[0]}</a>&nbsp;')

    return _MARK.sub(show, body)
