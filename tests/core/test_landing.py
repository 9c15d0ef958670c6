"""Where a hit lands: the section its matches point to, and the snippet marked there."""

from __future__ import annotations

from viewer.core.search.landing import encode_sections, front_matter_snippet, land
from viewer.core.search.meta_labels import LABEL_END, unlabelled
from viewer.core.search.query import Matcher, parse_query
from viewer.core.search.results import MARK_END, MARK_START


def _runbook(*sections: tuple[str, str, str]) -> tuple[str, bytes, str]:
    """(text, edges, labels) as the index stores a runbook of (anchor, heading, body) sections."""
    text, ranges = "", []
    for anchor, heading, body in sections:
        chunk = f"{heading}\n{body}\n\n"
        ranges.append((anchor, heading, len(text), len(text) + len(heading),
                       len(text) + len(chunk)))
        text += chunk
    return (text, *encode_sections(ranges))


def _land(query: str, runbook: tuple[str, bytes, str]) -> tuple[str, str, str, str]:
    text, edges, labels = runbook
    return land(text, Matcher(parse_query(query)).find(text), edges, labels)


def _marked(snippet: str) -> str:
    return snippet.replace(MARK_START, "[").replace(MARK_END, "]")


RUNBOOK = _runbook(
    ("intro", "Introduction", "Restart restart restart the pods if they hang."),
    ("restart", "Restart", "Roll the deployment one zone at a time."),
    ("pool", "Connection pool", "Raise the pool size; restart the pool proxy."),
)


def test_a_heading_match_outweighs_passing_mentions() -> None:
    # Three mentions in Introduction (3) lose to the Restart heading (4).
    anchor, heading, snippet, section_text = _land("restart", RUNBOOK)
    assert (anchor, heading) == ("restart", "Restart")
    assert snippet == "Roll the deployment one zone at a time."  # no body match: how it begins
    assert section_text.startswith("Restart\nRoll the deployment")


def test_more_of_the_words_outweigh_more_matches() -> None:
    anchor, _heading, snippet, _text = _land("restart pool", RUNBOOK)
    assert anchor == "pool"
    assert _marked(snippet) == "Raise the [pool] size; [restart] the [pool] proxy."


def test_the_first_section_wins_a_tie() -> None:
    runbook = _runbook(("a", "One", "disk full"), ("b", "Two", "disk full"))
    assert _land("disk", runbook)[0] == "a"


def test_labels_keep_their_places_whatever_a_heading_holds() -> None:
    runbook = _runbook(("odd", "A \x1f heading", "nothing here"), ("next", "Next", "the disk"))
    assert _land("disk", runbook)[:2] == ("next", "Next")


def test_a_runbook_without_sections_lands_nowhere() -> None:
    assert _land("disk", ("disk", *encode_sections([]))) == ("", "", "", "")


def test_a_match_is_marked_only_where_a_word_starts_and_ends() -> None:
    found = Matcher(parse_query('"cache miss"')).find("cache missing; xcache miss; cache miss")
    # A window ending inside "missing" (at 10) does not mark "cache miss" there.
    assert found.spans(0, 10) == []
    assert found.spans(0, 38) == [(28, 38)]
    assert found.starts == [[28]]


def test_a_front_matter_snippet_is_the_value_that_matched_with_its_label() -> None:
    def snippet(query: str, meta: str) -> str:
        found = Matcher(parse_query(query)).find(unlabelled(meta))
        return _marked(front_matter_snippet(meta, found))

    meta = "\n".join(f"{label}{LABEL_END}{value}" for label, value in (
        ("Tags", "database"), ("Tags", "postgres"), ("Symptoms", "Errors: too many clients"),
        ("Severity", "SEV1"), ("Path", "runbooks db pool")))
    assert snippet("clients", meta) == "Symptoms: Errors: too many [clients]"
    assert snippet("postgres", meta) == "Tags: [postgres]"
    # The labels are not searched: every runbook would match "tags".
    assert snippet("tags", meta) == ""
    # A phrase across two values shows both lines' words, marked.
    assert snippet('"postgres errors"', meta).startswith("Tags: [postgres Symptoms Errors]")
    long_value = f"Summary{LABEL_END}" + "word " * 60 + "clients " + "word " * 60
    assert snippet("clients", long_value).startswith("Summary: …word")
