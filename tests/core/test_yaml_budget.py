"""Front matter and triage.yaml from a hostile repository cannot cost unbounded time or memory."""

from __future__ import annotations

import time

import pytest

from tests.conftest import MakeLibrary
from viewer.core.library import Library
from viewer.core.rendering import render_file
from viewer.core.triage.authored import load_triage
from viewer.core.yaml_budget import YamlTooLarge, load_bounded


def laughs(levels: int = 9, indent: str = "") -> str:
    """A "billion laughs": each level's list holds the previous level nine times."""
    lines = [f'{indent}a0: &a0 ["lol"]']
    for n in range(1, levels + 1):
        refs = ", ".join([f"*a{n - 1}"] * 9)
        lines.append(f"{indent}a{n}: &a{n} [{refs}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_in_front_matter_is_refused_quickly(make_library: MakeLibrary) -> None:
    root = make_library({"bomb.md": f"---\ntitle: Bomb\n{laughs()}---\n# Still here\n\nText.\n"})
    started = time.monotonic()
    document = render_file(Library(root), "bomb.md")
    assert time.monotonic() - started < 2
    assert "Still here" in document.body_html
    assert any("too large" in notice for notice in document.notices)


def test_an_alias_fan_out_in_triage_yaml_is_reported_not_expanded(
        make_library: MakeLibrary) -> None:
    # Each level's answers are nine aliases of the level below: 9^9 answers to walk.
    lines = ["l0: &l0 {answer: go, open: page.md}"]
    for n in range(1, 10):
        lines.append(f"l{n}: &l{n} {{answer: a{n}, question: q{n}, "
                     f"answers: [{', '.join([f'*l{n - 1}'] * 9)}]}}")
    text = "\n".join(lines) + "\nquestion: Start\nanswers: [*l9]\n"
    assert len(text) < 1000
    root = make_library({"triage.yaml": text, "page.md": "# P\n"})
    started = time.monotonic()
    question, message = load_triage(Library(root))
    assert time.monotonic() - started < 2
    assert question is None and "triage.yaml" in message and "expands" in message


def test_aliases_within_the_budget_still_work() -> None:
    data = load_bounded("base: &b {owner: db-team}\nfirst: *b\nsecond: *b\n")
    assert data["second"] == {"owner": "db-team"}


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "- " * 200 + "x\n"])
def test_self_reference_and_deep_nesting_are_refused(text: str) -> None:
    with pytest.raises(YamlTooLarge):
        load_bounded(text)
