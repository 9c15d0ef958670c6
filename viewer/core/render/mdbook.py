"""mdBook's preprocessor tags, read as the book shows them, before the Markdown parser sees them.

mdBook (the Rust ecosystem's book tool; Kubernetes' Cluster API book) writes its
tags as ``{{#name ...}}`` on lines of their own:

* ``{{#include file}}``: the file's text, or some of it (``file:3``, ``file:3:10``,
  ``file::10``, ``file:name`` between ``ANCHOR: name`` and ``ANCHOR_END: name``), in
  prose and in code blocks alike: a book keeps its examples in files;
* ``{{#tabs ...}}`` / ``{{#tab Name}}`` / ``{{#/tab}}`` / ``{{#/tabs}}`` (the tab
  preprocessors): each tab a box titled with its name, the set itself leaving no trace.

Other tags are left to the generic reading (a small marked token). The file is read by
the caller, through the library's gate and its budget.
"""

from __future__ import annotations

import re

from viewer.core.render.boxes import OpenBoxes

# What follows the name is read up to the first "}" (no backtracking over a long line).
_TAG = re.compile(r"^([ \t]*)\{\{#(/?)([\w-]+)([^}\n]*)\}\}[ \t]*\r?\n?$")
_INCLUDES = {"include", "rustdoc_include"}
_ANCHOR = re.compile(r"ANCHOR(_END)?:\s*([\w-]+)")
_NAMED_TAB = re.compile(r"""^name\s*=\s*["']([^"']*)["']$""")


def mdbook_tag(line: str) -> re.Match[str] | None:
    """The tag a line holds alone, if any: groups (indent, "/" when closing, name, rest)."""
    return _TAG.match(line) if "{{#" in line else None


def is_include(tag: re.Match[str]) -> bool:
    return not tag.group(2) and tag.group(3).lower() in _INCLUDES


def tab_line(tag: re.Match[str], boxes: OpenBoxes) -> str | None:
    """The Markdown for a tab tag (a box's start or end, or nothing for the set); None for
    any other tag."""
    closing, name, rest, indent = (tag.group(2), tag.group(3).lower(), tag.group(4).strip(),
                                   tag.group(1))
    if name == "tabs":
        return ""
    if name != "tab":
        return None
    if closing:
        return boxes.ended(indent)
    named = _NAMED_TAB.match(rest)
    return boxes.opened("example", named.group(1) if named else rest.strip("\"'"), indent)


def include_target(tag: re.Match[str]) -> tuple[str, str]:
    """(file, selection) an include tag names: ``x.rs:2:10`` is ("x.rs", "2:10")."""
    path, _, selection = tag.group(4).strip().partition(":")
    return path, selection


def selected(text: str, selection: str) -> str:
    """The part of an included file its selection names: lines ``a:b`` (1-based, either
    end open), one line ``a``, or the lines between an anchor's marks (the marks
    themselves, and every other anchor's, left out); the whole file otherwise."""
    lines = text.splitlines(keepends=True)
    if not selection:
        chosen = lines
    elif re.fullmatch(r"\d*:?\d*", selection):
        start, _, end = selection.partition(":")
        first = max(int(start) - 1, 0) if start else 0
        if ":" not in selection:
            chosen = lines[first:first + 1]
        else:
            chosen = lines[first:int(end) if end else None]
    else:
        chosen, inside = [], False
        for line in lines:
            mark = _ANCHOR.search(line)
            if mark and mark.group(2) == selection:
                inside = not mark.group(1)
                continue
            if inside:
                chosen.append(line)
    return "".join(line for line in chosen if not _ANCHOR.search(line))
