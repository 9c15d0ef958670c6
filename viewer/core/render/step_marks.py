"""Where a page's steps are in its HTML, and their tick boxes while an incident is on.

The Markdown renderer starts each paragraph with a numbered slot;
:func:`attach_steps` names the page's steps (see ``incident.steps``) and
turns the slot of each step into its mark, drops the others, and marks step
headings and code blocks too. :func:`show_ticks` draws each mark as a tick
box (an incident is active) or as nothing (none is): a page is parsed once
either way. reST pages get marks on step headings and code blocks.
"""

from __future__ import annotations

import re

from viewer.core.document import Document
from viewer.core.incident.steps import Step, StepNamer, is_branch, is_procedure, is_step_heading
from viewer.core.render.page_marks import BOXES, CLOSE, MARK, SLOT

_SLOT = re.compile(f"{SLOT}(\\d{{1,7}}){CLOSE}")


def paragraph_slot(number: int) -> str:
    return f"{SLOT}{number}{CLOSE}"


def _mark(step_id: str) -> str:
    return f"{MARK}{step_id}{CLOSE}"


def attach_steps(document: Document) -> None:
    """Name the page's steps and mark where each is in its HTML."""
    body = document.body_html
    namer = StepNamer()
    path: list[str] = []
    steps: list[Step] = []
    slots: dict[int, str] = {}
    headings: dict[str, str] = {}
    codes: dict[int, str] = {}
    paragraph = 0
    has_slots = SLOT in body
    for block, code_index in document.outline_with_code():
        if block.kind == "heading":
            path = [*path[:max(block.level - 1, 0)], block.text]
            if is_step_heading(block.text):
                step_id = namer.name(path[:-1], block.text)
                steps.append(Step(step_id, "heading", block.text, block.anchor))
                headings[block.anchor] = step_id
        elif block.kind in ("list_item", "paragraph", "quote"):
            number, paragraph = paragraph, paragraph + 1
            kind = _paragraph_kind(block, path, _is_task(body, number) if has_slots else False)
            if kind and has_slots:
                step_id = namer.name(path, block.text)
                steps.append(Step(step_id, kind, block.text, block.anchor))
                slots[number] = step_id
        elif code_index is not None:
            step_id = namer.name(path, block.text)
            steps.append(Step(step_id, "code", block.text.strip(), block.anchor))
            codes[code_index] = step_id
    document.steps = steps
    if body:
        body = _SLOT.sub(lambda m: _mark(slots[int(m.group(1))])
                         if int(m.group(1)) in slots else "", body)
        body = _mark_after(body, {f'id="{a}"': i for a, i in headings.items()}, ">")
        body = _mark_code_heads(body, codes)
        document.body_html = body


def _paragraph_kind(block, path: list[str], task: bool) -> str:  # type: ignore[no-untyped-def]
    if task:
        return "task"
    if is_branch(block.label):
        return "branch"
    if block.kind == "list_item" and block.ordered and is_procedure(path):
        return "item"
    return ""


def _is_task(body: str, number: int) -> bool:
    at = body.find(paragraph_slot(number))
    return at >= 2 and body[at - 2] in BOXES and body[at - 1] == " "


def _mark_after(body: str, places: dict[str, str], closer: str) -> str:
    """``body`` with each step's mark put just after the tag holding ``places``' key."""
    for key, step_id in places.items():
        at = body.find(key)
        end = body.find(closer, at) + len(closer) if at >= 0 else -1
        if at >= 0 and end > at:
            body = body[:end] + _mark(step_id) + body[end:]
    return body


def _mark_code_heads(body: str, codes: dict[int, str]) -> str:
    """Each code block step's mark first in its header, before the language."""
    head = 'class="code-head">'
    for index, step_id in codes.items():
        at = body.find(f'href="copy:{index}"')
        start = body.rfind(head, 0, at) + len(head) if at >= 0 else -1
        if start >= len(head):
            body = body[:start] + _mark(step_id) + body[start:]
    return body


