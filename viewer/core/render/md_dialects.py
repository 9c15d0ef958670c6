"""Markdown as documentation sites write it: MkDocs, Docusaurus, GitLab, on top of CommonMark.

Each dialect by its own rules, as markdown-it rules, so code blocks are never touched:

* MkDocs / Python-Markdown admonitions ``!!! note "Title"``, collapsibles
  ``??? tip`` / ``???+ tip`` (mdit-py-plugins' ``admon``), shown open;
* MkDocs Material content tabs ``=== "Tab"`` (each tab a titled block, in order);
* Docusaurus containers ``:::note Title`` ... ``:::`` (mdit-py-plugins' ``container``);
* attribute lists ``{ .class }`` / ``{: #id }`` (Python-Markdown's attr_list):
  a heading's ``#id`` becomes its anchor, the rest is dropped, never shown;
* GitLab's ``[[_TOC_]]`` and Python-Markdown's ``[TOC]``: the page's table of contents.

Site-generator tags (Hugo shortcodes, Liquid) are handled before parsing,
in :mod:`viewer.core.render.shortcodes`.
"""

from __future__ import annotations

import html
import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.container import container_plugin

from viewer.core.render.admonition import admonition_box_open, admonition_close

CONTAINER_KINDS = ("note", "tip", "info", "warning", "danger", "caution", "important",
                   "success", "question", "failure", "bug", "example", "quote", "abstract",
                   "details", "hint", "attention", "error", "seealso", "todo")
_TAB = re.compile(r'^(===[+!]?)\s+"(.*)"\s*$')
_ATTR_ITEM = r'(?:[#.][\w:-]+|[\w-]+=(?:"[^"]*"|\'[^\']*\'|[^\s}]+))'
_ATTR_LIST = re.compile(rf"\s*\{{:?\s*{_ATTR_ITEM}(?:\s+{_ATTR_ITEM})*\s*\}}\s*$")
_ATTR_ID = re.compile(r"(?:^|\s)#([\w:-]+)")
_TOC_MARKERS = {"[[_TOC_]]", "[TOC]", "[[TOC]]"}


def use_dialects(md: MarkdownIt) -> None:
    """Add every dialect to ``md``; the heading-id rule must come after ``attr_lists``."""
    md.use(admon_plugin)
    md.add_render_rule("admonition_open", _admonition_open)
    md.add_render_rule("admonition_close", lambda *_: admonition_close())
    md.add_render_rule("admonition_title_open", lambda *_: '<p class="admonition-title">')
    md.add_render_rule("admonition_title_close", lambda *_: "</p>\n")
    # One rule for every kind: a rule per kind would be tried at every line, 20 times over.
    md.use(container_plugin, "callout", render=_container,
           validate=lambda params, *_: params.strip().split(" ", 1)[0].lower()
           in CONTAINER_KINDS)
    md.block.ruler.before("fence", "tabbed", _tabbed, {"alt": ["paragraph", "blockquote"]})
    md.add_render_rule("tab_open", _tab_open)
    md.add_render_rule("tab_close", lambda *_: admonition_close())
    md.core.ruler.push("attr_lists", _attr_lists)


# -- admonitions and containers ---------------------------------------------------------
def _admonition_open(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    # A collapsible (??? tip) is shown open: at 3 a.m. nothing should hide behind a click.
    return admonition_box_open(str(tokens[idx].meta.get("tag") or "note"))


def _container(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    if token.nesting != 1:
        return admonition_close()
    kind, _, title = token.info.strip().partition(" ")
    title = title.strip() or kind.capitalize()
    return (admonition_box_open(kind.lower()) + '<p class="admonition-title">'
            + html.escape(title) + "</p>\n")


# -- content tabs -----------------------------------------------------------------------
def _tabbed(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``=== "Title"`` and the lines indented under it: one tab (pymdownx.tabbed)."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = state.bMarks[start] + state.tShift[start]
    line = state.src[first:state.eMarks[start]]
    match = _TAB.match(line)
    if match is None:
        return False
    if silent:
        return True
    old_parent, old_max, old_indent = state.parentType, state.lineMax, state.blkIndent
    state.parentType = "tabbed"
    state.blkIndent += 4
    next_line, was_empty = start, False
    while True:
        next_line += 1
        if next_line >= end:
            break
        is_empty = state.isEmpty(next_line)
        if is_empty:
            if was_empty:
                break
            was_empty = True
            continue
        was_empty = False
        if state.sCount[next_line] < state.blkIndent:
            break
    while next_line - 1 > start and state.isEmpty(next_line - 1):
        next_line -= 1  # trailing blank lines belong to what follows
    state.lineMax = next_line
    token = state.push("tab_open", "div", 1)
    token.info, token.map, token.block = match.group(2), [start, next_line], True
    state.md.block.tokenize(state, start + 1, next_line)
    token = state.push("tab_close", "div", -1)
    token.block = True
    state.parentType, state.lineMax, state.blkIndent = old_parent, old_max, old_indent
    state.line = next_line
    return True


def _tab_open(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    return (admonition_box_open("tab") + '<p class="admonition-title">'
            + html.escape(tokens[idx].info or "Tab") + "</p>\n")


# -- attribute lists and tables of contents -------------------------------------------------
def _attr_lists(state: StateCore) -> None:
    """Drop ``{ .class }`` / ``{: #id }`` from the text; a heading's ``#id`` becomes its id."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "inline" or "{" not in token.content:
            continue
        children = token.children or []
        last = next((c for c in reversed(children) if c.type == "text"), None)
        if last is None:
            continue
        match = _ATTR_LIST.search(last.content)
        if match is None:
            continue
        attrs = match.group(0)
        last.content = last.content[: match.start()]
        token.content = _ATTR_LIST.sub("", token.content)
        opener = tokens[i - 1] if i else None
        if opener is not None and opener.type == "heading_open":
            found = _ATTR_ID.search(attrs.strip("{}: "))
            if found:
                opener.attrSet("id", found.group(1))


def table_of_contents(state: StateCore) -> None:
    """Replace a paragraph holding only ``[[_TOC_]]`` or ``[TOC]`` with the page's headings.

    A core rule after the heading ids are given, so its links match the page's anchors.
    """
    tokens = state.tokens
    places = [i for i, t in enumerate(tokens) if t.type == "inline" and i
              and t.content.strip() in _TOC_MARKERS and tokens[i - 1].type == "paragraph_open"]
    if not places:
        return
    headings = [(int(t.tag[1]), str(t.attrGet("id") or ""), _text(tokens[i + 1]))
                for i, t in enumerate(tokens) if t.type == "heading_open"]
    for i in reversed(places):
        block = Token("html_block", "", 0)
        block.content = _toc_html(headings)
        tokens[i - 1:i + 2] = [block]


def _text(inline: Token) -> str:
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))


def _toc_html(headings: list[tuple[int, str, str]]) -> str:
    if not headings:
        return ""
    top = min(level for level, _, _ in headings)
    items = "".join(
        f'<p class="toc" style="margin-left: {(level - top) * 18}px">'
        f'<a href="#{html.escape(anchor)}">{html.escape(text)}</a></p>\n'
        for level, anchor, text in headings if anchor)
    return f'<div class="toc">{items}</div>\n'
