"""The Sphinx constructs operations docs use, taught to plain docutils.

Roles (``:ref:``, ``:doc:``, ``:kbd:``, ``:term:``...) and directives
(``code-block``, ``toctree``, ``seealso``, ``versionadded``...) are
registered here. Any other role or directive renders its content as text with a small
notice (the same hook as Sphinx's own ``sphinx_domains`` patch), and
the directives that read files (``include``, ``raw``, ``literalinclude``,
``csv-table :file:``) are replaced by a notice.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import PurePosixPath

from docutils import nodes, utils
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.directives.tables import CSVTable
from docutils.transforms import Transform

from viewer.core.library import Library, is_runbook_name
from viewer.core.links import relative_href
from viewer.core.render.rst_blocks import OptionsDirective, directives_table
from viewer.core.rst_targets import LabelLookup, normalize_label

_EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>\s*$", re.DOTALL)
_DOC_SUFFIXES = (".rst", ".rest", ".md", ".txt", ".markdown")


@dataclass
class RstContext:
    """What the parse of one page needs to know about the library around it."""

    library: Library | None
    path: str
    labels: LabelLookup
    default_language: str = ""
    notices: list[str] = field(default_factory=list)
    include_depth: int = 0  # includes being read now, for the depth limit


CURRENT: ContextVar[RstContext] = ContextVar("rst_context")


class notice(nodes.Inline, nodes.TextElement):
    """An inline note that something in the source was not rendered."""


class unresolved(nodes.Inline, nodes.TextElement):
    """A cross-reference whose target is not in the library."""


def _notice(text: str) -> notice:
    return notice(text, text)


# -- cross-references -------------------------------------------------------
def _split_explicit(text: str) -> tuple[str, str]:
    """``"Title <target>"`` -> (title, target); ``"target"`` -> ("", target)."""
    match = _EXPLICIT.match(text)
    if match and match.group(1):
        return match.group(1).strip(), match.group(2).strip()
    return "", text.strip()


def ref_role(name, rawtext, text, lineno, inliner, options=None, content=None):  # type: ignore[no-untyped-def]
    ctx = CURRENT.get()
    title, label = _split_explicit(text)
    label = label.lstrip("~!")
    target = ctx.labels.get(normalize_label(label))
    if target is None and ":" in label:
        # sphinx.ext.autosectionlabel with prefix_document: "path/of/doc:section title"
        doc, _, section = label.rpartition(":")
        found = resolve_doc(ctx, "/" + doc.lstrip("/")) if doc and section else None
        if found is not None:
            href = relative_href(ctx.path, found[0], nodes.make_id(section))
            return [nodes.reference(rawtext, title or section, refuri=href,
                                    internal=True)], []
    if target is None:
        return [unresolved(rawtext, title or label, reftarget=label)], []
    href = relative_href(ctx.path, target.path, target.anchor)
    text_out = title or target.title or label
    return [nodes.reference(rawtext, text_out, refuri=href, internal=True)], []


def resolve_doc(ctx: RstContext, name: str) -> tuple[str, str] | None:
    """(library rel path, title) of the document ``:doc:``/toctree ``name`` names."""
    if ctx.library is None:
        return None
    from viewer.core.library import OutsideLibrary, peek_title

    name = nodes.unescape(name).replace("\x00", "").strip()  # docutils marks escapes with NUL
    if name:
        # As Sphinx joins a doc name: "/troubleshooting/index/" is that page (ScyllaDB's docs
        # end names with a slash), "./x" is x. The library's gate still judges the result.
        name = "/" * name.startswith("/") + posixpath.normpath(name).lstrip("/")
    if not name or name in (".", "/") or len(name.encode("utf-8", "replace")) > 1024 or \
            any(len(part) > 240 for part in name.split("/")):
        return None  # no file of the library has such a name; the OS would refuse it
    candidates = [name] if is_runbook_name(name) else []
    candidates += [name + suffix for suffix in _DOC_SUFFIXES]
    if name.startswith("/"):  # from the Sphinx project's source folder, else the library's root
        from viewer.core.sphinx_project import sphinx_root

        root = sphinx_root(ctx.library, ctx.path) or ""
        candidates = [posixpath.join(root, c.lstrip("/")) for c in candidates]
    for candidate in candidates:
        try:
            real = ctx.library.resolve(candidate, base=None if name.startswith("/") else ctx.path)
        except OutsideLibrary:
            return None
        try:
            found = real.is_file()
        except (OSError, ValueError):  # ENAMETOOLONG and the like: not a file of this library
            continue
        if found:
            rel = ctx.library.rel_path(real)
            return rel, peek_title(real) or PurePosixPath(rel).stem
    return None


def doc_role(name, rawtext, text, lineno, inliner, options=None, content=None):  # type: ignore[no-untyped-def]
    ctx = CURRENT.get()
    title, docname = _split_explicit(text)
    found = resolve_doc(ctx, docname.lstrip("~!"))
    if found is None:
        return [unresolved(rawtext, title or docname, reftarget=docname)], []
    rel, doc_title = found
    return [nodes.reference(rawtext, title or doc_title, refuri=relative_href(ctx.path, rel))], []


# -- styled inline roles ------------------------------------------------------
def _styled(css_class: str, node_type: type[nodes.Element] = nodes.inline):  # type: ignore[no-untyped-def]
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):  # type: ignore[no-untyped-def]
        shown, _ = _split_explicit(text)
        shown = shown or text
        if name.endswith("menuselection"):
            shown = shown.replace("-->", "\u25b8")
        return [node_type(rawtext, shown, classes=[css_class])], []

    return role


def download_role(name, rawtext, text, lineno, inliner, options=None, content=None):  # type: ignore[no-untyped-def]
    """``:download:`file``: a link to the file (the window opens runbooks, refuses others)."""
    title, target = _split_explicit(text)
    return [nodes.reference(rawtext, title or target, refuri=target)], []


def math_role(name, rawtext, text, lineno, inliner, options=None, content=None):  # type: ignore[no-untyped-def]
    """``:math:`` as its LaTeX source, backslashes kept (Qt's page cannot lay out formulas)."""
    return [nodes.literal(rawtext, utils.unescape(text, restore_backslashes=True),
                          classes=["math"])], []


_STYLED_ROLES = {
    "term": ("term", nodes.emphasis), "kbd": ("kbd", nodes.literal),
    "command": ("command", nodes.strong), "program": ("command", nodes.strong),
    "file": ("file", nodes.literal), "samp": ("file", nodes.literal),
    "option": ("option", nodes.literal), "envvar": ("envvar", nodes.literal),
    "guilabel": ("guilabel", nodes.strong), "menuselection": ("guilabel", nodes.strong),
    "dfn": ("dfn", nodes.emphasis), "mailheader": ("file", nodes.literal),
    "mimetype": ("file", nodes.literal), "regexp": ("file", nodes.literal),
    "makevar": ("file", nodes.literal), "abbr": ("abbr", nodes.inline),
    "confval": ("option", nodes.literal),
}
# Python-domain and similar cross-references: shown as code, nothing to link to.
_CODE_REF_ROLES = (
    "func", "meth", "class", "mod", "attr", "exc", "data", "obj", "const",
    "py:func", "py:meth", "py:class", "py:mod", "py:attr", "py:exc", "py:data", "py:obj",
)


def unknown_role(name: str):  # type: ignore[no-untyped-def]
    """A role of the project's own Sphinx extension (MinIO's ``:mc-cmd:`mc admin info```):
    its text, as code, as such roles mostly name commands and APIs. Nothing of it is lost,
    so it says nothing more (a note on every use made MinIO's pages unreadable)."""
    def role(role_name, rawtext, text, lineno, inliner, options=None, content=None):  # type: ignore[no-untyped-def]
        shown, _ = _split_explicit(text)
        return [nodes.literal(rawtext, shown or text)], []

    return role


# -- directives -----------------------------------------------------------------
class CodeBlockDirective(Directive):
    """``code-block``/``sourcecode``/``code``: a literal block with a language."""

    optional_arguments = 1
    has_content = True
    option_spec = {  # noqa: RUF012 (docutils API)
        "linenos": directives.flag, "lineno-start": directives.unchanged,
        "emphasize-lines": directives.unchanged, "caption": directives.unchanged,
        "name": directives.unchanged, "dedent": directives.unchanged,
        "force": directives.flag, "class": directives.class_option,
        "number-lines": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        code = "\n".join(self.content)
        language = self.arguments[0] if self.arguments else CURRENT.get().default_language
        block = nodes.literal_block(code, code, language=language)
        self.add_name(block)
        result: list[nodes.Node] = []
        if "caption" in self.options:
            result.append(nodes.paragraph("", "", nodes.strong(text=self.options["caption"]),
                                          classes=["code-caption"]))
        result.append(block)
        return result


class HighlightDirective(Directive):
    """``.. highlight:: lang``: the language of later ``::`` blocks."""

    required_arguments = 1
    option_spec = {"linenothreshold": directives.unchanged, "force": directives.flag}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        CURRENT.get().default_language = self.arguments[0]
        return []


def _toctree_nodes(content: list[str], options: dict) -> list[nodes.Node]:
    """A toctree's caption and its list of links to the documents it names."""
    ctx = CURRENT.get()
    items = nodes.bullet_list(classes=["toctree"])
    for line in content:
        entry = line.strip()
        if not entry:
            continue
        title, name = _split_explicit(entry)
        if name == "self":
            continue
        names = (_toctree_glob(ctx, name) if "glob" in options and "*" in name
                 else [name])
        for docname in names:
            items += nodes.list_item("", _toctree_entry(ctx, title, docname))
    result: list[nodes.Node] = []
    if "caption" in options:
        result.append(nodes.paragraph("", "", nodes.strong(text=options["caption"])))
    result.append(items)
    return result


def _toctree_entry(ctx: RstContext, title: str, docname: str) -> nodes.paragraph:
    """One line of a toctree: a link to the document, or its name marked as not found."""
    if re.match(r"^https?://", docname):
        return nodes.paragraph("", "", nodes.reference("", title or docname, refuri=docname))
    found = resolve_doc(ctx, docname)
    if found is None:
        return nodes.paragraph("", "", unresolved("", title or docname, reftarget=docname))
    rel, doc_title = found
    ref = nodes.reference("", title or doc_title, refuri=relative_href(ctx.path, rel))
    return nodes.paragraph("", "", ref)


def _toctree_glob(ctx: RstContext, pattern: str) -> list[str]:
    """The documents beside the page a toctree's ``:glob:`` pattern names, sorted."""
    if ctx.library is None:
        return []
    folder = str(PurePosixPath(ctx.path).parent)
    base = "" if folder == "." else folder + "/"
    matches = []
    for rel in ctx.library.iter_runbooks():
        if rel.startswith(base) and rel != ctx.path:
            stem = rel[len(base) :].rsplit(".", 1)[0]
            if fnmatch(stem, pattern):
                matches.append(stem)
    return sorted(matches)


class _HiddenToctree(Transform):
    """A hidden toctree, once the page is read: its list where the page has nothing else
    to show (an index page of a title and its menu, an included fragment), else nothing.
    Sphinx draws it in the site's menu, which the window does not have."""

    default_priority = 880  # after the references and contents are settled

    def apply(self) -> None:
        pending = self.startnode
        # Asked once per page, before any list is put in: a page of two menus shows both.
        if not hasattr(self.document, "rv_shows_something"):
            self.document.rv_shows_something = _shows_something(self.document)
        if self.document.rv_shows_something:
            pending.parent.remove(pending)
        else:  # only now are its pages looked up
            pending.replace_self(_toctree_nodes(**pending.details))


_SHOWN = (nodes.paragraph, nodes.literal_block, nodes.table, nodes.image, nodes.figure,
          nodes.Admonition, nodes.bullet_list, nodes.enumerated_list, nodes.definition_list,
          nodes.line_block, nodes.raw)
_NOT_SHOWN = (nodes.field_list, nodes.docinfo, nodes.comment, nodes.system_message,
              nodes.substitution_definition)


def _shows_something(document: nodes.document) -> bool:
    for node in document.findall(nodes.Element):
        if isinstance(node, _SHOWN) and not any(
                isinstance(above, _NOT_SHOWN) for above in ancestors(node)):
            return True
    return False


def ancestors(node: nodes.Node) -> Iterator[nodes.Node]:
    """The nodes ``node`` is inside, nearest first."""
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


class ToctreeDirective(Directive):
    """``toctree``: shown as a list of links to the documents it names."""

    has_content = True
    option_spec = {  # noqa: RUF012
        "maxdepth": directives.unchanged, "caption": directives.unchanged,
        "hidden": directives.flag, "glob": directives.flag, "titlesonly": directives.flag,
        "numbered": directives.unchanged, "name": directives.unchanged,
        "reversed": directives.flag, "includehidden": directives.flag,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        details = {"content": list(self.content), "options": dict(self.options)}
        if "hidden" in self.options:
            # For the site's menu; shown only where the page has nothing else to show.
            pending = nodes.pending(_HiddenToctree, details)
            self.state_machine.document.note_pending(pending)
            return [pending]
        return _toctree_nodes(**details)


class SeeAlsoDirective(Directive):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        node = nodes.admonition(classes=["seealso"])
        node += nodes.title("", "See also")
        if self.arguments:
            node += nodes.paragraph("", self.arguments[0])
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class VersionDirective(Directive):
    """``versionadded``/``versionchanged``/``deprecated``/``versionremoved``."""

    required_arguments = 1
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    _LEADS = {  # noqa: RUF012
        "versionadded": "New in version {}", "versionchanged": "Changed in version {}",
        "deprecated": "Deprecated since version {}", "versionremoved": "Removed in version {}",
    }

    def run(self) -> list[nodes.Node]:
        lead = self._LEADS.get(self.name, "Version {}").format(self.arguments[0])
        node = nodes.admonition(classes=[self.name])
        node += nodes.title("", lead)
        if len(self.arguments) > 1:
            node += nodes.paragraph("", self.arguments[1])
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class ContentOnlyDirective(Directive):
    """Directives whose body is ordinary text (``only``, ``glossary``, ``hlist``...)."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"sorted": directives.flag, "columns": directives.unchanged}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, container)
        return [*container.children]


class IgnoredDirective(Directive):
    """Directives with nothing to show in a reader (``index``, ``tabularcolumns``...)."""

    has_content = True
    optional_arguments = 10
    final_argument_whitespace = True
    option_spec = None

    def run(self) -> list[nodes.Node]:
        return []


def refuse(directive: Directive, why: str) -> list[nodes.Node]:
    """What a directive that cannot be shown leaves: a notice in its place, and one above."""
    what = f"{directive.name} {' '.join(directive.arguments)}".strip()
    CURRENT.get().notices.append(f"'{what}' not shown: {why}")
    return [nodes.paragraph("", "", _notice(f"not shown: '{what}' ({why})"))]


class MathDirective(Directive):
    """``.. math::``: the LaTeX source as a code block (Qt's page cannot lay out formulas)."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"label": directives.unchanged, "name": directives.unchanged,  # noqa: RUF012
                   "class": directives.class_option, "nowrap": directives.flag}

    def run(self) -> list[nodes.Node]:
        source = "\n".join([*self.arguments, *self.content]).strip()
        block = nodes.literal_block(source, source, classes=["math"])
        block["language"] = "latex"
        return [block]


class SafeCSVTable(CSVTable):
    """A csv-table from inline content only; ``:file:`` and ``:url:`` are refused."""

    def run(self) -> list[nodes.Node]:
        if "file" in self.options or "url" in self.options:
            return refuse(self, "a table read from a file or URL is not loaded")
        return super().run()


_DIRECTIVES: dict[str, type[Directive]] = {
    "code-block": CodeBlockDirective, "sourcecode": CodeBlockDirective,
    "code": CodeBlockDirective, "highlight": HighlightDirective,
    "toctree": ToctreeDirective, "seealso": SeeAlsoDirective,
    "versionadded": VersionDirective, "versionchanged": VersionDirective,
    "deprecated": VersionDirective, "versionremoved": VersionDirective,
    "only": ContentOnlyDirective, "glossary": ContentOnlyDirective,
    "hlist": ContentOnlyDirective, "centered": ContentOnlyDirective,
    "index": IgnoredDirective, "tabularcolumns": IgnoredDirective,
    "sectionauthor": IgnoredDirective, "moduleauthor": IgnoredDirective,
    "codeauthor": IgnoredDirective, "meta": IgnoredDirective,
    # Settings for the build, not text: ".. default-domain:: minio" showed "minio"
    "default-domain": IgnoredDirective, "currentmodule": IgnoredDirective,
    "csv-table": SafeCSVTable,
    "math": MathDirective,
}


_REAL_DIRECTIVE = directives.directive
_REAL_ROLE = roles.role


def _lenient_directive(name, language_module, document):  # type: ignore[no-untyped-def]
    cls, _messages = _REAL_DIRECTIVE(name, language_module, document)
    return (cls or OptionsDirective), []


def _lenient_role(name, language_module, lineno, reporter):  # type: ignore[no-untyped-def]
    fn, _messages = _REAL_ROLE(name, language_module, lineno, reporter)
    return (fn or unknown_role(name)), []


def register() -> None:
    """Teach docutils the Sphinx roles and directives (idempotent, process-wide).

    Unknown roles and directives degrade to text with a notice instead of a
    docutils error: the same lookup hook Sphinx's ``sphinx_domains`` uses,
    installed once so parses in several threads never race over it.
    """
    for name, cls in {**_DIRECTIVES, **directives_table()}.items():
        directives.register_directive(name, cls)
    roles.register_local_role("ref", ref_role)
    roles.register_local_role("doc", doc_role)
    roles.register_local_role("math", math_role)
    roles.register_local_role("download", download_role)
    for name, (css, node_type) in _STYLED_ROLES.items():
        roles.register_local_role(name, _styled(css, node_type))
    for name in _CODE_REF_ROLES:
        roles.register_local_role(name, _styled("code-ref", nodes.literal))
    directives.directive = _lenient_directive
    roles.role = _lenient_role


@contextlib.contextmanager
def page_context(context: RstContext) -> Iterator[None]:
    """Make ``context`` the library view of the roles and directives during one parse."""
    token = CURRENT.set(context)
    try:
        yield
    finally:
        CURRENT.reset(token)
