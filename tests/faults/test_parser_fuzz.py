"""Fuzzed runbooks: never a traceback, never a silent empty page, never a read outside the library.

The CI run tries a fixed set of generated documents (``derandomize``); the
long run in ``benchmarks/fault_harness.py`` tries thousands more with fresh
seeds and reports what it found in ``docs/reliability.md``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.conftest import REPO
from tests.faults.audit import opened_files, outside
from tests.faults.inputs import MARKDOWN, RST
from viewer.core.frontmatter import split_front_matter
from viewer.core.library import Library
from viewer.core.page_images import load_page_images
from viewer.core.render.budget import seconds_for
from viewer.core.rendering import render_file
from viewer.core.search.sections import index_record
from viewer.core.triage.extract import extract_scenarios

pytestmark = pytest.mark.faults
APP_FILES = (REPO / "viewer", REPO / "resources")  # its own modules and stylesheets
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def check_one(library: Library, name: str, text: str) -> None:
    """What every runbook must hold to, whatever is in it."""
    path = library.root / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    started = time.perf_counter()
    with opened_files() as opened:
        page = render_file(library, name)
        model = render_file(library, name, with_html=False)
        pictures = load_page_images(library, name, getattr(page, "body_html", ""))
    elapsed = time.perf_counter() - started
    if "\x00" in text[:8192]:  # a NUL near the start: a binary file, and the page says so
        assert "binary" in page.message
        return
    assert not hasattr(page, "message"), page  # a Problem only for unreadable files
    if split_front_matter(text)[1].strip():
        assert page.body_html.strip() or page.notices, "an empty page with no word why"
    lowered = page.body_html.lower()
    assert "<script" not in lowered and "javascript:" not in lowered and "onerror" not in lowered
    extract_scenarios(model)
    index_record(model)
    assert not outside(opened, library.root, *APP_FILES), "read outside the library"
    assert not pictures.pictures or all(src in page.body_html for src in pictures.pictures)
    assert elapsed < 2 * seconds_for(len(text)) + 2, f"{elapsed:.1f} s for {len(text)} chars"


@pytest.fixture
def fuzz_library(tmp_path: Path) -> Library:
    root = tmp_path / "library"
    root.mkdir()
    (tmp_path / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (root / "img").symlink_to(tmp_path)  # a folder link out of the library
    return Library(root)


@FUZZ
@given(text=MARKDOWN)
def test_fuzzed_markdown(fuzz_library: Library, text: str) -> None:
    check_one(fuzz_library, "fuzz.md", text)


@FUZZ
@given(text=RST)
def test_fuzzed_rest(fuzz_library: Library, text: str) -> None:
    check_one(fuzz_library, "fuzz.rst", text)
