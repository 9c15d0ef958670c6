"""Markdown as documentation sites write it: MkDocs, Docusaurus, GitLab, on top of CommonMark.

Each dialect by its own rules, as markdown-it rules, so code blocks are never touched:

* MkDocs / Python-Markdown admonitions ``!!! note "Title"``, collapsibles
  ``??? tip`` / ``???+ tip`` (mdit-py-plugins' ``admon``), shown open;
* MkDocs Material content tabs ``=== "Tab"`` (each tab a titled block, in order);
* Docusaurus containers ``:::note Title`` ... ``:::`` (mdit-py-plugins' ``container``);
* attribute lists ``{ .class }`` / ``{: #id }`` (Python-Markdown's attr_list,
  kramdown's IALs): a heading's ``#id`` becomes its anchor, the rest is dropped,
  never shown; kramdown's on a line of their own too, before or after their block;
* Jekyll callouts (Just the Docs): ``{: .warning }`` on a paragraph or a quote makes
  it a box, ``{: .note-title }`` takes the quote's first paragraph as its title;
* Obsidian's callouts, ``> [!warning] Title`` (``-``/``+``: folded, shown open), of any
  kind Obsidian knows; GitHub's five alerts alone on their line are the parser's own;
* GitLab's ``[[_TOC_]]``, Python-Markdown's ``[TOC]`` and kramdown's ``* TOC`` +
  ``{:toc}``: the page's table of contents, without headings marked ``.no_toc``;
* kramdown's ``<div markdown="1">``: what the HTML tags hold is Markdown, and the block
  ends at its closing tag (``kramdown_html_blocks``, before the parser);
* VitePress's ``::: code-group`` (its fences' ``[titles]`` head their blocks), ``::: v-pre``
  and ``[[toc]]``;
* Azure DevOps wikis' diagrams, ``::: mermaid`` ... ``:::``: a mermaid code block
  (``ado_diagrams``, before the parser), shown as every diagram's source is;
* Middleman pages' headings without a space after the hashes (``middleman_headings``),
  and fences in list items written from the margin (``middleman_list_fences``), before
  the parser, as Redcarpet reads them.

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
from viewer.core.render.fences import closes_fence, lines_with_code_flag

_CONTAINER_PARAMS = re.compile(r"^([A-Za-z]+)(?:\[(.*)\])?\s*(.*)$")
CONTAINER_KINDS = ("note", "tip", "info", "warning", "danger", "caution", "important",
                   "success", "question", "failure", "bug", "example", "quote", "abstract",
                   "details", "hint", "attention", "error", "seealso", "todo")
_TAB = re.compile(r'^(===[+!]?)\s+"(.*)"\s*$')
_ATTR_ITEM = r'(?:[#.][\w:-]+|[\w-]+=(?:"[^"]*"|\'[^\']*\'|[^\s}]+))'
_ATTR_LIST = re.compile(rf"\s*\{{:?\s*{_ATTR_ITEM}(?:\s+{_ATTR_ITEM})*\s*\}}\s*$")
_ATTR_ID = re.compile(r"(?:^|\s)#([\w:-]+)")
_ATTR_CLASS = re.compile(r"(?:^|\s)\.([\w:-]+)")
# kramdown's block IAL on the first line of a paragraph: it belongs to that paragraph.
_LEADING_IAL = re.compile(rf"^\{{:\s*{_ATTR_ITEM}(?:\s+{_ATTR_ITEM})*\s*\}}[ \t]*$")
_KRAMDOWN_TOC = re.compile(r"\{:\s*toc\s*\}\s*$")
# kramdown's span IAL after a link, a word or on a line of its own inside a paragraph
# ("[Get started](/docs){: .btn }"): the "{:" makes it one wherever it is.
_SPAN_IAL = re.compile(rf"\{{:\s*{_ATTR_ITEM}(?:\s+{_ATTR_ITEM})*\s*\}}")
_TOC_MARKERS = {"[[_TOC_]]", "[TOC]", "[[TOC]]", "[[toc]]"}  # the last: VitePress's
# VitePress's containers that only group or mark what they hold: ``::: code-group`` (its
# fences are tabs, titled ``[npm]``), ``::: v-pre``, ``::: raw``. Shown as what they hold.
_GROUPING_CONTAINERS = ("code-group", "v-pre", "raw")
# Just the Docs' callouts are named in each site's _config.yml; these are the names its
# documentation and most sites use. The box's colour, and its title when the site's
# configuration would give one.
_JEKYLL_CALLOUTS = {"note": ("note", "Note"), "warning": ("warning", "Warning"),
                    "important": ("important", "Important"), "new": ("tip", "New"),
                    "tip": ("tip", "Tip"), "caution": ("caution", "Caution"),
                    "danger": ("danger", "Danger"), "info": ("note", "Info"),
                    "highlight": ("note", "")}


_MARKDOWN_INSIDE = re.compile(r"""^\s*<(\w+)\b[^>]*\smarkdown=["']?(?:1|block)["']?[^>]*>\s*$""")
_CLOSING_TAG = re.compile(r"^\s*</(\w+)>\s*$")
# A block tag's closing tag alone on its line.
_BLOCK_END = re.compile(r"^ {0,3}</(?:div|details|section|aside|figure|table|center|p)>[ \t]*$",
                        re.IGNORECASE)


def kramdown_html_blocks(text: str, *, kramdown: bool = False) -> str:
    """kramdown reads the inside of ``<div markdown="1">`` as Markdown and ends the HTML at
    its closing tag; CommonMark takes everything up to the next blank line as HTML (a fence
    after ``</div>`` would show as text). Blank lines around the tags do what kramdown does.

    With ``kramdown`` (a Jekyll site's page), every HTML block ends at its closing tag on a
    line of its own, as kramdown ends it: Just the Docs shows a ``<div>`` demo and then, on
    the next line, the fence with its source.
    """
    markdown_inside = "markdown=" in text
    if not markdown_inside and not (kramdown and "</" in text):
        return text
    lines = list(lines_with_code_flag(text))
    out: list[str] = []
    open_tags: list[str] = []
    for i, (line, in_code) in enumerate(lines):
        opened = _MARKDOWN_INSIDE.match(line) if markdown_inside and not in_code else None
        closed = _CLOSING_TAG.match(line) if open_tags and not in_code else None
        if opened:
            open_tags.append(opened.group(1).lower())
            out.append(line.rstrip("\n") + "\n\n")
        elif closed and closed.group(1).lower() == open_tags[-1]:
            open_tags.pop()
            out.append("\n" + line.rstrip("\n") + "\n\n")
        else:
            out.append(line)
            if kramdown and not in_code and _BLOCK_END.match(line) and i + 1 < len(lines) \
                    and lines[i + 1][0].strip():
                out.append("\n")
    return "".join(out)


# Middleman's Markdown (kramdown, or Redcarpet in GOV.UK's documentation template) takes
# "###Title" for a heading.
_UNSPACED_HEADING = re.compile(r"^( {0,3}#{1,6})(?=[^\s#])", re.MULTILINE)


def middleman_headings(text: str) -> str:
    """``####Sorting for nodes`` as the Middleman site shows it, a heading (CommonMark,
    as GitHub, wants a space after the hashes); code blocks are left as they are."""
    if not _UNSPACED_HEADING.search(text):
        return text
    return "".join(line if in_code else _UNSPACED_HEADING.sub(r"\1 ", line)
                   for line, in_code in lines_with_code_flag(text))


_FENCE_LINE = re.compile(r"^( *)(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")


def middleman_list_fences(text: str) -> str:
    """A fence opened inside a list item with its lines written from the margin, as
    Redcarpet reads it (GOV.UK's template): the code stays in the item, the list goes on.
    CommonMark ends the item at the first unindented line, which shows the code as list
    items and the closing fence as code (the PaaS team manual's upgrade guides)."""
    if "```" not in text and "~~~" not in text:
        return text
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    i = 0
    while i < len(lines):
        opened = _FENCE_LINE.match(lines[i])
        if not opened:
            out.append(lines[i])
            i += 1
            continue
        opening, indent, mark = i, len(opened.group(1)), opened.group(2)
        close = next((j for j in range(i + 1, len(lines)) if closes_fence(lines[j], mark)),
                     None)
        if close is None:
            out.extend(lines[i:])
            break
        body = lines[opening + 1:close]
        margins = [len(line) - len(line.lstrip(" ")) for line in body if line.strip()]
        i = close + 1
        if not (indent and margins and min(margins) < indent):
            out += lines[opening:i]  # a fence at the margin, or one written in its item
            continue
        pad = " " * indent
        out += [lines[opening], *(pad + line if line.strip() else line for line in body),
                pad + lines[close].lstrip(" ")]
        # Redcarpet also continues the item with the lines right after the fence, up to a
        # blank line ("The commit is ..."), unless one starts an item of its own.
        while i < len(lines) and lines[i].strip() and not _LIST_ITEM.match(lines[i]):
            out.append(pad + lines[i].lstrip(" "))
            i += 1
    return "".join(out)


_ADO_DIAGRAM = re.compile(r"^ {0,3}:::[ \t]*(mermaid)[ \t]*$", re.IGNORECASE)
_CONTAINER_END = re.compile(r"^ {0,3}:::[ \t]*$")
_CALLOUT_OPEN = re.compile(r"^ {0,3}:::+[ \t]*(\S.*)$")  # its params, stripped when read


def container_bodies(text: str) -> str:
    """``text`` with the body of each callout container (``:::info[Important]`` ...
    ``:::``) taken back to the margin when all of it is indented four spaces or more.

    Docs moved from MkDocs keep an admonition's indentation under Docusaurus' ``:::``
    (CloudNativePG's, on 51 pages); Docusaurus reads them as MDX, where indentation
    never makes code, so the site shows the text. CommonMark would show it as code.
    """
    if ":::" not in text:
        return text
    out: list[str] = []
    margins: list[str | None] = []  # each open container's body indentation, once seen
    for line, in_code in lines_with_code_flag(text):
        opened = None if in_code else _CALLOUT_OPEN.match(line)
        if opened and _is_callout(opened.group(1)):
            margins.append(None)
        elif margins and not in_code and _CONTAINER_END.match(line):
            margins.pop()
        elif margins and line.strip():
            if margins[-1] is None:
                indent = line[:len(line) - len(line.lstrip(" \t"))]
                margins[-1] = indent if len(indent.expandtabs(4)) >= 4 else ""
            if margins[-1] and line.startswith(margins[-1]):
                line = line[len(margins[-1]):]
        out.append(line)
    return "".join(out)


def ado_diagrams(text: str) -> str:
    """``::: mermaid`` ... ``:::`` (Azure DevOps wikis) as a fenced ``mermaid`` block."""
    lowered = text.lower()
    if "::: mermaid" not in lowered and ":::mermaid" not in lowered:
        return text
    out: list[str] = []
    inside = False
    for line, in_code in lines_with_code_flag(text):
        if not in_code and not inside and _ADO_DIAGRAM.match(line):
            inside = True
            out.append("```mermaid\n")
        elif inside and _CONTAINER_END.match(line):
            inside = False
            out.append("```\n")
        else:
            out.append(line)
    if inside:
        out.append("```\n")
    return "".join(out)


def use_dialects(md: MarkdownIt) -> None:
    """Add every dialect to ``md``; the heading-id rule must come after ``attr_lists``."""
    md.use(admon_plugin)
    md.add_render_rule("admonition_open", _admonition_open)
    md.add_render_rule("admonition_close", lambda *_: admonition_close())
    md.add_render_rule("admonition_title_open", lambda *_: '<p class="admonition-title">')
    md.add_render_rule("admonition_title_close", lambda *_: "</p>\n")
    # One rule for every kind: a rule per kind would be tried at every line, 20 times over.
    md.use(container_plugin, "callout", render=_container,
           validate=lambda params, *_: _is_callout(params))
    md.use(container_plugin, "group", render=lambda *_: "",
           validate=lambda params, *_: params.strip().lower() in _GROUPING_CONTAINERS)
    md.block.ruler.before("fence", "tabbed", _tabbed, {"alt": ["paragraph", "blockquote"]})
    md.add_render_rule("tab_open", _tab_open)
    md.add_render_rule("tab_close", lambda *_: admonition_close())
    md.core.ruler.push("attr_lists", _attr_lists)
    md.core.ruler.push("callouts", _obsidian_callouts)


# -- admonitions and containers ---------------------------------------------------------
def _admonition_open(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    # A collapsible (??? tip) is shown open: at 3 a.m. nothing should hide behind a click.
    return admonition_box_open(str(tokens[idx].meta.get("tag") or "note"))


def container_kind_title(params: str) -> tuple[str, str]:
    """A container's kind and title: ``:::note Drain first`` (Docusaurus 2, VitePress) or
    ``:::info[Important]`` (Docusaurus 3); the title is "" when none is written."""
    match = _CONTAINER_PARAMS.match(params.strip())
    if match is None:
        return "", ""
    kind, bracketed, rest = match.groups()
    return kind.lower(), (bracketed if bracketed is not None else rest).strip()


def _is_callout(params: str) -> bool:
    """Whether a ``:::`` container's params open a callout (note, tip, warning...)."""
    return container_kind_title(params)[0] in CONTAINER_KINDS


def _container(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    if token.nesting != 1:
        return admonition_close()
    kind, title = container_kind_title(token.info)
    return (admonition_box_open(kind) + '<p class="admonition-title">'
            + html.escape(title or kind.capitalize()) + "</p>\n")


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
    """Drop ``{ .class }`` / ``{: #id }`` from the text; a heading's ``#id`` becomes its id.

    A kramdown IAL alone on its line belongs to the block it touches: the one after it,
    else the one before (``# Title`` then ``{: .no_toc }``). Its paragraph goes; a
    callout class makes its block a box.
    """
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token.type != "inline" or "{" not in token.content:
            continue
        at = i - 1
        attrs = _leading_attrs(token) + _trailing_attrs(token)
        if "{:" in token.content:
            _drop_span_attrs(token)
        if not attrs:
            continue
        opener = tokens[at - 1] if at else None
        if opener is None:
            continue
        if token.content.strip() or opener.type != "paragraph_open":
            _apply(tokens, at - 1, attrs)
            continue
        # The paragraph was only the attribute list: it goes, and its block takes it.
        del tokens[at - 1:at + 2]
        target = _touching_block(tokens, at - 1, opener)
        if target is not None:
            _apply(tokens, target, attrs)
        i = at - 1


def _leading_attrs(inline: Token) -> str:
    """kramdown's ``{: .warning }`` on the paragraph's first line, taken off it."""
    first, _, rest = inline.content.partition("\n")
    if not first.startswith("{:") or not rest.strip() or not _LEADING_IAL.match(first):
        return ""
    children = inline.children or []
    if not children or children[0].type != "text" or children[0].content != first.rstrip():
        return ""
    drop = 2 if len(children) > 1 and children[1].type in ("softbreak", "hardbreak") else 1
    del children[:drop]
    inline.content = rest
    return first


def _trailing_attrs(inline: Token) -> str:
    children = inline.children or []
    last = next((c for c in reversed(children) if c.type == "text"), None)
    if last is None:
        return ""
    match = _ATTR_LIST.search(last.content) or _KRAMDOWN_TOC.search(last.content)
    if match is None:
        return ""
    last.content = last.content[: match.start()]
    inline.content = _KRAMDOWN_TOC.sub("", _ATTR_LIST.sub("", inline.content)).rstrip()
    return match.group(0)


def _drop_span_attrs(inline: Token) -> None:
    for child in inline.children or []:
        if child.type == "text" and "{:" in child.content:
            child.content = _SPAN_IAL.sub("", child.content)
    inline.content = _SPAN_IAL.sub("", inline.content)


def _touching_block(tokens: list[Token], at: int, gone: Token) -> int | None:
    """The index of the opening token of the block right after (``at``) or right before
    a removed one-line paragraph ``gone``, when no blank line separates them."""
    if not gone.map:
        return None
    line = gone.map[0]
    if at < len(tokens) and tokens[at].map and tokens[at].map[0] == gone.map[1] \
            and tokens[at].nesting >= 0:
        return at
    if at == 0:
        return None
    before = _opening_of(tokens, at - 1)
    if before is not None and tokens[before].map and tokens[before].map[1] == line:
        return before
    return None


def _opening_of(tokens: list[Token], close: int) -> int | None:
    """The index of the token opening the block that ``tokens[close]`` ends."""
    end = tokens[close]
    if end.nesting == 0:
        return close
    if end.nesting > 0:
        return None
    for j in range(close - 1, -1, -1):
        if tokens[j].level == end.level and tokens[j].nesting == 1:
            return j
    return None


def _closing_of(tokens: list[Token], open_at: int) -> int:
    opener = tokens[open_at]
    if opener.nesting == 0:
        return open_at
    for j in range(open_at + 1, len(tokens)):
        if tokens[j].level == opener.level and tokens[j].nesting == -1:
            return j
    return len(tokens) - 1


def _apply(tokens: list[Token], target: int, attrs: str) -> None:
    """Give ``tokens[target]``'s block what an attribute list asks: an id, no place in the
    table of contents, a callout box, a table of contents in place of a list."""
    inside = attrs.strip().strip("{}:").strip()
    opener = tokens[target]
    if opener.type == "heading_open":
        found = _ATTR_ID.search(inside)
        if found:
            opener.attrSet("id", found.group(1))
    classes = _ATTR_CLASS.findall(inside)
    if "no_toc" in classes:
        opener.meta["no_toc"] = True
    if inside == "toc":  # on the list's one item ("* TOC"): the list is the marker
        lists = [j for j in range(target, -1, -1) if tokens[j].level < opener.level
                 and tokens[j].type in ("bullet_list_open", "ordered_list_open")]
        if lists:
            _replace_with_toc_marker(tokens, lists[0])
        return
    for name in classes:
        titled = name.endswith("-title")
        kind = _JEKYLL_CALLOUTS.get(name.removesuffix("-title"))
        if kind is not None and opener.type in ("paragraph_open", "blockquote_open"):
            _callout(tokens, target, kind, titled)
            return


def _callout(tokens: list[Token], target: int, kind: tuple[str, str], titled: bool) -> None:
    """The block at ``target`` in a box; a quote's own marks go, and with ``titled`` its
    first paragraph is the box's title."""
    close = _closing_of(tokens, target)
    box, title = kind
    if tokens[target].type == "blockquote_open":
        tokens[close] = _html("")
        tokens[target] = _html("")
        first = target + 1
        if titled and first < close and tokens[first].type == "paragraph_open":
            tokens[first].attrSet("class", "admonition-title")
            title = ""
    head = admonition_box_open(box) + (
        f'<p class="admonition-title">{html.escape(title)}</p>\n' if title else "")
    tokens.insert(close + 1, _html(admonition_close()))
    tokens.insert(target, _html(head))


# Obsidian's callout kinds (and their aliases), as the box colours they read as.
_OBSIDIAN_KINDS = {
    **dict.fromkeys(("note", "info", "todo", "abstract", "summary", "tldr", "question",
                     "help", "faq", "example", "quote", "cite"), "note"),
    **dict.fromkeys(("tip", "hint", "success", "check", "done"), "tip"),
    "important": "important",
    **dict.fromkeys(("warning", "caution", "attention"), "warning"),
    **dict.fromkeys(("danger", "error", "failure", "fail", "missing", "bug"), "danger"),
}
_CALLOUT_MARK = re.compile(r"^\[!([A-Za-z]+)\][+-]?[ \t]*(.*)$")


def _obsidian_callouts(state: StateCore) -> None:
    """A quote whose first line is ``[!kind] Title`` is a box of that kind, titled."""
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        opener = tokens[i]
        i += 1
        if opener.type != "blockquote_open" or i + 1 >= len(tokens):
            continue
        inline = tokens[i + 1]
        if tokens[i].type != "paragraph_open" or inline.type != "inline" \
                or not inline.content.startswith("[!"):
            continue
        first, _, rest = inline.content.partition("\n")
        marked = _CALLOUT_MARK.match(first.strip())
        kind = _OBSIDIAN_KINDS.get(marked.group(1).lower()) if marked else None
        if marked is None or kind is None:
            continue
        title = marked.group(2).strip() or marked.group(1).capitalize()
        children = inline.children or []
        cut = next((k for k, child in enumerate(children)
                    if child.type in ("softbreak", "hardbreak")), len(children))
        del children[:cut + 1]
        inline.content = rest
        close = _closing_of(tokens, i - 1)
        tokens[close] = _html(admonition_close())
        tokens[i - 1] = _html(admonition_box_open(kind) + '<p class="admonition-title">'
                              + html.escape(title) + "</p>\n")
        if not rest.strip():  # the marker was the paragraph: it goes
            del tokens[i:i + 3]


def _html(content: str) -> Token:
    block = Token("html_block", "", 0)
    block.content = content
    block.block = True
    return block


def _replace_with_toc_marker(tokens: list[Token], target: int) -> None:
    """kramdown's ``* TOC`` + ``{:toc}``: the list becomes a ``[TOC]`` paragraph."""
    close = _closing_of(tokens, target)
    level = tokens[target].level
    opener, inline, closer = (Token("paragraph_open", "p", 1), Token("inline", "", 0),
                              Token("paragraph_close", "p", -1))
    inline.content, inline.children = "[TOC]", []
    for made in (opener, inline, closer):
        made.level, made.block = level, True
    tokens[target:close + 1] = [opener, inline, closer]


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
                for i, t in enumerate(tokens)
                if t.type == "heading_open" and not t.meta.get("no_toc")]
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
