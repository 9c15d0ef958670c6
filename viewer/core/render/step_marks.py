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
_COPY_LINK = re.compile(r'href="copy:(\d+)"')


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
    tasks = _task_slots(body) if has_slots else set()
    for block, code_index in document.outline_with_code():
        if block.kind == "heading":
            path = [*path[:max(block.level - 1, 0)], block.text]
            if is_step_heading(block.text):
                step_id = namer.name(path[:-1], block.text)
                steps.append(Step(step_id, "heading", block.text, block.anchor))
                headings[block.anchor] = step_id
        elif block.kind in ("list_item", "paragraph", "quote"):
            number, paragraph = paragraph, paragraph + 1
            kind = _paragraph_kind(block, path, number in tasks)
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


# Every search below is one pass over the page: a 1 MB page has thousands of
# paragraphs, and a search (or a copy of the page) per paragraph took 17 s.
def _task_slots(body: str) -> set[int]:
    """The numbers of the paragraph slots that follow a task box ("☐ " or "☑ ")."""
    return {int(m.group(1)) for m in _SLOT.finditer(body)
            if m.start() >= 2 and body[m.start() - 2] in BOXES and body[m.start() - 1] == " "}


def _mark_after(body: str, places: dict[str, str], closer: str) -> str:
    """``body`` with each step's mark put just after the tag holding ``places``' key
    (its first occurrence)."""
    if not places:
        return body
    keys = re.compile("|".join(re.escape(key) for key in places))
    inserts: list[tuple[int, str]] = []
    done: set[str] = set()
    for found in keys.finditer(body):
        key = found.group(0)
        end = body.find(closer, found.end())
        if key not in done and end >= 0:
            done.add(key)
            inserts.append((end + len(closer), _mark(places[key])))
    return _inserted(body, inserts)


def _mark_code_heads(body: str, codes: dict[int, str]) -> str:
    """Each code block step's mark first in its header, before the language."""
    if not codes:
        return body
    head = 'class="code-head">'
    inserts: list[tuple[int, str]] = []
    for found in _COPY_LINK.finditer(body):
        step_id = codes.get(int(found.group(1)))
        start = body.rfind(head, 0, found.start())
        if step_id is not None and start >= 0:
            inserts.append((start + len(head), _mark(step_id)))
    return _inserted(body, inserts)


def _inserted(body: str, inserts: list[tuple[int, str]]) -> str:
    """``body`` with each ``(position, text)`` put in, all in one pass."""
    if not inserts:
        return body
    parts, last = [], 0
    for position, text in sorted(inserts, key=lambda item: item[0]):
        parts += [body[last:position], text]
        last = position
    parts.append(body[last:])
    return "".join(parts)


