"""The Markdown front end: GitHub-flavoured Markdown to a Document (markdown-it-py).

CommonMark plus GitHub's tables, task lists, strikethrough, autolinks,
alerts and footnotes; heading ids follow GitHub's slugs; YAML front matter
becomes metadata. markdown-it's own nesting limit keeps pathological input
(thousands of nested quotes or list levels) linear and shallow.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from viewer.core.document import Block, CodeBlock, Document, Heading
from viewer.core.frontmatter import parse_front_matter, split_front_matter
from viewer.core.hugo_site import param_reader
from viewer.core.jekyll_site import site_readers, site_root
from viewer.core.library import (
    MIDDLEMAN_SUFFIXES,
    Library,
    OutsideLibrary,
    is_runbook_name,
    pages_named,
)
from viewer.core.links import is_fetchable_elsewhere, page_under_site_root, relative_href
from viewer.core.mkdocs_project import site_title
from viewer.core.render.admonition import admonition_box_open, admonition_close
from viewer.core.render.boxes import resolve_boxes
from viewer.core.render.highlight import (
    code_block_html,
    copy_text_for,
    fence_title,
    language_name,
)
from viewer.core.render.md_dialects import (
    ado_diagrams,
    container_bodies,
    kramdown_html_blocks,
    middleman_headings,
    middleman_list_fences,
    table_of_contents,
    use_dialects,
)
from viewer.core.render.mdx import expand_mdx, has_mdx
from viewer.core.render.myst import LabelFinder, expand_myst, has_myst, link_targets
from viewer.core.render.sanitize import blocked_image_html, sanitize_html
from viewer.core.render.shortcodes import expand_site_tags, has_site_tags
from viewer.core.render.step_marks import paragraph_slot
from viewer.core.render.wikilinks import ENV_KEY as WIKI_ENV_KEY
from viewer.core.render.wikilinks import expand_sub_pages, has_wikilinks, use_wikilinks
from viewer.core.slugs import Slugger
from viewer.core.textio import UnreadableFile

SNIPPET_BYTES = 1024 * 1024

_TASK_BOX = re.compile(r'<input class="task-list-item-checkbox"([^>]*)>')


def _render_fence(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    language = language_name(token.info) if token.type == "fence" else ""
    blocks: list[CodeBlock] = env.setdefault("code_blocks", [])
    block = CodeBlock(len(blocks), language, token.content, copy_text_for(token.content, language),
                      title=fence_title(token.info) if token.type == "fence" else "")
    blocks.append(block)
    return code_block_html(block)


def _render_paragraph_open(self: Any, tokens: list[Token], idx: int, options: Any,
                           env: dict) -> str:
    """Each paragraph (a list item's first one too) starts with a numbered slot, where an
    incident's tick box for the step it may be goes (see ``render.step_marks``)."""
    tag = self.renderToken(tokens, idx, options, env)
    if not env.get("mark_paragraphs"):
        return tag
    number = env.get("paragraphs", 0)
    env["paragraphs"] = number + 1
    return tag + paragraph_slot(number)


def _render_image(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    if is_fetchable_elsewhere(src):
        # Fetching would tell a third party that someone opened this runbook.
        return blocked_image_html(src, alt)
    return f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'


def _render_alert_open(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    return admonition_box_open(tokens[idx].info.lower())


def _heading_ids(state: StateCore) -> None:
    """GitHub's heading ids (what mdit-py-plugins' anchors plugin does, in linear time)."""
    slugger = Slugger()
    for token in state.tokens:  # ids the author gave are never handed out again
        if token.type == "heading_open" and token.attrGet("id"):
            slugger.reserve(str(token.attrGet("id")))
    for idx, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.attrGet("id"):
            continue
        children = state.tokens[idx + 1].children or []
        title = "".join(c.content for c in children if c.type in ("text", "code_inline"))
        token.attrSet("id", slugger.slug(title))


# GitHub links bare text only when it starts with a scheme or "www." (and e-mail
# addresses): "restart.sh", "app.py" and "README.md" are file names in a runbook, not
# the web sites of Saint Helena, Paraguay and Moldova that linkify's fuzzy matching takes.
_WWW_TAIL = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[/?#][^\s<>\"]*[^\s<>\".,;:!?)\]])?",
                       re.IGNORECASE)


def _www_link(_linkify: Any, match: Any) -> None:
    match.url = "http://" + match.url


def _gfm_autolinks(md: MarkdownIt) -> None:
    md.linkify.set({"fuzzy_link": False})
    md.linkify.add("www.", {"validate": _WWW_TAIL, "normalize": _www_link})


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("gfm-like2", {"typographer": False})
    _gfm_autolinks(md)
    md.use(footnote_plugin)
    use_dialects(md)  # MkDocs, Docusaurus, attr lists (before the heading ids: {#id})
    use_wikilinks(md)
    md.core.ruler.push("heading_ids", _heading_ids)
    md.core.ruler.push("table_of_contents", table_of_contents)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_fence)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("paragraph_open", _render_paragraph_open)
    md.add_render_rule("alert_open", _render_alert_open)
    md.add_render_rule("alert_close", lambda *_: admonition_close())
    md.add_render_rule("alert_title_open", lambda *_: '<p class="admonition-title">')
    return md


_PARSER = _make_parser()
# The index reads text, headings and blocks only. Turning bare URLs into links
# changes none of them and costs an eighth of the parse, so it parses without.
_TEXT_PARSER = _make_parser().disable("linkify")
# Where blocks begin and end, nothing inside them: the checker's fence check needs no more.
_BLOCK_PARSER = _make_parser().disable(["inline", "footnote_tail", "linkify", "text_join",
                                        "attr_lists", "heading_ids", "table_of_contents"])


def _task_box(match: re.Match[str]) -> str:
    return "\u2611" if "checked" in match.group(1) else "\u2610"


def render_markdown(text: str, path: str, *, with_html: bool = True,
                    library: Library | None = None, mark_paragraphs: bool = False,
                    find_label: LabelFinder | None = None) -> Document:
    """Parse Markdown ``text`` (the file at library path ``path``) into a Document.

    ``with_html=False`` stops after the parse: the index and the symptom
    extractor read headings and blocks and never pay for highlighting.
    ``library`` lets MkDocs snippets (``--8<--``) be read, through its gate.
    ``mark_paragraphs`` starts each paragraph with a slot for an incident's tick box,
    which ``render.step_marks`` fills or removes. ``find_label`` finds the MyST targets
    of other pages (``render.myst``).
    """
    front, body, _ = split_front_matter(text)
    metadata, problem = parse_front_matter(front)
    if has_mdx(body):
        body = expand_mdx(body)
    if has_myst(body):
        body = expand_myst(body, _snippet_reader(library, path), path=path,
                           find_label=find_label)
    elif with_html and find_label is not None and "](#" in body:
        body = link_targets(body, path, find_label)
    if has_site_tags(body):
        include, site_value = site_readers(library, path)
        body = expand_site_tags(body, _snippet_reader(library, path),
                                find=_page_finder(library, path), include=include,
                                site_value=site_value, page=metadata,
                                param=param_reader(library, path, metadata))
    if path.lower().endswith(MIDDLEMAN_SUFFIXES):
        body = middleman_list_fences(middleman_headings(body))
    kramdown = "</" in body and library is not None and site_root(library, path) is not None
    body = ado_diagrams(kramdown_html_blocks(resolve_boxes(body), kramdown=kramdown))
    body = container_bodies(body)
    env: dict[str, Any] = {"mark_paragraphs": mark_paragraphs}
    if has_wikilinks(body):
        body = expand_sub_pages(body, _sub_pages(library, path))
        env[WIKI_ENV_KEY] = _wiki_page_finder(library, path)
    tokens = (_PARSER if with_html else _TEXT_PARSER).parse(body, env)
    body_html = ""
    if with_html:
        body_html = sanitize_html(_TASK_BOX.sub(_task_box,
                                                _PARSER.renderer.render(tokens, _PARSER.options,
                                                                        env)))
    headings, blocks = _outline(tokens)
    title = str(metadata.get("title") or "").strip() or _page_title(headings, path, library)
    return Document(
        path=path,
        markup="markdown",
        title=title,
        body_html=body_html,
        metadata=metadata,
        headings=headings,
        code_blocks=env.get("code_blocks", []),
        blocks=blocks,
        notices=[problem] if problem else [],
    )


def _snippet_reader(library: Library | None, path: str):  # type: ignore[no-untyped-def]
    """Snippets are found beside the page, else from the library's root; never outside it."""
    if library is None:
        return None

    def read(name: str) -> str | None:
        for candidate in (posixpath.join(posixpath.dirname(path), name), name):
            try:
                return library.read_text(candidate, max_bytes=SNIPPET_BYTES).text
            except (OutsideLibrary, UnreadableFile):
                continue
        return None

    return read


def _page_finder(library: Library | None, path: str):  # type: ignore[no-untyped-def]
    """A Hugo ref's page: beside this one, else the one page of the library with that name."""
    if library is None:
        return None

    def find(target: str) -> str | None:
        name, _, anchor = target.partition("#")
        try:
            if library.resolve(name, base=path).exists():
                return None  # it resolves as written
        except OutsideLibrary:
            return None
        page = page_under_site_root(library, name, path)  # from the site's content folder
        if page is not None:
            return relative_href(path, library.rel_path(page), anchor)
        found = pages_named(library, posixpath.basename(name.rstrip("/")))
        if len(found) != 1:
            return None
        return relative_href(path, found[0], anchor)

    return find


def _wiki_page_finder(library: Library | None, path: str):  # type: ignore[no-untyped-def]
    """A wiki link's page: its file beside this page or from the library's root (a Gollum
    page's spaces are hyphens in its file's name), else the one page of the library with
    that name, in any case."""
    if library is None:
        return None
    folder = posixpath.dirname(path)

    def find(name: str) -> str | None:
        variants = list(dict.fromkeys((name, name.replace(" ", "-"))))
        for variant in variants:
            for base in dict.fromkeys((folder, "")):
                for rel in (posixpath.join(base, variant + ".md"), posixpath.join(base, variant)):
                    try:
                        if is_runbook_name(rel) and library.resolve(rel).is_file():
                            return _escaped_href(relative_href(path, posixpath.normpath(rel)))
                    except (OutsideLibrary, OSError):
                        continue
        for variant in variants:
            found = pages_named(library, posixpath.basename(variant))
            if len(found) == 1:
                return _escaped_href(relative_href(path, found[0]))
        return None

    return find


def _sub_pages(library: Library | None, path: str):  # type: ignore[no-untyped-def]
    """An Azure DevOps wiki page's sub-pages: the pages in the folder named as the page, in
    the order its ``.order`` file gives (names, one a line), then by name."""
    if library is None:
        return None

    def listed() -> list[tuple[str, str]]:
        folder = posixpath.splitext(path)[0]
        try:
            base = library.resolve(folder)
            names = sorted(entry.name for entry in os.scandir(base)
                           if entry.is_file() and is_runbook_name(entry.name))
        except (OutsideLibrary, OSError):
            return []
        try:
            order = library.read_text(posixpath.join(folder, ".order"), max_bytes=65536).text
        except (OutsideLibrary, UnreadableFile):
            order = ""
        ranked = {name.strip(): i for i, name in enumerate(order.splitlines()) if name.strip()}
        names.sort(key=lambda name: ranked.get(posixpath.splitext(name)[0], len(ranked)))
        return [(_wiki_title(name), _escaped_href(relative_href(path, f"{folder}/{name}")))
                for name in names]

    return listed


def _wiki_title(file_name: str) -> str:
    """An Azure DevOps wiki page's title from its file: "Disk-Full.md" -> "Disk Full",
    "%2D" is a hyphen."""
    return unquote(posixpath.splitext(file_name)[0].replace("-", " "))


def _escaped_href(href: str) -> str:
    """An href a Markdown link destination can hold (spaces, brackets and a "%" in file names:
    Azure DevOps writes a hyphen in a page's name as "%2D")."""
    return (href.replace("%", "%25").replace(" ", "%20").replace("(", "%28")
            .replace(")", "%29"))


def _page_title(headings: list[Heading], path: str, library: Library | None) -> str:
    """The first ``# heading``; without one, the title the page's MkDocs site gives it,
    else its first heading of any level."""
    first = next((h.text for h in headings if h.level == 1), "")
    if first or library is None:
        return first or _first_title(headings, path)
    return site_title(library, path) or _first_title(headings, path)


def _first_title(headings: list[Heading], path: str) -> str:
    for level in (1, 2, 3, 4, 5, 6):
        for heading in headings:
            if heading.level == level:
                return heading.text
    return path.rsplit("/", 1)[-1]


def inline_text(token: Token) -> tuple[str, str]:
    """Plain text of an inline token, and its bold lead-in label if it starts with one."""
    parts: list[str] = []
    label = ""
    # The linkify rule can leave an empty text token before the first real one.
    children = [c for c in token.children or [] if not (c.type == "text" and not c.content)]
    in_lead = bool(children) and children[0].type == "strong_open"
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            if child.type != "html_inline":
                parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
        if in_lead and child.type == "strong_close":
            label = "".join(parts).strip()
            in_lead = False
    return "".join(parts).strip(), label


def _outline(tokens: list[Token]) -> tuple[list[Heading], list[Block]]:
    headings: list[Heading] = []
    blocks: list[Block] = []
    anchor = ""
    list_depth = 0
    numbered: list[bool] = []  # per open list: is it an ordered one
    item_open: list[bool] = []  # per open list item: has its first paragraph been seen
    quote_depth = 0
    row: list[str] = []
    for i, token in enumerate(tokens):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
            numbered.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            numbered.pop()
        elif kind == "list_item_open":
            item_open.append(False)
        elif kind == "list_item_close":
            item_open.pop()
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind == "heading_open":
            text, _ = inline_text(tokens[i + 1])
            anchor = str(token.attrGet("id") or "")
            level = int(token.tag[1])
            headings.append(Heading(level, text, anchor))
            blocks.append(Block("heading", text, level, anchor))
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            blocks.append(Block("table_row", " | ".join(row), 0, anchor))
        elif kind == "inline" and i > 0:
            opener = tokens[i - 1].type
            if opener in ("th_open", "td_open"):
                row.append(inline_text(token)[0])
            elif opener == "paragraph_open":
                text, label = inline_text(token)
                if item_open and not item_open[-1]:
                    item_open[-1] = True
                    blocks.append(Block("list_item", text, list_depth, anchor, label,
                                        ordered=bool(numbered and numbered[-1])))
                else:
                    block_kind = "quote" if quote_depth else "paragraph"
                    blocks.append(Block(block_kind, text, list_depth, anchor, label))
        elif kind in ("fence", "code_block"):
            language = language_name(token.info) if kind == "fence" else ""
            blocks.append(Block("code", token.content, list_depth, anchor, "", language))
    return headings, blocks


_QUOTE_MARKS = re.compile(r"^(?:[ \t]{0,3}>)+")


def unclosed_fences(text: str, path: str = "") -> list[tuple[int, int]]:
    """(line, column), 1-based in ``text``, of each code fence the parser never saw closed.

    The same parser as the page, after the same passes for the page at ``path`` (a
    Middleman page's list fences): what it reads as a fence running to the end of its
    container is what the window shows as code to the end of the page.
    """
    _front, body, front_lines = split_front_matter(text)
    if path.lower().endswith(MIDDLEMAN_SUFFIXES):
        body = middleman_list_fences(body)  # spaces added inside lines: lines keep their numbers
    lines = body.splitlines()
    found = []
    if "```" not in body and "~~~" not in body:
        return []
    for token in _BLOCK_PARSER.parse(body, {}):
        if token.type != "fence" or not token.map:
            continue
        start, end = token.map
        last = _QUOTE_MARKS.sub("", lines[end - 1]).strip() \
            if end - 1 < len(lines) and end - 1 > start else ""  # "> ```" in a quote closes
        mark = token.markup[:1]
        if not (last.startswith(token.markup) and not last.strip(mark).strip()):
            opening = lines[start] if start < len(lines) else ""
            found.append((start + 1 + front_lines, len(opening) - len(opening.lstrip()) + 1))
    return found
