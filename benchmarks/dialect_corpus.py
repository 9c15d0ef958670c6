"""Real documentation dialects on a real library: raw markup shown, dead links, notice boxes.

For every page of a library: the page's text as shown (HTML without code
blocks and tags) is searched for markup a site generator would have
expanded (``!!! note``, ``??? tip``, ``=== "Tab"``, ``:::note``, Hugo ``{{<``,
Liquid ``{%``, GitLab ``[[_TOC_]]``); its internal links are followed as a
click would; reST references that did not resolve and "not supported"
notices are counted, and so are pages opening with a "Shown with
limitations" box. Search is asked for text only the app's notices contain.

    python -m benchmarks.dialect_corpus LIBRARY [LIBRARY...] [--json]
"""

from __future__ import annotations

import collections
import html
import re
import sys
import tempfile
from pathlib import Path

from benchmarks.corpus_cli import corpus_main
from viewer.core.library import Library
from viewer.core.links import classify_link
from viewer.core.rendering import render_file
from viewer.core.rst_targets import LabelIndex
from viewer.core.search.index import SearchIndex
from viewer.core.search.labels import stored_labels
from viewer.core.search.refresh import refresh_index
from viewer.core.search.schema import SCHEMA_VERSION

RAW = {
    "!!! admonition": re.compile(r"^\s*!!!\s", re.M),
    "??? collapsible": re.compile(r"^\s*\?\?\?\+?\s", re.M),
    "=== tab": re.compile(r'^\s*===\+?\s+"', re.M),
    "::: container": re.compile(r"^\s*:::", re.M),
    "{{< shortcode": re.compile(r"\{\{[<%]"),
    "{% tag": re.compile(r"\{%"),
    "{: attribute list": re.compile(r"\{:\s*[.#\w]"),
    "](link not made": re.compile(r"\]\(\S+?\)"),
    "[[wiki link]]": re.compile(r"\[\[(?!_?TOC_?\]\])[^\[\]\n]+\]\]"),
    "[[_TOC_]]": re.compile(r"\[\[_?TOC_?\]\]|^\s*\[TOC\]\s*$", re.M),
    "|substitution|": re.compile(r"(?<![\w|])\|[A-Za-z][\w -]{0,40}\|(?![\w|])"),
    "{role}`text`": re.compile(r"\{(?:kbd|ref|doc|term|command|file|guilabel|abbr|numref|"
                               r"download|envvar|program|option|[a-z]+:[a-z]+)\}"),
    "(label)=": re.compile(r"^\s*\([^()\s]+\)=\s*$", re.M),
}
# MyST directives (```{note}) a plain Markdown reader shows as a code block of that "language".
MYST_AS_CODE = {"note", "warning", "tip", "important", "attention", "caution", "danger",
                "error", "hint", "seealso", "admonition", "dropdown", "tab-set", "tab-item",
                "figure", "toctree", "include", "code-block", "card", "grid", "versionadded",
                "contents", "toc"}
_CODE = re.compile(r"<pre\b.*?</pre>|<code\b.*?</code>|<td class=\"code-head\".*?</td>",
                   re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_HREF = re.compile(r'<a\b[^>]*\bhref="([^"]*)"', re.I)
_UNRESOLVED = re.compile(r'class="[^"]*\bunresolved\b')
_IDS = re.compile(r'\b(?:id|name)="([^"]+)"')
_EMPTY_LINK = re.compile(r"<a\b[^>]*>\s*</a>")


def shown_text(body_html: str) -> str:
    """What a reader sees of a page, code blocks left out, one block a line."""
    text = _CODE.sub(" ", body_html)
    text = re.sub(r"</(p|li|h\d|td|tr|div|blockquote)>|<br\s*/?>", "\n", text, flags=re.I)
    return html.unescape(_TAG.sub("", text))


def measure(root: Path) -> dict:
    library = Library(root)
    counts: collections.Counter = collections.Counter()
    raw_examples: dict[str, str] = {}
    dead_examples: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        db_path = Path(scratch) / "index.sqlite3"
        index = SearchIndex(db_path, library.root)
        refresh_index(index, library)
        counts["notice_text_in_search"] = len(index.search('"viewer for safety"', limit=500))
        counts["limitations_in_search"] = len(index.search('"shown with limitations"',
                                                           limit=500))
        index.close()
        # Pages rendered as the window does: labels of other pages from the index.
        labels = LabelIndex(library, stored=lambda: stored_labels(db_path, SCHEMA_VERSION))
        _render_all(library, labels, counts, raw_examples, dead_examples)
    return {"library": str(root), **dict(counts), "raw_examples": raw_examples,
            "dead_examples": dead_examples}


def _render_all(library: Library, labels: LabelIndex, counts: collections.Counter,
                raw_examples: dict[str, str], dead_examples: list[str]) -> None:
    for rel in library.iter_runbooks():
        document = render_file(library, rel, labels=labels)
        counts["pages"] += 1
        if not hasattr(document, "body_html"):
            counts["unreadable"] += 1
            continue
        text = shown_text(document.body_html)
        found = [name for name, pattern in RAW.items() if pattern.search(text)]
        counts["pages_with_raw_markup"] += bool(found)
        for name in found:
            counts[f"raw {name}"] += 1
            raw_examples.setdefault(name, rel)
        as_code = sum(block.language in MYST_AS_CODE for block in document.code_blocks)
        counts["directives_as_code"] += as_code
        if as_code:
            raw_examples.setdefault("directive as code", rel)
        counts["empty_links"] += len(_EMPTY_LINK.findall(document.body_html))
        ids = set(_IDS.findall(document.body_html))
        counts["dead_page_anchors"] += sum(  # "#top" is the page's top, as in a browser
            html.unescape(href)[1:] not in ids and href.lower() != "#top"
            for href in _HREF.findall(document.body_html) if href.startswith("#") and len(href) > 1)
        counts["pages_with_notice_box"] += bool(document.notices)
        counts["not_supported_notices"] += sum("not supported" in n for n in document.notices)
        counts["unresolved_references"] += len(_UNRESOLVED.findall(document.body_html))
        for href in _HREF.findall(document.body_html):
            href = html.unescape(href)
            if href.startswith(("http:", "https:", "mailto:", "copy:", "#")):
                continue
            counts["internal_links"] += 1
            target = classify_link(href, library, rel)
            if target.kind == "refused" and "does not exist" in target.reason:
                counts["dead_internal_links"] += 1
                if len(dead_examples) < 5:
                    dead_examples.append(f"{rel}: {href}")


def report(r: dict) -> None:
    print(f"{r['library']}: {r.get('pages', 0)} pages, {r.get('pages_with_raw_markup', 0)} "
          f"with raw markup, {r.get('dead_internal_links', 0)} dead of "
          f"{r.get('internal_links', 0)} internal links, "
          f"{r.get('unresolved_references', 0)} unresolved references, "
          f"{r.get('pages_with_notice_box', 0)} with a notice box, "
          f"{r.get('not_supported_notices', 0)} 'not supported', notice text found by "
          f"search in {r.get('notice_text_in_search', 0)}; {r.get('directives_as_code', 0)} "
          f"directives shown as code, {r.get('dead_page_anchors', 0)} links to an anchor "
          f"the page lacks, {r.get('empty_links', 0)} links without text")
    for key in sorted(k for k in r if k.startswith("raw ")):
        print(f"    {key}: {r[key]} pages (e.g. {r['raw_examples'][key[4:]]})")
    if "directive as code" in r["raw_examples"]:
        print(f"    directive as code: e.g. {r['raw_examples']['directive as code']}")
    for line in r["dead_examples"][:3]:
        print(f"    dead: {line}")


def main() -> int:
    return corpus_main(__doc__.split("\n\n")[0], measure, report)


if __name__ == "__main__":
    sys.exit(main())
