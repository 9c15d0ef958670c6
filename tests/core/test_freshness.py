"""Freshness and owners read from what teams already write: front matter, g3doc, CODEOWNERS."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from viewer.core.freshness import (
    DUE,
    FRESH,
    OVERDUE,
    UNKNOWN,
    LastChange,
    freshness_of,
    review_facts,
)
from viewer.core.library import Library
from viewer.core.library_config import FreshnessSettings
from viewer.core.owners import OwnersTable

TODAY = dt.date(2026, 12, 1)
SETTINGS = FreshnessSettings(review_interval_days=90, due_soon_days=14, changes_count=True)


def test_front_matter_review_dates_give_the_state_and_the_line() -> None:
    facts = review_facts({"last_reviewed": "2026-10-21", "reviewed_by": "@alice",
                          "owner": "team-db"})
    fresh = freshness_of(facts, None, SETTINGS, TODAY)
    assert fresh.state == FRESH
    assert fresh.line == "Reviewed 41 days ago by @alice · owner: team-db"
    due = freshness_of(review_facts({"last_reviewed": "2026-09-10"}), None, SETTINGS, TODAY)
    assert due.state == DUE and due.line.endswith("review due 2026-12-09")
    late = freshness_of(review_facts({"review_by": "2026-11-01"}), None, SETTINGS, TODAY)
    assert late.state == OVERDUE and late.line == "Review overdue since 2026-11-01"
    interval = review_facts({"last_reviewed": "2026-06-01", "review_interval": "1y"})
    assert freshness_of(interval, None, SETTINGS, TODAY).state == FRESH


def test_the_gov_uk_templates_page_review_fields_are_read() -> None:
    """GOV.UK's technical documentation template (many government teams' runbook sites)
    writes ``last_reviewed_on`` and ``review_in``; YAML reads the date as a date."""
    facts = review_facts({"title": "Rotate credentials", "last_reviewed_on": dt.date(2026, 7, 1),
                          "review_in": "6 months"})
    assert facts.reviewed == dt.date(2026, 7, 1) and facts.interval_days == 180
    fresh = freshness_of(facts, None, SETTINGS, TODAY)
    assert fresh.state == FRESH and fresh.review_by == dt.date(2027, 1, 1)  # calendar months
    late = review_facts({"last_reviewed_on": "2025-11-24", "review_in": "12 months"})
    assert freshness_of(late, None, SETTINGS, TODAY).line == (
        "Reviewed 12 months ago · review overdue since 2026-11-24")
    month_end = review_facts({"last_reviewed_on": "2026-01-31", "review_in": "1 month"})
    assert freshness_of(month_end, None, SETTINGS, TODAY).review_by == dt.date(2026, 2, 28)


def test_a_g3doc_freshness_comment_is_read_when_there_is_no_front_matter() -> None:
    text = ("<!--* freshness: { owner: 'bob' reviewed: '2026-11-10' "
            "review_interval: '30 days' } *-->\n# Page\n")
    facts = review_facts({}, text)
    assert facts.reviewed == dt.date(2026, 11, 10) and facts.owners == ["bob"]
    assert facts.interval_days == 30
    assert freshness_of(facts, None, SETTINGS, TODAY).state == DUE


def test_a_malformed_date_is_reported_never_guessed() -> None:
    facts = review_facts({"last_reviewed": "2026-13-45", "review_interval": "often"})
    assert [key for key, _value, _message in facts.malformed] == ["last_reviewed",
                                                                  "review_interval"]
    shown = freshness_of(facts, None, SETTINGS, TODAY)
    assert shown.state == UNKNOWN and shown.line.startswith("Review date unreadable")


def test_the_last_change_stands_in_for_a_review_and_unknown_history_says_so() -> None:
    change = LastChange(dt.datetime(2026, 11, 28, tzinfo=dt.UTC), "Carol", "a1b2c3d4e5")
    line = freshness_of(review_facts({}), change, SETTINGS, TODAY, ["@acme/sre"]).line
    assert line == "Changed 3 days ago by Carol (a1b2c3d) · owner: @acme/sre"
    old = LastChange(dt.datetime(2025, 1, 2, tzinfo=dt.UTC), "Dan", "0f0f0f0f")
    assert freshness_of(review_facts({}), old, SETTINGS, TODAY).state == OVERDUE
    assert freshness_of(review_facts({}), old, FreshnessSettings(), TODAY).state == UNKNOWN, \
        "a library that does not ask for reviews is never told its pages are overdue"
    many = freshness_of(review_facts({"owners": ["a", "b", "c", "d", "e"]}), None, SETTINGS,
                        TODAY)
    assert many.line == "Owner: a, b, c +2"
    unknown = freshness_of(review_facts({}), LastChange(unknown_because="shallow"), SETTINGS,
                           TODAY)
    assert unknown.state == UNKNOWN and unknown.line == "History unknown"


def test_codeowners_last_match_wins_and_owners_files_are_found_up_the_folders(
        tmp_path: Path) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "CODEOWNERS").write_text(
        "*.md @acme/sre\n/db/ @acme/db  # the database team\ndocs/**/*.rst @acme/docs\n")
    (tmp_path / "db").mkdir()
    (tmp_path / "net" / "dns").mkdir(parents=True)
    library = Library(tmp_path)
    table = OwnersTable(library)
    assert table.owners("db/failover.md") == ["@acme/db"]
    assert table.owners("net/dns/flush.md") == ["@acme/sre"]
    assert table.owners("docs/a/b/c.rst") == ["@acme/docs"]
    (tmp_path / ".github" / "CODEOWNERS").unlink()
    (tmp_path / "net" / "OWNERS").write_text("approvers:\n  - dana\n  - erin\n")
    assert OwnersTable(library).owners("net/dns/flush.md") == ["dana", "erin"]


def test_info_prints_owners_review_and_freshness_as_json() -> None:
    library = REPO / "tests" / "check" / "library"
    done = subprocess.run([sys.executable, "-m", "viewer", "info", "overdue.md", "--library",
                           str(library), "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["owners"] == ["@acme/sre"] and info["owners_from"] == "OWNERS/CODEOWNERS"
    assert info["reviewed"] == "2026-01-05" and info["freshness"] == "overdue"
    assert info["review_due"] == "2026-04-05" and info["last_change"] is None
    text = subprocess.run([sys.executable, "-m", "viewer", "info", "guide/index.rst",
                           "--library", str(library)], capture_output=True, text=True,
                          timeout=60)
    assert "Owners:       @acme/docs (from OWNERS/CODEOWNERS)" in text.stdout
    missing = subprocess.run([sys.executable, "-m", "viewer", "info", "nope.md", "--library",
                              str(library)], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "is not a runbook" in missing.stderr


def test_info_says_unknown_freshness_plainly(tmp_path: Path) -> None:
    (tmp_path / "plain.md").write_text("# Plain\n\nNo review stated.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "viewer", "info", "plain.md", "--library",
                           str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert "Freshness:    unknown\n" in done.stdout, done.stdout
