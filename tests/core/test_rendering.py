"""The pipeline never crashes: every bad file becomes a Problem with a clear message."""

import os
from pathlib import Path

from tests.conftest import MakeLibrary
from viewer.core.document import Document, Problem
from viewer.core.library import Library
from viewer.core.rendering import render_file


def test_binary_empty_and_huge_files_are_explained(make_library: MakeLibrary) -> None:
    root = make_library({
        "binary.md": b"\x00\x01\x02\x03" * 100,
        "empty.md": b"",
        "huge.md": b"# big\n" + b"x" * (6 * 1024 * 1024),
    })
    library = Library(root)
    for name, words in (("binary.md", "binary"), ("empty.md", "empty"), ("huge.md", "MB")):
        result = render_file(library, name)
        assert isinstance(result, Problem) and words in result.message


def test_symlinked_runbook_outside_is_refused_not_read(make_library: MakeLibrary,
                                                        tmp_path: Path) -> None:
    root = make_library({"index.md": "# i\n"})
    (tmp_path / "private.md").write_text("# PRIVATE KEY MATERIAL\n")
    os.symlink(tmp_path / "private.md", root / "runbook.md")
    result = render_file(Library(root), "runbook.md")
    assert isinstance(result, Problem) and "outside the library" in result.message


def test_thousands_of_nested_quotes_and_lists_render(make_library: MakeLibrary) -> None:
    root = make_library({
        "quotes.md": ">" * 5000 + " deep\n",
        "lists.md": "".join("  " * i + "- level\n" for i in range(1000)),
        "brackets.md": "[" * 20000 + "x" + "]" * 20000 + "\n",
        "emphasis.md": "*a " * 20000 + "\n",
        "quotes.rst": "".join("  " * i + "quote\n\n" for i in range(400)),
    })
    library = Library(root)
    for name in ("quotes.md", "lists.md", "brackets.md", "emphasis.md", "quotes.rst"):
        result = render_file(library, name)
        assert isinstance(result, Document | Problem)
        if isinstance(result, Problem):
            assert "nested too deeply" in result.message


def test_legacy_encoding_renders_and_reports_it(make_library: MakeLibrary) -> None:
    root = make_library({"legacy.md": "# Caf\u00e9 \u2013 r\u00e9sum\u00e9\n".encode("cp1252")})
    result = render_file(Library(root), "legacy.md")
    assert isinstance(result, Document)
    assert result.title == "Caf\u00e9 \u2013 r\u00e9sum\u00e9" and result.encoding == "cp1252"
