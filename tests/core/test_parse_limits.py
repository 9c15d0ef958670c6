"""A runbook cannot cost time out of proportion to its size; no parser failure loses the page."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from tests.conftest import MakeLibrary
from viewer.core.library import Library
from viewer.core.rendering import render_file, render_text
from viewer.core.slugs import Slugger
from viewer.core.triage.extract import extract_scenarios

# Inputs that grew faster than their size before (issue 20, item 5).
GROWERS: dict[str, tuple[str, Callable[[int], str]]] = {
    "identical headings": ("x.md", lambda n: "## Same\n\ntext\n\n" * n),
    "identical setext headings": ("x.md", lambda n: "Same\n----\n\ntext\n\n" * n),
    "symptoms under each scenario": ("x.md", lambda n: "".join(
        f"## Scenario {i}\n\n### Symptoms\n\n- error {i}\n\n" for i in range(n))),
    "many symptoms in one scenario": ("x.md", lambda n: "## P1: Down\n\n### Symptoms\n\n" + "".join(
        f"- symptom number {i} seen\n" for i in range(n))),
    "many steps in one scenario": ("x.md", lambda n: "## P1: Down\n\n### Symptoms\n\n- down\n\n"
                                   + "".join(f"**Step {i}:** do {i}\n\n" for i in range(n))),
    # MDX (the closing tag at the end makes the page one the MDX pass reads)
    "MDX tags that never close": ("x.mdx", lambda n: "<Card title='x' " * n + "\n</Card>\n"),
    "MDX tags with open braces": ("x.mdx", lambda n: "<Card {" * n + "\n</Card>\n"),
    "MDX cards with hrefs, no end": ("x.mdx", lambda n: "<QuickLink href=x " * n
                                     + "\n</Card>\n"),
    "MDX lines of hrefs, no end": ("x.mdx", lambda n: ("<QuickLink " + "href=x " * 60 + "\n")
                                   * (n // 10) + "</Card>\n"),
    "MDX boxes in boxes, never ended": ("x.mdx", lambda n: "".join(
        f"{'  ' * (i % 50)}<Tab title='t{i}'>\n{'  ' * (i % 50)}  text\n" for i in range(n))
        + "</Card>\n"),
    # Middleman pages: fences in list items written from the margin, never closed or closed
    "Middleman fences never closed": ("x.html.md", lambda n: "1. step\n\n    ```\nx\n" * n),
    "Middleman fences in items": ("x.html.md", lambda n: "1. step\n\n    ```\nx\n```\ntext\n"
                                  * n),
    # An mdBook tag never closed: its line was read again from every space (3,666x at 16x)
    "an mdBook tag never closed": ("x.md", lambda n: "{{#tab " + " " * n + "x\n"),
    "reST sections with targets": ("x.rst", lambda n: "Title\n=====\n\n" + "".join(
        f"Section {i}\n----------\n\ntext `link {i}`_\n\n.. _link {i}: https://e.com/{i}\n\n"
        for i in range(n))),
}


def _seconds(path: str, text: str) -> tuple[float, float]:
    """(rendering, symptom extraction): each must be linear on its own.

    The collector is off while timing, as ``timeit`` does: a full collection
    over the large page's tree can land in either part and is not the code's cost.
    """
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        document = render_text(text, path)
        rendered = time.perf_counter()
        extract_scenarios(document)
        return rendered - started, time.perf_counter() - rendered
    finally:
        gc.enable()


def _fastest(path: str, text: str, runs: int) -> list[float]:
    return [min(times) for times in zip(*(_seconds(path, text) for _ in range(runs)),
                                        strict=True)]


@pytest.mark.parametrize("name", list(GROWERS))
def test_time_grows_in_proportion_to_size(name: str) -> None:
    path, make = GROWERS[name]
    small, large = make(300), make(4800)
    _seconds(path, small)  # warm: imports, caches
    for part, big, little in zip(("rendering", "extraction"), _fastest(path, large, 2),
                                 _fastest(path, small, 3), strict=True):
        ratio = big / max(little, 5e-3)  # below 5 ms, timing noise is the ratio
        # 16x the input: linear is ~16x; quadratic code is 100x and more. A busy machine
        # (a CI neighbour) was seen to stretch a linear part to 45x: 60 leaves it room.
        assert ratio < 60, f"{name}: 16x the input took {ratio:.0f}x the time ({part})"


def test_a_series_of_rest_targets_is_not_copied_again_for_each_one() -> None:
    from docutils import statemachine

    copied = [0]
    original = statemachine.StringList.__getitem__

    def counting(self, index):  # type: ignore[no-untyped-def]
        if isinstance(index, slice):
            copied[0] += len(range(*index.indices(len(self.data))))
        return original(self, index)

    path, make = GROWERS["reST sections with targets"]
    text = make(2000)
    statemachine.StringList.__getitem__ = counting  # type: ignore[method-assign]
    try:
        render_text(text, path)
    finally:
        statemachine.StringList.__getitem__ = original  # type: ignore[method-assign]
    lines = text.count("\n")
    # Each target's nested parse used to get a copy of the rest of the page: ~lines²/2.
    assert copied[0] < 20 * lines, f"{copied[0]:,} lines copied for a {lines:,}-line page"


def test_anchors_of_identical_headings_follow_github() -> None:
    slugger = Slugger()
    assert [slugger.slug(t) for t in ("A", "A", "A-1", "A")] == ["a", "a-1", "a-1-1", "a-2"]
    document = render_text("# Same\n\n# Same\n\n# Same\n", "x.md")
    assert [h.anchor for h in document.headings] == ["same", "same-1", "same-2"]


@pytest.mark.parametrize(("text", "seen"), [
    # docutils' HTML writer raised KeyError('refid') on a footnote reference
    # with no footnote next to a link named like it.
    ("Title\n=====\n\nText `1 <https://x>`_ [1]_ and the rest.\n", "and the rest."),
    # one line over 10,000 characters made docutils drop the whole page
    ("Title\n=====\n\n" + "word " * 2500 + "\n\nAfter the long line.\n", "After the long line."),
])
def test_a_docutils_failure_still_shows_the_page(text: str, seen: str) -> None:
    document = render_text(text, "x.rst")
    assert seen in document.body_html
    assert any(b.text.endswith(seen) for b in document.blocks)  # and it is indexed


def test_a_failure_says_so_on_the_page() -> None:
    document = render_text("Title\n=====\n\nText `1 <https://x>`_ [1]_.\n", "x.rst")
    assert any("shown as plain text" in notice for notice in document.notices)


@pytest.mark.parametrize("target", ["a\\ b\\*c", "x" * 300, "dir/" + "y" * 300])
def test_odd_doc_targets_are_unresolved_links_not_failures(make_library: MakeLibrary,
                                                           target: str) -> None:
    root = make_library({"index.rst": f"Index\n=====\n\nSee :doc:`{target}` here.\n"})
    document = render_file(Library(root), "index.rst")
    assert "here." in document.body_html and not document.notices


def test_math_is_shown_as_its_source_without_complaints(capfd: pytest.CaptureFixture) -> None:
    document = render_text("T\n=\n\n:math:`\\alpha^2 \\badcmd`\n\n.. math::\n\n   \\frac{a}{b}\n",
                           "x.rst")
    assert "\\alpha^2 \\badcmd" in document.body_html and "frac" in document.body_html
    out, err = capfd.readouterr()
    assert out == "" and err == ""
