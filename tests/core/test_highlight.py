"""Highlighting and the exact text the copy action takes."""

import html
import re

from viewer.core.render.highlight import copy_text_for, highlight_code, pygments_css
from viewer.core.render.markdown import render_markdown


def test_known_language_is_highlighted_unknown_is_plain() -> None:
    html, used = highlight_code("SELECT count(*) FROM pg_stat_activity;", "sql")
    assert used and 'class="hl-k">SELECT</span>' in html
    html, used = highlight_code("<b>not html</b>", "klingon")
    assert not used and html == "&lt;b&gt;not html&lt;/b&gt;"


def test_console_copy_drops_prompts_and_output_keeps_continuations() -> None:
    block = ("$ kubectl get pods -n prod \\\n>   -o wide\nNAME    READY\napi-1   1/1\n"
             "$ kubectl rollout status deploy/api\n")
    assert copy_text_for(block, "console") == (
        "kubectl get pods -n prod \\\n  -o wide\nkubectl rollout status deploy/api"
    )
    assert copy_text_for("$ echo hi\nhi\n", "shell-session") == "echo hi"


def test_plain_blocks_copy_exactly_as_written() -> None:
    code = "# comment\n  kubectl   get pods\t--watch\n\n"
    doc = render_markdown(f"```bash\n{code}```\n", "d.md")
    assert doc.code_blocks[0].copy_text == code.rstrip("\n")
    assert doc.code_blocks[0].text == code


def test_every_code_block_has_a_copy_link() -> None:
    doc = render_markdown("```\na\n```\n\n    indented\n\n```python\nb\n```\n", "d.md")
    assert [b.index for b in doc.code_blocks] == [0, 1, 2]
    for i in range(3):
        assert f'href="copy:{i}"' in doc.body_html


def test_both_themes_have_colours_for_highlighting() -> None:
    light, dark = pygments_css("default"), pygments_css("github-dark")
    assert ".hl-k" in light and ".hl-k" in dark and light != dark


def test_highlighting_keeps_every_line_of_a_session() -> None:
    block = "$ kubectl get pods\nNAME  READY\n$ kubectl logs deploy/api --tail=80"
    spans, _ = highlight_code(block, "console")
    assert html.unescape(re.sub(r"<[^>]+>", "", spans)) == block
