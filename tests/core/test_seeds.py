"""Real runbooks (the shared seeds) render cleanly, as Markdown and as Sphinx-style reST.

The seeds live beside the project in the development workspace only; these
tests skip, saying why, in a clone without them.
"""

import re
from pathlib import Path

import pytest

from tests.conftest import seeds_or_skip
from tests.core.test_rst import assert_no_error_text
from viewer.core.document import Document
from viewer.core.library import Library
from viewer.core.rendering import render_file
from viewer.core.rst_targets import LabelIndex

_RST_EXAMPLE = re.compile(
    r"^#{2,4} (?P<heading>[^\n]*?)(?:\(`(?P<path>[^`]+\.rst)`\))?\s*\n+```rst\n(?P<body>.*?)^```",
    re.M | re.S,
)


def seed_library(tmp_path: Path) -> Library:
    root = tmp_path / "seeds"
    root.mkdir()
    for seed in seeds_or_skip():
        (root / seed.name).write_bytes(seed.read_bytes())
    return Library(root)


def test_every_seed_renders_as_markdown(tmp_path: Path) -> None:
    library = seed_library(tmp_path)
    for rel in library.iter_runbooks():
        doc = render_file(library, rel)
        assert isinstance(doc, Document), doc
        assert_no_error_text(doc.body_html)
        anchors = [h.anchor for h in doc.headings]
        assert len(anchors) == len(set(anchors)), f"duplicate anchors in {rel}"
        ids = set(re.findall(r'id="([^"]+)"', doc.body_html))
        for href in re.findall(r'href="#([^"]+)"', doc.body_html):
            assert href in ids, f"{rel}: in-page link #{href} has no target"
        assert doc.code_blocks, f"{rel}: no code blocks found"


def test_seed_table_of_contents_links_land_on_headings(tmp_path: Path) -> None:
    library = seed_library(tmp_path)
    seed = next(p for p in library.iter_runbooks() if p.startswith("003_"))
    doc = render_file(library, seed)
    assert isinstance(doc, Document)
    for anchor in ("incident-response", "common-tasks", "troubleshooting", "emergency-procedures"):
        assert f'href="#{anchor}"' in doc.body_html and f'id="{anchor}"' in doc.body_html
    assert "p1-api-completely-down" in doc.anchors


def rst_examples(seed000: Path) -> dict[str, str]:
    """The reST files seed 000 shows in its code blocks, keyed by their path."""
    text = seed000.read_text(encoding="utf-8")
    examples = {}
    for match in _RST_EXAMPLE.finditer(text):
        path = match.group("path")
        name = path.split("/docs/source/", 1)[-1] if path else (
            re.sub(r"\W+", "-", match.group("heading").strip().lower()).strip("-") + ".rst")
        examples[name] = match.group("body")
    return examples


def test_seed_000_rest_examples_render_as_one_library(tmp_path: Path) -> None:
    seeds = seeds_or_skip()
    examples = rst_examples(next(s for s in seeds if s.name.startswith("000_")))
    assert {"operations/00-index.rst", "operations/02-common-issues.rst",
            "operations/04-incident-response.rst"} <= set(examples)
    root = tmp_path / "docs"
    for rel, body in examples.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(body, encoding="utf-8")
    library = Library(root)
    labels = LabelIndex(library)
    pages = {}
    for rel in examples:
        doc = render_file(library, rel, labels=labels)
        assert isinstance(doc, Document), doc
        assert_no_error_text(doc.body_html)
        assert not doc.notices, (rel, doc.notices)
        pages[rel] = doc

    index = pages["operations/00-index.rst"].body_html
    issues = pages["operations/02-common-issues.rst"]
    for label in ("database-connection-pool-exhausted", "redis-cache-miss-rate-high",
                  "api-gateway-503-errors"):
        assert f'href="02-common-issues.rst#{label}"' in index
        assert f'id="{label}"' in issues.body_html
    assert 'href="04-incident-response.rst">Incident Response Workflow</a>' in index
    assert 'href="02-common-issues.rst">Common Issues &amp; Troubleshooting</a>' in index
    # Targets the seed names but does not contain stay visible as unresolved text.
    existing = {Path(rel).stem for rel in examples}
    for page in pages.values():
        for target in re.findall(r'title="Not in this library: ([^"]+)"', page.body_html):
            assert Path(target).name not in existing, target
    assert issues.code_blocks and all(b.language == "bash" for b in issues.code_blocks)


def test_without_the_seeds_the_skip_says_what_is_missing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import tests.conftest

    monkeypatch.setattr(tests.conftest, "SEEDS", Path("/no/such/shared/seeds"))
    with pytest.raises(pytest.skip.Exception) as skipped:
        tests.conftest.seeds_or_skip()
    assert str(skipped.value) == ("seed runbooks not present (../shared/seeds); "
                                  "these tests check the seeds")
