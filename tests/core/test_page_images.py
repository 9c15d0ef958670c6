"""A page's pictures come through the library's gate: inside the root, bounded, never waited on."""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path

from tests.conftest import MakeLibrary
from viewer.core.library import Library
from viewer.core.page_images import MAX_IMAGE_BYTES, load_page_images
from viewer.core.rendering import render_file

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _pictures(root: Path, page: str = "page.md"):  # type: ignore[no-untyped-def]
    library = Library(root)
    document = render_file(library, page)
    return load_page_images(library, page, document.body_html)


def test_a_picture_beside_the_runbook_is_read(make_library: MakeLibrary) -> None:
    root = make_library({"ops/page.md": "# P\n\n![dot](img/dot.png)\n", "ops/img/dot.png": PNG})
    found = _pictures(root, "ops/page.md")
    assert found.pictures == {"img/dot.png": PNG}


def test_a_hugo_sites_root_pictures_are_read_from_its_static_folder(
        make_library: MakeLibrary) -> None:
    # dapr's docs: "/images/x.png" is served from daprdocs/static/images/x.png.
    page = "daprdocs/content/en/state/overview.md"
    root = make_library({"daprdocs/config.toml": "title = 'Docs'\n",
                         page: "# State\n\n![Overview](/images/overview.png)\n\n"
                               "![Gone](/images/gone.png)\n",
                         "daprdocs/static/images/overview.png": PNG,
                         "notes/page.md": "# Notes\n\n![Overview](/images/overview.png)\n"})
    found = _pictures(root, page)
    assert found.pictures == {"/images/overview.png": PNG}
    assert "gone.png" in found.refused["/images/gone.png"]
    # Outside a site's content folder the path is the library's own, and not there.
    assert _pictures(root, "notes/page.md").pictures == {}


def test_a_middleman_sites_pictures_are_read_where_the_site_serves_them(
        make_library: MakeLibrary) -> None:
    """GOV.UK's template (the PaaS team manual): "/diagrams/x.svg" is in ``source/``, and a
    page shown at its own folder address reads "../images/x.png" from its folder."""
    page = "source/adr/ADR004-naming.html.md"
    root = make_library({
        "config.rb": "activate :directory_indexes\n",
        page: "# ADR004\n\n![flow](/diagrams/flow.png) ![pipeline](../images/pipeline.png) "
              "![gone](../images/gone.png) ![far](../../../../secret.png)\n",
        "source/diagrams/flow.png": PNG,
        "source/adr/images/pipeline.png": PNG})
    found = _pictures(root, page)
    assert found.pictures == {"/diagrams/flow.png": PNG, "../images/pipeline.png": PNG}
    assert set(found.refused) == {"../images/gone.png", "../../../../secret.png"}
    # A page a git host shows reads "../" from its own folder, as the host does.
    plain = make_library({"docs/ci/graphs.md": "# Graphs\n\n![jobs](../img/jobs.png)\n",
                          "docs/ci/img/jobs.png": PNG})
    assert _pictures(plain, "docs/ci/graphs.md").pictures == {}


def test_pictures_outside_the_root_are_refused(make_library: MakeLibrary, tmp_path: Path) -> None:
    (tmp_path / "outside.png").write_bytes(PNG)
    root = make_library({"page.md": "# P\n\n![a](../outside.png) ![b](link.png) "
                                    "![c](/etc/hostname) ![d](https://example.com/x.png)\n"})
    os.symlink(tmp_path / "outside.png", root / "link.png")
    found = _pictures(root)
    assert found.pictures == {}
    assert "outside" in found.refused["../outside.png"]
    assert "outside" in found.refused["link.png"]


def test_a_fifo_a_device_and_a_huge_picture_cost_nothing(make_library: MakeLibrary) -> None:
    root = make_library({"page.md": "# P\n\n![f](pipe.png) ![z](zero.png) ![h](huge.png)\n"})
    os.mkfifo(root / "pipe.png")
    os.symlink("/dev/zero", root / "zero.png")  # a link out of the root, to a device
    (root / "huge.png").write_bytes(b"\x89PNG" + b"\0" * MAX_IMAGE_BYTES)
    started = time.monotonic()
    found = _pictures(root)
    assert time.monotonic() - started < 2
    assert found.pictures == {}
    assert "not a regular file" in found.refused["pipe.png"]
    assert "not opened" in found.refused["huge.png"]


def test_an_svg_loses_every_reference_outside_itself(make_library: MakeLibrary) -> None:
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           b'width="10" height="10"><defs><linearGradient id="g"/></defs>'
           b'<image href="../../outside/blue.png" width="10" height="10"/>'
           b'<image xlink:href="file:///etc/passwd"/><use href="other.svg#x"/>'
           b'<rect fill="url(#g)" style="fill: url(file:///x.png)" width="5" height="5"/>'
           b"<style>@import url(evil.css); rect { fill: url(http://x/y) }</style></svg>")
    root = make_library({"page.md": "# P\n\n![s](d.svg)\n", "d.svg": svg})
    cleaned = _pictures(root).pictures["d.svg"].decode()
    for leaked in ("outside", "passwd", "other.svg", "file:///x.png", "evil.css", "http://x"):
        assert leaked not in cleaned, leaked
    assert 'fill="url(#g)"' in cleaned and "<rect" in cleaned


def test_an_svg_with_graphvizs_plain_document_type_is_shown(make_library: MakeLibrary) -> None:
    """Graphviz writes a public DOCTYPE on every drawing (the PaaS team manual's diagrams):
    it declares nothing, so the drawing shows; the DTD it names is never fetched."""
    svg = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC '
           b'"-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
           b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="2" height="2"/></svg>\n')
    root = make_library({"page.md": "# P\n\n![s](d.svg)\n", "d.svg": svg})
    found = _pictures(root)
    assert b"<rect" in found.pictures["d.svg"] and b"DOCTYPE" not in found.pictures["d.svg"]
    for sneaky in (b'<!DOCTYPE svg PUBLIC "a" "b" [<!ATTLIST svg x CDATA "y">]>',
                   b'<!DOCTYPE svg PUBLIC "a" "b"><!DOCTYPE svg [ ]>'):
        (root / "d.svg").write_bytes(svg.replace(svg[svg.index(b"<!DOCTYPE"):svg.index(b">\n<svg")
                                                     + 1], sneaky))
        assert _pictures(root).pictures == {}, sneaky


def test_an_svg_with_entities_is_refused(make_library: MakeLibrary) -> None:
    svg = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>'
           b'<svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>')
    root = make_library({"page.md": "# P\n\n![s](d.svg)\n", "d.svg": svg})
    found = _pictures(root)
    assert found.pictures == {} and "document type" in found.refused["d.svg"]
