"""Documentation as its generator shows it: MkDocs, Docusaurus, Hugo, GitLab, Sphinx (issue 22)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

from benchmarks.dialect_corpus import RAW, shown_text
from tests.conftest import MakeIndex, MakeLibrary
from viewer.core.library import Library
from viewer.core.links import classify_link
from viewer.core.page_images import load_page_images, mark_refused
from viewer.core.rendering import render_file, render_text
from viewer.core.start_page import OVERVIEW, overview_document, start_page


def raw_markup(body_html: str) -> list[str]:
    text = shown_text(body_html)
    return [name for name, pattern in RAW.items() if pattern.search(text)]


def test_mkdocs_admonitions_collapsibles_and_tabs_are_titled_blocks() -> None:
    page = render_text('# P\n\n!!! warning "Drain first"\n    Cordon the node.\n\n'
                       '??? tip "Why"\n    It moves the pods.\n\n'
                       '=== "Linux"\n\n    ```bash\n    systemctl restart kubelet\n    ```\n\n'
                       '=== "macOS"\n\n    Restart Docker Desktop.\n', "x.md")
    assert raw_markup(page.body_html) == []
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html)
    assert titles == ["Drain first", "Why", "Linux", "macOS"]
    assert "Cordon the node." in page.body_html and "It moves the pods." in page.body_html
    assert page.code_blocks[0].copy_text == "systemctl restart kubelet"


def test_docusaurus_containers_and_github_alerts() -> None:
    page = render_text(":::danger Data loss\nThis drops the table.\n:::\n\n"
                       "> [!NOTE]\n> Kept as GitHub shows it.\n", "x.md")
    assert raw_markup(page.body_html) == []
    assert '<p class="admonition-title">Data loss</p>' in page.body_html
    assert "Kept as GitHub shows it." in page.body_html
    # Docusaurus 3 writes the title in brackets (CloudNativePG's docs: 51 of 82 pages).
    bracketed = render_text(":::info[Important]\nBack up **first**.\n:::\n\n"
                            ":::warning[Release candidate: not for production]\nText.\n:::\n",
                            "x.md")
    assert raw_markup(bracketed.body_html) == []
    assert '<p class="admonition-title">Important</p>' in bracketed.body_html
    assert "Release candidate: not for production</p>" in bracketed.body_html
    assert "admonition-warning" in bracketed.body_html
    # Its body indented as MkDocs wrote it: text, as the (MDX) site shows it, not code.
    moved = render_text(":::info[Important]\n    Drain the node **first**.\n\n"
                        "    ```bash\n    kubectl drain node-1\n    ```\n:::\n\n"
                        "```text\n:::note\n    an example, kept as written\n:::\n```\n", "x.md")
    assert "<p>Drain the node <strong>first</strong>.</p>" in moved.body_html
    assert [b.copy_text for b in moved.code_blocks] == [
        "kubectl drain node-1", ":::note\n    an example, kept as written\n:::"]


def test_attribute_lists_are_dropped_and_a_heading_id_is_used() -> None:
    page = render_text("# Start\n\n## Restart the pods { #restart }\n\nNow. { .lead }\n\n"
                       "[back](#restart)\n", "x.md")
    assert [h.anchor for h in page.headings] == ["start", "restart"]
    assert "{" not in shown_text(page.body_html)


def test_gitlab_toc_becomes_the_pages_contents() -> None:
    page = render_text("# Runbook\n\n[[_TOC_]]\n\n## Check\n\n## Fix\n", "x.md")
    assert raw_markup(page.body_html) == []
    assert re.findall(r'<a href="#([^"]+)">', page.body_html) == ["runbook", "check", "fix"]


def test_diagram_blocks_are_titled_as_diagrams_with_their_source() -> None:
    page = render_text("```mermaid\ngraph TD; A-->B\n```\n", "x.md")
    assert "Mermaid diagram (source; not drawn here)" in page.body_html
    assert page.code_blocks[0].copy_text == "graph TD; A-->B"


def test_hugo_shortcodes(make_library: MakeLibrary) -> None:
    root = make_library({
        "content/ops/page.md": (
            '# Page\n\n[See this]({{< ref "./Other.md" >}}) on {{< param "siteName" >}}.\n\n'
            '{{< figure src="img/flow.png" alt="The flow" caption="How it flows" >}}\n\n'
            "{{% notice warning %}}\nMind the gap.\n{{% /notice %}}\n\n"
            '`{{< ref "in-code.md" >}}`\n\n```\n{{< ref "in-fence.md" >}}\n```\n'),
        "content/ops/Other.md": "# Other\n", "content/ops/img/flow.png": b"\x89PNG\r\n"})
    library = Library(root)
    page = render_file(library, "content/ops/page.md")
    assert raw_markup(page.body_html) == []
    href = re.search(r'<a href="([^"]+)">See this</a>', page.body_html).group(1)
    assert classify_link(href, library, "content/ops/page.md").path == "content/ops/Other.md"
    assert '<span class="shortcode"' in page.body_html and "param siteName" in page.body_html
    assert 'src="img/flow.png"' in page.body_html and "How it flows" in page.body_html
    assert '<p class="admonition-title">Warning</p>' in page.body_html
    assert '{{&lt; ref "in-code.md" &gt;}}' in page.body_html  # code is left exactly
    assert '{{&lt; ref "in-fence.md" &gt;}}' in page.body_html


@pytest.mark.parametrize(("tag", "title"), [
    ('{{< admonition type="caution" >}}', "Caution"),  # Grafana's docs theme
    ('{{% alert title="Mind the gap" color="warning" %}}', "Mind the gap"),  # Docsy
    ("{{< callout >}}", "Note"),  # a theme's own name, no kind given
])
def test_a_hugo_callout_of_any_theme_is_a_box(make_library: MakeLibrary, tag: str,
                                             title: str) -> None:
    name = tag.split()[1]
    closing = tag[:3] + " /" + name + " " + tag[-3:]
    root = make_library({"page.md": f"# Page\n\n{tag}\nStop the writer first.\n{closing}\n"})
    page = render_file(Library(root), "page.md")
    assert raw_markup(page.body_html) == []
    assert f'<p class="admonition-title">{title}</p>' in page.body_html
    assert "Stop the writer first." in page.body_html


def test_a_hugo_callout_written_on_the_lines_of_its_text_is_a_box(
        make_library: MakeLibrary) -> None:
    root = make_library({"page.md": (
        '# Page\n\n{{% admonition type="note" %}}Drain the [zone](../zones/) first.\n'
        '{{% /admonition %}}\n\n{{< admonition type="warning" >}}\nNever both at once.'
        '{{< /admonition >}}\n\nAfter the boxes.\n')})
    page = render_file(Library(root), "page.md")
    assert raw_markup(page.body_html) == []
    assert re.search(r'admonition-title">Note</p>\s*<p>Drain the <a href="../zones/">zone</a>'
                     r" first.</p>", page.body_html)
    assert re.search(r'admonition-title">Warning</p>\s*<p>Never both at once.</p>',
                     page.body_html)
    assert "<p>After the boxes.</p>" in page.body_html


def test_hugo_params_come_from_the_page_its_section_or_the_site_in_code_too(
        make_library: MakeLibrary) -> None:
    """etcd's docs write ``ETCD_VERSION={{< param git_version_tag >}}`` in the commands to
    copy, the value cascaded from the version's ``_index.md``: it was copied as written."""
    root = make_library({
        "site/config.yaml": "params:\n  repo: https://git.example.test/store\n"
                            "  latest: v9.9\n",
        "site/content/docs/v4.2/_index.md": "---\ntitle: v4.2\ncascade:\n"
                                            "  release_tag: v4.2.1\n---\n# Version 4.2\n",
        "site/content/docs/v4.2/ops/container.md": (
            "---\ntitle: Container\nmin_runtime: '1.21'\nsneaky: \"a\\n```\\nb\"\n---\n"
            "# Container\n\n"
            "Run `{{< param release_tag >}}` (latest: {{< param \"latest\" >}}), with "
            "runtime {{< param min_runtime >}} or newer; [report it]({{< param repo >}}/new).\n\n"
            "```bash\nSTORE_VERSION={{< param release_tag >}}\n"
            "docker pull store:{{< param release_tag >}} {{< param unknown_one >}}\n"
            "echo {{< param sneaky >}}\n```\n")})
    page = render_file(Library(root), "site/content/docs/v4.2/ops/container.md")
    [block] = page.code_blocks
    assert block.copy_text == ("STORE_VERSION=v4.2.1\n"
                               "docker pull store:v4.2.1 {{< param unknown_one >}}\n"
                               "echo {{< param sneaky >}}")  # a value of lines ends no block
    assert "<code>v4.2.1</code>" in page.body_html
    assert "latest: v9.9" in page.body_html and "runtime 1.21 or newer" in page.body_html
    assert 'href="https://git.example.test/store/new"' in page.body_html


def test_mdbook_tabs_are_titled_boxes_and_includes_bring_their_file(
        make_library: MakeLibrary) -> None:
    """The Cluster API book writes ``{{#tabs}}``/``{{#tab Docker}}`` (107 tabs shown as
    tokens) and mdBook books keep examples in files they ``{{#include}}``."""
    root = make_library({
        "book/src/ops/restart.md": (
            "# Restart\n\n1. Pick your runtime:\n\n"
            "   {{#tabs name:\"runtime\" tabs:\"Docker,Podman\"}}\n"
            "   {{#tab Docker}}\n\n   ```bash\n   docker restart proxy\n   ```\n\n"
            "   {{#/tab }}\n   {{#tab Podman}}\n\n   Use podman.\n\n   {{#/tab }}\n"
            "   {{#/tabs }}\n\n2. Check it:\n\n"
            "```bash\n{{#include ../scripts/check.sh:probe}}\n```\n\n"
            "{{#include ../shared/warning.md:2:3}}\n\n{{#include ../missing.md}}\n"),
        "book/src/scripts/check.sh": ("#!/bin/sh\n# ANCHOR: probe\n"
                                      "curl -fsS localhost:8080/healthz\n"
                                      "# ANCHOR_END: probe\nexit 0\n"),
        "book/src/shared/warning.md": "Intro line.\n**Drain first.**\nThen restart.\nLast.\n"})
    page = render_file(Library(root), "book/src/ops/restart.md")
    text = shown_text(page.body_html)
    assert "#tab" not in text and "{{#" not in text
    assert [b.copy_text for b in page.code_blocks] == [
        "docker restart proxy", "curl -fsS localhost:8080/healthz"]
    assert "Docker" in text and "Podman" in text and "Use podman." in text
    assert "<strong>Drain first.</strong>" in page.body_html and "Then restart." in text
    assert "Intro line." not in text and "Last." not in text
    assert "include ../missing.md (not in this library)" in text
    assert "<li>" in page.body_html and "Check it:" in text  # the list goes on after the tabs


def test_hugos_highlight_shortcode_is_a_code_block_copied_exactly(
        make_library: MakeLibrary) -> None:
    command = 'kubectl --context "$WC_CONTEXT" logs {{ .pod }} | grep -c "```"'
    root = make_library({"restart.md": (
        "# Restart\n\n{{< highlight shell \"linenos=table\" >}}\n" + command +
        "\n{{< /highlight >}}\n\nThen check it.\n")})
    page = render_file(Library(root), "restart.md")
    assert raw_markup(page.body_html) == []
    [block] = page.code_blocks
    assert (block.language, block.copy_text) == ("shell", command)
    assert "<p>Then check it.</p>" in page.body_html
    inline = render_text('# Fields\n\nexample | {{< highlight shell >}}"name": "eu-1"'
                         "{{< / highlight >}}\n", "fields.md")
    assert raw_markup(inline.body_html) == []
    assert '<code>"name": "eu-1"</code>' in inline.body_html
    # A theme's {{< code >}}, inside a list item (as Sensu's docs write them).
    listed = render_text("# Steps\n\n1. List the checks:\n\n     {{< code yml >}}\n"
                         "     type: CheckConfig\n       interval: 10\n     {{< /code >}}\n\n"
                         "2. Then the handlers.\n", "steps.md")
    [block] = listed.code_blocks
    assert (block.language, block.copy_text) == ("yml", "type: CheckConfig\n  interval: 10")
    assert re.search(r"<li>\s*<p>[^<]*List the checks:</p>\s*<table class=\"codeblock\"",
                     listed.body_html)
    # Code at the margin under an indented tag, closed on its last line.
    margin = render_text('# Client\n\n1. Create client.json:\n   {{< code json >}}\n{\n'
                         '  "client": {"name": "i-041256"}\n}{{< /code >}}\n\n2. Start it.\n',
                         "client.md")
    [block] = margin.code_blocks
    assert block.copy_text == '{\n  "client": {"name": "i-041256"}\n}'
    assert raw_markup(margin.body_html) == []
    assert margin.body_html.count("<li>") == 2


def test_a_callout_opened_inside_a_table_cell_leaves_no_box_syntax() -> None:
    page = render_text("# API\n\nfield | value\n------|------\ndescription | Creates it. "
                       "{{% notice note %}}\n**NOTE**: Uses the URL's namespace.\n"
                       "{{% /notice %}}\nexample | /api/core\n", "api.md")
    assert raw_markup(page.body_html) == []
    assert "namespace" in page.body_html


def test_hugo_refs_to_sections_and_from_the_content_folder_resolve(
        make_library: MakeLibrary) -> None:
    site = "site/content/en"
    root = make_library({
        f"{site}/operations/hosting/kubernetes/_index.md": "# Kubernetes\n",
        f"{site}/reference/secret-stores/_index.md": "# Secret stores\n",
        f"{site}/getting-started/_index.md": "# Getting started\n",
        f"{site}/concepts/operator.md": (
            "# Operator\n\nIn [Kubernetes mode]({{< ref kubernetes >}}) with a "
            "[store]({{< ref secret-stores.md >}}); first [install]({{< ref "
            "getting-started/_index.md >}}), see [the list](/reference/secret-stores/).\n"),
    })
    library = Library(root)
    page = f"{site}/concepts/operator.md"
    hrefs = re.findall(r'<a href="([^"]+)"', render_file(library, page).body_html)
    assert [classify_link(h, library, page).path for h in hrefs] == [
        f"{site}/operations/hosting/kubernetes/_index.md",
        f"{site}/reference/secret-stores/_index.md",
        f"{site}/getting-started/_index.md",
        f"{site}/reference/secret-stores/_index.md"]


def test_a_fence_left_open_in_a_hugo_tab_ends_with_the_tab() -> None:
    page = render_text(
        "# Run\n\n{{< tabs Linux Windows >}}\n{{% codetab %}}\n```bash\nmake run\n"
        "{{% /codetab %}}\n{{% codetab %}}\n```powershell\n.\\run.ps1\n```\n"
        "{{% /codetab %}}\n{{< /tabs >}}\n\nThe `secretKeyRef` names a `store.\n\n"
        "See [the stores]({{< ref stores.md >}}).\n\n```text\n{{% /example %}}\n```\n",
        "run.md")
    assert [b.copy_text for b in page.code_blocks] == ["make run", ".\\run.ps1",
                                                       "{{% /example %}}"]
    assert raw_markup(page.body_html) == []  # the stray backtick hides no tag after it


def test_gitbook_hints_tabs_code_titles_and_embeds_read_as_gitbook_shows_them() -> None:
    page = render_text(
        '# Restart\n\n{% hint style="danger" %}\n**Never** restart both zones at once.\n'
        '{% endhint %}\n\n{% tabs %}\n{% tab title="Linux" %}\n```bash\nsystemctl restart '
        'api\n```\n{% endtab %}\n{% tab title="macOS" %}\n```bash\nlaunchctl kickstart -k '
        'system/api\n```\n{% endtab %}\n{% endtabs %}\n\n{% code title="check.sh" %}\n'
        '```bash\ncurl -s localhost:8080/health\n```\n{% endcode %}\n\n'
        '{% content-ref url="rollback.md" %}\n[rollback.md](rollback.md)\n'
        '{% endcontent-ref %}\n\n{% embed url="https://status.example.com" %}\n', "r.md")
    assert raw_markup(page.body_html) == []
    assert "shortcode" not in page.body_html  # no tag left as a token
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html)
    assert titles == ["Danger", "Linux", "macOS"]
    assert "admonition-danger" in page.body_html
    assert [b.copy_text for b in page.code_blocks] == [
        "systemctl restart api", "launchctl kickstart -k system/api",
        "curl -s localhost:8080/health"]
    assert "<em>check.sh</em>" in page.body_html
    assert '<a href="rollback.md">' in page.body_html
    assert '<a href="https://status.example.com">' in page.body_html


def test_a_docusaurus_mdx_page_keeps_its_tab_labels_and_hides_its_imports(
        make_index: MakeIndex) -> None:
    page_text = (
        "---\ntitle: Restart the gateway\n---\n\nimport Tabs from '@theme/Tabs';\n"
        "import TabItem from '@theme/TabItem';\n\n# Restart the gateway\n\n"
        '<Tabs groupId="os">\n  <TabItem value="linux" label="Linux" default>\n\n'
        "```bash\nsystemctl restart gateway\n```\n\n  </TabItem>\n"
        '  <TabItem value="mac" label="macOS">\n\n```bash\nbrew services restart gateway\n'
        "```\n\n  </TabItem>\n</Tabs>\n\n{/* hidden from readers */}\n\n"
        "To import the dashboard, open it.\n\n```js\nimport x from 'y';\n```\n")
    page = render_text(page_text, "ops/restart.mdx")
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html)
    assert titles == ["Linux", "macOS"]
    assert [b.copy_text for b in page.code_blocks] == [
        "systemctl restart gateway", "brew services restart gateway", "import x from 'y';"]
    assert "@theme" not in page.body_html and "hidden from readers" not in page.body_html
    assert "To import the dashboard, open it." in page.body_html
    # .mdx pages are runbooks of the library: listed, indexed and found.
    index, _ = make_index({"ops/restart.mdx": page_text})
    assert [hit.path for hit in index.search("brew services restart")] == ["ops/restart.mdx"]


def test_fumadocs_callouts_accordions_and_code_tabs_are_titled_boxes_and_blocks() -> None:
    page = render_text(
        "import { Callout } from 'fumadocs-ui/components/callout';\n\n# iSCSI\n\n"
        '<Callout type="warn" title="Critical Requirement">\n  Install `open-iscsi` on '
        'every node.\n\n  ```bash tab="Ubuntu / Debian"\n  apt install open-iscsi\n  ```\n'
        '  ```bash tab="RHEL / CentOS"\n  dnf install iscsi-initiator-utils\n  ```\n'
        "</Callout>\n\n<Accordions>\n<Accordion title=\"Step 1: Create a ZVOL\">\n\n"
        "Open **Storage**.\n\n</Accordion>\n</Accordions>\n\n"
        '<Callout type="info">One line only.</Callout>\n', "iscsi.mdx")
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html)
    assert titles == ["Critical Requirement", "Step 1: Create a ZVOL", "Info"]
    assert "admonition-warning" in page.body_html
    assert [(b.title, b.copy_text) for b in page.code_blocks] == [
        ("Ubuntu / Debian", "apt install open-iscsi"),
        ("RHEL / CentOS", "dnf install iscsi-initiator-utils")]
    assert "<b>Ubuntu / Debian</b>" in page.body_html  # the block's header says which
    assert "One line only." in page.body_html and "&lt;/Callout" not in page.body_html
    assert "fumadocs" not in page.body_html


def test_mdx_link_cards_are_links_with_their_descriptions() -> None:
    """Sourcegraph's <QuickLink .../> cards: attributes only, over several lines."""
    page = render_text(
        "# Status page\n\nWhere to look first.\n\n<QuickLinks>\n\t<QuickLink\n"
        '\t\ttitle="Incident dashboard [prod]"\n\t\thref="https://status.example.test/prod"\n'
        '\t\tdescription="Open the live board"\n\t\ticon="theming"\n\t/>\n'
        '\t<QuickLink href="/runbooks/failover" title="Fail over" />\n</QuickLinks>\n\n'
        '```jsx\n<QuickLink href="/kept-as-written" />\n```\n', "status.mdx")
    links = re.findall(r'<li><a href="([^"]*)">([^<]*)</a>([^<]*)</li>', page.body_html)
    assert links == [("https://status.example.test/prod", "Incident dashboard [prod]",
                      ": Open the live board"), ("/runbooks/failover", "Fail over", "")]
    assert "QuickLinks" not in page.body_html and "theming" not in page.body_html
    assert [b.copy_text for b in page.code_blocks] == [  # code is code
        '<QuickLink href="/kept-as-written" />']


def test_indentation_inside_an_mdx_box_is_layout_and_videos_are_links() -> None:
    """Sourcegraph indents a callout's text with a tab, and its <video> holds a
    tab-indented <source>; a CLI reference's tab-indented example is still code."""
    text = ("# Search\n\n<TierCallout>\n\tOn [Enterprise](/plans/enterprise) plans.\n"
            "</TierCallout>\n\n<video\n\twidth=\"1920\"\n\tstyle={{width: '100%'}}\n>\n"
            "\t<source\n\t\tsrc=\"https://media.example.test/Code%20Search.webm\"\n"
            "\t\ttype=\"video/webm\"\n\t/>\n</video>\n\n<Callout type=\"warn\">\n"
            "\t{' '}Check first:\n\n\t- the index\n\t\t- its size\n</Callout>\n\nExamples:\n\n"
            "\t$ src search 'repo:ledger'\n")
    page = render_text(text, "search.mdx")
    assert re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html) == [
        "Note", "Warning"]
    assert '<a href="/plans/enterprise">Enterprise</a>' in page.body_html
    assert ('<a href="https://media.example.test/Code%20Search.webm">Video: Code Search.webm</a>'
            in page.body_html)
    assert "&lt;video" not in page.body_html and "&lt;source" not in page.body_html
    assert "<li>the index\n<ul>\n<li>its size</li>" in page.body_html  # nesting kept
    assert "<p>Check first:</p>" in page.body_html  # {' '} is JSX's way to write a space
    assert [b.copy_text for b in page.code_blocks] == ["$ src search 'repo:ledger'"]


MINTLIFY_PAGE = (  # Mintlify nests its components, each a level deeper
    "# Fail over\n\n<Tabs>\n  <Tab title=\"Kubernetes\">\n    <Steps>\n"
    "      <Step title=\"Drain the node\">\n        Cordon it first.\n\n"
    "        <CodeGroup>\n\n        ```bash kubectl\n        kubectl drain node-1\n        ```\n\n"
    "        ```bash oc\n        oc adm drain node-1\n        ```\n\n        </CodeGroup>\n"
    "      </Step>\n      <Step title=\"Check the pods\">\n        ```mdx\n"
    "        <Note>shown as written</Note>\n        ```\n      </Step>\n    </Steps>\n"
    "  </Tab>\n</Tabs>\n\n<Note>\n  Page the database team.\n</Note>\n\n"
    "<Card title=\"Status board\" href=\"https://status.example.test\">\n"
    "  What customers see.\n</Card>\n\nWrite `<Card icon={x}>` for one.\n")


def test_mintlifys_nested_components_are_boxes_steps_and_titled_code() -> None:
    page = render_text(MINTLIFY_PAGE, "failover.mdx")
    assert re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html) == [
        "Kubernetes", "Note"]
    assert "<p><strong>Drain the node</strong></p>\n<p>Cordon it first.</p>" in page.body_html
    assert [(b.title, b.copy_text) for b in page.code_blocks] == [
        ("kubectl", "kubectl drain node-1"), ("oc", "oc adm drain node-1"),
        ("", "<Note>shown as written</Note>")]  # a code example of a component stays code
    assert ('<strong><a href="https://status.example.test">Status board</a></strong>'
            in page.body_html)
    assert "<p>What customers see.</p>" in page.body_html
    assert "<code>&lt;Card icon={x}&gt;</code>" in page.body_html  # code spans as written
    assert not re.search(r"&lt;/?(?:Tabs?|Steps?|CodeGroup|Card)\b",
                         re.sub(r"<code>.*?</code>", "", page.body_html))


def test_boxes_nested_past_eight_deep_show_their_text_without_a_box() -> None:
    text = "".join(f"<Tab title=\"Level {i}\">\n\nText {i}.\n\n" for i in range(10))
    page = render_text("# Deep\n\n" + text + "</Tab>\n" * 10, "deep.mdx")
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html)
    assert titles == [f"Level {i}" for i in range(8)]
    assert all(f"Text {i}." in page.body_html for i in range(10))


def test_a_box_inside_a_box_closes_its_own_and_the_page_goes_on(
        make_library: MakeLibrary) -> None:
    root = make_library({
        "docs/linux/mount.mdx": (
            "# Mount\n\n<Tabs items={['fstab', 'systemd']}>\n<Tab value=\"fstab\">\n\n"
            "Add the entry.\n\n<Callout type=\"info\">\nThe `_netdev` option waits for the "
            "network.\n</Callout>\n\n```bash\nsudo mount -a\n```\n\n</Tab>\n"
            "<Tab value=\"systemd\">\n\nCreate the unit.\n\n</Tab>\n</Tabs>\n\n"
            "## After\n\nSee [the guides](/docs/linux).\n"),
        "docs/linux/index.mdx": "# Linux guides\n"})
    library = Library(root)
    page = render_file(library, "docs/linux/mount.mdx")
    assert raw_markup(page.body_html) == []
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html)
    assert titles == ["fstab", "Info", "systemd"]
    # The info box sits inside the fstab tab, and the tab holds the command after it.
    fstab = page.body_html.split('admonition-title">systemd')[0]
    assert "_netdev" in fstab and "mount" in fstab
    assert '<h2 id="after">After</h2>' in page.body_html  # not swallowed by a box
    href = re.search(r'<a href="([^"]+)">the guides</a>', page.body_html).group(1)
    assert classify_link(href, library, "docs/linux/mount.mdx").path == "docs/linux/index.mdx"


def test_a_gitbook_hint_inside_a_tab_stays_in_its_tab() -> None:
    page = render_text(
        '# Drain\n\n{% tabs %}\n{% tab title="Linux" %}\n{% hint style="warning" %}\n'
        "Cordon first.\n{% endhint %}\n\n```bash\nkubectl drain node-1\n```\n{% endtab %}\n"
        '{% tab title="Windows" %}\nUse the console.\n{% endtab %}\n{% endtabs %}\n\n'
        "## After\n\nDone.\n", "drain.md")
    assert raw_markup(page.body_html) == []
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html)
    assert titles == ["Linux", "Warning", "Windows"]
    linux = page.body_html.split('admonition-title">Windows')[0]
    assert "Cordon first." in linux and "kubectl" in linux
    assert '<h2 id="after">After</h2>' in page.body_html


def test_a_page_cannot_write_the_marks_boxes_are_made_of() -> None:
    page = render_text("# P\n\n\ue016danger Fake box\n\ntext\n\n\ue017\n", "p.md")
    assert "admonition" not in page.body_html and "Fake box" in page.body_html


def test_hugo_tab_sets_are_boxes_titled_with_their_labels() -> None:
    page = render_text(
        '# Install\n\n{{< tabs "Dapr CLI" Helm >}}\n<!-- Dapr CLI -->\n{{% codetab %}}\n'
        "```bash\ndapr init -k\n```\n{{% /codetab %}}\n\n{{% codetab %}}\n```bash\n"
        "helm upgrade --install dapr dapr/dapr\n```\n{{% /codetab %}}\n{{< /tabs >}}\n\n"
        "{{< language-toggle >}}\n{{< code yml >}}\ntype: CheckConfig\n{{< /code >}}\n"
        "{{< /language-toggle >}}\n", "install.md")
    assert "shortcode" not in page.body_html  # no tag left as a token
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html)
    assert titles == ["Dapr CLI", "Helm"]
    assert [b.copy_text for b in page.code_blocks] == [
        "dapr init -k", "helm upgrade --install dapr dapr/dapr", "type: CheckConfig"]
    # Docsy: a tab with lang= holds code, one with text=true Markdown.
    docsy = render_text(
        '# CLI\n\n{{< tabpane >}}\n{{< tab header="macOS" lang="Bash" >}}\n'
        'curl -fsSL "https://example.com/install.sh" | /bin/bash -s -- $GITHUB_TOKEN\n'
        '{{< /tab >}}\n{{% tab header="Windows" text=true %}}\nDownload the **installer**.\n'
        "{{% /tab %}}\n{{< /tabpane >}}\n", "cli.md")
    assert "shortcode" not in docsy.body_html
    assert re.findall(r'<p class="admonition-title">([^<]*)</p>', docsy.body_html) == [
        "macOS", "Windows"]
    [block] = docsy.code_blocks
    assert (block.language, block.copy_text) == (
        "bash", 'curl -fsSL "https://example.com/install.sh" | /bin/bash -s -- $GITHUB_TOKEN')
    assert "<strong>installer</strong>" in docsy.body_html


def test_a_box_title_shows_as_written() -> None:
    # A box's title is text: Markdown escapes written into it would show as backslashes.
    page = render_text(
        '# T\n\n<Accordion title="Mount /dev/sdb_1 *now*">\n\nx\n\n</Accordion>\n\n'
        '{% tabs %}\n{% tab title="my_host" %}\ny\n{% endtab %}\n{% endtabs %}\n\n'
        '{{< tabs "pre_flight" >}}\n{{% codetab %}}\nz\n{{% /codetab %}}\n{{< /tabs >}}\n',
        "t.mdx")
    assert re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html) == [
        "Mount /dev/sdb_1 *now*", "my_host", "pre_flight"]


def test_liquid_tags_are_tokens_and_mkdocs_snippets_are_read_inside_the_library(
        make_library: MakeLibrary, tmp_path: Path) -> None:
    (tmp_path / "outside.md").write_text("OUTSIDE-TEXT\n")
    root = make_library({
        "docs/page.md": ('# Page\n\n{% include header.html %} on {{ site.title }}.\n\n'
                         '--8<-- "parts/shared.md"\n\n--8<-- "../../outside.md"\n'),
        "docs/parts/shared.md": "Shared **warning** text.\n"})
    page = render_file(Library(root), "docs/page.md")
    assert raw_markup(page.body_html) == []
    assert "Shared <strong>warning</strong> text." in page.body_html
    assert "OUTSIDE-TEXT" not in page.body_html and "not in this library" in page.body_html


SPHINX = {
    "source/conf.py": ('project = "Ops"\nrst_prolog = """\n.. |product| replace:: Matterbox\n'
                       '"""\nimport os\nrst_prolog += os.environ.get("X", "")\n'),
    "source/index.rst": "Ops\n===\n\n.. toctree::\n\n   admin/manage/restart\n",
    "source/admin/manage/restart.rst": (
        "Restart\n=======\n\nSee :doc:`/admin/manage/backup` for |product|; |undefined|.\n\n"
        ".. include:: ../../_static/badge.rst\n\n"
        ".. tabs::\n\n   .. tab:: Ubuntu\n\n      Use systemctl.\n\n"
        "   .. tab:: RHEL\n\n      Use service.\n\n"
        ".. dropdown:: Why restart?\n\n   Memory leaks.\n\n"
        ".. config:setting:: web-siteurl\n   :displayname: Site URL (Web Server)\n"
        "   :systemconsole: Environment > Web Server\n\n   The URL users reach.\n\n"
        ".. raw:: html\n\n   <b>bold</b><script>x()</script>\n"),
    "source/admin/manage/backup.rst": "Backup\n======\n\nText.\n",
    "source/_static/badge.rst": "*Available on all plans*\n",
}


def test_a_sphinx_guide_opened_at_its_repository_root(make_library: MakeLibrary) -> None:
    library = Library(make_library(SPHINX))
    page = render_file(library, "source/admin/manage/restart.rst")
    html = page.body_html
    assert page.notices == []  # no "Shown with limitations" box
    assert 'href="backup.rst"' in html  # the absolute :doc: from conf.py's folder
    assert "Matterbox" in html and "|product|" not in shown_text(html)  # rst_prolog
    assert '<span class="shortcode"' in html and "|undefined|" not in shown_text(html)
    assert "Available on all plans" in html  # an include inside the library
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', html)
    assert titles == ["Ubuntu", "RHEL", "Why restart?"]
    assert "web-siteurl" in html and "Site URL (Web Server)" in html
    assert "<dl" in html and "not supported" not in html
    assert "<b>bold</b>" in html and "<script" not in html


def test_a_sphinx_guide_whose_conf_is_a_template_finds_its_root(
        make_library: MakeLibrary) -> None:
    """minio/docs writes conf.py from source/default-conf.py at build time."""
    files = {("source/default-conf.py" if k == "source/conf.py" else k): v
             for k, v in SPHINX.items()}
    page = render_file(Library(make_library(files)), "source/admin/manage/restart.rst")
    assert page.notices == [] and 'href="backup.rst"' in page.body_html
    assert "Matterbox" in page.body_html


def test_the_viewers_own_notices_are_not_searchable(make_index: MakeIndex,
                                                    tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("x\n")
    index, _ = make_index({"a.rst": f"A\n=\n\n.. include:: {tmp_path / 'secret.txt'}\n\n"
                                     "Real words here.\n"})
    assert index.search("real words")
    assert index.search('"not shown"') == [] and index.search("library") == []


def test_a_missing_picture_shows_its_alt_text_and_path(make_library: MakeLibrary) -> None:
    library = Library(make_library({"p.md": "# P\n\n![The topology](img/missing.png)\n"}))
    page = render_file(library, "p.md")
    found = load_page_images(library, "p.md", page.body_html)
    marked = mark_refused(page.body_html, found.refused)
    assert "<img" not in marked
    assert "[image not loaded: The topology (img/missing.png)]" in marked


def test_a_library_reached_through_a_symlink_opens_its_own_files(make_library: MakeLibrary,
                                                                tmp_path: Path) -> None:
    root = make_library({"ops/disk.md": "# Disk\n\nSee [net](../net.md).\n", "net.md": "# Net\n"})
    link = tmp_path / "runbooks-link"
    os.symlink(root, link)
    from viewer.core.rendering import render_path

    page = render_path(link / "ops" / "disk.md", Library(link))
    assert page.title == "Disk"
    assert classify_link("../net.md", Library(link), "ops/disk.md").path == "net.md"


@pytest.mark.parametrize(("files", "expected"), [
    ({"README.md": "# R\n", "a.md": "# A\n"}, "README.md"),
    ({"docs/index.md": "# Docs\n", "aaa.md": "# First by name\n"}, "docs/index.md"),
    ({"source/index.rst": "I\n=\n", "aaa.md": "# A\n"}, "source/index.rst"),
    ({"mkdocs.yml": "site_name: X\nnav:\n  - Home: start.md\n  - Other: b.md\n"
                    "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: "
                    "!!python/name:material.extensions.emoji.twemoji\n",
      "docs/start.md": "# Start\n", "docs/b.md": "# B\n", "aaa.md": "# A\n"}, "docs/start.md"),
    ({"huge-log.md": "x" * 100, "tools/a.md": "# A\n"}, OVERVIEW),
])
def test_the_start_page_is_the_documentations_index_never_an_arbitrary_file(
        make_library: MakeLibrary, files: dict, expected: str) -> None:
    assert start_page(Library(make_library(files))) == expected


def test_the_overview_links_each_folder_to_its_front_page(make_library: MakeLibrary) -> None:
    library = Library(make_library({"db/README.md": "# DB\n", "net/x.md": "# X\n",
                                    "top.md": "# Top\n"}))
    html = overview_document(library).body_html
    assert '<a href="db/README.md">db</a>' in html and "<li>net</li>" in html
    assert '<a href="top.md">top.md</a>' in html


def test_a_hugo_ref_by_name_finds_the_page_anywhere_in_the_library(
        make_library: MakeLibrary) -> None:
    start = '# Start\n\nSee [install]({{<ref "install.md">}}).\n'
    root = make_library({"content/dev/start.md": start,
                         "content/user/install.md": "# Install\n"})
    library = Library(root)
    page = render_file(library, "content/dev/start.md")
    href = re.search(r'<a href="([^"]+)">install</a>', page.body_html).group(1)
    assert classify_link(href, library, "content/dev/start.md").path == "content/user/install.md"


def test_a_link_to_the_built_html_opens_the_page_it_was_built_from(
        make_library: MakeLibrary) -> None:
    library = Library(make_library({"guide/a.rst": "A\n=\n", "guide/b.md": "# B\n"}))
    assert classify_link("a.html#setup", library, "guide/b.md").path == "guide/a.rst"
    assert classify_link("b.htm", library, "guide/a.rst").path == "guide/b.md"


MYST_PAGE = """\
(restart-api)=
# Restart the API

% Editors: keep the steps numbered.

```{warning}
Restarting drops **in-flight** requests.
```

1. Drain the node:

   ```{code-block} bash
   :caption: drain.sh
   :linenos:
   kubectl drain node-1 --ignore-daemonsets
   ```

2. `````{tab-set}
   ````{tab-item} Linux
   Press {kbd}`Ctrl+C` in the
   {command}`journalctl
   -f` window.
   ```{note}
   The unit is `api.service`.
   ```
   ````
   ````{tab-item} macOS
   Quit from the menu.
   ````
   `````

3. Check the {doc}`health page <health>` and {term}`error budget`.

:::{admonition} After the restart
:class: tip
Watch the error rate for ten minutes.
:::

```{glossary}
error budget
    What the objective leaves for failures.
```

```{r}
summary(latency)
```
"""


def test_a_myst_page_reads_as_its_site_shows_it() -> None:
    page = render_text(MYST_PAGE, "ops/restart.md")
    text = shown_text(page.body_html)
    assert raw_markup(page.body_html) == []
    for leftover in ("(restart-api)=", "Editors:", "{kbd}", "{term}", ":class:", ":linenos:"):
        assert leftover not in page.body_html
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html)
    assert titles == ["Warning", "Linux", "Note", "macOS", "After the restart"]
    assert "admonition-tip" in page.body_html  # the admonition's :class: names its kind
    assert "Restarting drops <strong>in-flight</strong> requests." in page.body_html
    # Code directives are code blocks, copied exactly, captioned; an unknown chunk
    # (R Markdown's ```{r}) stays a code block.
    assert [(b.language, b.title, b.copy_text) for b in page.code_blocks] == [
        ("bash", "drain.sh", "kubectl drain node-1 --ignore-daemonsets"),
        ("r", "", "summary(latency)")]
    # Roles: keys and commands as code (a role may run onto the next line), links.
    assert "<code>Ctrl+C</code>" in page.body_html
    assert "<code>journalctl -f</code>" in page.body_html
    assert '<a href="health">health page</a>' in page.body_html
    # The tabs stay inside step 2, and step 3 keeps its number.
    assert re.search(r"<li>\s*<table class=\"admonition", page.body_html)
    assert page.body_html.count("<li>") == 3
    assert "error budget" in text and "What the objective leaves for failures." in text
    assert "<pre" not in page.body_html.split("What the objective")[0].rsplit("</table>")[-1]


def test_pages_that_write_no_myst_keep_their_percent_lines() -> None:
    page = render_text("# CPU\n\n% of CPU used, by pod:\n\n```{r}\nplot(cpu)\n```\n", "cpu.md")
    assert "% of CPU used" in page.body_html


def test_braces_inside_code_spans_are_not_myst_roles() -> None:
    page = render_text("# Archive\n\nFollowed by `{dt:DATE}` to set the partition, as in\n"
                       "`gs://logs/gke/{dt:DATE}`.\n", "bq.md")
    assert "<code>{dt:DATE}</code> to set the partition" in page.body_html
    assert "<code>gs://logs/gke/{dt:DATE}</code>" in page.body_html


def test_braces_in_a_code_span_of_a_myst_page_stay_code() -> None:
    page = render_text("# Upgrade\n\n```{note}\nRead this.\n```\n\n- `{user_server}` is what "
                       "`{username}{servername}` was, see {ref}`names`.\n", "upgrade.md")
    assert ("<code>{user_server}</code> is what <code>{username}{servername}</code> was, "
            "see names.") in page.body_html


# -- Jekyll and kramdown (a GitHub Pages runbook site, Just the Docs) ------------------------
JEKYLL_SITE = {
    "_config.yml": "title: Ops runbooks\ntarget: acme\nbaseurl: /ops\n",
    "_includes/acme/load_links.md": (
        "{% capture pager-link %}{{site.data[site.target].links.pager}}{% endcapture %}\n"
        "{% capture chat-name %}{{site.data[site.target].links.chat.name}}{% endcapture %}\n"
        "{% capture chat-link %}{{ site.data[site.target]['links'].chat.link }}{% endcapture %}\n"
        "{% assign team = 'storage' %}\n"),
    "_data/acme/links.yml": "chat:\n  name: '#storage-oncall'\n  link: https://chat.example.com/s\n"
                            "pager: [not, plain]\n",
    "_includes/escalation.md": "## Escalation\n\nPage the storage on-call.\n",
    "runbooks/disk/DiskFull.md": (
        "---\ntitle: Disk full\n---\n\n"
        "{% include {{site.target}}/load_links.md %}\n\n"
        "# Disk full on a storage node\n\n"
        "1. TOC\n{:toc}\n\n"
        "## Check\n\nSee [the volume runbook]({{site.baseurl}}/runbooks/disk/Volumes.html)"
        " and [the index]({{ '/runbooks/index.html' | relative_url }}).\n\n"
        "Open [{{pager-name}}]({{pager-link}}) to acknowledge.\n\n"
        "Ask the {{ team }} team in [{{chat-name}}]({{chat-link}}) on {{ site.title }}.\n\n"
        "![Usage graph]({{site.baseurl}}/runbooks/disk/usage.png){:width=\"640px\"}\n\n"
        "{: .warning }\nNever delete files under /var/lib/data.\n\n"
        "[Open the dashboard](https://grafana.example.com){: .btn } or\n"
        "Size 1\n{: .fs-1 }\nthe [{{site.data[site.target].chat.name}}]"
        "({{site.data[site.target].chat.link}}) room.\n\n"
        "{: .note-title }\n> Before you start\n>\n> Silence the alert for 30 minutes.\n\n"
        "## Internal notes\n{: .no_toc }\n\n"
        "{% comment %}\nTODO: rewrite this section\n{% endcomment %}\n"
        "{% include escalation.md %}\n\n"
        "{% include note.html content=\"Disks fill faster during backups.\" %}\n\n"
        "```markdown\n[example]({{site.baseurl}}/x.html)\n{: .warning }\n```\n"),
    "runbooks/disk/Volumes.md": "# Volumes\n\nGrow the volume.\n",
    "runbooks/index.md": "# Runbooks\n",
}


def test_a_jekyll_runbook_reads_as_its_site_shows_it(make_library: MakeLibrary) -> None:
    library = Library(make_library(JEKYLL_SITE))
    page = render_file(library, "runbooks/disk/DiskFull.md")
    shown = shown_text(page.body_html)
    # Includes that only set values show nothing; one with text shows its text.
    assert "include" not in shown and "capture" not in shown and "assign" not in shown
    assert "Page the storage on-call." in shown and "TODO" not in shown
    # No attribute list and no Liquid is left in the text a reader sees.
    assert "{:" not in shown and "{{" not in shown and "{%" not in shown
    assert "](" not in shown
    # Links written against the site's root open the pages they were built from.
    hrefs = re.findall(r'<a href="([^"#:]+)"', page.body_html)
    assert {classify_link(href, library, "runbooks/disk/DiskFull.md").path
            for href in hrefs} == {"runbooks/disk/Volumes.md", "runbooks/index.md"}
    # A link whose address only the site's build knows keeps its words.
    assert "pager-name" in shown and "link: pager-link" in shown
    assert "link: site.data[site.target].chat.link" in shown
    # Values the site's _data folder holds are filled in, links to them open.
    assert ('Ask the storage team in <a href="https://chat.example.com/s">#storage-oncall</a> '
            "on Ops runbooks.") in page.body_html
    assert '<a href="https://grafana.example.com">Open the dashboard</a> or' in page.body_html
    assert '<img src="/runbooks/disk/usage.png"' in page.body_html
    # Callouts are boxes, titled by their kind or by the quote's first paragraph.
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html)
    assert titles == ["Warning", "Before you start", "Note"]
    assert re.search(r'admonition-warning.*?Never delete files', page.body_html, re.S)
    assert re.search(r'admonition-info.*?Disks fill faster during backups', page.body_html,
                     re.S)
    # The table of contents leaves out the heading marked no_toc.
    toc = re.findall(r'<p class="toc"[^>]*><a href="#([^"]+)">', page.body_html)
    assert toc == ["disk-full-on-a-storage-node", "check", "escalation"]
    # Code shows exactly what was written.
    assert page.code_blocks[0].copy_text == "[example]({{site.baseurl}}/x.html)\n{: .warning }"


def test_a_jekyll_sites_values_are_looked_up_once_for_all_its_pages(
        make_library: MakeLibrary, monkeypatch: pytest.MonkeyPatch) -> None:
    # An IBM runbook site: every page includes a file of 250 captures of values its _data
    # folder does not hold; each try went through the gate, 0.4 s a page (96 pages, 38 s).
    captures = "".join(f"{{% capture v{i} %}}{{{{site.data[site.target].team{i}.chat.name}}}}"
                       "{% endcapture %}\n" for i in range(250))
    pages = {f"runbooks/r{i}.md": "{% include {{site.target}}/load.md %}\n\n"
                                   f"# Runbook {i}\n\nAsk [{{{{v7}}}}]({{{{v8}}}}).\n"
             for i in range(5)}
    library = Library(make_library({"_config.yml": "target: acme\n",
                                    "_includes/acme/load.md": captures, **pages}))
    resolves = []
    resolve = Library.resolve

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        resolves.append(args[0])
        return resolve(self, *args, **kwargs)

    monkeypatch.setattr(Library, "resolve", counted)
    first = render_file(library, "runbooks/r0.md")
    for_first = len(resolves)
    rest = [render_file(library, f"runbooks/r{i}.md") for i in range(1, 5)]
    assert for_first > 250  # every value was tried once...
    assert len(resolves) - for_first <= 4 * 3  # ...and later pages read only their includes
    assert all("v7" in shown_text(page.body_html) for page in (first, *rest))


def test_kramdown_html_blocks_hold_markdown_and_end_at_their_tag() -> None:
    page = render_text('# P\n\n<div class="example" markdown="1">\nText is **bold**.\n'
                       '</div>\n```bash\nls -la\n```\n', "x.md")
    assert "<strong>bold</strong>" in page.body_html
    assert [block.copy_text for block in page.code_blocks] == ["ls -la"]


def test_an_include_outside_a_jekyll_site_or_the_library_stays_a_token(
        make_library: MakeLibrary) -> None:
    root = make_library({"site/_config.yml": "title: x\n",
                         "site/page.md": "# P\n\n{% include ../../../etc/passwd %}\n\n"
                                         "{% include missing.md %}\n",
                         "loose.md": "# L\n\n{% include escalation.md %}\n"})
    library = Library(root)
    page = render_file(library, "site/page.md")
    assert "root:" not in page.body_html
    assert shown_text(page.body_html).count("include") == 2
    assert "include escalation.md" in shown_text(render_file(library, "loose.md").body_html)


def test_a_jekyll_site_in_a_folder_reads_its_site_root_links_and_pictures_from_there(
        make_library: MakeLibrary) -> None:
    root = make_library({
        "ops-site/_config.yml": "baseurl: /ops\n",
        "ops-site/runbooks/Failover.md": (
            "# Failover\n\nFirst [drain the region]({{ site.baseurl }}/runbooks/Drain.html).\n\n"
            "![The switch]({{site.baseurl}}/assets/switch.png)\n"),
        "ops-site/runbooks/Drain.md": "# Drain\n",
        "ops-site/assets/switch.png": b"\x89PNG\r\n\x1a\nfake",
    })
    library = Library(root)
    page = render_file(library, "ops-site/runbooks/Failover.md")
    href = re.search(r'<a href="([^"]+)">drain the region</a>', page.body_html).group(1)
    assert classify_link(href, library, "ops-site/runbooks/Failover.md").path == \
        "ops-site/runbooks/Drain.md"
    found = load_page_images(library, "ops-site/runbooks/Failover.md", page.body_html)
    assert list(found.pictures) == ["/assets/switch.png"] and not found.refused


def test_includes_and_snippets_share_one_budget_per_page() -> None:
    from viewer.core.render.shortcodes import MAX_INCLUDED_CHARS, expand_site_tags

    big = "MARK\n" + "filler words " * 40_000 + "\n"  # ~520 KB
    calls: list[str] = []

    def include(name: str) -> str:
        calls.append(name)
        return big + "{% include big.md %}\n" * 3  # and each names it again

    page = "# P\n\n" + "{% include big.md %}\n" * 50
    expanded = expand_site_tags(page, include=include)
    assert expanded.count("MARK") <= MAX_INCLUDED_CHARS // len(big) + 1
    assert len(expanded) < MAX_INCLUDED_CHARS + len(big) + 100_000
    assert "include big.md" in shown_text(expanded)  # the rest are named, not read
    assert len(calls) < 20


# -- wiki links (a GitHub wiki's own repository; an Obsidian vault) --------------------------
WIKI = {
    "Home.md": "# Operations wiki\n\nStart with [[Disk Full]] or "
               "[[the database page|Database-Failover]].\n"
               "Then [[Node Not Ready#Drain the node]] and [[Capacity Planning]].\n\n"
               "`[[in code]]` and\n\n```\n[[in a fence]]\n```\n\n[[_TOC_]]\n",
    "Disk-Full.md": "# Disk full\n\nSee [[Home]].\n",
    "Database-Failover.md": "# Database failover\n\n## Promote the replica\n",
    "vault/Node Not Ready.md": "# Node not ready\n\n## Drain the node\n\n![[diagram.png|400]]\n"
                               "Back to [[Home|the wiki's front page]] or [[#Drain the node]].\n",
    "vault/diagram.png": b"\x89PNG\r\n\x1a\nfake",
}


def test_wiki_links_open_their_pages_as_the_wiki_would(make_library: MakeLibrary) -> None:
    library = Library(make_library(WIKI))
    from viewer.core.start_page import start_page

    assert start_page(library) == "Home.md"  # a GitHub wiki's front page
    page = render_file(library, "Home.md")
    shown = shown_text(page.body_html)
    assert raw_markup(page.body_html) == []
    links = {html.unescape(words): href for href, words in
             re.findall(r'<a href="([^"]+)">([^<]+)</a>', page.body_html)}
    opened = {words: (classify_link(href, library, "Home.md").path,
                      classify_link(href, library, "Home.md").anchor)
              for words, href in links.items() if not href.startswith("#")}
    assert opened["Disk Full"] == ("Disk-Full.md", "")  # a Gollum page's spaces are hyphens
    assert opened["the database page"] == ("Database-Failover.md", "")  # [[words|Page]]
    assert opened["Node Not Ready > Drain the node"] == ("vault/Node Not Ready.md",
                                                         "drain-the-node")
    # A page the wiki lacks keeps its words, marked, never the brackets.
    assert "Capacity Planning" in shown and "[[" not in shown.replace("[[in code]]", "")
    assert '<span class="unresolved"' in page.body_html
    assert "<code>[[in code]]</code>" in page.body_html
    assert page.code_blocks[0].copy_text == "[[in a fence]]"
    assert '<div class="toc">' in page.body_html  # GitLab's marker is still the contents
    # A Markdown link whose words are in brackets is not a wiki link.
    bracketed = render_text("Git [[download]](https://git-scm.com/downloads)\n", "x.md")
    assert '<a href="https://git-scm.com/downloads">[download]</a>' in bracketed.body_html
    # Nor is code, however it is written: a shell test in a fence inside a list item, a
    # script's nested array in a fence under a tab, a template's value in prose.
    code = render_text('1. Check the file:\n\n    ```bash\n    if [[ -f /etc/app ]]; then\n'
                       '      [[ -n "$X" ]] && echo ok\n    fi\n    ```\n\n'
                       '=== "Config"\n\n    ```js\n    inlineMath: [["\\\\(", "\\\\)"]]\n'
                       '    ```\n\nThe default is [[ default_url ]].\n', "x.md")
    assert [block.copy_text for block in code.code_blocks] == [
        'if [[ -f /etc/app ]]; then\n  [[ -n "$X" ]] && echo ok\nfi',
        'inlineMath: [["\\\\(", "\\\\)"]]']
    assert "[[ default_url ]]" in shown_text(code.body_html)
    assert "unresolved" not in code.body_html

    obsidian = render_file(library, "vault/Node Not Ready.md")
    back = re.findall(r'<a href="([^"]+)">([^<]+)</a>', obsidian.body_html)
    assert ("../Home.md", "the wiki's front page") in back  # [[Page|words]]
    assert ("#drain-the-node", "Drain the node") in back
    found = load_page_images(library, "vault/Node Not Ready.md", obsidian.body_html)
    assert list(found.pictures) == ["diagram.png"]


def test_an_azure_devops_wiki_lists_sub_pages_and_shows_its_diagrams(
        make_library: MakeLibrary) -> None:
    library = Library(make_library({
        "Operations.md": "# Operations\n\n[[_TOC_]]\n[[_TOSP_]]\n\n::: mermaid\n"
                         "flowchart TD\nA --> B\n:::\n\n## After\n",
        "Operations/Restore-a-Backup.md": "# Restore\n",
        "Operations/Disk%2DFull.md": "# Disk full\n",
        "Operations/.order": "Restore-a-Backup\nDisk%2DFull\n",
    }))
    page = render_file(library, "Operations.md")
    assert raw_markup(page.body_html) == []
    listed = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', page.body_html)
    assert [words for _href, words in listed] == ["Restore a Backup", "Disk-Full"]  # .order
    assert classify_link(listed[1][0], library, "Operations.md").path == \
        "Operations/Disk%2DFull.md"
    assert [block.copy_text for block in page.code_blocks] == ["flowchart TD\nA --> B"]
    assert "After" in shown_text(page.body_html)


def test_template_braces_in_a_code_block_inside_a_list_or_box_are_copied_as_written() -> None:
    page = render_text(
        "# Deploy\n\n1. Pin the checkout:\n\n    ```yaml\n"
        "    - uses: actions/checkout@v4\n\n      with:\n        ref: ${{ github.sha }}\n"
        "    ```\n\n!!! note\n    ```bash\n    helm repo update\n\n"
        "    helm upgrade app --set tag={{ .Values.tag }}\n"
        "    ```\n\nSee {{< param release >}} then.\n", "x.md")
    assert [block.copy_text for block in page.code_blocks] == [
        "- uses: actions/checkout@v4\n\n  with:\n    ref: ${{ github.sha }}",
        "helm repo update\n\nhelm upgrade app --set tag={{ .Values.tag }}"]
    assert "param release" in shown_text(page.body_html)  # prose after them is still read
    # A file with Windows line ends: its fences close, and what follows is read.
    crlf = render_text("# P\r\n\r\n```\r\nx\r\n```\r\n\r\nOn {{< param site >}}.\r\n", "x.md")
    assert "param site" in shown_text(crlf.body_html) and "{{<" not in crlf.body_html


def test_obsidian_callouts_are_titled_boxes_of_their_kind() -> None:
    page = render_text("> [!warning] Drain the node first\n> Cordon it, then **drain** it.\n\n"
                       "> [!tip]- Why\n> Pods move.\n\n> [!danger]\n> Data loss.\n\n"
                       "> [!unknown] stays a quote\n", "x.md")
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', page.body_html)
    assert titles == ["Drain the node first", "Why", "Danger"]
    assert "admonition-warning" in page.body_html and "admonition-danger" in page.body_html
    assert "[!warning]" not in page.body_html and "<strong>drain</strong>" in page.body_html
    assert "<blockquote>" in page.body_html  # a kind Obsidian does not know stays a quote


def test_in_a_jekyll_site_an_html_block_ends_at_its_closing_tag(
        make_library: MakeLibrary) -> None:
    page = ('# Buttons\n\n<div class="example">\n<b>Demo</b>\n</div>\n```html\n<b>Demo</b>\n'
            "```\n\n```html\n<div>\n</div>\nkept as written\n```\n")
    library = Library(make_library({"site/_config.yml": "title: x\n", "site/buttons.md": page,
                                    "plain/buttons.md": page}))
    kramdown = render_file(library, "site/buttons.md")
    assert [block.copy_text for block in kramdown.code_blocks] == [
        "<b>Demo</b>", "<div>\n</div>\nkept as written"]
    # Outside a Jekyll site the page reads as GitHub shows it: the HTML runs to a blank line.
    github = render_file(library, "plain/buttons.md")
    assert [block.copy_text for block in github.code_blocks] == [
        "<div>\n</div>\nkept as written"]


MIDDLEMAN_SITE = {  # GOV.UK's developer docs: Markdown, some of it run through ERB first
    "config.rb": "activate :directory_indexes\n",
    "source/manual/reindex-search.html.md.erb": (
        "---\ntitle: Reindex search\n---\n\n<%# the list below is generated %>\n"
        "Run <%= link_to 'the rake task', '/manual/rake-tasks.html' %> out of hours "
        "<% if production %>(production)<% end %>.\n\n<h4 id='<%= slug %>'>Steps</h4>\n\n"
        "```erb\n<%= kept_as_written %>\n```\n"),
    "source/manual/rake-tasks.html.md": "---\ntitle: Rake tasks\n---\n\nSee [reindex]"
                                        "(/manual/reindex-search.html).\n",
    "source/layouts/core.html.erb": "<html><%= yield %></html>\n",  # a layout: not a page
}


def test_a_middleman_pages_erb_tags_show_for_what_they_are(make_library: MakeLibrary) -> None:
    library = Library(make_library(MIDDLEMAN_SITE))
    assert sorted(library.iter_runbooks()) == ["source/manual/rake-tasks.html.md",
                                               "source/manual/reindex-search.html.md.erb"]
    page = render_file(library, "source/manual/reindex-search.html.md.erb")
    shown = shown_text(page.body_html)
    assert "<%" not in shown.replace("<%= kept_as_written %>", "")  # code stays as written
    assert "generated" not in shown  # a comment shows nothing
    assert "if production" in shown and "(production)" in shown
    assert "slug" not in page.body_html  # a value only the build knows, inside a tag: left out
    [href] = re.findall(r'<a href="(/manual/[^"]+)"', page.body_html)
    assert classify_link(href, library, "source/manual/reindex-search.html.md.erb").path == \
        "source/manual/rake-tasks.html.md"
    assert classify_link("/manual/reindex-search.html", library,
                         "source/manual/rake-tasks.html.md").path == \
        "source/manual/reindex-search.html.md.erb"


def test_a_middleman_erb_page_is_found_by_search(make_index: MakeIndex) -> None:
    index, _ = make_index(MIDDLEMAN_SITE)
    assert [hit.path for hit in index.search("production")] == [
        "source/manual/reindex-search.html.md.erb"]


def test_a_pages_own_front_matter_values_fill_its_templates() -> None:
    """GOV.UK's template starts pages with "# <%= current_page.data.title %>" (40 of MoJ's
    runbooks); Jekyll pages write {{ page.title }}. Both are the front matter's values."""
    erb = render_text("---\ntitle: Rotate the <b>keys</b>\nweight: 20\nlast_reviewed_on: "
                      "2026-01-05\n---\n\n# <%= current_page.data.title %>\n\nReviewed "
                      "<%= current_page.data[:last_reviewed_on] %>; "
                      "<%= current_page.data.owner %>.\n", "source/rotate.html.md.erb")
    assert [(h.text, h.anchor) for h in erb.headings] == [("Rotate the <b>keys</b>",
                                                          "rotate-the-bkeysb")]
    assert "<b>keys</b>" not in erb.body_html  # a value is text, never markup
    shown = shown_text(erb.body_html)
    assert "Reviewed 2026-01-05;" in shown
    assert "current_page.data.owner" in shown  # not in the front matter: its name, as before
    liquid = render_text("---\ntitle: Failover\ntags: [db, pg]\n---\n\n# {{ page.title }}\n\n"
                         "Tags: {{ page.tags }}\n", "docs/failover.md")
    assert [h.text for h in liquid.headings] == ["Failover"]
    assert "page.tags" in shown_text(liquid.body_html)  # a list is not written as text


def test_a_jekyll_include_sees_the_page_that_includes_it(make_library: MakeLibrary) -> None:
    library = Library(make_library({
        "_config.yml": "title: Ops\n",
        "_includes/owner.md": "Owned by {{ page.owner }} for {{ page.title }}.\n",
        "db/failover.md": "---\ntitle: Failover\nowner: team-db\n---\n\n# Failover\n\n"
                          "{% include owner.md %}\n"}))
    shown = shown_text(render_file(library, "db/failover.md").body_html)
    assert "Owned by team-db for Failover." in shown


def test_a_middleman_pages_headings_without_a_space_are_headings() -> None:
    """MoJ's runbooks (GOV.UK's template, Redcarpet) write "####Sorting for nodes" and link
    to #sorting-for-nodes; on GitHub, and in any other page, it stays a line of text."""
    text = ("# Monitor the cluster\n\n###Installation\n\nInstall k9s.\n\n####Sorting for nodes"
            "\n\nSee [sorting](#sorting-for-nodes).\n\n```bash\n#needed by the provider\n"
            "export X=1\n```\n\n#######not a heading\n")
    page = render_text(text, "source/monitor.html.md.erb")
    assert [(h.level, h.text, h.anchor) for h in page.headings] == [
        (1, "Monitor the cluster", "monitor-the-cluster"), (3, "Installation", "installation"),
        (4, "Sorting for nodes", "sorting-for-nodes")]
    assert page.code_blocks[0].copy_text == "#needed by the provider\nexport X=1"
    assert "#######not a heading" in page.body_html
    github = render_text(text, "docs/monitor.md")
    assert [h.text for h in github.headings] == ["Monitor the cluster"]


def test_a_middleman_list_items_fence_written_from_the_margin_stays_in_the_item() -> None:
    """The PaaS team manual's upgrade guides: a step's fence is indented, its lines are
    not. Redcarpet keeps them in the step; copying the command must not take the fence."""
    text = ("# Upgrade\n\n1. Find the release:\n\n    ```\n- name: bosh\n  version: 273.1.0\n"
            "    ```\nThe commit is `959ed4a`.\n\n1. Run the pipeline:\n\n    ```\n"
            "make dev01 pipelines BRANCH=main\n```\n\n1. Pause the other one.\n")
    page = render_text(text, "source/guides/upgrade.html.md")
    assert [block.copy_text for block in page.code_blocks] == [
        "- name: bosh\n  version: 273.1.0", "make dev01 pipelines BRANCH=main"]
    assert page.body_html.count("<ol") == 1  # one list of three steps, not three lists
    github = render_text(text, "docs/upgrade.md")  # as GitHub shows it: the fence ends early
    assert next(block.copy_text for block in github.code_blocks) == ""


def test_a_page_that_only_mentions_erb_loses_no_text() -> None:
    page = render_text("Keep CPU <%80 on the nodes.\n\nThe next paragraph says 50%> of it.\n",
                       "notes.md")
    assert "Keep CPU &lt;%80 on the nodes." in page.body_html
    assert "The next paragraph says 50%&gt; of it." in page.body_html


def test_an_erb_tag_written_over_several_lines_is_one_token() -> None:
    page = render_text("Tabs:\n\n<%= Components.render(\"tabs\", {\n  items: tabs,\n}) %>"
                       "\n\nEnd.\n", "events.html.md.erb")
    assert "Components.render" in page.body_html and "items: tabs" in page.body_html
    assert "&lt;%" not in page.body_html and "End." in page.body_html


def test_vitepress_code_groups_raw_blocks_and_contents() -> None:
    """VitePress (its own docs): a code group's fences are tabs titled in brackets, a
    ``v-pre`` block shows what it holds, ``[[toc]]`` is the page's contents."""
    page = render_text(
        "# Install\n\n[[toc]]\n\n## With a package manager\n\n::: code-group\n\n"
        "```sh [npm]\nnpm add -D vitepress\n```\n\n```sh [pnpm]\npnpm add -D vitepress\n```\n"
        "\n:::\n\n::: v-pre\nWritten as {{ is }}.\n:::\n\n::: tip Before you start\nUse Node 18."
        "\n:::\n", "guide/install.md")
    assert [(b.title, b.copy_text) for b in page.code_blocks] == [
        ("npm", "npm add -D vitepress"), ("pnpm", "pnpm add -D vitepress")]
    shown = shown_text(page.body_html)
    assert ":::" not in shown and "[[toc]]" not in shown
    assert 'href="#with-a-package-manager"' in page.body_html  # the contents' entry
    assert "Before you start" in shown and "Use Node 18." in shown  # a tip stays a box
