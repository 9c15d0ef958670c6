"""reST renders with the Sphinx constructs operations docs use, and nothing unsafe."""

import re
from pathlib import Path

from tests.conftest import MakeLibrary
from viewer.core.document import Document
from viewer.core.library import Library
from viewer.core.render.page import page_html
from viewer.core.rendering import render_file, render_text
from viewer.core.rst_targets import LabelIndex

ERROR_TEXT = ("System Message", "Unknown directive", "Unknown interpreted", "ERROR/",
              "WARNING/", "docutils", "Traceback")


def rst(text: str, path: str = "doc.rst") -> Document:
    return render_text(text, path)


def assert_no_error_text(html: str) -> None:
    for marker in ERROR_TEXT:
        assert marker not in html, marker


def render(root: Path, rel: str) -> Document:
    library = Library(root)
    doc = render_file(library, rel, labels=LabelIndex(library))
    assert isinstance(doc, Document), doc
    return doc


def test_ref_resolves_across_documents_with_section_title(make_library: MakeLibrary) -> None:
    root = make_library({
        "index.rst": "Index\n=====\n\nSee :ref:`db-pool` and :ref:`the pool <db-pool>`.\n",
        "ops/issues.rst": ".. _db-pool:\n\nPool Exhausted\n--------------\n\nText.\n",
    })
    doc = render(root, "index.rst")
    assert 'href="ops/issues.rst#db-pool">Pool Exhausted</a>' in doc.body_html
    assert 'href="ops/issues.rst#db-pool">the pool</a>' in doc.body_html
    target = render(root, "ops/issues.rst")
    assert 'id="db-pool"' in target.body_html


def test_doc_role_and_toctree_link_to_documents(make_library: MakeLibrary) -> None:
    root = make_library({
        "ops/index.rst": "Ops\n===\n\nStart with :doc:`incident`.\n\n"
                         ".. toctree::\n   :maxdepth: 2\n\n"
                         "   incident\n   runbooks/db\n   missing-page\n",
        "ops/incident.rst": "Incident Response\n=================\n",
        "ops/runbooks/db.md": "# Database runbook\n",
    })
    doc = render(root, "ops/index.rst")
    assert 'href="incident.rst">Incident Response</a>' in doc.body_html
    assert 'href="runbooks/db.md">Database runbook</a>' in doc.body_html
    assert 'class="unresolved"' in doc.body_html and "missing-page" in doc.body_html
    assert_no_error_text(doc.body_html)


def test_doc_role_with_absolute_path_resolves_from_library_root(make_library: MakeLibrary) -> None:
    root = make_library({"a/b/page.rst": "P\n=\n\n:doc:`/deploy/rollback`\n",
                         "deploy/rollback.rst": "Rollback\n========\n"})
    assert 'href="../../deploy/rollback.rst">Rollback</a>' in render(root, "a/b/page.rst").body_html


def test_a_doc_name_ending_in_a_slash_names_the_page_as_sphinx_reads_it(
        make_library: MakeLibrary) -> None:
    """ScyllaDB's docs write ``:doc:`Troubleshoot </troubleshooting/index/>```: Sphinx
    normalises the name (``posixpath.normpath``), so the slash names no folder."""
    root = make_library({
        "docs/conf.py": "project = 'x'\n",
        "docs/ops/disk.rst": "Disk\n====\n\nBack to :doc:`Troubleshoot </troubleshooting/index/>`"
                             " or :doc:`the node page <../ops/./node/>`.\n\n"
                             ".. toctree::\n\n   node/\n",
        "docs/ops/node.rst": "Node\n====\n",
        "docs/troubleshooting/index.rst": "Troubleshooting\n===============\n"})
    html = render(root, "docs/ops/disk.rst").body_html
    assert 'href="../troubleshooting/index.rst">Troubleshoot</a>' in html
    assert 'href="node.rst">the node page</a>' in html
    assert 'href="node.rst">Node</a>' in html  # the toctree's entry
    assert 'class="unresolved"' not in html


def test_a_label_on_a_callout_or_a_code_block_is_somewhere_to_land() -> None:
    """ScyllaDB's compaction page links "* See note_" to ``.. _note:`` above a note: the
    link went nowhere, and the checker called the section missing."""
    from viewer.core.links import landing_anchors

    doc = rst("Compaction\n==========\n\nSee note_ and the command_.\n\n"
              ".. _note:\n.. note:: Tombstones may be kept.\n\n"
              ".. _command:\n\n.. code-block:: bash\n\n   nodetool compact\n")
    assert 'href="#note"' in doc.body_html and 'href="#command"' in doc.body_html
    anchors, _ = landing_anchors(doc)
    assert {"note", "command"} <= anchors
    note_at = doc.body_html.index('id="note"')
    assert note_at < doc.body_html.index("Tombstones") < doc.body_html.index('id="command"')


def test_a_page_that_only_lists_its_pages_for_the_sites_menu_shows_the_list(
        make_library: MakeLibrary) -> None:
    """A hidden toctree feeds a Sphinx site's menu; on a page with nothing else, its
    entries are what the page is for (it showed as plain source, and the checker called
    it an error). Beside other text it stays hidden, as on the site."""
    root = make_library({
        "ref/index.rst": "Reference\n=========\n\n.. toctree::\n   :hidden:\n\n"
                         "   Limits </ref/limits>\n   glossary\n",
        "ref/guide.rst": "Guide\n=====\n\nRead this first.\n\n.. toctree::\n   :hidden:\n\n"
                         "   limits\n",
        "ref/_common/toc.rst": ".. toctree::\n   :hidden:\n\n   /ref/glossary\n\n"
                               ".. toctree::\n   :hidden:\n\n   /ref/limits\n",
        "ref/limits.rst": "Limits\n======\n", "ref/glossary.rst": "Glossary\n========\n"})
    index = render(root, "ref/index.rst")
    assert 'href="limits.rst">Limits</a>' in index.body_html
    assert 'href="glossary.rst">Glossary</a>' in index.body_html
    toc = render(root, "ref/_common/toc.rst")
    assert toc.laid_out and 'href="../glossary.rst">Glossary</a>' in toc.body_html
    assert 'href="../limits.rst">Limits</a>' in toc.body_html  # both of a page's menus
    assert "limits.rst" not in render(root, "ref/guide.rst").body_html


def test_a_site_themes_box_shows_its_title_and_text_not_its_layout_options() -> None:
    """ScyllaDB's theme writes ``.. panel-box::`` with ``:title:``, ``:id:`` and ``:class:``:
    the page showed "panel-box", "id: getting-started", "class: my-panel" above the links."""
    doc = rst(".. panel-box::\n  :title: Troubleshooting Topics\n  :id: \"getting-started\"\n"
              "  :class: my-panel\n\n  * Startup problems\n\n"
              ".. confval:: max_connections\n   :type: int\n   :default: 100\n\n"
              "   The most connections a node takes.\n")
    assert "<strong>Troubleshooting Topics</strong>" in doc.body_html
    assert "Startup problems" in doc.body_html
    for layout in ("panel-box", "getting-started", "my-panel"):
        assert layout not in doc.body_html, layout
    # A directive of data (an argument, typed options) still shows them.
    for data in ("max_connections", "int", "100", "The most connections a node takes."):
        assert data in doc.body_html, data
    assert_no_error_text(doc.body_html)


def test_code_block_languages_are_highlighted() -> None:
    doc = rst(".. code-block:: bash\n\n   # list pods\n   kubectl get pods\n\n"
              ".. sourcecode:: python\n\n   def f(): return 1\n\n"
              ".. code-block:: no-such-language\n\n   plain <text>\n")
    assert [b.language for b in doc.code_blocks] == ["bash", "python", "no-such-language"]
    assert 'class="hl-c1"' in doc.body_html  # bash comment
    assert 'class="hl-k">def</span>' in doc.body_html
    # As shown: escaped, and marked as a placeholder to fill.
    assert "&lt;text&gt;</a>" in page_html(doc) and "plain " in page_html(doc)


def test_admonitions_render_as_callouts() -> None:
    doc = rst("".join(f".. {kind}::\n   Body of {kind}.\n\n"
                      for kind in ("note", "warning", "important", "tip", "seealso")))
    for title in ("Note", "Warning", "Important", "Tip", "See also"):
        assert f'<p class="admonition-title">{title}</p>' in doc.body_html
    assert "admonition-warning" in doc.body_html


def test_contents_lists_the_sections() -> None:
    doc = rst("Top\n===\n\n.. contents::\n   :local:\n\nFirst\n-----\n\nSecond\n------\n")
    assert 'href="#first"' in doc.body_html and 'href="#second"' in doc.body_html
    assert 'id="first"' in doc.body_html


def test_build_settings_directives_show_nothing() -> None:
    doc = rst("Batch jobs\n==========\n\n.. default-domain:: minio\n\n"
              ".. currentmodule:: ledger.api\n\nJobs run on the server.\n")
    assert "minio" not in doc.body_html and "ledger.api" not in doc.body_html
    assert "Jobs run on the server." in doc.body_html and not doc.notices


def test_version_directives() -> None:
    doc = rst(".. versionadded:: 2.1\n   Pool check.\n\n.. versionchanged:: 3.0\n\n"
              ".. deprecated:: 4.0\n   Use the new one.\n")
    for lead in ("New in version 2.1", "Changed in version 3.0", "Deprecated since version 4.0"):
        assert lead in doc.body_html


def test_inline_roles_are_styled_text() -> None:
    doc = rst("Press :kbd:`Ctrl+C`, run :command:`kubectl`, edit :file:`/etc/hosts`, "
              "see :term:`SLO`.\n")
    assert ">Ctrl+C</kbd>" in doc.body_html and 'class="command"' in doc.body_html
    assert "/etc/hosts" in doc.body_html and 'class="term"' in doc.body_html
    assert not doc.notices


def test_unknown_roles_and_directives_show_their_text() -> None:
    doc = rst("Use :frobnicate:`the widget` now, :mc-cmd:`mc admin info <mc.info>` too.\n\n"
              ".. mystery-box:: Title here\n\n   Inner *text* stays.\n")
    assert "Title here" in doc.body_html and "Inner <em>text</em> stays." in doc.body_html
    # A project's own role: its text as code, nothing lost, so no note on each use (MinIO's
    # pages carried "[:mc-cmd: not supported]" after every command).
    assert 'literal">the widget</span>' in doc.body_html
    assert 'literal">mc admin info</span>' in doc.body_html
    assert "not supported" not in doc.body_html and doc.notices == []
    assert_no_error_text(re.sub(r"<[^>]+>", "", doc.body_html))  # what shows, not class names


def test_file_reading_directives_refuse_files_outside_the_library(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-VALUE\n")
    doc = rst(f".. include:: {secret}\n\n.. literalinclude:: {secret}\n\n"
              f".. csv-table:: T\n   :file: {secret}\n\n"
              ".. raw:: html\n\n   <script>alert(1)</script>\n\n"
              ".. csv-table:: Inline\n\n   a, b\n")
    assert "TOPSECRET" not in doc.body_html
    assert "<script" not in doc.body_html and "alert(1)" not in doc.body_html
    assert doc.body_html.count("not shown:") == 3  # include, literalinclude, csv-table :file:
    assert "<td><p>a</p></td>" in doc.body_html  # inline csv-table still works


def test_dangerous_link_targets_are_removed() -> None:
    doc = rst("`click <javascript:alert(1)>`_ and `site <https://example.com>`_\n")
    assert "javascript:" not in doc.body_html
    assert 'href="https://example.com"' in doc.body_html


def test_broken_markup_never_shows_an_error_dump() -> None:
    doc = rst("Title\n=====\n\n`unclosed literal\n\n* list\nnot indented\n\nundefined_ link\n\n"
              ".. image::\n\n:bad-field\n")
    assert_no_error_text(doc.body_html)


def test_section_ids_include_the_label_and_title() -> None:
    doc = rst(".. _db:\n\nDatabase Pool\n-------------\n")
    assert doc.headings[0].anchor == "db"
    assert 'id="db"' in doc.body_html and 'id="database-pool"' in doc.body_html


def test_the_index_parse_reads_the_same_text_as_the_page() -> None:
    """The index skips docutils' dangling-reference check: same outline and anchors; a
    broken link reads as its words rather than as the error the page shows."""
    from viewer.core.render.rst import render_rst

    sound = ("Replica lag\n===========\n\nSee the `dashboard <https://g.example>`_.\n\n"
             "Steps\n-----\n\n#. Check ``pg_stat_replication``.\n")
    page, indexed = render_rst(sound, "lag.rst"), render_rst(sound, "lag.rst", with_html=False)
    assert (indexed.title, indexed.headings, indexed.blocks, indexed.metadata) == \
        (page.title, page.headings, page.blocks, page.metadata)
    broken = sound.replace("the `dashboard <https://g.example>`_", "`missing target`_")
    page, indexed = render_rst(broken, "lag.rst"), render_rst(broken, "lag.rst", with_html=False)
    assert indexed.headings == page.headings
    assert [(b.kind, b.anchor) for b in indexed.blocks] == [(b.kind, b.anchor) for b in page.blocks]
    assert "See missing target." in [b.text for b in indexed.blocks]


def test_leading_fields_show_once_in_the_summary_line_and_the_rest_stay_in_the_page() -> None:
    from viewer.core.render.page import page_html

    for text in (  # under the title, and before it (where docutils makes it docinfo)
        "Cache out of memory\n===================\n\n:Owner: platform-oncall\n"
        ":Severity: SEV2\n:Last reviewed: 2026-10-01\n:Escalation: #cache-oncall\n\nBody.\n",
        ":Owner: platform-oncall\n:Severity: SEV2\n:Last reviewed: 2026-10-01\n"
        ":Escalation: #cache-oncall\n\nCache out of memory\n===================\n\nBody.\n",
    ):
        doc = rst(text)
        assert (doc.metadata["owner"], doc.metadata["last_reviewed"]) == (
            "platform-oncall", "2026-10-01")
        page = page_html(doc, "light")
        for shown in ("platform-oncall", "SEV2", "2026-10-01"):
            assert page.count(shown) == 1, shown  # in the summary line, not again below
        assert "<b>Last reviewed:</b> 2026-10-01" in page
        assert "#cache-oncall" in doc.body_html  # a field the summary has no place for
    only_summary = rst("Pool\n====\n\n:Owner: db-team\n:Severity: SEV1\n\nText.\n")
    assert "<dl" not in only_summary.body_html and "db-team" not in only_summary.body_html
    symptoms = rst("Pool\n====\n\n:Owner: db-team\n:Symptoms: 503s from the gateway\n\nText.\n")
    page = page_html(symptoms, "light")
    assert "<b>Symptoms:</b> 503s from the gateway" in page
    assert page.count("503s from the gateway") == 1
