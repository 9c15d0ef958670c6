"""Site-generator tags in Markdown, read before the Markdown parser sees them, never inside code.

Hugo, Jekyll and MkDocs expand these when they build the site; the files
keep them. Shown raw they are noise (``{{< ref "x.md" >}}`` in a link makes
it dead), so each is read as its generator would:

* Hugo ``ref`` / ``relref``: the path they name (links resolve as any other);
* Hugo ``figure`` / ``img`` / ``image``: a Markdown image (the same gate as
  every picture), with its caption;
* Hugo ``highlight`` and the themes' ``code`` on lines of their own: a fenced code
  block in its language, its lines exactly as written (a runbook's commands, to copy);
* paired notice-like shortcodes (``{{% notice warning %}}`` ... ``{{% /notice %}}``)
  alone on their lines: a callout;
* GitBook's block tags (``{% hint %}``, ``{% tab %}``...): see ``gitbook``;
* mdBook's ``{{#include}}`` (in code too) and tab tags: see ``mdbook``;
* MkDocs snippets ``--8<-- "file.md"``: the file's text, read through the
  library's gate (inside the root, three levels at most);
* Jekyll: ``{{ site.baseurl }}`` is the site's root (links keep working),
  ``{% link x.md %}`` the page it names; ``{% include x.md %}`` alone on its line is
  the file from the site's ``_includes`` (``include_relative``: beside the page),
  shown as nothing when it only sets values (``{% capture %}``, ``{% assign %}``);
  ``{% include note.html content="..." %}`` is a callout; captures, assigns and
  comments show nothing, as on the site; a value only the site's build knows
  inside a link's address leaves the link's words and the value's name;
* Hugo ``param``: the value the page, its section's cascade or the site gives it
  (``hugo_site``), in code too, as Hugo fills it there;
* anything else (an unknown ``param``, ``{% include x %}``, ``{{ site.title }}``):
  a small marked token with the tag's name, never the braces.

Fenced code and inline code spans are left exactly as written, but for a known param.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from viewer.core.render.boxes import OpenBoxes, box_end, box_open, markdown_escaped
from viewer.core.render.fences import outside_code_spans
from viewer.core.render.gitbook import gitbook_line
from viewer.core.render.md_dialects import CONTAINER_KINDS
from viewer.core.render.mdbook import include_target, is_include, mdbook_tag, selected, tab_line

_HUGO = re.compile(r"\{\{([<%])\s*(/?)\s*([\w.-]+)(.*?)\s*[>%]\}\}", re.S)
_CLOSING_AT_END = re.compile(r"\{\{[<%]\s*/\s*([\w.-]+)\s*[>%]\}\}\s*$")
# Code shortcodes on lines of their own: Hugo's {{< highlight shell "linenos=table" >}},
# and the themes' {{< code yml >}} (Sensu's docs write 4,625 blocks so).
_CODE_NAMES = r"(?:highlight|code|codeblock|code-block)"
_HIGHLIGHT = re.compile(rf"^( *)\{{\{{[<%]\s*({_CODE_NAMES})\b([^}}]*?)\s*[>%]\}}\}}\s*$")
_HIGHLIGHT_INLINE = re.compile(
    rf"\{{\{{[<%]\s*{_CODE_NAMES}\b[^}}]*?[>%]\}}\}}(.+?)"
    rf"\{{\{{[<%]\s*/\s*{_CODE_NAMES}\s*[>%]\}}\}}")
_HIGHLIGHT_END = re.compile(rf"\{{\{{[<%]\s*/\s*{_CODE_NAMES}\s*[>%]\}}\}}\s*$")
_CODE_TAB = re.compile(r"^( *)\{\{<\s*tab\b([^}]*?\blang\s*=[^}]*?)\s*>\}\}\s*$")
_TAB_END = re.compile(r"\{\{<\s*/\s*tab\s*>\}\}\s*$")
_MARKDOWN_SHORTCODE = re.compile(r"^ {0,3}\{\{%\s*(/?)\s*([\w.-]+)[^}]*%\}\}\s*$")
# Never over a blank line: a page that only mentions "<%" must not lose the paragraphs up
# to a later "%>"; a tag written over several lines ("render(\n  {...})") is read whole.
_ERB = re.compile(r"<%([=#-]?)((?:[^\n]|\n(?![ \t]*\n))*?)-?%>")
_ERB_IN_ATTRIBUTE = re.compile(r"""(=\s*(["']))[^"'<>]*<%.*?%>[^"'<>]*\2""")
# <%= current_page.data.title %>, current_page.data[:title]: the page's front matter.
_ERB_PAGE_VALUE = re.compile(r"""current_page\.data(?:\.(\w+)|\[:?["']?(\w+)["']?\])""")
_ERB_LINK = re.compile(r"""link_to\(?\s*(["'])([^"']+)\1\s*,\s*(["'])([^"'\s]+)\3\s*\)?""")
_LIQUID = re.compile(r"\{%-?\s*(\w+(?:-\w+)*)(.*?)-?%\}", re.S)
_TEMPLATE = re.compile(r"\{\{-?\s*([^{}\n]{1,80}?)\s*-?\}\}")
_PARAM = re.compile(r"""\{\{[<%]\s*param\s+["']?([\w.-]+)["']?\s*[>%]\}\}""")
_ARG = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))|"([^"]*)"|'([^']*)'|(\S+)""")
# A fence at any depth: in a tab, a box or a list item a code example sits four or more
# spaces in, and its Jinja or Liquid ("{{ config.site_name }}") is the example's own text.
# It is closed, as CommonMark closes it, by a bare fence as long, no more than three spaces
# further in than it opened (a list item's code may hold an example's own fences).
_ANY_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})")
_FENCE_CLOSE = re.compile(r"^([ \t]*)(`{3,}|~{3,})\s*$")  # \s: a CRLF file's \r too
_SNIPPET = re.compile(r"""^(\s*)(;?)--8<--\s+["']([^"']+)["']\s*$""")
# Jekyll: what a site's build fills in.
_SITE_ROOT = re.compile(r"\{\{-?\s*site\.(?:url|baseurl|github\.url)\s*-?\}\}")
_URL_FILTER = re.compile(r"""\{\{-?\s*(["'])([^"'{}\n]*)\1\s*\|\s*"""
                         r"""(?:relative_url|absolute_url|prepend:\s*site\.baseurl)\s*-?\}\}""")
_LIQUID_BLOCKS = re.compile(r"\{%-?\s*(capture|comment)\b.*?\{%-?\s*end\1\s*-?%\}", re.S)
# A value inside an HTML tag's attribute (<a href="{{ x.url }}">), not a command's
# --labels="{{ .Values }}" in prose.
_IN_ATTRIBUTE = re.compile(
    r"""(<[A-Za-z][\w-]*\s[^<>\n]*?[\w:-]+\s*=\s*["'])\{\{(?![<%])[^{}\n]*\}\}""")
_ASSIGN = re.compile(r"\{%-?\s*assign\s[^%]*-?%\}")
_SETTING = re.compile(
    r"\{%-?\s*capture\s+(?P<captured>[\w-]+)\s*-?%\}(?P<body>.*?)\{%-?\s*endcapture\s*-?%\}"
    r"|\{%-?\s*assign\s+(?P<assigned>[\w-]+)\s*=\s*(?P<expression>[^%]*?)\s*-?%\}", re.S)
_QUOTED = re.compile(r"""(["'])(.*)\1""", re.S)
_TEMPLATED_LINK = re.compile(
    r"(!?)\[((?:\{\{[^{}\n]*\}\}|[^\]\n])*)\]\(\s*<?\s*(\{\{(?![<%])[^{}\n]*\}\}[^)\s>]*)>?\s*\)")
# At the margin: one indented further is in a list item's or a box's code as often as not.
_INCLUDE = re.compile(r"^( {0,3})\{%-?\s*(include|include_relative)\s+"
                      r"((?:\{\{[^}]*\}\}|[^\s%])+)(.*?)-?%\}\s*$")
_INCLUDED_MARKDOWN = (".md", ".markdown", ".txt")
_CALLOUTS = {"notice", "alert", "hint", "callout", "admonition", "warning", "note", "tip",
             "info", "danger", "caution", "important"}
# Hugo tab sets: {{< tabs "Linux" "Windows" >}} holds one {{% codetab %}} per label.
_TAB_SETS = {"tabs", "tabpane", "language-toggle"}
_TABS = {"codetab", "tab"}
_DROPPED_LIQUID = {"raw", "endraw", "comment", "endcomment"}
MAX_SNIPPET_DEPTH = 3
MAX_INCLUDED_CHARS = 4_000_000  # all of a page's snippets and includes together

ReadSnippet = Callable[[str], str | None]  # library path -> text, or None (missing or refused)
SiteValue = Callable[[str], str | None]  # a Liquid expression (site.data...) -> its value
FindPage = Callable[[str], str | None]  # a Hugo ref's name -> the href of the page it names
ParamValue = Callable[[str], str | None]  # a Hugo param's name -> its value, or None


def has_site_tags(text: str) -> bool:
    """Cheap check: most runbooks have none, and skip the scan."""
    return "{{" in text or "{%" in text or "--8<--" in text or "<%" in text


def expand_site_tags(text: str, read: ReadSnippet | None = None, depth: int = 0,
                     find: FindPage | None = None, include: ReadSnippet | None = None,
                     site_value: SiteValue | None = None,
                     page: Mapping[str, Any] | None = None,
                     param: ParamValue | None = None) -> str:
    """``text`` with every site-generator tag outside code read as its generator would;
    ``include`` reads a Jekyll site's ``_includes`` and ``site_value`` its ``site.*``
    values (``jekyll_site.site_readers``); ``page`` is the page's front matter, whose
    values ``{{ page.title }}`` and Middleman's ``<%= current_page.data.title %>`` show;
    ``param`` gives Hugo's ``{{< param name >}}`` values (``hugo_site.param_reader``),
    which Hugo fills in code too, as the site shows the commands."""
    sources = _Sources(read, include, depth, site_value=site_value,
                       page=_plain_values(page or {}), param=param)
    return _expand(text, sources, find)


def _plain_values(front: Mapping[str, Any]) -> dict[str, str]:
    """The front matter's values a template can write as they are (text, numbers, dates)."""
    return {str(key): str(value) for key, value in front.items()
            if isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool)}


def _expand(text: str, sources: _Sources, find: FindPage | None) -> str:
    if not has_site_tags(text):
        return text
    out: list[str] = []
    prose: list[str] = []  # lines between fences: a tag may run over several of them
    fence, fence_indent = "", 0
    callouts = OpenBoxes()
    open_shortcodes: set[str] = set()  # {{% name %}} tags opened on lines of their own
    code: _CodeShortcode | None = None  # the lines of an open {{< highlight >}}
    for line in text.splitlines(keepends=True):
        if code is not None:
            ended = code.end.search(line)
            if ended:  # alone on its line, or after the last line of code ("}{{< /code >}}")
                if line[:ended.start()].strip():
                    code.lines.append(line[:ended.start()] + "\n")
                out.append(code.markdown())
                code = None
            else:
                code.lines.append(_params_in_code(line, sources))
            continue
        code_tab = _CODE_TAB.match(line)
        if code_tab and not fence:  # Docsy: {{< tab header="Linux" lang="bash" >}} holds code
            out.append(_expand_prose(prose, sources, find, callouts))
            prose = []
            args = _args(code_tab.group(2))
            header = (args.get("header") or args.get("name") or [""])[0]
            out.append(box_open("example", header))
            code = _CodeShortcode(_language(args.get("lang") or [""]).lower(),
                                  code_tab.group(1), _TAB_END, in_box=True)
            continue
        opened = _ANY_FENCE.match(line)
        ending = _MARKDOWN_SHORTCODE.match(line) if fence else None
        if ending and ending.group(1) and ending.group(2).lower() in open_shortcodes:
            # Hugo renders a {{% %}} shortcode's inner Markdown on its own, so a fence
            # left open inside it (an author's slip) ends with it, not the page.
            out.append(fence + "\n")
            fence = ""
        elif fence:
            tag = mdbook_tag(line)
            if tag and is_include(tag):  # a book's example, kept in a file: as written
                out.append(_mdbook_included(tag, sources, code=True))
                continue
            out.append(_params_in_code(line, sources))
            closing = _FENCE_CLOSE.match(line)
            if (closing and closing.group(2)[0] == fence[0] and len(closing.group(2)) >= len(fence)
                    and len(closing.group(1).expandtabs(4)) <= fence_indent + 3):
                fence = ""
            continue
        if opened:
            out.append(_expand_prose(prose, sources, find, callouts))
            prose = []
            fence, fence_indent = opened.group(2), len(opened.group(1).expandtabs(4))
            out.append(line)
            continue
        shortcode = _HIGHLIGHT.match(line)
        if shortcode:  # a code shortcode's lines are code, exactly as written
            out.append(_expand_prose(prose, sources, find, callouts))
            prose = []
            args = _args(shortcode.group(3))
            # Indented as the tag (inside a list item: the block stays in the item).
            code = _CodeShortcode(_language(args.get("lang") or args.get("language")
                                            or args.get("") or [""]), shortcode.group(1))
            continue
        markdown_tag = _MARKDOWN_SHORTCODE.match(line)
        if markdown_tag:
            name = markdown_tag.group(2).lower()
            if markdown_tag.group(1):
                open_shortcodes.discard(name)
            else:
                open_shortcodes.add(name)
        prose.append(line)
    if code is not None:  # never closed: Hugo would refuse the page; show the code
        out.append(code.markdown())
    out.append(_expand_prose(prose, sources, find, callouts))
    return "".join(out)


@dataclass
class _CodeShortcode:
    """A code shortcode being read: its language, the indentation of its tag, the pattern
    of its closing tag, whether it opened a box (a Docsy code tab), and its lines."""

    language: str
    indent: str
    end: re.Pattern[str] = _HIGHLIGHT_END
    in_box: bool = False
    lines: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        return _fenced(self.lines, self.language, self.indent) + (
            box_end() if self.in_box else "")


def _language(named: list[str]) -> str:
    """A code shortcode's language argument, as a fence's info word."""
    return re.sub(r"[^\w+#.-]", "", named[0])


def _code_span(code: str) -> str:
    """``code`` as an inline code span, its backticks longer than any inside."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _fenced(lines: list[str], language: str, indent: str = "") -> str:
    """``lines`` as a fenced code block, its fence longer than any backticks inside.

    The block is indented as the shortcode was, so that one in a list item stays in
    it; its lines lose the indentation they share and take the tag's, which Markdown
    takes off again: the code reads as written, whether its lines followed the list's
    indentation or started at the margin.
    """
    body = textwrap.dedent("".join(lines))
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = indent + "`" * max(3, longest + 1)
    if body and not body.endswith("\n"):
        body += "\n"
    body = "".join(indent + line if line.strip() else line
                   for line in body.splitlines(keepends=True))
    return f"{fence}{language}\n{body}{fence}\n"


@dataclass
class _Sources:
    """Where a page's snippets and includes are read from, how deep in them it is, and
    how many characters of them it may still take in (one budget for the whole page: a
    page naming a big file a hundred times, each naming it again, stays small)."""

    read: ReadSnippet | None
    include: ReadSnippet | None
    depth: int
    left: list[int] = field(default_factory=lambda: [MAX_INCLUDED_CHARS])
    site_value: SiteValue | None = None
    values: dict[str, str] = field(default_factory=dict)  # Liquid variables set so far
    page: dict[str, str] = field(default_factory=dict)  # the page's own front matter
    param: ParamValue | None = None  # Hugo's {{< param name >}}: hugo_site.param_reader

    def fetch(self, reader: ReadSnippet | None, name: str) -> str | None:
        """The text ``reader`` gives for ``name``; None when there is none, or when the
        page is too deep in its snippets or has taken in its budget."""
        if reader is None or self.depth >= MAX_SNIPPET_DEPTH or self.left[0] <= 0:
            return None
        text = reader(name)
        if text is not None:
            self.left[0] -= len(text)
        return text

    def deeper(self) -> _Sources:
        # An include sees the page that includes it: Jekyll's {{ page.title }} there is its.
        return _Sources(self.read, self.include, self.depth + 1, self.left, self.site_value,
                        self.values, self.page, self.param)


def _expand_prose(lines: list[str], sources: _Sources,
                  find: FindPage | None, callouts: OpenBoxes) -> str:
    """Lines outside fenced code: snippets and callouts by line, other tags anywhere.

    ``callouts`` counts the boxes opened and not yet closed: a closing tag with none
    open (its opening was inside a line, a table cell) is dropped, not shown as the box
    syntax it would otherwise become. Hugo's tab sets are boxes too, each titled with
    its set's next label.
    """
    kept: list[str] = []
    for line in lines:
        snippet = _SNIPPET.match(line)
        if snippet and not snippet.group(2):
            kept.append(_snippet(snippet.group(3), sources, find, snippet.group(1)))
            continue
        included = _INCLUDE.match(line) if "{%" in line else None
        if included:
            kept.append(_jekyll_include(included, sources, find))
            continue
        gitbook = gitbook_line(line, callouts) if "{%" in line else None
        if gitbook is not None:
            kept.append(gitbook)
            continue
        book = mdbook_tag(line)
        if book is not None:
            shown = (_mdbook_included(book, sources, find=find) if is_include(book)
                     else tab_line(book, callouts))
            if shown is not None:
                kept.append(shown)
                continue
        whole = _HUGO.fullmatch(line.strip())
        if whole and whole.group(3).lower() in _TAB_SETS:
            if whole.group(2):
                callouts.tab_labels = callouts.tab_labels[:-1]
            else:
                callouts.tab_labels.append(_args(whole.group(4)).get("", []))
            continue
        if whole and whole.group(3).lower() in _TABS:  # one tab of the set being read
            kept.append(callouts.ended() if whole.group(2) else
                        callouts.opened("example", _tab_label(whole, callouts)))
            continue
        if whole and whole.group(3).lower() in _CALLOUTS:  # a callout's own line
            kept.append(callouts.ended() if whole.group(2) else
                        callouts.opened(*_callout_kind(whole)))
            continue
        kept.append(_callout_around(line, callouts))
    expanded = outside_code_spans("".join(kept), lambda text: _expand_inline(text, find, sources))
    return _params_in_code(expanded, sources)  # the params left are in code spans


def _tab_label(match: re.Match[str], tabs: OpenBoxes) -> str:
    """A tab's title: its own (header=, name=, title=), else its set's next label."""
    args = _args(match.group(4))
    own = (args.get("header") or args.get("name") or args.get("title") or [""])[0]
    if own or not tabs.tab_labels or not tabs.tab_labels[-1]:
        return own
    return tabs.tab_labels[-1].pop(0)


def _callout_around(line: str, callouts: OpenBoxes) -> str:
    """A line that opens a callout and goes on with its text (``{{% admonition type="note"
    %}}Mind the gap.``), or ends with its closing tag: the tags on lines of their own."""
    opening = _HUGO.match(line.lstrip())
    if opening and not opening.group(2) and opening.group(3).lower() in _CALLOUTS:
        line = callouts.opened(*_callout_kind(opening)) + line.lstrip()[opening.end():]
    closing = _CLOSING_AT_END.search(line)
    if closing and closing.group(1).lower() in _CALLOUTS and line[:closing.start()].strip() \
            and callouts.count:
        line = line[:closing.start()].rstrip() + "\n" + callouts.ended()
    return line


def _callout_kind(match: re.Match[str]) -> tuple[str, str]:
    """A callout's box kind and title."""
    args = _args(match.group(4))
    # The kind as each theme passes it: {{% notice warning %}} (Learn), {{< admonition
    # type="note" >}} (Grafana's docs), {{% alert color="warning" %}} (Docsy).
    kind = (args.get("") or args.get("type") or args.get("color") or [match.group(3)])[0]
    kind = kind.lower()
    return kind if kind in CONTAINER_KINDS else "note", args.get("title", [""])[0]


def _expand_inline(text: str, find: FindPage | None, sources: _Sources) -> str:
    if "<%" in text:  # a tag's value only the build knows is left empty, as Liquid's is
        text = _ERB.sub(lambda m: _erb(m, sources), _ERB_IN_ATTRIBUTE.sub(r"\1\2", text))
    if "{{" not in text and "{%" not in text:
        return text
    text = _jekyll_values(text, sources)
    text = _HIGHLIGHT_INLINE.sub(lambda match: _code_span(match.group(1)), text)
    text = _HUGO.sub(lambda match: _hugo(match, find, sources), text)
    text = _LIQUID.sub(_liquid, text)
    return _TEMPLATE.sub(lambda m: token(m.group(1).strip()), text)


def _args(raw: str) -> dict[str, list[str]]:
    """Named and positional arguments of a shortcode; positional ones under ""."""
    found: dict[str, list[str]] = {}
    for match in _ARG.finditer(raw):
        if match.group(1):
            value = next(v for v in match.group(2, 3, 4) if v is not None)
            found.setdefault(match.group(1).lower(), []).append(value)
        else:
            found.setdefault("", []).append(next(v for v in match.group(5, 6, 7)
                                                 if v is not None))
    return found


def _hugo(match: re.Match[str], find: FindPage | None = None,
          sources: _Sources | None = None) -> str:
    closing, name, raw = match.group(2), match.group(3).lower(), match.group(4)
    args = _args(raw)
    if closing:
        return token(f"end {name}")
    if name == "param" and sources is not None and sources.param is not None:
        known = sources.param((args.get("") or [""])[0])
        if known is not None:
            return markdown_escaped(known)
    if name in ("ref", "relref"):
        target = (args.get("") or args.get("path") or [""])[0]
        # Hugo finds a ref by its name anywhere in the site's content.
        return (find(target) if find is not None else None) or target
    link = (args.get("href") or args.get("link") or args.get("url") or [""])[0]
    if link:  # a card or button that leads somewhere: a link with its words
        words = (args.get("title") or args.get("") or [link])[0]
        about = (args.get("description") or [""])[0]
        return f"[{markdown_escaped(words)}]({link.replace(' ', '%20')})" + (
            f" ({markdown_escaped(about)})" if about else "")
    if name in ("figure", "img", "image"):
        src = (args.get("src") or args.get("") or [""])[0]
        alt = (args.get("alt") or args.get("title") or args.get("caption") or [""])[0]
        caption = (args.get("caption") or [""])[0]
        image = f"![{markdown_escaped(alt)}]({src.replace(' ', '%20')})"
        return image + (f" *{markdown_escaped(caption)}*" if caption else "")
    shown = " ".join([name, *(args.get("") or []),
                      *(f"{k}={v[0]}" for k, v in args.items() if k)])
    return token(shown)


def _params_in_code(text: str, sources: _Sources) -> str:
    """``text`` with each Hugo param whose value is known written as that value, the rest
    exactly as written: in code, where Hugo fills them too (``ETCD_VERSION={{< param
    git_version_tag >}}`` copied as written would not run)."""
    if sources.param is None or "param" not in text:
        return text
    reader = sources.param

    def value(match: re.Match[str]) -> str:
        known = reader(match.group(1))
        return match.group(0) if known is None else known

    return _PARAM.sub(value, text)


def _erb(match: re.Match[str], sources: _Sources) -> str:
    """An ERB tag (a Middleman page's ``.md.erb``): a comment shows nothing, the page's
    own front-matter values theirs, others their Ruby, as a token."""
    code = " ".join(match.group(2).split())
    link = _ERB_LINK.fullmatch(code) if match.group(1) == "=" else None
    if link:  # <%= link_to "words", "/manual/x.html" %>: the link it writes
        return f"[{link.group(2)}]({link.group(4)})"
    own = _ERB_PAGE_VALUE.fullmatch(code) if match.group(1) == "=" else None
    if own and (own.group(1) or own.group(2)) in sources.page:
        return markdown_escaped(sources.page[own.group(1) or own.group(2)])
    return "" if match.group(1) == "#" or not code else token(code)


def _liquid(match: re.Match[str]) -> str:
    name = match.group(1).lower()
    if name in _DROPPED_LIQUID:
        return ""
    target = match.group(2).strip()
    if name == "link" and target and " " not in target:
        return "/" + target.lstrip("/")  # the page Jekyll would link: from the site's root
    return token(f"{name} {target}".strip())


def _jekyll_values(text: str, sources: _Sources) -> str:
    """What a Jekyll build fills in: the site's root, URL filters, the values captures and
    assigns set (from the site's data, through ``site_value``), which they themselves do
    not show, nor do comments; a link whose address only the build knows keeps its words
    and the value's name."""
    if "{{" in text:
        text = _SITE_ROOT.sub("", text)
        text = _URL_FILTER.sub(lambda m: m.group(2), text)
        text = _IN_ATTRIBUTE.sub(r"\1", text)  # a tag's value the build fills: left empty
    if "{%" in text:
        _set_values(text, sources)
        text = _ASSIGN.sub("", _LIQUID_BLOCKS.sub("", text))
    if "](" in text and "{{" in text:
        text = _TEMPLATED_LINK.sub(lambda m: _templated_link(m, sources), text)
    if "{{" in text and (sources.values or sources.site_value or sources.page):
        text = _TEMPLATE.sub(lambda m: _known(m, sources), text)
    return text


def _set_values(text: str, sources: _Sources) -> None:
    """The variables ``{% capture %}`` and ``{% assign %}`` set, where their value can be
    known (plain text, or values of the site's data): Liquid reads them in order."""
    for match in _SETTING.finditer(text):
        name = (match.group("captured") or match.group("assigned") or "").strip()
        if match.group("captured"):
            value = _filled(match.group("body"), sources)
        else:
            raw = match.group("expression").strip()
            quoted = _QUOTED.fullmatch(raw)
            value = quoted.group(2) if quoted else _lookup(raw, sources)
        if value is not None:
            sources.values[name] = value.strip()


def _filled(body: str, sources: _Sources) -> str | None:
    """``body`` with each ``{{ value }}`` filled in; None when one cannot be known."""
    if "{%" in body:
        return None
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        value = _lookup(match.group(1), sources)
        missing = missing or value is None
        return value or ""

    filled = _TEMPLATE.sub(fill, body)
    return None if missing else filled


def _lookup(expression: str, sources: _Sources) -> str | None:
    name = expression.split("|", 1)[0].strip()
    if name in sources.values:
        return sources.values[name]
    if name.startswith("site.") and sources.site_value is not None:
        return sources.site_value(name)
    if name.startswith("page."):
        return sources.page.get(name[5:])
    return None


def _known(match: re.Match[str], sources: _Sources) -> str:
    value = _lookup(match.group(1), sources)
    return match.group(0) if value is None else markdown_escaped(value)


def _templated_link(match: re.Match[str], sources: _Sources) -> str:
    """A link whose address the build fills in: a link to the value where it is known,
    else its words and the value's name (the words' own values are filled in later)."""
    address = _filled(match.group(3), sources)
    if address is not None:
        return f"{match.group(1)}[{match.group(2)}]({address.strip().replace(' ', '%20')})"
    named = _TEMPLATE.sub(lambda m: m.group(1).strip(), match.group(3))
    if match.group(1):
        return token(f"picture {named}")
    return f"{match.group(2)} {token(f'link: {named}')}"


def _jekyll_include(match: re.Match[str], sources: _Sources, find: FindPage | None) -> str:
    """A Jekyll include alone on its line: its file's text, nothing for a file that only
    sets values, a callout for the usual note/warning includes; else a token."""
    indent, kind, name, raw = match.group(1), match.group(2), match.group(3), match.group(4)
    args = _args(raw)
    stem = posixpath.splitext(posixpath.basename(name))[0].lower()
    content = (args.get("content") or args.get("text") or [""])[0]
    if content and (stem in _CALLOUTS or stem in CONTAINER_KINDS):
        box = (args.get("type") or [stem])[0].lower()
        box = box if box in CONTAINER_KINDS else "note"
        title = (args.get("title") or [""])[0]
        return (box_open(box, title, indent) + indent + _expand_inline(content, find, sources)
                + "\n" + box_end(indent))
    text = sources.fetch(sources.read if kind == "include_relative" else sources.include, name)
    if text is None:
        return indent + token(f"{kind} {name}") + "\n"
    _set_values(text, sources)
    shown = _ASSIGN.sub("", _LIQUID_BLOCKS.sub("", text))
    if not shown.strip():
        return ""
    if not name.lower().endswith(_INCLUDED_MARKDOWN):
        return indent + token(f"{kind} {name}") + "\n"
    expanded = _expand(shown, sources.deeper(), find)
    return "".join(indent + line for line in expanded.splitlines(keepends=True)) + "\n"


def token(label: str) -> str:
    """A site-generator tag shown for what it is: its name, small, marked, no braces."""
    return (f'<span class="shortcode" title="Expanded when the documentation site is '
            f'built">{html.escape(label[:80])}</span>')


def _mdbook_included(tag: re.Match[str], sources: _Sources, *, code: bool = False,
                     find: FindPage | None = None) -> str:
    """An mdBook include's text (the part it selects), at the tag's indentation: as
    written in a code block, read as the page's own Markdown elsewhere."""
    path, selection = include_target(tag)
    return _snippet(path, sources, find, tag.group(1), kind="include",
                    select=lambda text: selected(text, selection), code=code)


def _snippet(path: str, sources: _Sources, find: FindPage | None, indent: str, *,
             kind: str = "snippet", select: Callable[[str], str] | None = None,
             code: bool = False) -> str:
    """The text of a file a page takes in (an MkDocs snippet, an mdBook include), at
    ``indent``: ``select``'s part of it, read as the page's own Markdown unless it is
    ``code``; a token where the library does not hold it."""
    text = sources.fetch(sources.read, path)
    if text is None:
        return indent + token(f"{kind} {path} (not in this library)") + "\n"
    text = select(text) if select is not None else text
    if not code:
        text = _expand(text, sources.deeper(), find)
    return "".join(indent + line for line in text.splitlines(keepends=True)) + "\n"
