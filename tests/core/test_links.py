"""One place decides what a link does, and nothing leaves the library."""

import os
from pathlib import Path

import pytest

from tests.conftest import MakeLibrary
from viewer.core.library import Library, OutsideLibrary
from viewer.core.links import classify_link, relative_href


@pytest.fixture
def library(make_library: MakeLibrary, tmp_path: Path) -> Library:
    root = make_library({
        "index.md": "# Index\n",
        "db/pool.md": "# Pool\n",
        "db/notes.rst": "Notes\n=====\n",
        "db/README.md": "# DB\n",
        "img/topology.png": b"\x89PNG\r\n",
    })
    outside = tmp_path / "outside.md"
    outside.write_text("# secret\n")
    os.symlink(outside, root / "escape.md")
    os.symlink(tmp_path, root / "escape-dir")
    return Library(root)


def test_relative_runbook_link_opens_in_app(library: Library) -> None:
    target = classify_link("db/pool.md#step-2", library, "index.md")
    assert (target.kind, target.path, target.anchor) == ("runbook", "db/pool.md", "step-2")
    assert classify_link("../index.md", library, "db/pool.md").path == "index.md"
    assert classify_link("notes", library, "db/pool.md").path == "db/notes.rst"
    assert classify_link("db/", library, "index.md").path == "db/README.md"


def test_in_page_anchor(library: Library) -> None:
    target = classify_link("#monitoring--alerts", library, "index.md")
    assert (target.kind, target.anchor) == ("anchor", "monitoring--alerts")


def test_web_links_go_to_the_browser_after_confirmation(library: Library) -> None:
    target = classify_link("https://status.example.com/x?y=1", library, "index.md")
    assert (target.kind, target.url) == ("external", "https://status.example.com/x?y=1")


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", "file:///etc/passwd", "ftp://x/y", "ssh://host", "mailto:a@b.c",
    "//evil.example/x", "data:text/html,hi", "../../../../etc/passwd", "/etc/passwd",
    "escape.md", "escape-dir/outside.md", "missing.md", "img/topology.png",
])
def test_everything_else_is_refused_with_a_reason(library: Library, href: str) -> None:
    target = classify_link(href, library, "db/pool.md")
    assert target.kind == "refused" and target.reason


def test_resolve_refuses_dotdot_and_symlinks_out(library: Library) -> None:
    with pytest.raises(OutsideLibrary):
        library.resolve("../x.md")
    with pytest.raises(OutsideLibrary):
        library.resolve("escape.md")
    assert library.resolve("db/../index.md") == library.root / "index.md"


def test_relative_href_between_documents() -> None:
    assert relative_href("a/b.rst", "c/d.rst", "x") == "../c/d.rst#x"
    assert relative_href("a/b.rst", "a/b.rst", "x") == "#x"
    assert relative_href("index.rst", "ops/a.rst") == "ops/a.rst"


def test_a_folder_pages_link_read_from_its_address_without_a_slash_opens_the_page(
        make_library: MakeLibrary) -> None:
    """Sourcegraph's Next.js docs show docs/cli/index.mdx at /cli: its "./cli/quickstart"
    is docs/cli/quickstart.mdx, as a browser reads it."""
    library = Library(make_library({
        "docs/cli/index.mdx": "# CLI\n\n[Quickstart](./cli/quickstart), [here](usage).\n",
        "docs/cli/quickstart.mdx": "# Quickstart\n",
        "docs/cli/usage.mdx": "# Usage\n",
        "docs/cli/references/index.mdx": "# References\n",
        "docs/deploy/guide.md": "# Guide\n\n[CLI](./cli/quickstart)\n",
        "docs/cli/README.md": "# CLI\n"}))
    here = "docs/cli/index.mdx"
    assert classify_link("./cli/quickstart", library, here).path == "docs/cli/quickstart.mdx"
    assert classify_link("cli/references", library, here).path == "docs/cli/references/index.mdx"
    assert classify_link("usage", library, here).path == "docs/cli/usage.mdx"  # as written first
    # Only a folder's own page is read so: another page's link is from its own folder.
    assert classify_link("./cli/quickstart", library, "docs/deploy/guide.md").kind == "refused"
    # Nor a README's: a git host reads it from its own folder, broken there is broken.
    assert classify_link("./cli/quickstart", library, "docs/cli/README.md").kind == "refused"


def test_a_middleman_folder_pages_links_without_suffix_open_the_pages(
        make_library: MakeLibrary) -> None:
    """GOV.UK's template (MoJ's cloud platform runbooks): ``source/incidents/index.html.md.erb``
    lists ``incidents/2020-08-04``, the page built from ``2020-08-04.html.md.erb``."""
    library = Library(make_library({
        "source/incidents/index.html.md.erb": "# Incidents\n\n[Q3](incidents/2020-08-04)\n",
        "source/incidents/2020-08-04.html.md.erb": "# Incident on 2020-08-04\n",
        "source/cp30/index.html.md.erb": "# CP30\n\n[Access](cp30/private-access)\n",
        "source/cp30/private-access.html.md.erb": "# Private access\n"}))
    assert classify_link("incidents/2020-08-04", library,
                         "source/incidents/index.html.md.erb").path == \
        "source/incidents/2020-08-04.html.md.erb"
    assert classify_link("cp30/private-access", library, "source/cp30/index.html.md.erb").path \
        == "source/cp30/private-access.html.md.erb"
    assert classify_link("cp30", library, "source/incidents/2020-08-04.html.md.erb").kind == \
        "refused"  # a folder's page is its own page: a link from elsewhere reads as written
    assert classify_link("../cp30", library, "source/incidents/2020-08-04.html.md.erb").path \
        == "source/cp30/index.html.md.erb"


def test_a_link_written_for_middlemans_directory_indexes_opens_the_page(
        make_library: MakeLibrary) -> None:
    """GOV.UK's template with directory indexes publishes ``adr/ADR008-x.html.md`` at
    ``/adr/ADR008-x/``: its ``../ADR012-y`` is the sibling page (the PaaS team manual)."""
    library = Library(make_library({
        "source/adr/ADR008-rewrite.html.md": "# ADR008\n\n[ADR012](../ADR012-health)\n",
        "source/adr/ADR012-health.html.md": "# ADR012\n",
        "source/adr/ADR040-socks.html.md.erb": "# ADR040\n",
        "source/adr/notes.md": "# Notes\n"}))
    here = "source/adr/ADR008-rewrite.html.md"
    assert classify_link("../ADR012-health", library, here).path == \
        "source/adr/ADR012-health.html.md"
    assert classify_link("../ADR040-socks/", library, here).path == \
        "source/adr/ADR040-socks.html.md.erb"
    assert classify_link("../adr012-HEALTH", library, here).path == \
        "source/adr/ADR012-health.html.md"  # an address: its case does not matter
    assert classify_link("../ADR099-gone", library, here).kind == "refused"


def test_a_link_written_for_a_hugo_sites_pretty_address_opens_the_page(
        make_library: MakeLibrary, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "limits").mkdir(parents=True)
    (outside / "Secret.md").write_text("# Not in the library\n")
    (outside / "limits" / "_index.md").write_text("# Not in the library\n")
    root = make_library({
        "content/runbooks/k8s/PodCrash.md": "# PodCrash\n\nSee [node down](../nodedown).\n",
        "content/runbooks/k8s/NodeDown.md": "# NodeDown\n",
        "content/runbooks/k8s/limits/_index.md": "# Limits\n\n## memory\n",
        "content/runbooks/k8s/tuning/index.md": "# Tuning\n",
        "content/docs/add-runbook.md": "# Add a runbook\n",
    })
    os.symlink(outside / "Secret.md", root / "content/runbooks/k8s/Secret.md")
    os.symlink(outside / "limits", root / "content/runbooks/k8s/linked")
    library = Library(root)
    here = "content/runbooks/k8s/PodCrash.md"  # published at content/runbooks/k8s/podcrash/
    target = classify_link("../nodedown#meaning", library, here)
    assert (target.kind, target.path, target.anchor) == \
        ("runbook", "content/runbooks/k8s/NodeDown.md", "meaning")
    assert classify_link("../nodedown/", library, here).path == "content/runbooks/k8s/NodeDown.md"
    assert classify_link("/docs/add-runbook", library, here).path == "content/docs/add-runbook.md"
    # A folder's address opens its folder page.
    target = classify_link("../limits/#memory", library, here)
    assert (target.path, target.anchor) == ("content/runbooks/k8s/limits/_index.md", "memory")
    assert classify_link("../tuning/", library, here).path == "content/runbooks/k8s/tuning/index.md"
    for leaving in ("../secret", "../linked/"):
        assert classify_link(leaving, library, here).kind == "refused", "never out of the root"
    assert classify_link("../nothing-here", library, here).kind == "refused"


@pytest.mark.parametrize(("href", "page", "anchor"), [
    ("/manual/rotate-keys.html#revoke", "source/manual/rotate-keys.html.md", "revoke"),
    ("/manual/rotate-keys", "source/manual/rotate-keys.html.md", ""),  # a pretty address
    ("rotate-keys.html", "source/manual/rotate-keys.html.md", ""),
    ("/kubernetes/scale-app/", "source/kubernetes/scale-app/index.html.md", ""),
])
def test_a_link_written_for_a_middleman_site_opens_the_page_it_was_built_from(
        make_library: MakeLibrary, href: str, page: str, anchor: str) -> None:
    """GOV.UK's developer docs: ``source/manual/x.html.md`` is published at
    ``/manual/x.html``, and a folder's ``index.html.md`` at the folder's address."""
    library = Library(make_library({
        "config.rb": "activate :directory_indexes\n",
        "source/manual/alerts-overview.html.md": "# Alerts\n",
        "source/manual/rotate-keys.html.md": "# Rotate keys\n\n## Revoke\n",
        "source/kubernetes/scale-app/index.html.md": "# Scale an app\n",
    }))
    target = classify_link(href, library, "source/manual/alerts-overview.html.md")
    assert (target.kind, target.path, target.anchor) == ("runbook", page, anchor)


def test_a_runbook_link_with_no_source_opens_the_one_page_named_so(
        make_library: MakeLibrary) -> None:
    """A pasted alert's runbook_url when no source says where pages are published."""
    from viewer.core.links import only_page_named

    library = Library(make_library({
        "source/prometheus-reconcile-alert.html.md.erb": "# Reconcile\n",
        "db/pool-exhausted.md": "# Pool\n", "net/pool-exhausted.md": "# Pool\n",
        "index.md": "# Home\n", "README.md": "# Readme\n"}))
    assert only_page_named(library, "https://runbooks.example.org/prometheus-reconcile-alert"
                                    ".html#troubleshooting") == (
        "source/prometheus-reconcile-alert.html.md.erb", "troubleshooting")
    assert only_page_named(library, "https://example.org/Prometheus-Reconcile-Alert/") == (
        "source/prometheus-reconcile-alert.html.md.erb", "")
    assert only_page_named(library, "https://example.org/pool-exhausted") is None  # two
    assert only_page_named(library, "https://example.org/docs/index.html") is None
    assert only_page_named(library, "https://example.org/README.md") is None
    # With a section, the only README of a one-repository library is the page meant.
    assert only_page_named(library, "https://github.com/o/r/blob/main/README.md#restore") == (
        "README.md", "restore")
    assert only_page_named(library, "file:///etc/prometheus-reconcile-alert") is None
