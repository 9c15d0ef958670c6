"""The rules that read one runbook page: links, fences, sections, fields, placeholders, reviews.

Each rule reads the Document the window would show (same parser, slugs,
symptom and variable detection) and the page's text for line numbers.
Links to other pages' sections are returned for :mod:`viewer.check.run`
to settle once every page's anchors are known.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from viewer.check.context import CheckContext
from viewer.check.findings import Finding, SourceText
from viewer.check.suppress import Suppressions, read_suppressions
from viewer.core.document import Document, Problem
from viewer.core.freshness import review_due, review_facts
from viewer.core.frontmatter import field_key
from viewer.core.library import OutsideLibrary, file_stem
from viewer.core.links import classify_link, has_scheme, landing_anchors
from viewer.core.open_request import anchor_matching
from viewer.core.page_images import image_sources, site_picture
from viewer.core.rendering import read_runbook, render_decoded
from viewer.core.triage.alerts import looks_like_alert_name
from viewer.core.triage.extract import extract_scenarios, is_symptoms_heading, part_name
from viewer.core.variables.declared import declarations

_HREF = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"', re.I)
_UNRESOLVED = re.compile(r'<span class="unresolved" title="Not in this library: ([^"]*)"')
_TODO = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b")
_STEP_PARTS = re.compile(r"^(mitigation|remediation|resolution|steps|procedure|fix|how to fix|"
                         r"recovery|actions?|response|runbook steps|what to do)\b", re.I)
ALERT_PARTS = ("meaning", "impact", "diagnosis", "mitigation")
_ALERT_SYNONYMS = {"resolution": "mitigation", "remediation": "mitigation",
                   "how to fix": "mitigation", "investigation": "diagnosis",
                   "how to investigate": "diagnosis"}
STUB_WORDS = 8  # fewer words than this besides the headings, and no command: a stub


@dataclass
class CrossLink:
    """A link to a section of another page, settled once that page's anchors are known."""

    line: int
    column: int
    href: str
    path: str  # the target page, library-relative
    fragment: str


@dataclass
class PageResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    headings: list[tuple[str, str]] = field(default_factory=list)  # (anchor, text)
    cross_links: list[CrossLink] = field(default_factory=list)
    allows: Suppressions | None = None  # the page's, for the cross-link findings



class _Page:
    """One page being checked: its text, its Document and where findings go."""

    def __init__(self, ctx: CheckContext, rel: str, text: str, document: Document) -> None:
        self.ctx, self.rel, self.text, self.doc = ctx, rel, text, document
        self.source = SourceText(text)
        self.suppressions = read_suppressions(text)
        self.result = PageResult(rel, allows=self.suppressions)

    def add(self, rule: str, where: tuple[int, int], message: str) -> None:
        if rule in self.ctx.enabled and self.suppressions.allows(rule, where[0]):
            self.result.findings.append(
                Finding(self.rel, where[0], where[1], rule, self.ctx.severity(rule), message))

    def title_at(self) -> tuple[int, int]:
        """Where a finding about the whole page goes: its first heading (after any front
        matter and suppression comments), else the top."""
        return self.heading_at(self.doc.headings[0].text) if self.doc.headings else (1, 1)

    def heading_at(self, text: str) -> tuple[int, int]:
        pattern = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+)?[*_`]*" + re.escape(text.strip()), re.M)
        match = pattern.search(self.text)
        return self.source.position(match.start()) if match else self.source.heading_line(text)


def check_page(ctx: CheckContext, rel: str) -> PageResult:
    """Every page rule on the runbook ``rel``."""
    decoded = read_runbook(ctx.library, rel)
    if isinstance(decoded, Problem):
        return _unreadable(ctx, rel, decoded.message)
    document = render_decoded(decoded, rel, ctx.library, labels=ctx.labels)
    if isinstance(document, Problem):
        return _unreadable(ctx, rel, document.message)
    page = _Page(ctx, rel, decoded.text, document)
    if not document.laid_out:
        page.add("RV016", (1, 1), " ".join(document.notices) or "The page cannot be laid out.")
    page.result.anchors, page.result.headings = landing_anchors(document)
    if document.markup == "markdown":
        from viewer.core.render.markdown import unclosed_fences

        for where in unclosed_fences(decoded.text, rel):
            page.add("RV001", where, "This code fence is never closed: everything after it "
                                     "shows as code.")
    _links(page)
    _references(page)
    _alert_sections(page)
    _symptoms(page)
    _review_and_fields(page)
    _placeholders(page)
    _todo_in_steps(page)
    _stub(page)
    return page.result


def _unreadable(ctx: CheckContext, rel: str, message: str) -> PageResult:
    result = PageResult(rel)
    if "RV016" in ctx.enabled:
        result.findings.append(Finding(rel, 1, 1, "RV016", ctx.severity("RV016"), message))
    return result


def _links(page: _Page) -> None:
    library, rel = page.ctx.library, page.rel
    for raw in _HREF.findall(page.doc.body_html):
        href = html.unescape(raw)
        if has_scheme(href):
            continue  # a web address, or the window's own (copy:, var:): not the library's
        target = classify_link(href, library, rel)
        where = page.source.find(href, unquote(href), href.split("#")[0] or href)
        if target.kind == "anchor" or (target.kind == "runbook" and target.path == rel):
            if target.anchor and not has_anchor(page.result.anchors, page.result.headings,
                                                target.anchor):
                page.add("RV003", where, missing_anchor(href, target.anchor,
                                                        page.result.headings))
        elif target.kind == "runbook" and target.anchor:
            page.result.cross_links.append(
                CrossLink(where[0], where[1], href, target.path, target.anchor))
        elif target.kind == "refused" and not target.path and not _exists(page, href):
            page.add("RV002", where, target.reason)
    for src in image_sources(page.doc.body_html):
        if has_scheme(src) or _exists(page, src) or site_picture(
                library, rel, unquote(urlsplit(src).path)) is not None:
            continue  # where the window reads it from
        page.add("RV002", page.source.find(src, unquote(src)),
                 f"The picture {src} is not in this library.")


def _exists(page: _Page, href: str) -> bool:
    path = unquote(urlsplit(href).path)
    if not path:
        return True
    try:
        return page.ctx.library.resolve(path, base=page.rel).exists()
    except OutsideLibrary:
        return False


def has_anchor(anchors: set[str], headings: list[tuple[str, str]], fragment: str) -> bool:
    """Whether the window lands a link's ``#fragment`` on something of the page: an id, a
    heading under any site generator's slug, a forge's line (``#L40``, shown at the top) or
    ``#top`` (docutils' table of contents links its title there)."""
    if re.fullmatch(r"L\d+(-L\d+)?", unquote(fragment)) or fragment.lower() == "top":
        return True  # a forge's line; "#top", which a browser (and the window) takes as the top
    return bool(anchor_matching(anchors, headings, fragment))


def missing_anchor(href: str, fragment: str, headings: list[tuple[str, str]]) -> str:
    import difflib

    anchors = [anchor for anchor, _ in headings if anchor]
    near = difflib.get_close_matches(unquote(fragment), anchors, n=1, cutoff=0.6)
    hint = f"; did you mean #{near[0]}?" if near else "."
    return f"{href}: the page has no section #{unquote(fragment)}{hint}"


def _references(page: _Page) -> None:
    for target in _UNRESOLVED.findall(page.doc.body_html):
        name = html.unescape(target)
        where = page.source.find(f"<{name}>`", f"`{name}`", name)
        page.add("RV004", where, f"{name} is not a label or page of this library "
                                 "(:ref: or :doc: left unresolved).")


def _parts(document: Document) -> list[tuple[str, str]]:
    """(part, heading text) of each heading, synonyms folded: "Resolution" -> mitigation."""
    found = []
    for heading in document.headings:
        part = part_name(heading.text)
        found.append((_ALERT_SYNONYMS.get(part, part), heading.text))
    return found


def _alert_sections(page: _Page) -> None:
    """An alert runbook (a Meaning section, or named after an alert and with one of the other
    parts) should have all four parts; a Symptoms-style page is judged by RV006 instead."""
    parts = _parts(page.doc)
    present = {part for part, _ in parts if part in ALERT_PARTS}
    stem = file_stem(page.rel)
    named = looks_like_alert_name(page.doc.title.strip("` ")) or looks_like_alert_name(stem)
    if "meaning" not in present and not (named and present):
        return
    if len(present) == len(ALERT_PARTS) or \
            sum(1 for part, _ in parts if part == "meaning") > 1:
        return  # complete, or a playbook of several alerts, each with its own sections
    missing = [p.capitalize() for p in ALERT_PARTS if p not in present]
    first = next(text for part, text in parts if part in present)
    page.add("RV005", page.heading_at(first),
             f"This alert runbook has no {', '.join(missing)} section "
             f"({', '.join(p.capitalize() for p in ALERT_PARTS)} are expected).")


def _symptoms(page: _Page) -> None:
    heading = next((h for h in page.doc.headings if is_symptoms_heading(h.text)), None)
    if heading is None:
        return
    if any(s.symptoms for s in extract_scenarios(page.doc)):
        return
    page.add("RV006", page.heading_at(heading.text),
             f"No symptom could be read from the \"{heading.text}\" section: write one "
             "symptom per list item, as the engineer would see it.")


def _review_and_fields(page: _Page) -> None:
    ctx, doc = page.ctx, page.doc
    facts = review_facts(doc.metadata, page.text)
    for key, value, message in facts.malformed:
        page.add("RV012", page.source.find(f"{key}:", key, value), message + ".")
    due = review_due(facts, ctx.config.freshness)
    if due is not None and not facts.exempt and ctx.today > due:
        key = "review_by" if facts.review_by else "last_reviewed"
        page.add("RV011", page.source.find(f"{key}:", "reviewed"),
                 f"The review was due on {due.isoformat()} "
                 f"({(ctx.today - due).days} days ago).")
    fields = {field_key(str(k)): v for k, v in doc.metadata.items()
              if v not in (None, "", [])}
    for wanted in ctx.config.check.require:
        key = field_key(wanted)
        if key in ("owner", "owners", "team"):
            assert ctx.owners is not None
            ok = bool(facts.owners or ctx.owners.owners(page.rel))
        elif key == "severity":
            ok = bool(fields.get("severity") or fields.get("priority"))
        else:
            ok = key in fields
        if not ok:
            page.add("RV007", page.title_at(), f"The page states no {wanted}, which this "
                                               "library's runbook-viewer.toml requires.")


def _placeholders(page: _Page) -> None:
    doc = page.doc
    declared = declarations(doc.metadata)
    prose = "\n".join(b.text for b in doc.blocks if b.kind != "code").lower()
    for variable in doc.variables:
        if not variable.placements or variable.name in declared:
            continue
        raw = variable.placements[0].raw
        where = page.source.find(raw)
        if declared:
            page.add("RV008", where, f"{raw} is not declared in the page's variables: "
                                     f"(declared: {', '.join(sorted(declared))}).")
        elif not _explained(variable, raw, prose):
            page.add("RV009", where, f"Nothing on the page says what to put in {raw}: "
                                     "declare it under variables: or explain it in the text.")


_GENERIC_WORDS = frozenset({
    "name", "value", "values", "id", "foo", "bar", "baz", "qux", "xxx", "yyy", "zzz",
    "something", "thing", "placeholder", "string", "text", "val", "var", "arg", "args", "param",
    "input", "here", "your", "my", "the", "this", "that", "some", "insert", "replace", "me",
    "fill", "in", "todo", "tbd", "changeme", "change"})


def _explained(variable, raw: str, prose: str) -> bool:  # type: ignore[no-untyped-def]
    """Named in the text, or self-explaining: ``<node-name>`` needs no note, ``<X>`` or
    ``<your-value-here>`` does."""
    spellings = {raw.lower(), variable.shown.lower(), variable.name.lower(),
                 variable.name.replace("_", " ").lower(), variable.name.replace("_", "-").lower()}
    if any(s and s in prose for s in spellings):
        return True
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", raw)
    words = [w.lower() for w in re.split(r"[^A-Za-z]+", spaced) if w]
    return any(len(w) >= 2 and w not in _GENERIC_WORDS for w in words)


def _todo_in_steps(page: _Page) -> None:
    trail: list[tuple[int, str]] = []
    for block in page.doc.blocks:
        if block.kind == "heading":
            while trail and trail[-1][0] >= block.level:
                trail.pop()
            trail.append((block.level, block.text))
            continue
        if not any(_STEP_PARTS.match(part_name(text)) for _level, text in trail):
            continue
        match = _TODO.search(block.text)
        if match:
            snippet = block.text[max(0, match.start() - 20):match.end() + 40].strip()
            where = page.source.find(snippet.split("\n")[0], match.group(1),
                                     after_line=page.heading_at(trail[-1][1])[0])
            page.add("RV010", where, f"\"{trail[-1][1]}\" still says {match.group(1)}: "
                                     "an engineer following it at 3 a.m. has nothing to do.")


def _stub(page: _Page) -> None:
    doc = page.doc
    name = page.rel.rsplit("/", 1)[-1].lower()
    if name.startswith("_index.") or doc.code_blocks or "<a " in doc.body_html:
        return  # a Hugo section page (a listing), or a page that sends the reader on
    words = sum(len(b.text.split()) for b in doc.blocks if b.kind != "heading")
    if words < STUB_WORDS and "toctree" not in page.text:
        page.add("RV015", page.title_at(), f"The page has {words} words besides its "
                                           "headings: a stub an engineer will open and find "
                                           "nothing in.")
