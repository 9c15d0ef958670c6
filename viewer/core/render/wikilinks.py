"""Wiki links, read before the Markdown parser as the wiki that wrote them would.

GitHub wikis (Gollum) write ``[[Page-Name]]`` and ``[[Words shown|Page-Name]]``; Obsidian,
Foam and MkDocs' wiki-link plugins write ``[[Page Name]]``, ``[[Page Name|words]]``,
``[[Page#Heading]]`` and embed pictures with ``![[diagram.png]]``. The two put the page on
opposite sides of the ``|``: the side that names a page of the library is the page.

Azure DevOps wikis write ``[[_TOSP_]]`` for the list of a page's sub-pages (the pages
in the folder named as the page, in the order of its ``.order`` file).

A link becomes a Markdown link to the page's file (``Page-Name.md`` beside the linking
page, else the one page of the library with that name; a Gollum page's spaces are its
file's hyphens), to the heading's anchor when it names one. A name no page has keeps its
words, marked as a link that leads nowhere, never the brackets. Code is left as written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from viewer.core.render.boxes import markdown_escaped
from viewer.core.render.fences import lines_with_code_flag, outside_code_spans
from viewer.core.slugs import github_slug

FindPage = Callable[[str], "str | None"]  # a page's name -> the href of its file, or None
SubPages = Callable[[], "list[tuple[str, str]]"]  # -> (title, href) of the page's sub-pages

# Not "[[download]](https://...)": a Markdown link whose words are in brackets.
_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\](?![(\[])")
_TOC_MARKERS = {"_toc_", "toc"}  # GitLab's [[_TOC_]] is the page's contents, not a link
_PICTURE = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|bmp)$", re.IGNORECASE)


def has_wikilinks(text: str) -> bool:
    """Cheap check: most pages have none, and skip the pass."""
    return "[[" in text


def expand_wikilinks(text: str, find: FindPage | None, subpages: SubPages | None = None) -> str:
    """``text`` with every wiki link outside code as a Markdown link (or picture)."""
    if not has_wikilinks(text):
        return text
    out: list[str] = []
    prose: list[str] = []
    for line, in_code in lines_with_code_flag(text):
        if in_code:
            out.append(_links_in("".join(prose), find, subpages))
            prose.clear()
            out.append(line)
        else:
            prose.append(line)
    out.append(_links_in("".join(prose), find, subpages))
    return "".join(out)


def _links_in(text: str, find: FindPage | None, subpages: SubPages | None) -> str:
    if "[[" not in text:
        return text
    return outside_code_spans(text, lambda part: _WIKILINK.sub(
        lambda match: _link(match, find, subpages), part))


def _link(match: re.Match[str], find: FindPage | None, subpages: SubPages | None) -> str:
    embed, inside = match.group(1), match.group(2).strip()
    if inside.lower() in _TOC_MARKERS:
        return match.group(0)
    if inside.lower() == "_tosp_":
        listed = subpages() if subpages is not None else []
        return "\n\n" + "".join(f"- [{markdown_escaped(title)}]({href})\n"
                                  for title, href in listed) + "\n"
    first, bar, second = (part.strip() for part in inside.partition("|"))
    if embed and _PICTURE.search(first):
        # Obsidian: ![[diagram.png|300]] (a width after the bar, not words).
        words = second if bar and not second.isdigit() else ""
        return f"![{markdown_escaped(words)}]({first.replace(' ', '%20')})"
    # Obsidian's [[Page|words]], else Gollum's [[words|Page]].
    candidates = [(first, second or first), (second, first)] if bar else [(first, first)]
    for name, words in candidates:
        href = _href(name, find)
        if href is not None:
            return f"[{markdown_escaped(_shown(words))}]({href})"
    name, words = candidates[-1] if bar else candidates[0]
    return (f'<span class="unresolved" title="No page named {html.escape(name)} in this '
            f'library">{html.escape(_shown(words))}</span>')


def _href(name: str, find: FindPage | None) -> str | None:
    page, _, heading = name.partition("#")
    if find is None:
        return None
    if not page.strip():  # [[#Heading]]: a heading of this page
        return f"#{github_slug(heading)}" if heading.strip() else None
    found = find(page.strip())
    if found is None:
        return None
    return found + (f"#{github_slug(heading)}" if heading.strip() else "")


def _shown(words: str) -> str:
    """What a link without words of its own shows: "Page#Heading" reads "Page > Heading"."""
    page, _, heading = words.partition("#")
    return f"{page} > {heading}".strip(" >") if heading else words
