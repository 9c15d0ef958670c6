"""reST directives that Sphinx projects add, read the way their extensions show them.

* tabs (sphinx-tabs ``tabs``/``tab``/``group-tab``/``code-tab``, sphinx-design
  ``tab-set``/``tab-item``) and sphinx-design ``dropdown`` and ``card``: each a
  titled block, in order, shown open;
* ``include`` and ``literalinclude`` of a file inside the library: read
  through its gate (size limit, three levels of includes at most); a file
  outside stays refused, with a notice;
* ``raw:: html``: through the same sanitiser as Markdown's raw HTML;
* any other directive (``.. config:setting:: name`` with ``:displayname:``...):
  its argument and options as a small definition list, then its content,
  instead of a run-on paragraph.
"""

from __future__ import annotations

import posixpath
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList

from viewer.core.library import OutsideLibrary
from viewer.core.render.sanitize import sanitize_html
from viewer.core.textio import UnreadableFile

MAX_INCLUDE_BYTES = 1024 * 1024
MAX_INCLUDE_DEPTH = 3


class AnyOptions(dict):  # type: ignore[type-arg]
    """An option_spec that accepts every option as plain text."""

    def __bool__(self) -> bool:
        return True  # docutils reads no options at all for an empty (falsy) spec

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> Any:
        return directives.unchanged


class PermissiveDirective(Directive):
    """Accepts any arguments, options and content, so it can stand in for any directive."""

    optional_arguments = 10
    final_argument_whitespace = True
    has_content = True
    option_spec = AnyOptions()

    def nested(self) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, container)
        return list(container.children)


class TitledBlockDirective(PermissiveDirective):
    """A tab, a dropdown or a card: a block titled by its argument (or its :title:)."""

    def run(self) -> list[nodes.Node]:
        title = " ".join(self.arguments) or str(self.options.get("title") or "") or \
            self.name.replace("-", " ").capitalize()
        node = nodes.admonition(classes=["note", "titled-block"])
        node += nodes.title("", title)
        if self.name == "code-tab":  # sphinx-tabs: the argument is the code's language
            code = "\n".join(self.content)
            node += nodes.literal_block(code, code, language=self.arguments[0]
                                        if self.arguments else "")
            return [node]
        node.extend(self.nested())
        return [node]


class GroupDirective(PermissiveDirective):
    """``tabs``, ``tab-set``, ``grid``: only a frame around titled blocks."""

    def run(self) -> list[nodes.Node]:
        return self.nested()


# Options that lay a site's box out (its look, its place, its handle), not the reader's text.
_LAYOUT_OPTIONS = frozenset({
    "class", "id", "name", "style", "width", "height", "align", "icon", "columns", "gutter",
    "margin", "padding", "shadow", "color", "class-container", "class-card", "class-header",
    "class-body", "class-footer", "class-title", "img-top", "img-background", "img-alt"})
_TITLE_OPTIONS = ("title", "caption", "header", "heading")


class OptionsDirective(PermissiveDirective):
    """A directive this viewer does not know: its argument and options as data, then its text.

    A box of a site's theme (``panel-box``, ``topic-box``, a card) names no data: its
    title, then its text, without the options that only place and style it.
    """

    def run(self) -> list[nodes.Node]:
        shown = {key: value for key, value in self.options.items()
                 if key not in _LAYOUT_OPTIONS}
        title = ""
        if not self.arguments:
            title = next((str(shown.pop(key)).strip().strip('"') for key in _TITLE_OPTIONS
                          if shown.get(key)), "")
            if not shown:
                lead = [nodes.paragraph("", "", nodes.strong(text=title))] if title else []
                return [*lead, *self.nested()]
        items = nodes.definition_list(classes=["directive-data"])
        term = " ".join(self.arguments) or title or self.name
        definition = nodes.definition()
        if shown:
            fields = nodes.field_list()
            for key, value in shown.items():
                fields += nodes.field("", nodes.field_name("", key),
                                      nodes.field_body("", nodes.paragraph("", str(value or ""))))
            definition += fields
        items += nodes.definition_list_item("", nodes.term("", term), definition)
        return [items, *self.nested()]


class RawDirective(PermissiveDirective):
    """``raw:: html``, sanitised; raw content for other writers is left out."""

    def run(self) -> list[nodes.Node]:
        if not self.arguments or "html" not in self.arguments[0].lower().split():
            return []
        return [nodes.raw("", sanitize_html("\n".join(self.content)), format="html")]


def _read_inside(name: str) -> tuple[str, str] | None:
    """(library path, text) of a file an include names, read through the library's gate."""
    from viewer.core.render.rst_sphinx import CURRENT
    from viewer.core.sphinx_project import sphinx_root

    ctx = CURRENT.get()
    if ctx.library is None:
        return None
    name = name.strip()
    if name.startswith("/"):  # Sphinx: from the project's source folder
        root = sphinx_root(ctx.library, ctx.path) or ""
        candidate = posixpath.join(root, name.lstrip("/"))
    else:
        candidate = posixpath.join(posixpath.dirname(ctx.path), name)
    try:
        return candidate, ctx.library.read_text(candidate, max_bytes=MAX_INCLUDE_BYTES).text
    except (OutsideLibrary, UnreadableFile):
        return None


class IncludeDirective(PermissiveDirective):
    """``include`` of a reST file inside the library: its text, parsed in place."""

    required_arguments = 1
    optional_arguments = 0

    def run(self) -> list[nodes.Node]:
        from viewer.core.render.rst_sphinx import CURRENT, refuse

        ctx = CURRENT.get()
        found = _read_inside(self.arguments[0])
        if found is None or ctx.include_depth >= MAX_INCLUDE_DEPTH:
            return refuse(self, "the file is not in this library" if found is None
                          else f"includes nest more than {MAX_INCLUDE_DEPTH} deep")
        rel, text = found
        text = _select(text, self.options)
        if "literal" in self.options or "code" in self.options:
            language = self.options.get("code") or ""
            return [nodes.literal_block(text, text, language=str(language))]
        container = nodes.container()
        ctx.include_depth += 1
        try:
            self.state.nested_parse(StringList(text.splitlines(), rel), 0, container)
        finally:
            ctx.include_depth -= 1
        return list(container.children)


class LiteralIncludeDirective(PermissiveDirective):
    """``literalinclude`` of a file inside the library: a code block of it (or of its lines)."""

    required_arguments = 1
    optional_arguments = 0

    def run(self) -> list[nodes.Node]:
        from viewer.core.render.rst_sphinx import refuse

        found = _read_inside(self.arguments[0])
        if found is None:
            return refuse(self, "the file is not in this library")
        text = _select(found[1], self.options)
        language = str(self.options.get("language") or "")
        block = nodes.literal_block(text, text, language=language)
        caption = self.options.get("caption")
        if caption:
            return [nodes.paragraph("", "", nodes.strong(text=str(caption))), block]
        return [block]


def _select(text: str, options: dict) -> str:
    """The part of an included file its options ask for: :start-after:, :end-before:, :lines:."""
    after, before = options.get("start-after"), options.get("end-before")
    if after and after in text:
        text = text.split(after, 1)[1].split("\n", 1)[-1]
    if before and before in text:
        text = text.split(before, 1)[0].rsplit("\n", 1)[0]
    lines = str(options.get("lines") or "").strip()
    if lines:
        keep: list[str] = []
        source = text.splitlines()
        for part in lines.split(","):
            first, _, last = part.strip().partition("-")
            try:
                start = int(first) - 1 if first else 0
                end = (int(last) if last else len(source)) if "-" in part else start + 1
            except ValueError:
                continue
            keep += source[max(0, start):end]
        text = "\n".join(keep)
    return text


TITLED = ("tab", "group-tab", "tab-item", "dropdown", "card", "code-tab", "grid-item-card")
GROUPS = ("tabs", "tab-set", "grid", "grid-item")


def directives_table() -> dict[str, type[Directive]]:
    """These directives by name, for :func:`viewer.core.render.rst_sphinx.register`."""
    table: dict[str, type[Directive]] = {name: TitledBlockDirective for name in TITLED}
    table.update({name: GroupDirective for name in GROUPS})
    table.update({"include": IncludeDirective, "literalinclude": LiteralIncludeDirective,
                  "raw": RawDirective})
    return table
