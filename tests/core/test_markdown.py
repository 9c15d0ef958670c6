"""Markdown renders as GitHub does: lists, anchors, tables, tasks, footnotes, front matter."""

import re

from viewer.core.render.markdown import render_markdown
from viewer.core.slugs import github_slug


def html_of(text: str) -> str:
    return render_markdown(text, "doc.md").body_html


def test_list_right_after_a_paragraph_line_is_a_list() -> None:
    out = html_of("**Check:**\n- pods running\n- logs clean\n")
    assert "<ul>" in out and "<li>pods running</li>" in out


def test_seed_style_questions_nest_their_options() -> None:
    out = html_of("1. What type of service?\n   - A) Web\n   - B) API\n2. Where?\n   - A) K8s\n")
    assert re.search(r"<ol>\s*<li>(<p>)?What type of service\?(</p>)?\s*<ul>\s*<li>A\) Web", out)


def test_nested_list_indented_two_spaces_under_bullet() -> None:
    out = html_of("- outer\n  - inner\n    - innermost\n")
    assert out.count("<ul>") == 3


def test_toc_link_lands_on_github_slug() -> None:
    doc = render_markdown("[Alerts](#monitoring--alerts)\n\n## Monitoring & Alerts\n", "d.md")
    assert '<h2 id="monitoring--alerts">' in doc.body_html
    assert 'href="#monitoring--alerts"' in doc.body_html


def test_repeated_headings_get_numbered_anchors() -> None:
    doc = render_markdown("# Steps\n## Check\n## Check\n## Check\n", "d.md")
    assert [h.anchor for h in doc.headings] == ["steps", "check", "check-1", "check-2"]


def test_non_ascii_letters_are_kept_in_anchors() -> None:
    assert github_slug("Überprüfung der Datenbank") == "überprüfung-der-datenbank"
    assert github_slug("Step 1: Déclarer l'incident") == "step-1-déclarer-lincident"
    doc = render_markdown("## Проверка кэша\n", "d.md")
    assert doc.headings[0].anchor == "проверка-кэша"


def test_front_matter_is_metadata_not_text() -> None:
    doc = render_markdown(
        "---\ntitle: Pool exhausted\nowner: dba\nseverity: SEV1\nlast_reviewed: 2026-01-02\n"
        "tags: [db, pg]\nsymptoms:\n  - too many connections\n---\n# Heading\nBody\n",
        "d.md",
    )
    assert doc.title == "Pool exhausted"
    assert doc.metadata["severity"] == "SEV1"
    assert doc.metadata["last_reviewed"] == "2026-01-02"
    assert doc.metadata["symptoms"] == ["too many connections"]
    assert "owner" not in doc.body_html and "too many connections" not in doc.body_html


def test_the_page_summary_lists_the_front_matter_symptoms_whole() -> None:
    from viewer.core.render.page import page_html

    doc = render_markdown(
        "---\nseverity: SEV1\nsymptoms:\n  - 'Errors: \"too many clients\", then timeouts'\n"
        "  - p95 over 500 ms\n---\n# Pool\n", "d.md")
    page = page_html(doc, "light")
    assert ("<b>Symptoms:</b> Errors: &quot;too many clients&quot;, then timeouts "
            "&nbsp;&middot;&nbsp; p95 over 500 ms") in page
    assert page.count("p95 over 500 ms") == 1
    assert "Symptoms:" not in page_html(render_markdown("# Pool\n", "d.md"), "light")


def test_broken_front_matter_still_renders_with_a_notice() -> None:
    doc = render_markdown("---\ntitle: [unclosed\n---\n# Still here\n", "d.md")
    assert "Still here" in doc.body_html
    assert any("front matter" in n for n in doc.notices)


def test_gfm_tables_tasks_strikethrough_autolinks_footnotes() -> None:
    out = html_of(
        "| Alert | Severity |\n|---|---|\n| High CPU | Warning |\n\n"
        "- [x] backups verified\n- [ ] dashboards reviewed\n\n"
        "~~old step~~ see https://status.example.com now[^1]\n\n[^1]: Footnote text.\n"
    )
    assert "<table>" in out and "<td>High CPU</td>" in out
    assert "\u2611 backups verified" in out and "\u2610 dashboards reviewed" in out
    assert "<s>old step</s>" in out
    assert '<a href="https://status.example.com">' in out
    assert 'class="footnote-ref"' in out and "Footnote text." in out


def test_only_addresses_a_git_host_would_link_become_links() -> None:
    out = html_of("Run restart.sh, then edit app.py as README.md says; the status page is "
                  "www.example.com/status, the API https://api.example.com, mail "
                  "oncall@example.com, not example.com.\n")
    assert re.findall(r'<a href="([^"]+)">', out) == [
        "http://www.example.com/status", "https://api.example.com", "mailto:oncall@example.com"]


def test_title_falls_back_to_first_heading_then_file_name() -> None:
    assert render_markdown("Intro\n\n## Only h2\n", "a/b.md").title == "Only h2"
    assert render_markdown("no headings\n", "a/b.md").title == "b.md"


def test_blocks_keep_bold_labels_and_list_depth_for_extraction() -> None:
    doc = render_markdown("## Pool\n**Symptoms:** slow, errors\n\n- a\n  - b\n", "d.md")
    para = next(b for b in doc.blocks if b.kind == "paragraph")
    assert para.label == "Symptoms:" and para.anchor == "pool"
    items = [(b.text, b.level) for b in doc.blocks if b.kind == "list_item"]
    assert items == [("a", 1), ("b", 2)]


def test_the_index_parse_reads_the_same_text_as_the_page() -> None:
    """The index parses without linkify; headings, blocks and title must not change."""
    from viewer.core.render.markdown import render_markdown

    text = ("# Status page www.status.example.com\n\n"
            "See https://grafana.example.com/d/api and ops@example.com.\n\n"
            "- Dashboard: http://10.0.0.1:3000/x (internal)\n- **Runbook:** example.org/rb\n")
    page = render_markdown(text, "links.md")
    indexed = render_markdown(text, "links.md", with_html=False)
    assert 'href="https://grafana.example.com/d/api"' in page.body_html  # linkified on the page
    assert (indexed.title, indexed.headings, indexed.blocks) == \
        (page.title, page.headings, page.blocks)


def test_a_title_only_in_front_matter_heads_the_page_as_the_site_would_show_it() -> None:
    from viewer.core.render.page import page_html

    def shown(source: str) -> str:
        page = page_html(render_markdown(source, "docs/disk-full/_index.md"), "light")
        return page[page.index("<body>"):]

    page = shown("---\ntitle: Disk full on the primary\n---\n\n| State |\n|-|\n| open |\n\n"
                 "## Check\n")
    assert re.search(r"<body>\s*<h1[^>]*>Disk full on the primary</h1>\s*<table", page)
    # A page with its own title, in Markdown or in HTML, keeps it and gains no second one.
    for own in ("# Disk full\n\n## Check\n", '<h1 align="center">Disk full</h1>\n\n## Check\n'):
        assert shown("---\ntitle: Disk full on the primary\n---\n\n" + own).count("<h1") == 1
    assert "<h1" not in shown("## Check\n\nno title anywhere\n")
    # The freshness line goes under it, as under any title.
    body = page_html(render_markdown("---\ntitle: Disk full\n---\n\ntext\n", "d.md"),
                     freshness=("fresh", "Reviewed today"))
    assert body.index("Disk full</h1>") < body.index("Reviewed today") < body.index("<p>text")
