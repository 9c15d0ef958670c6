"""The reStructuredText front end: docutils, with Sphinx's constructs, to a Document.

Settings make docutils safe and quiet: no file insertion, no raw HTML, no
system messages in the page, no halting on errors. The HTML translator is
adapted to Qt's rich-text engine (ids on headings, callouts as tables) and
shares code blocks and callouts with the Markdown front end.
"""

from __future__ import annotations

import copy
import html
import io
from collections.abc import Iterable
from functools import cache
from typing import Any

from docutils import io as docutils_io
from docutils import nodes
from docutils.core import Publisher, publish_parts
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.readers.standalone import Reader
from docutils.transforms import Transform
from docutils.transforms.references import DanglingReferences
from docutils.writers.html5_polyglot import HTMLTranslator, Writer

from viewer.core.document import Block, CodeBlock, Document, Heading
from viewer.core.frontmatter import (
    SUMMARY_KEYS,
    field_key,
    parse_front_matter,
    split_front_matter,
)
from viewer.core.links import is_fetchable_elsewhere
from viewer.core.render import budget, docutils_speed, rst_sphinx
from viewer.core.render.admonition import admonition_close, admonition_open, notice_html
from viewer.core.render.highlight import code_block_html, copy_text_for, language_name
from viewer.core.render.rst_sphinx import RstContext, notice, page_context, unresolved
from viewer.core.render.sanitize import blocked_image_html, sanitize_html
from viewer.core.rst_targets import FirstFound, scan_labels

rst_sphinx.register()
docutils_speed.install()
budget.install_docutils_check()

_ADMONITIONS = (
    "attention", "caution", "danger", "error", "hint", "important", "note", "tip", "warning",
)
_SETTINGS: dict[str, Any] = {
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "report_level": 5,  # nothing docutils reports reaches the page
    "halt_level": 5,
    "exit_status_level": 5,
    "traceback": True,
    "doctitle_xform": False,
    "sectsubtitle_xform": False,
    "initial_header_level": 1,
    "toc_backlinks": "none",
    "footnote_backlinks": True,
    "syntax_highlight": "none",
    "embed_stylesheet": False,
    "stylesheet_path": "",
    "input_encoding": "unicode",
    "output_encoding": "unicode",
    "image_loading": "link",
    "math_output": "HTML",
    "_disable_config": True,
    "smart_quotes": False,
    "pep_references": False,
    "rfc_references": False,
    "character_level_inline_markup": False,
    # docutils drops a whole page with one line over 10,000 characters; files are
    # capped at 5 MB before they get here, and long lines cost only their length.
    "line_length_limit": 10_000_000,
}


def primary_anchor(section: nodes.section) -> str:
    """The anchor a section is known by: its first explicit label, else its title id."""
    ids = section.get("ids", [])
    if not ids:
        return ""
    return ids[1] if len(ids) > 1 else ids[0]


class RunbookTranslator(HTMLTranslator):
    """docutils' HTML5 translator, adapted to Qt rich text and the viewer's code blocks."""

    def __init__(self, document: nodes.document) -> None:
        super().__init__(document)
        self.code_blocks: list[CodeBlock] = []
        # Leading fields the summary line shows (owner, severity...) are not shown twice.
        leading = _leading_field_list(document)
        self._summarised = {id(field) for field in (
            leading.findall(nodes.field) if leading is not None else ())
            if field_key(field.children[0].astext()) in SUMMARY_KEYS}

    def _only_summarised(self, node: nodes.Element) -> bool:
        fields = [child for child in node.children if isinstance(child, nodes.field)]
        return bool(fields) and len(fields) == len(node.children) and all(
            id(field) in self._summarised for field in fields)

    def visit_field_list(self, node: nodes.field_list) -> None:
        if self._only_summarised(node):
            raise nodes.SkipNode
        super().visit_field_list(node)

    def visit_docinfo(self, node: nodes.docinfo) -> None:
        if self._only_summarised(node):
            raise nodes.SkipNode
        super().visit_docinfo(node)

    def visit_field(self, node: nodes.field) -> None:
        if id(node) in self._summarised:
            raise nodes.SkipNode
        super().visit_field(node)

    # Sections: Qt ignores <section>, so every id goes on the heading itself.
    def visit_section(self, node: nodes.section) -> None:
        self.section_level += 1

    def depart_section(self, node: nodes.section) -> None:
        self.section_level -= 1

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, nodes.section):
            section = node.parent
            level = min(self.section_level + self.initial_header_level - 1, 6)
            primary = primary_anchor(section)
            extra = _landing_spots(i for i in section["ids"] if i != primary)
            self.body.append(f'<h{level} id="{html.escape(primary)}">{extra}')
            self.context.append(f"</h{level}>\n")
            return
        if isinstance(node.parent, nodes.Admonition):
            raise nodes.SkipNode  # written by visit_admonition
        super().visit_title(node)

    # Code blocks: highlighted, with the copy link.
    def visit_literal_block(self, node: nodes.literal_block) -> None:
        if "code" in node.get("classes", []) and len(node["classes"]) > 1 and not node.get(
            "language"
        ):
            language = node["classes"][1]
        else:
            language = node.get("language") or rst_sphinx.CURRENT.get().default_language
        language = language_name(language)
        text = node.astext()
        block = CodeBlock(len(self.code_blocks), language, text, copy_text_for(text, language))
        self.code_blocks.append(block)
        self.body.append(_landing_spots(node.get("ids", [])) + code_block_html(block))
        raise nodes.SkipNode

    # Callouts.
    def visit_admonition(self, node: nodes.Element) -> None:
        kind = node.tagname if node.tagname in _ADMONITIONS else "note"
        for cls in node.get("classes", []):
            if cls in _ADMONITIONS or cls in ("seealso", "versionadded", "versionchanged",
                                               "deprecated", "versionremoved", "todo"):
                kind = cls
        title = None
        if node.children and isinstance(node.children[0], nodes.title):
            title = node.children[0].astext()
        self.body.append(_landing_spots(node.get("ids", [])) + admonition_open(kind, title))

    def depart_admonition(self, node: nodes.Element | None = None) -> None:
        self.body.append(admonition_close())

    # Images: local paths only; the window's resource loader checks the root.
    def visit_image(self, node: nodes.image) -> None:
        uri = node["uri"]
        alt = node.get("alt", "")
        if is_fetchable_elsewhere(uri):
            self.body.append(blocked_image_html(uri, alt))
        else:
            size = "".join(
                f' {dim}="{html.escape(str(node[dim]))}"' for dim in ("width", "height")
                if dim in node and str(node[dim]).rstrip("px").isdigit()
            ).replace("px", "")
            self.body.append(f'<img src="{html.escape(uri)}" alt="{html.escape(alt)}"{size}>')

    def depart_image(self, node: nodes.image) -> None:
        pass

    # Things that went wrong in the source: text, never an error dump.
    def visit_problematic(self, node: nodes.problematic) -> None:
        self.body.append('<span class="problematic">')

    def depart_problematic(self, node: nodes.problematic) -> None:
        self.body.append("</span>")

    def visit_system_message(self, node: nodes.system_message) -> None:
        raise nodes.SkipNode

    def visit_notice(self, node: notice) -> None:
        self.body.append(notice_html(node.astext()))
        raise nodes.SkipNode

    def visit_unresolved(self, node: unresolved) -> None:
        target = html.escape(node.get("reftarget", ""))
        self.body.append(
            f'<span class="unresolved" title="Not in this library: {target}">'
            f"{html.escape(node.astext())}</span>"
        )
        raise nodes.SkipNode


def _landing_spots(ids: Iterable[str]) -> str:
    """Where links to ``ids`` land on something the page draws itself: a heading's other
    ids, or a label above a callout or a code block (``.. _note:`` gives the node an id
    that no tag of its own would carry)."""
    return "".join(f'<span id="{html.escape(i)}"></span>' for i in ids)


for _name in _ADMONITIONS:
    setattr(RunbookTranslator, f"visit_{_name}", RunbookTranslator.visit_admonition)
    setattr(RunbookTranslator, f"depart_{_name}", RunbookTranslator.depart_admonition)


class UndefinedSubstitutions(Transform):
    """An undefined ``|name|`` (defined only where the site is built): a marked token with its
    name, before docutils turns it back into plain text with its bars."""

    default_priority = 860  # before FilterMessages (870)

    def apply(self) -> None:
        for node in tuple(self.document.findall(nodes.problematic)):
            text = node.astext()
            if len(text) > 2 and text.startswith("|") and text.endswith("|"):
                node.parent.replace(node, nodes.inline(text, text.strip("|").strip(),
                                                       classes=["shortcode"]))


class RunbookWriter(Writer):
    def get_transforms(self) -> list:
        return [*super().get_transforms(), UndefinedSubstitutions]

    def __init__(self) -> None:
        super().__init__()
        self.translator_class = RunbookTranslator
        self.code_blocks: list[CodeBlock] = []

    def translate(self) -> None:
        visitor = self.translator_class(self.document)
        self.document.walkabout(visitor)
        for attr in self.visitor_attributes:
            setattr(self, attr, getattr(visitor, attr))
        self.output = self.apply_template()
        self.code_blocks = visitor.code_blocks


def render_rst(text: str, path: str, context: RstContext | None = None, *,
               with_html: bool = True) -> Document:
    """Parse reST ``text`` (library path ``path``) into a Document.

    ``with_html=False`` stops at the doctree: no HTML writer, no highlighting.
    """
    front, body, skipped_lines = split_front_matter(text)
    metadata, problem = parse_front_matter(front)
    if skipped_lines:
        body = "\n" * skipped_lines + body  # keep line numbers meaningful
    ctx = context or RstContext(library=None, path=path, labels={})
    # The page's own labels always resolve, even when the library table is stale.
    ctx.labels = FirstFound(ctx.labels, scan_labels(body, path))
    prolog = _prolog(ctx)
    if prolog:  # as Sphinx does: the project's shared substitutions, before the page
        body = prolog + "\n\n" + body
    writer = RunbookWriter()
    settings = dict(_SETTINGS, warning_stream=io.StringIO())
    body_html = ""
    with page_context(ctx):
        if with_html:
            parts = publish_parts(source=body, source_path=path, writer=writer,
                                  settings_overrides=settings)
            doctree = writer.document
            # A field list before the title is docinfo, a part of its own: keep it on top.
            body_html = sanitize_html(parts["docinfo"] + parts["body"])
        else:
            doctree = _doctree(body, path, settings["warning_stream"])
    headings, blocks = _outline(doctree)
    for key, value in _leading_fields(doctree).items():
        metadata.setdefault(key, value)
    title = str(metadata.get("title") or "").strip() or (
        headings[0].text if headings else path.rsplit("/", 1)[-1]
    )
    notices = [problem] if problem else []
    if ctx.notices:
        unique = sorted(set(ctx.notices))
        notices.append("Not everything in this page could be shown: " + "; ".join(unique) + ".")
    return Document(
        path=path,
        markup="rst",
        title=title,
        body_html=body_html,
        metadata=metadata,
        headings=headings,
        code_blocks=writer.code_blocks,
        blocks=blocks,
        notices=notices,
    )


def _prolog(ctx: RstContext) -> str:
    if ctx.library is None:
        return ""
    from viewer.core.sphinx_project import rst_prolog, sphinx_root

    root = sphinx_root(ctx.library, ctx.path)
    return rst_prolog(ctx.library, root) if root is not None else ""


@cache
def _doctree_settings() -> Any:
    """docutils' settings for a parse, built once: building them costs ~2 ms a page."""
    settings = get_default_settings(Parser, Reader)
    for key, value in _SETTINGS.items():
        setattr(settings, key, value)
    return settings


class _TextReader(Reader):
    """The standalone reader without the check for dangling references.

    That check only turns an unresolved link into an error node holding the
    same text; it is a twentieth of a parse, and the index wants the text.
    """

    def get_transforms(self) -> list:
        return [t for t in super().get_transforms() if t is not DanglingReferences]


def _doctree(body: str, path: str, warnings: io.StringIO) -> nodes.document:
    """``publish_doctree`` with the settings built once (the index parses thousands)."""
    settings = copy.copy(_doctree_settings())
    settings.warning_stream = warnings
    publisher = Publisher(reader=_TextReader(), parser=Parser(), settings=settings,
                          source_class=docutils_io.StringInput,
                          destination_class=docutils_io.NullOutput)
    publisher.set_writer("null")
    publisher.set_source(body, path)
    publisher.set_destination(None, None)
    publisher.publish()
    return publisher.document


def _leading_field_list(doctree: nodes.document) -> nodes.Element | None:
    """The field list a page opens with (``:Owner: team``, ``:Severity: SEV2``), if any.

    It is the reST counterpart of YAML front matter: the first thing in the
    document, or the first thing under its title.
    """
    container: nodes.Element = doctree
    for _ in range(2):
        body = [child for child in container.children
                if not isinstance(child, (nodes.title, nodes.target, nodes.comment,
                                          nodes.substitution_definition))]
        if not body:
            return None
        first = body[0]
        if isinstance(first, (nodes.field_list, nodes.docinfo)):
            return first
        if not isinstance(first, nodes.section):
            return None
        container = first
    return None


def _leading_fields(doctree: nodes.document) -> dict[str, str]:
    """The leading field list as metadata, keyed as front matter spells them."""
    fields = _leading_field_list(doctree)
    return {field_key(field.children[0].astext()): " ".join(field.children[1].astext().split())
            for field in (fields.findall(nodes.field) if fields is not None else ())}


def _shown_text(node: nodes.Element) -> str:
    """A paragraph's text without the viewer's own notices: they are not the runbook's words."""
    if not any(True for _ in node.findall(rst_sphinx.notice)):
        return node.astext()
    return "".join(text.astext() for text in node.findall(nodes.Text)
                   if not any(isinstance(p, rst_sphinx.notice) for p in rst_sphinx.ancestors(text)))


def _outline(doctree: nodes.document) -> tuple[list[Heading], list[Block]]:
    headings: list[Heading] = []
    blocks: list[Block] = []

    def section_of(node: nodes.Node) -> str:
        parent = node.parent
        while parent is not None and not isinstance(parent, nodes.section):
            parent = parent.parent
        return primary_anchor(parent) if parent is not None else ""

    def list_depth(node: nodes.Node) -> int:
        depth, parent = 0, node.parent
        while parent is not None:
            if isinstance(parent, nodes.list_item):
                depth += 1
            parent = parent.parent
        return depth

    # A generated table of contents repeats the headings; it is not content.
    skipped = {id(child) for topic in doctree.findall(nodes.topic)
               if "contents" in topic.get("classes", []) for child in topic.findall()}
    for node in doctree.findall(nodes.Element):
        if id(node) in skipped:
            continue
        if isinstance(node, nodes.title) and isinstance(node.parent, nodes.section):
            level = 0
            parent = node.parent
            while isinstance(parent, nodes.section):
                level += 1
                parent = parent.parent
            anchor = primary_anchor(node.parent)
            headings.append(Heading(min(level, 6), node.astext(), anchor))
            blocks.append(Block("heading", node.astext(), min(level, 6), anchor))
        elif isinstance(node, nodes.paragraph):
            label = ""
            if node.children and isinstance(node.children[0], nodes.strong):
                label = node.children[0].astext().strip()
            parent = node.parent
            in_quote = isinstance(parent, nodes.block_quote)
            first_in_item = isinstance(parent, nodes.list_item) and parent.children[0] is node
            kind = "list_item" if first_in_item else ("quote" if in_quote else "paragraph")
            if isinstance(parent, nodes.entry):
                continue
            text = _shown_text(node)
            if text.strip():
                blocks.append(Block(kind, text, list_depth(node), section_of(node), label))
        elif isinstance(node, nodes.literal_block):
            language = node.get("language", "")
            blocks.append(Block("code", node.astext(), list_depth(node), section_of(node), "",
                                language_name(language)))
        elif isinstance(node, nodes.row):
            cells = [entry.astext().strip() for entry in node.children]
            blocks.append(Block("table_row", " | ".join(cells), 0, section_of(node)))
    return headings, blocks
