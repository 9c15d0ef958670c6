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
* ``(label)=`` targets, ``%`` comment lines and ``+++`` breaks: not shown.

Nothing is run and nothing is fetched: an include is a file of the same library.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from viewer.core.render.boxes import box_end, box_open, markdown_escaped
from viewer.core.render.fences import FENCE

Reader = Callable[[str], "str | None"]

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
# A role's text may run onto the next line of its paragraph, not past a blank line.
_ROLE = re.compile(r"\{([\w:.+-]+)\}(`+)((?:[^`\n]|\n(?![ \t]*\n))+?)\2(?!`)")
_TARGET = re.compile(r"^ {0,3}\([^()\s]+\)=\s*$")
_COMMENT = re.compile(r"^ {0,3}%")
_BREAK = re.compile(r"^ {0,3}\+\+\+")
_EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)  # `text <target>`
_MYST_SIGN = re.compile(r"^[ \t]*(?:`{3,}|~{3,}|:{3,})\{([\w:.-]+)\}|\{([a-z][\w:.+-]*)\}`|"
                        r"^ {0,3}\([^()\s]+\)=\s*$", re.M)

_CODE_ROLES = {"kbd", "command", "file", "samp", "envvar", "program", "option", "code",
               "math", "regexp", "makevar", "mailheader", "mimetype", "newsgroup"}
_LINK_ROLES = {"doc", "download"}
_TEXT_ROLES = {"ref", "numref", "term", "abbr", "guilabel", "menuselection", "sub", "sup",
               "button", "any", "cite", "eq", "dfn", "sc", "strike"}
_MAX_DEPTH = 20  # directives inside directives: far deeper than any page writes


def has_myst(text: str) -> bool:
    """Whether ``text`` writes MyST: a directive or role this module knows, or a target."""
    if "{" not in text and ")=" not in text:
        return False
    for found in _MYST_SIGN.finditer(text):
        directive, role = found.group(1), found.group(2)
        if directive is None and role is None:
            return True  # a (label)= line
        if (directive or "").lower() in _KNOWN:
            return True
        if role is not None and (role in _CODE_ROLES or role in _LINK_ROLES
                                 or role in _TEXT_ROLES or ":" in role):
            return True
    return False


def expand_myst(text: str, read: Reader | None = None) -> str:
    """``text`` with its directives, roles and targets as the MyST site shows them;
    ``read`` reads an included file of the library (by a path relative to the page)."""
    return "".join(_Expander(read).lines(text.splitlines(keepends=True), 0))


class _Expander:
    def __init__(self, read: Reader | None) -> None:
        self.read = read

    def lines(self, lines: list[str], depth: int) -> list[str]:
        out: list[str] = []
        prose: list[str] = []  # lines of text since the last block, for roles across lines

        def flush() -> None:
            text = "".join(prose)
            out.append(_ROLE.sub(_role, text) if "}`" in text else text)
            prose.clear()

        i = 0
        while i < len(lines):
            line = lines[i]
            directive = _DIRECTIVE.match(line) if depth < _MAX_DEPTH else None
            if directive is not None:
                flush()
                end = _closing(lines, i + 1, directive.group(2))
                out += self.directive(directive, lines[i + 1:end], depth)
                i = end + 1
                continue
            fence = FENCE.match(line)
            if fence is not None:  # fenced code: as written, to its end
                flush()
                end = _closing(lines, i + 1, fence.group(1))
                out += lines[i:end + 1]
                i = end + 1
                continue
            if not (_TARGET.match(line) or _COMMENT.match(line) or _BREAK.match(line)):
                prose.append(line)
            i += 1
        flush()
        return out

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


def _role(found: re.Match[str]) -> str:
    name, content = found.group(1).lower(), " ".join(found.group(3).split())
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
