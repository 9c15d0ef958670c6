"""Finding placeholders in the text of code blocks and code spans, in reading order.

What counts, and what never does:

- ``<name>``, ``<name with spaces>``: except redirects and heredocs
  (``<in.txt``, ``<<EOF``, ``<(...)``), generics (``List<String>``), e-mail
  addresses and URLs, HTML tags, values tools print (``<none>``), and every
  line a console session marks as output or prompt;
- ``$NAME``, ``${NAME}``: in shell-like blocks, outside single quotes, unless
  the runbook assigned it earlier (``NAME=...``, ``export NAME=...``, ``for
  NAME in``, ``read NAME``), it has a default (``${NAME:-x}``), or every
  shell has it (``$HOME``, ``$KUBECONFIG``);
- ``{{ name }}`` and ``[name]``: only names the front matter declares. Go,
  Helm and Jinja template expressions are never placeholders.

The scan is one pass over the text with patterns of bounded length: linear
in the size of the page, whatever the page holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from viewer.core.log_lines import opens_log_record
from viewer.core.variables.declared import Declaration
from viewer.core.variables.names import (
    HTML_TAGS,
    OUTPUT_WORDS,
    WELL_KNOWN_ENV,
    fold,
    label_named_by,
)

# Languages whose ``$NAME`` is a shell variable ("" and text: commands without a fence word).
DOLLAR_LANGUAGES = frozenset({
    "", "text", "txt", "plain", "plaintext", "none", "bash", "sh", "shell", "zsh", "ksh",
    "console", "shell-session", "sh-session", "bash-session", "shellsession", "terminal",
    "yaml", "yml", "env", "dotenv", "dockerfile", "ini", "conf", "makefile", "make",
})
_PLAIN_LANGUAGES = frozenset({"", "text", "txt", "plain", "plaintext", "none", "log", "logs"})
# Languages where ``<x>`` is syntax (tags, generics, includes), never a placeholder.
NO_ANGLE_LANGUAGES = frozenset({
    "html", "xml", "svg", "xhtml", "xsl", "xslt", "jsx", "tsx", "vue", "svelte", "md",
    "markdown", "mdx", "rst", "c", "cpp", "c++", "h", "hpp", "objc", "java", "csharp", "cs",
    "rust", "rs", "go", "golang", "kotlin", "scala", "swift", "typescript", "ts", "php",
    "erb", "jinja", "jinja2", "j2", "handlebars", "hbs", "mermaid", "plantuml", "puml",
    "dot", "graphviz", "d2", "diff", "patch", "haskell", "ocaml", "fsharp",
})


_ANGLE = re.compile(r"<([A-Za-z][^<>\n]{0,80}?)>")
_DOLLAR = re.compile(r"\$(?:\{([A-Za-z_]\w{0,63})(:?[-=?+][^}\n]{0,200})?\}|([A-Za-z_]\w{0,63}))")
_BRACKET = re.compile(r"\[([A-Za-z_][\w .-]{0,60})\]")
_TEMPLATE = re.compile(r"\{\{(.{0,200}?)\}\}", re.DOTALL)
_PLAIN_NAME = re.compile(r"^\s*([A-Za-z_][\w .-]{0,60}?)\s*$")
_ASSIGN = re.compile(
    r"(?:^\s*(?:\$\s+)?|[;&|(`]\s*|\b(?:export|local|declare|readonly|typeset|env)\s+(?:-\w+\s+)*)"
    r"([A-Za-z_]\w{0,63})=")
_FOR = re.compile(r"\bfor\s+([A-Za-z_]\w{0,63})\s+in\b")
_READ = re.compile(r"\bread\b([^;|&\n]{0,200})")
_IDENTIFIER = re.compile(r"^[A-Za-z_]\w{0,63}$")
_INTERESTING_CHARS = "\n\\'\"#$<["
_INTERESTING = re.compile(r"[\n\\'\"#$<\[]")


@dataclass(frozen=True)
class Occurrence:
    """One placeholder as written: its place in the scanned text and the variable it names."""

    name: str  # folded
    raw: str  # exactly as written: "<my-namespace>", "${POD}", "{{ ns }}"
    kind: str  # "angle" | "dollar" | "declared"
    start: int
    end: int
    context: str  # where it sits: "" bare, "'" or '"' inside those quotes, "#" a comment
    label: str = ""  # the alert label its words name ("<value of instance label>")


class Scanner:
    """Scans a page's code in reading order; remembers what the page assigned so far."""

    def __init__(self, declared: dict[str, Declaration] | None = None) -> None:
        self.declared = declared or {}
        self.assigned: set[str] = set()

    def scan_block(self, text: str, copy_text: str, language: str,
                   skips: list[tuple[int, int]]) -> tuple[list[Occurrence], list[Occurrence]]:
        """(placeholders in ``text`` as shown, in ``copy_text`` as copied), from the same state.

        A plain block that opens with a log record ("If you see an error like below:",
        then ``level=info ts=2024-02-23T10:31:29Z ... "$clusterId"``) is output quoted for
        recognition: nothing in it is to be filled in."""
        if language.lower() in _PLAIN_LANGUAGES and opens_log_record(text):
            return [], []
        before = set(self.assigned)
        shown = self.scan(text, language, skips)
        after, self.assigned = self.assigned, before
        copied = self.scan(copy_text, language, [])
        self.assigned = after
        return shown, copied

    def scan(self, text: str, language: str = "",
             skips: list[tuple[int, int]] | None = None) -> list[Occurrence]:
        """The placeholders in ``text``; ``skips`` are ranges never read (console output)."""
        language = language.lower()
        dollars = language in DOLLAR_LANGUAGES
        angles = language not in NO_ANGLE_LANGUAGES
        found: list[Occurrence] = []
        templates = self._templates(text, found)
        ranges = sorted([*(skips or []), *templates])
        single = double = comment = False
        line_start = 0
        assignments = self._assignments(text, 0, dollars)
        position, skip_index, length = 0, 0, len(text)
        while position < length:
            while skip_index < len(ranges) and ranges[skip_index][1] <= position:
                skip_index += 1
            if skip_index < len(ranges) and ranges[skip_index][0] <= position:
                position = ranges[skip_index][1]
                continue
            char = text[position]
            if char not in _INTERESTING_CHARS:  # runs of plain text: skipped at C speed
                found_at = _INTERESTING.search(text, position)
                position = found_at.start() if found_at else length
                continue
            if char == "\n":
                comment = False
                self.assigned.update(name for name, _ in assignments)
                line_start = position + 1
                assignments = self._assignments(text, line_start, dollars)
                position += 1
                continue
            if comment:
                if char == "<" and angles:
                    position = self._angle(text, position, "#", found)
                else:
                    position += 1
                continue
            if char == "\\" and not single:
                position += 2
                continue
            if char == "'" and not double:
                single = not single
            elif char == '"' and not single:
                double = not double
            elif char == "#" and not single and not double and dollars and (
                    position == line_start or text[position - 1] in " \t"):
                comment = True
            elif char == "$" and dollars and not single:
                position = self._dollar(text, position, '"' if double else "", assignments,
                                        found)
                continue
            elif char == "<" and angles:
                position = self._angle(text, position, _context(single, double), found)
                continue
            elif char == "[" and self.declared:
                position = self._bracket(text, position, _context(single, double), found)
                continue
            position += 1
        self.assigned.update(name for name, _ in assignments)
        found.sort(key=lambda occurrence: occurrence.start)
        return found

    # -- the kinds of placeholder -------------------------------------------------------
    def _templates(self, text: str, found: list[Occurrence]) -> list[tuple[int, int]]:
        """``{{ ... }}`` regions: a declared name is a placeholder; every region is skipped."""
        if "{{" not in text:
            return []
        regions = []
        for match in _TEMPLATE.finditer(text):
            regions.append((match.start(), match.end()))
            plain = _PLAIN_NAME.match(match.group(1))
            if plain and self._declared(plain.group(1)):
                declaration = self._declared(plain.group(1))
                assert declaration is not None
                found.append(Occurrence(declaration.name, match.group(0), "declared",
                                        match.start(), match.end(), "#"))
        return regions

    def _declared(self, written: str) -> Declaration | None:
        return self.declared.get(fold(written))

    def _dollar(self, text: str, position: int, context: str,
                assignments: list[tuple[str, int]], found: list[Occurrence]) -> int:
        match = _DOLLAR.match(text, position)
        if match is None:
            return position + 1
        written = match.group(1) or match.group(3)
        name = fold(written)
        declaration = self.declared.get(name)
        if declaration is not None:
            name = declaration.name
        has_default = bool(match.group(2)) and match.group(2).lstrip(":")[:1] in "-="
        assigned = name in self.assigned or any(
            assigned_name == name and at < position for assigned_name, at in assignments)
        if declaration is not None or not (has_default or assigned or name in WELL_KNOWN_ENV):
            found.append(Occurrence(name, match.group(0), "dollar", position, match.end(),
                                    context))
        return match.end()

    def _angle(self, text: str, position: int, context: str, found: list[Occurrence]) -> int:
        before = text[position - 1] if position else " "
        if before.isalnum() or before in "_<":
            return position + 1  # a generic (List<String>) or a heredoc (<<EOF)
        match = _ANGLE.match(text, position)
        if match is None:
            return position + 1
        inner = match.group(1)
        lowered = inner.lower()
        if (inner != inner.rstrip() or "@" in inner or "://" in inner or "=" in inner
                or '"' in inner or lowered in OUTPUT_WORDS or lowered in HTML_TAGS):
            return position + 1
        label = label_named_by(inner)
        declaration = self._declared(inner)
        name = declaration.name if declaration else (label or fold(inner))
        if not name:
            return position + 1
        found.append(Occurrence(name, match.group(0), "angle", position, match.end(), context,
                                label))
        return match.end()

    def _bracket(self, text: str, position: int, context: str, found: list[Occurrence]) -> int:
        match = _BRACKET.match(text, position)
        declaration = self._declared(match.group(1)) if match else None
        if match is None or declaration is None:
            return position + 1
        found.append(Occurrence(declaration.name, match.group(0), "declared", position,
                                match.end(), context))
        return match.end()

    @staticmethod
    def _assignments(text: str, line_start: int, dollars: bool) -> list[tuple[str, int]]:
        """(folded name, position) of each variable the line at ``line_start`` assigns."""
        if not dollars:
            return []
        end = text.find("\n", line_start)
        line = text[line_start:end if end >= 0 else len(text)]
        if "=" not in line and "for" not in line and "read" not in line:
            return []
        found = [(fold(m.group(1)), line_start + m.start(1)) for m in _ASSIGN.finditer(line)]
        found += [(fold(m.group(1)), line_start + m.start(1)) for m in _FOR.finditer(line)]
        for match in _READ.finditer(line):
            words = match.group(1).split()
            names = [w for w in words if _IDENTIFIER.match(w)]
            found += [(fold(name), line_start + match.start()) for name in names]
        return found


def _context(single: bool, double: bool) -> str:
    return "'" if single else '"' if double else ""
