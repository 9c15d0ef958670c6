"""Raw HTML in a runbook is reduced to formatting."""

import re

import pytest

from viewer.core.render.markdown import render_markdown


def body(md: str) -> str:
    return render_markdown(md, "d.md").body_html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "alert(1)"),
        ("<style>body{display:none}</style>", "display:none"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ('<object data="x.swf"></object>', "<object"),
        ('<embed src="x.swf">', "<embed"),
        ('<form action="https://evil.example"><input name=p></form>', "<form"),
        ('<b onclick="steal()">bold</b>', "onclick"),
        ('<img src="x.png" onerror="steal()">', "onerror"),
        ('<a href="javascript:steal()">x</a>', "javascript:"),
        ('<a href="data:text/html,<script>x</script>">x</a>', "data:text"),
        ('<p style="background:url(https://evil.example/t.png)">x</p>', "evil.example"),
        ('<img src="https://tracker.example/pixel.gif">', "tracker.example/pixel.gif\""),
        ("[x](javascript:alert(1))", "href=\"javascript"),
    ],
)
def test_unsafe_html_is_removed(source: str, forbidden: str) -> None:
    assert forbidden not in body(source)


def test_formatting_html_survives() -> None:
    out = body("<details><summary>More</summary>\n\n<kbd>Ctrl</kbd> <b>bold</b></details>\n")
    assert "<kbd>Ctrl</kbd>" in out and "<b>bold</b>" in out and "<summary>More</summary>" in out


def test_author_inlined_data_image_is_kept() -> None:
    out = body('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">')
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in out


def test_remote_markdown_image_becomes_a_placeholder() -> None:
    out = body("![dashboard](https://grafana.example.com/render.png)")
    assert "<img" not in out and "image not loaded: dashboard" in out


def test_a_row_of_badges_shows_their_descriptions_not_their_addresses() -> None:
    # A README's first line: the addresses written out filled the window's first screen.
    out = body("[![Release](https://img.shields.io/github/v/release/org/app?label=app)]"
               "(https://github.com/org/app/releases) "
               "![](https://codecov.io/gh/org/app/branch/main/graph/badge.svg)\n")
    assert "[image not loaded: Release]" in out
    assert "[image not loaded: badge.svg]" in out  # no description: the file's name
    visible = re.sub(r"<[^>]+>", "", out)
    assert "shields.io" not in visible and "codecov.io" not in visible
    assert 'title="https://img.shields.io/github/v/release/org/app?label=app"' in out
    assert 'href="https://github.com/org/app/releases"' in out  # the badge's link stays

def test_local_image_keeps_its_relative_path() -> None:
    assert '<img src="img/topology.png" alt="topology">' in body("![topology](img/topology.png)")


def test_a_remote_picture_written_as_html_shows_its_description_not_an_empty_picture() -> None:
    # A README's centred logo: once its address is taken out, an <img width> with no
    # picture would blank the whole page in Qt's page view.
    out = body('<p align="center">\n  <img src="https://example.com/logo.png" width="150" '
               'alt="Team logo">\n</p>\n\n# Title\n')
    assert "<img" not in out
    assert "image not loaded: Team logo" in out
