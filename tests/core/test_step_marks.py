"""Where an incident's tick boxes go on a page: before each step, and only there."""

from __future__ import annotations

import re

from viewer.core.render.page_marks import TICK_SCHEME, show_ticks
from viewer.core.rendering import render_text

PAGE = ("# Failover\n\n## Step 1: Drain the zone\n\nCordon it first.\n\n"
        "- [ ] page the database owner\n- [x] open the incident channel\n\n"
        "```bash\nkubectl drain node-1\n```\n\n## Step 2: Promote the replica\n\n"
        "```bash\npg_ctl promote\n```\n")


def test_each_step_gets_one_tick_box_where_it_is_read() -> None:
    page = render_text(PAGE, "failover.md")
    kinds = [step.kind for step in page.steps]
    assert kinds.count("heading") == 2 and kinds.count("code") == 2
    assert kinds.count("task") == 2
    shown = show_ticks(page.body_html, set())
    boxes = re.findall(rf'href="{TICK_SCHEME}:([^"]+)"', shown)
    assert sorted(boxes) == sorted(step.id for step in page.steps)  # one each
    # A heading's box follows its tag; a code block's opens its header.
    assert re.search(r'<h2 id="step-1-drain-the-zone"><a class="tick"', shown)
    assert len(re.findall(r'<td class="code-head"><a class="tick"', shown)) == 2
    # With no incident on, the page reads as written: a task keeps its own box.
    plain = show_ticks(page.body_html, None)
    assert TICK_SCHEME not in plain and "\u2610 " in plain and "\u2611 " in plain


def test_a_page_of_thousands_of_steps_marks_every_one() -> None:
    page = render_text("# Many\n\n" + "".join(
        f"## Step {n}: Check shard {n}\n\n```bash\ncheck {n}\n```\n\n" for n in range(1, 1500)),
        "many.md")
    shown = show_ticks(page.body_html, set())
    assert len(re.findall(rf'href="{TICK_SCHEME}:', shown)) == len(page.steps) == 2998
