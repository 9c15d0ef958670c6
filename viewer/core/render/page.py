"""A Document wrapped into the standalone HTML page the window shows and ``render`` prints.

The body HTML does not depend on the theme; the theme only picks the
stylesheet (page colours plus Pygments colours), so switching between light
and dark never re-parses a runbook.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from string import Template
from typing import TYPE_CHECKING

from viewer.core.document import Document, Problem
from viewer.core.frontmatter import SUMMARY_FIELDS, SYMPTOMS_FIELD, as_list, items_of
from viewer.core.render.admonition import admonition_close, admonition_open
from viewer.locations import resources_dir

if TYPE_CHECKING:
    from viewer.core.variables.values import VariableValues

THEMES = ("light", "dark")

_PALETTES: dict[str, dict[str, str]] = {
    "light": {
        "text": "#1f2328", "background": "#ffffff", "heading": "#0d1117", "link": "#0969da",
        "muted": "#59636e", "border": "#d1d9e0", "code_background": "#f6f8fa",
        "code_head": "#eaeef2", "code_text": "#1f2328", "table_head": "#f0f3f6",
        "info_background": "#ddf4ff", "info_border": "#54aeff",
        "tip_background": "#dafbe1", "tip_border": "#4ac26b",
        "important_background": "#fbefff", "important_border": "#c297ff",
        "warning_background": "#fff8c5", "warning_border": "#d4a72c",
        "danger_background": "#ffebe9", "danger_border": "#cf222e",
        "highlight": "#fff3a3", "highlight_text": "#1f2328",
        "var_filled": "#dafbe1", "var_filled_text": "#116329",
        "var_open": "#ffd6d1", "var_open_text": "#a40e26",
        "pygments": "default",
    },
    "dark": {
        "text": "#e6edf3", "background": "#0d1117", "heading": "#f0f6fc", "link": "#4493f8",
        "muted": "#9198a1", "border": "#3d444d", "code_background": "#151b23",
        "code_head": "#212830", "code_text": "#e6edf3", "table_head": "#151b23",
        "info_background": "#0c2d4f", "info_border": "#1f6feb",
        "tip_background": "#0f2e1b", "tip_border": "#238636",
        "important_background": "#2b1a45", "important_border": "#8957e5",
        "warning_background": "#342a0b", "warning_border": "#9e6a03",
        "danger_background": "#3a1519", "danger_border": "#f85149",
        "highlight": "#8a6d00", "highlight_text": "#ffffff",
        "var_filled": "#0f2e1b", "var_filled_text": "#7ee787",
        "var_open": "#3a1519", "var_open_text": "#ffa198",
        "pygments": "github-dark",
    },
}


def palette(theme: str) -> dict[str, str]:
    return _PALETTES.get(theme, _PALETTES["light"])


@lru_cache(maxsize=4)
def stylesheet(theme: str) -> str:
    """The full CSS for ``theme``: page rules plus highlighting colours."""
    from viewer.core.page_cache import kept_text

    colours = palette(theme)
    template = Template((resources_dir() / "styles" / "page.css").read_text(encoding="utf-8"))
    # Kept between runs: the first page paints without loading Pygments.
    highlight = kept_text(f"highlight-{colours['pygments']}.css",
                          lambda: _pygments_css(colours["pygments"]))
    return template.safe_substitute(colours) + "\n" + highlight


def _pygments_css(style: str) -> str:
    from viewer.core.render.highlight import pygments_css

    return pygments_css(style)


_LISTS = frozenset({"tags", "alerts"})  # summary fields that hold a list of names


def _meta_html(document: Document) -> str:
    cells = []
    for key, label in SUMMARY_FIELDS:
        value = document.metadata.get(key)
        if isinstance(value, dict):
            continue  # a theme's settings block ("alerts: {enabled: true}"), not a field
        values = as_list(value) if key in _LISTS else ([str(value)] if value else [])
        if values:
            cells.append(f"<b>{label}:</b> {html.escape(', '.join(values))}")
    rows = [" &nbsp;&middot;&nbsp; ".join(cells)] if cells else []
    key, label = SYMPTOMS_FIELD
    # Each symptom whole: one may hold a comma ('"too many clients", then timeouts').
    if symptoms := items_of(document.metadata.get(key)):
        rows.append(f"<b>{label}:</b> "
                    + " &nbsp;&middot;&nbsp; ".join(map(html.escape, symptoms)))
    if not rows:
        return ""
    return ('<table class="meta" width="100%" cellpadding="6">'
            + "".join(f"<tr><td>{row}</td></tr>" for row in rows) + "</table>\n")


def _notices_html(document: Document) -> str:
    return "".join(
        admonition_open("caution", "Shown with limitations") + f"<p>{html.escape(n)}</p>"
        + admonition_close()
        for n in document.notices
    )


def page_html(document: Document, theme: str = "light", extra_css: str = "",
              values: VariableValues | None = None, ticked: set[str] | None = None,
              freshness: tuple[str, str] | None = None) -> str:
    """The standalone HTML page for ``document``, its placeholders shown with ``values``
    and, while an incident is on, its steps with tick boxes (``ticked``: the done ones);
    ``freshness`` (state, line) is the quiet line under the title."""
    from viewer.core.render.page_marks import show_ticks, show_values

    body = show_ticks(show_values(document.body_html, document.variables, values), ticked)
    body = _front_matter_title(document) + body
    if freshness and freshness[1]:
        body = with_freshness_line(body, *freshness)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(document.title)}</title>\n"
        f"<style>\n{stylesheet(theme)}\n{extra_css}</style></head>\n<body>\n"
        f"{_meta_html(document)}{_notices_html(document)}{body}"
        "</body></html>\n"
    )


def _front_matter_title(document: Document) -> str:
    """The page's title as its heading, when only its front matter holds it.

    Hugo, Docusaurus and MkDocs pages often start at ``##``: the site's theme
    writes the front matter's ``title`` above them. Without it the page began
    with its first table or paragraph, its name only in the window's title bar.
    """
    title = document.metadata.get("title") if document.markup == "markdown" else None
    if not isinstance(title, str) or not title.strip() or "<h1" in document.body_html or any(
            heading.level == 1 for heading in document.headings):
        return ""
    return f'<h1 class="page-title">{html.escape(title.strip())}</h1>\n'


_FIRST_TITLE = re.compile(r"</h1>", re.IGNORECASE)


def with_freshness_line(body: str, state: str, line: str) -> str:
    """``body`` with the freshness line after its first title (at the top if it has none)."""
    mark = f'<p class="freshness freshness-{html.escape(state)}">{html.escape(line)}</p>\n'
    match = _FIRST_TITLE.search(body)
    return body[:match.end()] + "\n" + mark + body[match.end():] if match else mark + body


def problem_html(problem: Problem, theme: str = "light") -> str:
    """A calm page that says why a runbook cannot be shown."""
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(problem.path)}</title>\n"
        f"<style>\n{stylesheet(theme)}\n</style></head>\n<body>\n"
        f"<h2>This runbook cannot be shown</h2>\n"
        + admonition_open("warning", problem.path)
        + f"<p>{html.escape(problem.message)}</p>"
        + admonition_close()
        + "</body></html>\n"
    )
