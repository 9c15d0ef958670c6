"""MyST Markdown (Sphinx's and mystmd's Markdown) read as its site shows it, before parsing.

Jupyter Book, mystmd and Sphinx projects using MyST-Parser write their runbooks
in Markdown with reST's directives and roles in Markdown clothing. Read as plain
CommonMark, a ```` ```{warning} ```` is a code block headed "warning", the
tabs of a ``{tab-set}`` are code blocks holding raw Markdown, a ``{kbd}`Ctrl+C```
shows its braces and ``(label)=`` lines are text. So, outside fenced code:

* directive fences (```` ```{name} ```` and ``:::{name}``), their options
  (``:class: warning`` lines or a ``---`` block) read and never shown:

  - admonitions (``note``, ``warning``, ``admonition`` with its title...),
    ``dropdown``, ``tab-item``, ``card``, ``topic``, ``versionadded``... : a titled
    box, its content Markdown (boxes nest; ``render.boxes``);
  - ``code-block`` / ``code`` / ``sourcecode``: a code block in its language,
    its caption as the block's title; other code-like directives (``mermaid``,
    ``math``, ``eval-rst``, and any name not known here, as R Markdown's
    ```` ```{r} ```` chunks) stay code blocks;
  - ``include`` / ``literalinclude``: the file, read through the library's gate
    (as a code block when it names a language);
  - ``figure`` / ``image``: the picture and its caption;
  - ``toctree``: a list of links to its pages; ``contents`` / ``toc`` of the
    page: the page's table of contents; wrappers (``tab-set``, ``grid``...) leave
    no trace but their content;
* roles: ``{kbd}`, ``{command}`... as code; ``{doc}`text <path>``` as a link;
  ``{ref}`` and others as their text;
* ``(label)=`` targets: an anchor where they stand (inside the heading that
  follows, whose own id stays GitHub's), ``%`` comment lines and ``+++`` breaks:
  not shown;
* references to a target, ``[](#label)``, ``[text](label)``, ``{ref}`label```:
  a link to its page and place, titled with its heading when the text is empty.
  Labels of other pages come from the index (``search.labels``), which stores
  each page's :func:`myst_labels`; a page's own are read from the page.

Nothing is run and nothing is fetched: an include is a file of the same library.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from viewer.core.links import relative_href
from viewer.core.render.boxes import box_end, box_open, markdown_escaped
from viewer.core.render.fences import (
    CODE_SPAN_PATTERN,
    FENCE,
    lines_with_code_flag,
    outside_code_spans,
)
from viewer.core.rst_targets import LabelTarget, normalize_label
from viewer.core.slugs import Slugger

Reader = Callable[[str], "str | None"]
LabelFinder = Callable[[str], "LabelTarget | None"]  # a normalized label -> its target

_ADMONITIONS = {"note", "warning", "tip", "important", "attention", "caution", "danger",
                "error", "hint", "seealso", "todo"}
_TITLED = {"admonition": "note", "dropdown": "details", "tab-item": "example",
           "tab": "example", "card": "example", "grid-item-card": "example",
           "topic": "note", "sidebar": "note", "margin": "note", "aside": "note",
           "versionadded": "note", "versionchanged": "note", "deprecated": "warning",
           "exercise": "example", "solution": "example", "proof": "note"}
_VERSION_WORDS = {"versionadded": "New in version", "versionchanged": "Changed in version",
                  "deprecated": "Deprecated since version"}
_WRAPPERS = {"tab-set", "grid", "grid-item", "div", "container", "only", "glossary",
             "list-table", "epigraph", "highlights", "pull-quote", "card-carousel",
             "rubric", "centered", "hlist", "compound", "tabbed"}
_CODE = {"code-block", "code", "sourcecode", "code-cell"}
_INCLUDES = {"include", "literalinclude"}
_FIGURES = {"figure", "image"}
_PAGE_TOC = {"contents", "tableofcontents"}
_DROPPED = {"toc", "raw", "meta", "tags", "index", "highlight", "default-role",
            "currentmodule", "sectionauthor", "codeauthor", "bibliography"}
# Directive names that mark a page as MyST; an unknown name alone (R Markdown's
# ```{r}) does not, so such pages keep their '%' lines.
_KNOWN = (_ADMONITIONS | set(_TITLED) | _WRAPPERS | _CODE | _INCLUDES | _FIGURES | _PAGE_TOC
          | _DROPPED | {"toctree", "mermaid", "math", "eval-rst"})

# A directive may open a list item: "2. ```{tab-set}" (its content is then indented as
# the item's).
_DIRECTIVE = re.compile(r"^([ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?)(`{3,}|~{3,}|:{3,})"
                        r"\{([\w:.-]+)\}[ \t]*(.*?)\s*$")
_LIST_MARKER = re.compile(r"^([ \t]*)((?:[-*+]|\d{1,9}[.)]))[ \t]+$")
_OPTION = re.compile(r"^\s*:([\w-]+):(?:[ \t]+(.*?))?\s*$")
# A role, or a code span read whole so that what it holds ("`{user}{server}`") is never
# taken for one.
_ROLE_OR_CODE = re.compile(
    r"(?<![`\w])\{(?P<role>[a-z][a-z0-9:.+-]*)\}(?P<ticks>`+)"
    rf"(?P<content>(?:[^`\n]|\n(?![ \t]*\n))+?)(?P=ticks)(?!`)|{CODE_SPAN_PATTERN}")
_TARGET = re.compile(r"^ {0,3}\(([^()\s]+)\)=\s*$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_LINK = re.compile(r"(?<![!\]\\])\[([^\[\]\n]*)\]\(<?([^()\s<>]+)>?\)")
_ANY_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")  # in a list item too, however deep
_NAME_OPTION = re.compile(r"^[ \t]*:name:[ \t]+(\S+)[ \t]*$")
_SAFE_ID = re.compile(r"^[\w.:/-]+$")
_COMMENT = re.compile(r"^ {0,3}%")
_BREAK = re.compile(r"^ {0,3}\+\+\+")
_EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)  # `text <target>`
_DIRECTIVE_SIGN = re.compile(r"^[ \t]*(?:`{3,}|~{3,}|:{3,})\{([\w:.-]+)\}", re.M)
_TARGET_SIGN = re.compile(r"^ {0,3}\([^()\s]+\)=\s*$", re.M)
_ROLE_SIGN = re.compile(r"(?<![`\w])\{([a-z][a-z0-9:.+-]*)\}`")

_CODE_ROLES = {"kbd", "command", "file", "samp", "envvar", "program", "option", "code",
               "math", "regexp", "makevar", "mailheader", "mimetype", "newsgroup"}
_LINK_ROLES = {"doc", "download"}
_TEXT_ROLES = {"ref", "numref", "term", "abbr", "guilabel", "menuselection", "sub", "sup",
               "button", "any", "cite", "eq", "dfn", "sc", "strike"}
_MAX_DEPTH = 20  # directives inside directives: far deeper than any page writes


def has_myst(text: str) -> bool:
    """Whether ``text`` writes MyST: a directive or role this module knows, or a target.
    Each pattern runs only where its telling characters are in the page (most pages
    hold braces, for JSON and ``${VAR}``; few hold these)."""
    if "`{" in text or "~{" in text or ":{" in text:
        if any(found.group(1).lower() in _KNOWN for found in _DIRECTIVE_SIGN.finditer(text)):
            return True
    if ")=" in text and _TARGET_SIGN.search(text):
        return True
    if "}`" in text:
        for found in _ROLE_SIGN.finditer(text):
            role = found.group(1)
            if role in _CODE_ROLES or role in _LINK_ROLES or role in _TEXT_ROLES or ":" in role:
                return True
    return False


def expand_myst(text: str, read: Reader | None = None, *, path: str = "",
                find_label: LabelFinder | None = None) -> str:
    """``text`` with its directives, roles and targets as the MyST site shows them;
    ``read`` reads an included file of the library (by a path relative to the page),
    ``find_label`` finds a target of another page of the library at ``path``'s."""
    return "".join(_Expander(read, path, text, find_label).lines(
        text.splitlines(keepends=True), 0))


def link_targets(text: str, path: str, find_label: LabelFinder) -> str:
    """``text`` (a page that writes no other MyST) with its links to a MyST target of
    another page, ``[](#label)``, pointed at that page: a MyST project writes them in
    pages of plain Markdown too."""
    return "".join(_Expander(None, path, text, find_label, links_only=True).lines(
        text.splitlines(keepends=True), 0))


def myst_labels(text: str, path: str) -> dict[str, LabelTarget]:
    """The targets ``(label)=`` a MyST page defines, by normalized name: each anchored
    where it stands, titled with the heading that follows it (if one does)."""
    found: dict[str, LabelTarget] = {}
    pending: list[str] = []
    for line, in_code in _lines_outside_code(text):
        named = _NAME_OPTION.match(line)
        if named is not None and _SAFE_ID.match(named.group(1)):
            found.setdefault(normalize_label(named.group(1)),
                             LabelTarget(path, named.group(1), ""))
        if in_code:
            continue
        target = _TARGET.match(line)
        if target is not None:
            pending.append(target.group(1))
            continue
        if not line.strip() or not pending:
            continue
        heading = _HEADING.match(line)
        title = _plain(heading.group(2)) if heading else ""
        for label in pending:
            if _SAFE_ID.match(label):
                found.setdefault(normalize_label(label), LabelTarget(path, label, title))
        pending = []
    for label in pending:
        if _SAFE_ID.match(label):
            found.setdefault(normalize_label(label), LabelTarget(path, label, ""))
    return found


def _lines_outside_code(text: str) -> Iterator[tuple[str, bool]]:
    """Each line of ``text`` and whether it is fenced code or a fence: a directive's
    fences are fences, what they hold is the page's own text."""
    return lines_with_code_flag(text, fence=_ANY_FENCE, opens_text=_directive_fence)


def _directive_fence(line: str) -> str | None:
    found = _DIRECTIVE.match(line)
    return found.group(2) if found else None


def _plain(heading: str) -> str:
    """A heading's words without their inline markup, for a reference's text."""
    heading = re.sub(r"\s*\{[#.:][^}]*\}\s*$", "", heading)
    heading = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    return " ".join(re.sub(r"[`*]|(?<!\w)_|_(?!\w)", "", heading).split())


class _Expander:
    def __init__(self, read: Reader | None, path: str, text: str,
                 find_label: LabelFinder | None, links_only: bool = False) -> None:
        self.links_only = links_only
        self.read = read
        self.path = path
        self.text = text
        self.find_label = find_label
        # A page read for its links alone writes no target (has_myst would have said).
        self.own = myst_labels(text, path) if ")=" in text and not links_only else {}
        self._slugs: set[str] | None = None
        self.pending: list[str] = []  # targets waiting for the line they stand before

    def lines(self, lines: list[str], depth: int) -> list[str]:
        out: list[str] = []
        prose: list[str] = []  # lines of text since the last block, for roles across lines

        def flush() -> None:
            text = "".join(prose)
            if "}`" in text and not self.links_only:
                text = _ROLE_OR_CODE.sub(self.role, text)
            if "](" in text:
                text = outside_code_spans(text, lambda part: _LINK.sub(self.link, part))
            out.append(text)
            prose.clear()

        i = 0
        while i < len(lines):
            line = lines[i]
            directive = (_DIRECTIVE.match(line) if depth < _MAX_DEPTH and not self.links_only
                         else None)
            if directive is not None:
                flush()
                end = _closing(lines, i + 1, directive.group(2))
                out += self.directive(directive, lines[i + 1:end], depth)
                i = end + 1
                continue
            fence = _ANY_FENCE.match(line)
            if fence is not None:  # fenced code (in a list item too): as written, to its end
                flush()
                end = _closing(lines, i + 1, fence.group(1))
                out += lines[i:end + 1]
                i = end + 1
                continue
            i += 1
            if self.links_only:
                prose.append(line)
                continue
            target = _TARGET.match(line)
            if target is not None:
                if _SAFE_ID.match(target.group(1)):
                    self.pending.append(target.group(1))
            elif not (_COMMENT.match(line) or _BREAK.match(line)):
                prose.append(self.anchored(line) if self.pending and line.strip() else line)
        flush()
        return out

    def anchored(self, line: str) -> str:
        """``line`` with the anchors of the targets written just above it: inside a
        heading (which keeps its own id), else on a line of their own before it."""
        spans = "".join(f'<span id="{label}"></span>' for label in self.pending)
        self.pending = []
        heading = _HEADING.match(line)
        if heading is not None:
            start = heading.start(2)
            return line[:start] + spans + line[start:]
        return f"{spans}\n\n{line}"

    def target(self, name: str) -> tuple[str, str] | None:
        """(href, title) of the target ``name``: on this page, else elsewhere in the library."""
        key = normalize_label(name)
        own = self.own.get(key)
        if own is not None:
            return f"#{own.anchor}", own.title
        found = self.find_label(key) if self.find_label is not None else None
        if found is None:
            return None
        return relative_href(self.path, found.path, found.anchor), found.title

    def link(self, found: re.Match[str]) -> str:
        text, href = found.groups()
        name = href[1:] if href.startswith("#") else href
        if not name or "://" in href or (href.startswith("#") and name in self.slugs()):
            return found.group(0)
        if not href.startswith("#") and ("/" in name or "." in name or self.links_only):
            if text or self.links_only:  # a file: the link resolves as any other
                return found.group(0)
            return f"[{markdown_escaped(_page_name(name))}]({found.group(2)})"
        resolved = self.target(name)
        if resolved is None:
            return found.group(0) if text else f"[{markdown_escaped(name)}]({href})"
        target, title = resolved
        return f"[{text or markdown_escaped(title or name)}](<{target}>)"

    def slugs(self) -> set[str]:
        """This page's headings' own ids: a link to one of them is a link on the page."""
        if self._slugs is None:
            slugger = Slugger()
            self._slugs = {slugger.slug(_plain(m.group(2)))
                           for line, code in _lines_outside_code(self.text)
                           if not code and (m := _HEADING.match(line))}
        return self._slugs

    def role(self, found: re.Match[str]) -> str:
        if found.group("role") is None:
            return found.group(0)  # a code span shows what it holds
        name, content = found.group("role"), " ".join(found.group("content").split())
        if name in ("ref", "numref", "any"):
            explicit = _EXPLICIT.match(content)
            text, label = explicit.groups() if explicit else ("", content)
            resolved = self.target(label)
            if resolved is not None:
                href, title = resolved
                return f"[{markdown_escaped(text or title or label)}](<{href}>)"
            return markdown_escaped(text or label)
        return _role(name, content)

    def directive(self, found: re.Match[str], body: list[str], depth: int) -> list[str]:
        indent, _fence, name, argument = found.groups()
        item = _LIST_MARKER.match(indent)
        if item is not None:  # the list item holds what the directive shows
            inner = " " * len(indent)
            shown = self.shown(inner, name.lower(), argument, body, depth)
            return [f"{item.group(1)}{item.group(2)}\n", "".join(shown).lstrip("\n")]
        return self.shown(indent, name.lower(), argument, body, depth)

    def shown(self, indent: str, name: str, argument: str, body: list[str],
              depth: int) -> list[str]:
        options, content = _options(body)
        named = options.get("name", "")
        if named and _SAFE_ID.match(named):  # a reference to it lands here
            return [f'\n{indent}<span id="{named}"></span>\n\n',
                    *self.shown_as(indent, name, argument, options, content, depth)]
        return self.shown_as(indent, name, argument, options, content, depth)

    def shown_as(self, indent: str, name: str, argument: str, options: dict[str, str],
                 content: list[str], depth: int) -> list[str]:
        if name in _CODE:
            language = argument.split()[0] if argument else options.get("language", "")
            return _code(indent, language, content, options.get("caption", ""))
        if name in _ADMONITIONS or name in _TITLED:
            return self.box(indent, name, argument, options, content, depth)
        if name == "glossary":
            return self.lines(_glossary(content), depth + 1)
        if name in _WRAPPERS:
            return self.lines(content, depth + 1)
        if name in _INCLUDES:
            return self.include(indent, name, argument, options)
        if name in _FIGURES:
            return _figure(indent, argument, options, content)
        if name == "toctree":
            return _toctree(indent, content)
        if name in _PAGE_TOC:
            return [f"\n{indent}[TOC]\n\n"]
        if name in _DROPPED:
            return []
        language = {"eval-rst": "rst", "math": "latex"}.get(name, name)
        return _code(indent, language, content, "")

    def box(self, indent: str, name: str, argument: str, options: dict[str, str],
            content: list[str], depth: int) -> list[str]:
        kind = _TITLED.get(name, name)
        if name == "admonition":  # its class names its kind: ":class: warning"
            kind = next((word for word in options.get("class", "").split()
                         if word in _ADMONITIONS), kind)
        title = argument
        if name in _VERSION_WORDS:
            title = f"{_VERSION_WORDS[name]} {argument}".strip()
        elif name in _ADMONITIONS and argument:
            # These take no title: text on the opening line is the box's first words.
            title, content = "", [f"{indent}{argument}\n", *content]
        return [box_open(kind, title, indent), *self.lines(content, depth + 1),
                box_end(indent)]

    def include(self, indent: str, name: str, argument: str,
                options: dict[str, str]) -> list[str]:
        text = self.read(argument) if self.read is not None and argument else None
        if text is None:
            return [f"\n{indent}*Included file:* `{argument}` (not found in the library)\n\n"]
        language = options.get("language") or options.get("lang") or options.get("code", "")
        if name == "literalinclude" or language or not argument.endswith((".md", ".txt")):
            return _code(indent, language, text.splitlines(keepends=True),
                         options.get("caption") or options.get("filename") or argument,
                         reindent=True)
        return [f"{indent}{line}" for line in text.splitlines(keepends=True)]


def _page_name(target: str) -> str:
    """The words a link to a page with no text of its own shows (MyST shows the page's
    title; its file name stands in): "increase-disk-size" for .../increase-disk-size.md."""
    parts = [part for part in target.split("#")[0].split("/") if part not in ("", ".", "..")]
    if len(parts) > 1 and parts[-1].rsplit(".", 1)[0].lower() in ("index", "readme", "_index"):
        parts.pop()  # a folder's own page is named by its folder
    name = parts[-1].rsplit(".", 1)[0] if parts else target
    return name.replace("-", " ").replace("_", " ")


def _closing(lines: list[str], start: int, marker: str) -> int:
    """The index of the line ending the fence opened with ``marker`` (the page's end
    when none does, as CommonMark ends an open fence)."""
    for i in range(start, len(lines)):
        stripped = lines[i].strip()
        if stripped.startswith(marker) and not stripped.strip(marker[0]):
            return i
    return len(lines)


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    """A directive's options (``:key: value`` lines, or a ``---`` YAML block of
    ``key: value`` lines) and the content after them."""
    options: dict[str, str] = {}
    if body and body[0].strip() == "---":
        for end in range(1, len(body)):
            if body[end].strip() == "---":
                for line in body[1:end]:
                    key, _, value = line.strip().partition(":")
                    options[key.strip().lower()] = value.strip().strip("\"'")
                return options, body[end + 1:]
    taken = 0
    for line in body:
        found = _OPTION.match(line)
        if found is None:
            break
        options[found.group(1).lower()] = found.group(2) or ""
        taken += 1
    return options, body[taken:]


def _code(indent: str, language: str, content: list[str], title: str,
          reindent: bool = False) -> list[str]:
    longest = max((len(m.group(1)) for line in content if (m := FENCE.match(line.lstrip()))
                   and m.group(1)[0] == "`"), default=0)
    fence = "`" * max(3, longest + 1)
    label = f' title="{" ".join(title.split())}"' if title and '"' not in title else ""
    body = [f"{indent}{line}" for line in content] if reindent else content
    if body and not body[-1].endswith("\n"):
        body[-1] += "\n"
    return [f"{indent}{fence}{language.strip()}{label}\n", *body, f"{indent}{fence}\n"]


def _glossary(content: list[str]) -> list[str]:
    """A glossary's terms (lines at its own indent) in bold, their definitions (indented
    under them) as paragraphs below: indented four spaces, they would read as code."""
    base = min((len(line) - len(line.lstrip()) for line in content if line.strip()), default=0)
    out: list[str] = []
    for line in content:
        depth = len(line) - len(line.lstrip())
        if not line.strip():
            out.append(line)
        elif depth == base:
            out.append(f"\n{line[:base]}**{line.strip()}**\n\n")
        else:
            out.append(line[:base] + line[min(depth, base + 4):])
    return out


def _figure(indent: str, argument: str, options: dict[str, str],
            content: list[str]) -> list[str]:
    alt = options.get("alt") or " ".join("".join(content).split()) or "figure"
    shown = [f"\n{indent}![{markdown_escaped(alt)}](<{argument}>)\n\n"] if argument else []
    caption = " ".join("".join(content).split())
    return shown + ([f"{indent}*{caption}*\n\n"] if caption else [])


def _toctree(indent: str, content: list[str]) -> list[str]:
    """A toctree's entries (``path``, ``Title <path>``) as a list of links."""
    links = []
    for line in content:
        entry = line.strip()
        if not entry or entry.startswith(":") or "*" in entry:
            continue
        explicit = _EXPLICIT.match(entry)
        text, target = explicit.groups() if explicit else (entry, entry)
        if "://" in target or target == "self":
            continue
        links.append(f"{indent}- [{markdown_escaped(text or target)}](<{target}>)\n")
    return ["\n", *links, "\n"] if links else []


def _role(name: str, content: str) -> str:
    explicit = _EXPLICIT.match(content)
    text, target = explicit.groups() if explicit else (content, content)
    if name in _CODE_ROLES or ":" in name:  # py:func and other domains' names are code
        return f"`` {text} ``" if "`" in text else f"`{text}`"
    if name in _LINK_ROLES and "://" not in target:
        return f"[{markdown_escaped(text.lstrip('~'))}](<{target.lstrip('/')}>)"
    if name == "guilabel":
        return f"**{markdown_escaped(text.replace('&', ''))}**"
    if name == "menuselection":
        return f"**{markdown_escaped(text.replace('-->', '›'))}**"
    return markdown_escaped(text.lstrip("~!"))
