"""Wiki links, read by the Markdown parser as the wiki that wrote them would.

GitHub wikis (Gollum) write ``[[Page-Name]]`` and ``[[Words shown|Page-Name]]``; Obsidian,
Foam and MkDocs' wiki-link plugins write ``[[Page Name]]``, ``[[Page Name|words]]``,
``[[Page#Heading]]`` and embed pictures with ``![[diagram.png]]``. The two put the page on
opposite sides of the ``|``: the side that names a page of the library is the page.
Azure DevOps wikis write ``[[_TOSP_]]`` on a line of its own for the list of a page's
sub-pages (the pages in the folder named as the page, in the order of its ``.order``).

A link is an inline rule of the parser, so nothing in code is ever read as one (a shell's
``[[ -f x ]]``, a JavaScript ``[["a", "b"]]``); it needs its words against the brackets.
It becomes a link to the page's file (beside the linking page, else the one page of the
library with that name; a Gollum page's spaces are its file's hyphens), to the heading's
anchor when it names one. A name no page has keeps its words, marked as a link that leads
nowhere, never the brackets.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from viewer.core.render.boxes import markdown_escaped
from viewer.core.render.fences import lines_with_code_flag
from viewer.core.slugs import github_slug

FindPage = Callable[[str], "str | None"]  # a page's name -> the href of its file, or None
SubPages = Callable[[], "list[tuple[str, str]]"]  # -> (title, href) of the page's sub-pages
ENV_KEY = "wiki_find"  # where a parse's env holds the page's FindPage

# Words against both brackets: "[[ -f x ]]" (a shell test) is not a link; neither is
# "[[download]](https://...)", a Markdown link whose words are in brackets.
_WIKILINK = re.compile(r"(!?)\[\[(?![\s\[])([^\[\]\n]+?)(?<!\s)\]\](?![(\[])")
_TOC_MARKERS = {"_toc_", "toc", "_tosp_"}  # contents and sub-pages, read elsewhere
_PICTURE = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|bmp)$", re.IGNORECASE)
_SUB_PAGES = re.compile(r"^ {0,3}\[\[_TOSP_\]\][ \t]*$", re.IGNORECASE)


def has_wikilinks(text: str) -> bool:
    """Cheap check: most pages have none, and skip the pass."""
    return "[[" in text


def use_wikilinks(md: MarkdownIt) -> None:
    """Add the wiki-link rule to ``md``, before Markdown's own links and pictures."""
    md.inline.ruler.before("link", "wikilink", _wikilink)


def expand_sub_pages(text: str, subpages: SubPages | None) -> str:
    """Each ``[[_TOSP_]]`` line outside code as a list of the page's sub-pages."""
    if "_tosp_" not in text.lower():
        return text
    out: list[str] = []
    for line, in_code in lines_with_code_flag(text):
        if in_code or not _SUB_PAGES.match(line):
            out.append(line)
            continue
        listed = subpages() if subpages is not None else []
        out.append("\n" + "".join(f"- [{markdown_escaped(title)}]({href})\n"
                                  for title, href in listed) + "\n")
    return "".join(out)


def _wikilink(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if not state.src.startswith(("[[", "![["), start):
        return False
    match = _WIKILINK.match(state.src, start, state.posMax)
    if match is None or match.group(2).strip().lower() in _TOC_MARKERS:
        return False
    if not silent:
        _push(state, match, state.env.get(ENV_KEY) if isinstance(state.env, dict) else None)
    state.pos = match.end()
    return True


def _push(state: StateInline, match: re.Match[str], find: FindPage | None) -> None:
    embed, inside = match.group(1), match.group(2).strip()
    first, bar, second = (part.strip() for part in inside.partition("|"))
    if embed and _PICTURE.search(first):
        # Obsidian: ![[diagram.png|300]] (a width after the bar, not words).
        words = second if bar and not second.isdigit() else ""
        token = state.push("html_inline", "", 0)
        token.content = (f'<img src="{html.escape(first.replace(" ", "%20"))}" '
                         f'alt="{html.escape(words)}">')
        return
    # Obsidian's [[Page|words]], else Gollum's [[words|Page]].
    candidates = [(first, second or first), (second, first)] if bar else [(first, first)]
    for name, words in candidates:
        href = _href(name, find)
        if href is not None:
            opened = state.push("link_open", "a", 1)
            opened.attrs = {"href": href}
            _text(state, _shown(words))
            state.push("link_close", "a", -1)
            return
    name, words = candidates[-1]
    token = state.push("html_inline", "", 0)
    token.content = (f'<span class="unresolved" title="No page named {html.escape(name)} in '
                     f'this library">{html.escape(_shown(words))}</span>')


def _text(state: StateInline, content: str) -> None:
    token = state.push("text", "", 0)
    token.content = content


def _href(name: str, find: FindPage | None) -> str | None:
    page, _, heading = name.partition("#")
    if not page.strip():  # [[#Heading]]: a heading of this page
        return f"#{github_slug(heading)}" if heading.strip() else None
    if find is None:
        return None
    found = find(page.strip())
    if found is None:
        return None
    return found + (f"#{github_slug(heading)}" if heading.strip() else "")


def _shown(words: str) -> str:
    """What a link without words of its own shows: "Page#Heading" reads "Page > Heading"."""
    page, _, heading = words.partition("#")
    return f"{page} > {heading}".strip(" >") if heading else words
