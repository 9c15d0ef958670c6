"""Symptom extraction and the triage tree, on runbooks written the ways real ones are."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

from tests.conftest import MakeLibrary, seeds_or_skip
from viewer.core.document import Document
from viewer.core.library import Library
from viewer.core.links import classify_link
from viewer.core.rendering import render_file
from viewer.core.search.index import SearchIndex
from viewer.core.search.refresh import refresh_index
from viewer.core.triage.authored import load_triage
from viewer.core.triage.extract import Scenario, extract_scenarios, split_symptoms
from viewer.core.triage.tree import TriageTree, category_of, symptom_key

SECTION_STYLE = """\
    ---
    severity: SEV2
    ---
    # Payment webhooks failing

    ## Symptoms

    - Webhook deliveries stuck in the retry queue
    - Partners report missing notifications

    ## Step 1: Check the queue depth

    Look at the dashboard.

    ## Step 2: Replay

    **If the partner endpoint is down:** wait and retry.

    **Option A: Pause deliveries**
    """

LABEL_STYLE = """\
    # Incident playbook

    ## Critical incidents (SEV1)

    ### Checkout is down

    **Symptoms:** Checkout returns 502, payment success rate at 0%; alerts from the edge

    **Response SLA**: 5 minutes

    ### Issue: Slow search

    **Symptoms**:

    - P95 > 300ms on /search
    - Error budget burning, "upstream timed out" in logs

    #### Step 1: Profile the query

    #### Option B: Add a replica
    """

INDEX_STYLE = """\
    # Planned runbooks

    ## What a runbook holds

    - **Symptoms**: what the problem looks like
    - **Diagnosis**: how to find the cause
    - **Resolution**: how to fix it

    ## Planned

    ### High priority (P2)

    1. **Ledger replication lag** (TODO)
       - File: `ledger-lag.md`
       - Symptoms: Replica behind by minutes, stale balances
    2. **Export jobs stuck**
       - Symptoms: Nightly export never finishes
    """

FRONT_MATTER_STYLE = """\
    ---
    title: DNS resolution failures
    priority: p1
    symptoms:
      - NXDOMAIN for internal service names
      - "[What you see]"
    ---
    # DNS resolution failures

    Check CoreDNS first.
    """

ALERT_STYLE = """\
    # KubeJobFailed

    ## Meaning

    A Kubernetes job failed to complete. Its pods exited with errors.

    ## Impact

    Scheduled work did not run.

    ## Diagnosis

    - Check the job's pod logs
    - Check the job's events

    ## Mitigation

    ### Re-run the job

    Delete and recreate it.
    """

TEMPLATE_STYLE = """\
    # Runbook: [Service Name]

    ### Issue: [Problem]
    **Symptoms:** [What you see]
    **Solution:** [Steps]
    """

RST_STYLE = """\
    Cache incidents
    ===============

    :Severity: P3

    .. _cache-evictions:

    Cache evicting hot keys
    -----------------------

    **Symptoms:**

    - Cache miss rate over 20%
    - Database load climbs

    **Step 1: Check memory**

    .. code-block:: bash

       redis-cli INFO memory
    """


@pytest.fixture
def library(make_library: MakeLibrary) -> Library:
    return Library(make_library({
        "webhooks.md": SECTION_STYLE, "playbook.md": LABEL_STYLE, "planned.md": INDEX_STYLE,
        "dns.md": FRONT_MATTER_STYLE, "alerts/KubeJobFailed.md": ALERT_STYLE,
        "template.md": TEMPLATE_STYLE, "cache.rst": RST_STYLE,
    }))


def scenarios_of(library: Library, path: str) -> tuple[Document, list[Scenario]]:
    document = render_file(library, path, with_html=False)
    assert isinstance(document, Document), document
    return document, extract_scenarios(document)


def anchors_on_page(library: Library, path: str) -> set[str]:
    """The ids the rendered page really has (what a click scrolls to)."""
    page = render_file(library, path)
    assert isinstance(page, Document)
    import re

    return set(re.findall(r'id="([^"]+)"', page.body_html))


def test_a_symptoms_section_with_its_branches_and_front_matter_severity(
        library: Library) -> None:
    _doc, scenarios = scenarios_of(library, "webhooks.md")
    assert len(scenarios) == 1
    scenario = scenarios[0]
    assert (scenario.title, scenario.anchor, scenario.severity) == (
        "Payment webhooks failing", "payment-webhooks-failing", "SEV2")
    assert scenario.symptoms == ["Webhook deliveries stuck in the retry queue",
                                 "Partners report missing notifications"]
    assert [b.label for b in scenario.branches] == [
        "Step 1: Check the queue depth", "Step 2: Replay", "If the partner endpoint is down",
        "Option A: Pause deliveries"]
    assert [b.anchor for b in scenario.branches] == [
        "step-1-check-the-queue-depth", "step-2-replay", "step-2-replay", "step-2-replay"]


def test_bold_labels_split_sentences_keep_thresholds_and_take_enclosing_severity(
        library: Library) -> None:
    _doc, scenarios = scenarios_of(library, "playbook.md")
    down, slow = scenarios
    assert (down.title, down.anchor, down.severity) == ("Checkout is down", "checkout-is-down",
                                                        "SEV1")
    assert down.symptoms == ["Checkout returns 502", "payment success rate at 0%",
                             "alerts from the edge"]
    assert slow.title == "Issue: Slow search" and slow.severity == "SEV1"  # its section
    assert slow.symptoms == ["P95 > 300ms on /search",
                             'Error budget burning, "upstream timed out" in logs']
    assert [b.label for b in slow.branches] == ["Step 1: Profile the query",
                                                "Option B: Add a replica"]


def test_nested_symptom_items_belong_to_their_named_item_not_a_glossary(
        library: Library) -> None:
    _doc, scenarios = scenarios_of(library, "planned.md")
    assert [(s.title, s.anchor, s.severity, s.symptoms) for s in scenarios] == [
        ("Ledger replication lag", "high-priority-p2", "P2",
         ["Replica behind by minutes", "stale balances"]),
        ("Export jobs stuck", "high-priority-p2", "P2", ["Nightly export never finishes"]),
    ]


def test_front_matter_symptoms_without_placeholders(library: Library) -> None:
    _doc, scenarios = scenarios_of(library, "dns.md")
    assert [(s.title, s.anchor, s.severity, s.symptoms) for s in scenarios] == [
        ("DNS resolution failures", "dns-resolution-failures", "P1",
         ["NXDOMAIN for internal service names"])]


def test_prometheus_alert_runbook(library: Library) -> None:
    _doc, scenarios = scenarios_of(library, "alerts/KubeJobFailed.md")
    assert len(scenarios) == 1
    alert = scenarios[0]
    assert (alert.title, alert.alert, alert.anchor) == ("KubeJobFailed", "KubeJobFailed",
                                                        "kubejobfailed")
    assert alert.symptoms == ["A Kubernetes job failed to complete"]
    assert [b.label for b in alert.branches] == ["Check the job's pod logs",
                                                 "Check the job's events", "Re-run the job"]


def test_template_placeholders_are_not_symptoms(library: Library) -> None:
    assert scenarios_of(library, "template.md")[1] == []
    assert split_symptoms("[What you see], [Impact]") == []


def test_rest_runbooks_too(library: Library) -> None:
    _doc, scenarios = scenarios_of(library, "cache.rst")
    assert [(s.title, s.anchor, s.severity, s.symptoms) for s in scenarios] == [
        ("Cache evicting hot keys", "cache-evictions", "P3",
         ["Cache miss rate over 20%", "Database load climbs"])]
    assert [b.label for b in scenarios[0].branches] == ["Step 1: Check memory"]


def test_every_target_anchor_exists_in_the_rendered_page(library: Library) -> None:
    checked = 0
    for path in library.iter_runbooks():
        _doc, scenarios = scenarios_of(library, path)
        ids = anchors_on_page(library, path)
        for scenario in scenarios:
            assert scenario.anchor in ids, (path, scenario.anchor)
            for branch in scenario.branches:
                assert branch.anchor in ids, (path, branch.anchor)
            checked += 1
    assert checked >= 8


def test_each_seed_yields_its_scenarios_with_real_anchors(tmp_path: Path) -> None:
    seeds = seeds_or_skip()
    root = tmp_path / "seeds"
    root.mkdir()
    for seed in seeds:
        (root / seed.name).write_bytes(seed.read_bytes())
    library = Library(root)
    found: dict[str, list[Scenario]] = {}
    for path in library.iter_runbooks():
        _doc, scenarios = scenarios_of(library, path)
        ids = anchors_on_page(library, path)
        assert all(s.anchor in ids for s in scenarios), path
        found[path[:3]] = scenarios
    titles = {prefix: [s.title for s in found[prefix]] for prefix in found}
    assert "P1: API Completely Down" in titles["003"]
    p1 = next(s for s in found["003"] if s.title.startswith("P1"))
    assert p1.severity == "P1" and "100% error rate" in p1.symptoms
    assert "Database Connection Pool Exhausted" in titles["004"]
    pool = next(s for s in found["004"] if s.title == "Database Connection Pool Exhausted")
    assert pool.severity == "SEV1" and pool.symptoms == ["Timeouts",
                                                         '"too many connections" errors']
    assert "Issue: High Response Times" in titles["001"]
    assert found["002"] == []  # a template: placeholders only


def library_tree(library: Library) -> TriageTree:
    index = SearchIndex(None, library.root)
    refresh_index(index, library)
    return TriageTree.load(index)


def test_merging_categories_and_tick_ranking(make_library: MakeLibrary) -> None:
    library = Library(make_library({
        "playbook.md": LABEL_STYLE, "cache.rst": RST_STYLE,
        "search.md": "# Search\n\n## Search cluster slow\n\n**Symptoms:** p95 > 300MS on "
                     "/search; database load climbs\n",
    }))
    tree = library_tree(library)
    node = tree.symptom(symptom_key("P95 > 300ms on /search"))
    assert node is not None and node.count == 2  # merged across runbooks
    assert [e.target.title for e in tree.scenarios_for(node.key)] == [
        "Issue: Slow search", "Search cluster slow"]  # SEV1 before no severity
    names = [c.name for c in tree.categories]
    assert names.index("Database and connections") < names.index("Errors")
    assert category_of("Cache miss rate over 20%") == "Cache"
    assert category_of("certificate has expired") == "Certificates and auth"
    assert category_of("p95 latency over 500 ms") == "Latency and timeouts"
    assert category_of("Checkout returns 502") == "Errors"
    ranked = tree.rank_ticked({symptom_key("Database load climbs"),
                               symptom_key("p95 > 300ms on /search")})
    assert ranked[0][0].target.title == "Search cluster slow" and ranked[0][1] == 2
    assert {entry.target.title for entry, count in ranked if count == 1} == {
        "Cache evicting hot keys", "Issue: Slow search"}
    json_tree = tree.as_json()
    listed = {s["text"]: s["targets"] for c in json_tree["categories"] for s in c["symptoms"]}
    assert listed["Database load climbs"][0]["anchor"] == "cache-evictions"


@pytest.mark.parametrize(("symptom", "category"), [
    ("High latencies on certain requests while the servers idle", "Latency and timeouts"),
    ("There are certain conditions which point at the CDN", "Other"),
    ("Image downloads take longer than usual", "Other"),
    ("Nodes do not run the latest kernel", "Cluster and control plane"),
    ("Client certificate expires in 7 days", "Certificates and auth"),
    ("The backend is down", "Availability and outages"),
    ("Replies arrive late", "Latency and timeouts"),
    # A metrics system's queries are its own work, not a database's.
    ("Thanos Query is failing to handle requests", "Monitoring and alerting"),
    ("Thanos Query has high latency for queries", "Latency and timeouts"),
    ("Slow queries pile up on the primary", "Database and connections"),
])
def test_words_that_only_begin_like_a_keyword_do_not_file_a_symptom(symptom: str,
                                                                    category: str) -> None:
    assert category_of(symptom) == category

def test_pasted_alerts_find_their_runbook(library: Library) -> None:
    tree = library_tree(library)
    note = ("[FIRING:1] KubeJobFailed (batch prod)\nLabels: alertname=KubeJobFailed "
            "job_name=nightly-export severity=warning")
    assert [t.path for t in tree.match_alert(note)] == ["alerts/KubeJobFailed.md"]
    assert tree.match_alert("TargetDown for everything") == []
    assert tree.match_alert("nothing alert-like here") == []


@pytest.mark.parametrize(("content", "expected"), [
    ("question: What?\nanswers: []\n", "triage.yaml, line 2: 'answers' must be a list"),
    ("question: What?\n", "triage.yaml, line 1: the question 'What?' has no 'answers'"),
    ("question: What?\nanswers:\n  - answer: A\n    open: missing.md\n",
     "triage.yaml, line 4: missing.md is not in the library"),
    ("question: What?\nanswers:\n  - answer: A\n", "triage.yaml, line 3: the answer 'A' needs"),
    ("question: What?\nanswers:\n  - answer: A\n    open: ../../etc/passwd\n",
     "triage.yaml, line 4: ../../etc/passwd points outside the library"),
    ("question: [unclosed\n", "triage.yaml, line 2:"),
])
def test_triage_file_errors_name_file_and_line(make_library: MakeLibrary, content: str,
                                               expected: str) -> None:
    root = make_library({"a.md": "# A\n", "triage.yaml": content})
    question, message = load_triage(Library(root))
    assert question is None
    assert message.startswith(expected), message
    assert "still works" in message


def test_a_triage_file_linking_outside_is_refused_unread(make_library: MakeLibrary,
                                                         tmp_path: Path) -> None:
    secret = tmp_path / "private.yaml"
    secret.write_text("question: SECRET-FROM-OUTSIDE\n")
    root = make_library({"a.md": "# A\n"})
    os.symlink(secret, root / "triage.yaml")
    question, message = load_triage(Library(root))
    assert question is None and "outside the library" in message
    assert "SECRET" not in message


def test_a_valid_triage_file_walks_to_runbooks(make_library: MakeLibrary) -> None:
    root = make_library({"db.md": "# DB\n\n## Pool\n", "triage.yaml": (
        "question: What do you see?\nanswers:\n"
        "  - answer: Slow\n    question: DB busy?\n    answers:\n"
        "      - answer: Yes\n        open: db.md#pool\n"
        "  - answer: Down\n    open: db.md\n")})
    question, message = load_triage(Library(root))
    assert message == "" and question is not None
    assert [a.text for a in question.answers] == ["Slow", "Down"]
    assert question.answers[0].question.answers[0].target == "db.md#pool"


def test_the_bundled_library_is_clean_and_its_triage_walk_loads() -> None:
    from viewer.locations import bundled_docs_dir

    library = Library(bundled_docs_dir())
    for path in library.iter_runbooks():
        page = render_file(library, path)
        assert isinstance(page, Document) and page.notices == [], (path, page)
    question, message = load_triage(library)
    assert message == "" and question is not None and len(question.answers) >= 4
    tree = library_tree(library)
    assert tree.symptom_count >= 15
    assert [t.path for t in tree.match_alert("[FIRING:1] KubePodCrashLooping")] == [
        "alerts/KubePodCrashLooping.md"]
    # Every link between the bundled pages, and every triage answer, lands on a real place.
    pages = {path: render_file(library, path) for path in library.iter_runbooks()}
    ids = {path: set(re.findall(r'id="([^"]+)"', page.body_html)) for path, page in pages.items()}
    targets = [(path, classify_link(html.unescape(href), library, path))
               for path, page in pages.items()
               for href in re.findall(r'href="([^"]+)"', page.body_html)]
    answers, questions = [], [question]
    while questions:
        for answer in questions.pop().answers:
            answers.append(answer.target) if answer.target else questions.append(answer.question)
    targets += [("triage.yaml", classify_link(target, library, None)) for target in answers]
    for source, target in targets:
        if target.kind in ("anchor", "runbook"):
            assert target.path in pages, (source, target)
            assert not target.anchor or target.anchor in ids[target.path], (source, target)
    assert sum(1 for _source, target in targets if target.anchor) >= 10


def test_the_filter_forgives_extra_words_plurals_and_everyday_wording(library: Library) -> None:
    tree = library_tree(library)

    def shown(text: str) -> set[str]:
        keys = tree.match_symptoms(text).keys
        return {tree.by_key[key].text for key in keys or ()}

    assert tree.match_symptoms("  the on ").keys is None  # nothing to look for: all show
    # Every word held, plurals folded: only that symptom, not a "closest" guess.
    exact = tree.match_symptoms("timeouts from upstream")
    assert shown("timeouts from upstream") == {'Error budget burning, "upstream timed out" in logs'}
    assert not exact.closest and exact.words == exact.matched == 2
    # One word too many no longer empties the sidebar: the nearest symptoms stay.
    closest = tree.match_symptoms("p95 over 500 ms on checkout")
    assert closest.closest and (closest.words, closest.matched) == (5, 2)
    assert "P95 > 300ms on /search" in shown("p95 over 500 ms on checkout")
    # Words a symptom does not use find it through words on-call people use for it.
    assert 'Error budget burning, "upstream timed out" in logs' in shown("slow checkout")
    assert shown("qwxz zzyzx") == set()


def test_the_sidebar_overview_is_kept_between_starts_and_follows_every_change(
        make_library: MakeLibrary, tmp_path: Path) -> None:
    root = make_library({
        "db.md": "# Database\n\n## Pool exhausted\n\n**Symptoms:** too many connections; "
                 "p95 over 500 ms\n",
        "cache.md": "# Cache\n\n## Evictions\n\n**Symptoms:** cache miss rate over 20%\n",
    })
    library = Library(root)
    db_path = tmp_path / "kept.sqlite3"
    index = SearchIndex(db_path, library.root)
    refresh_index(index, library)
    assert not index.symptom_overview_kept()
    worked_out = index.symptom_overview()  # worked out, and kept for the next reader
    assert index.symptom_overview_kept()
    index.close()

    # The next start reads it back: the same symptoms, no aggregate over the rows.
    again = SearchIndex(db_path, library.root)
    assert again.symptom_overview_kept()
    assert again.symptom_overview() == worked_out
    assert {n.label for n in TriageTree.load(again).by_key.values()} == {
        "too many connections", "p95 over 500 ms", "cache miss rate over 20%"}

    # An edit and a removal each make it stale; the sidebar still sees the files as they are.
    (root / "cache.md").write_text("# Cache\n\n## Evictions\n\n**Symptoms:** evictions "
                                   "climbing\n", encoding="utf-8")
    refresh_index(again, library, paths=["cache.md"])
    assert not again.symptom_overview_kept()
    labels = {n.label for n in TriageTree.load(again).by_key.values()}
    assert "evictions climbing" in labels and "cache miss rate over 20%" not in labels
    assert again.symptom_overview_kept()
    (root / "db.md").unlink()
    refresh_index(again, library)
    assert not again.symptom_overview_kept()
    assert {n.label for n in TriageTree.load(again).by_key.values()} == {"evictions climbing"}
    again.close()


def test_a_reader_never_waits_for_the_writer_to_keep_the_overview(
        make_library: MakeLibrary, tmp_path: Path) -> None:
    import sqlite3
    import time

    library = Library(make_library({
        "db.md": "# Database\n\n## Pool exhausted\n\n**Symptoms:** too many connections\n"}))
    db_path = tmp_path / "busy.sqlite3"
    index = SearchIndex(db_path, library.root)
    refresh_index(index, library)
    writer = sqlite3.connect(db_path)
    writer.execute("BEGIN IMMEDIATE")  # another connection holds the write lock
    try:
        started = time.perf_counter()
        rows = index.symptom_overview()
        assert time.perf_counter() - started < 2  # not the connection's 5 s busy wait
        assert [row.label for row in rows] == ["too many connections"]
        assert not index.symptom_overview_kept()
    finally:
        writer.rollback()
        writer.close()
    index.symptom_overview()
    assert index.symptom_overview_kept()
    index.close()


def test_a_troubleshooting_page_makes_each_problem_heading_a_scenario(
        make_library: MakeLibrary) -> None:
    library = Library(make_library({
        "sre/common-problems.md": (
            "# Common problems and their solutions\n\n## Roll back a deploy\n\nRun it.\n\n"
            "## Ingest queue is stuck\n\nRestart the consumer.\n\n### On AWS\n\nText.\n\n"
            "## `Too many open files` error\n\nRaise the limit.\n\n"
            "## Rotating the token when users get a 401 at login\n\nRotate it.\n\n"
            "## Accessing the dashboards\n\nOpen Grafana.\n\n"
            "## Check for slow queries\n\nRun the report.\n\n## Other failure modes\n\nText.\n\n"
            # OpenStack-Ansible's: the problem follows the verb.
            "## Troubleshooting instance connectivity issues\n\nPing it.\n\n"
            "## Troubleshooting traffic on the management network\n\nText.\n\n"
            "## Kafka common issues\n\nSee the Kafka page.\n"  # points to problems, names none
            # A second title of the page: its sections are read the same way.
            "\n# Failover procedures\n\n## Replica is down\n\nPromote another.\n"),
        # The same headings on a page that is not about problems are not symptoms.
        "sre/setup.md": "# Setting up the cluster\n\n## Ingest queue is stuck\n\nText.\n"}))
    _doc, scenarios = scenarios_of(library, "sre/common-problems.md")
    assert [(s.title, s.symptoms) for s in scenarios] == [
        ("Ingest queue is stuck", ["Ingest queue is stuck"]),
        ("Too many open files error", ["Too many open files error"]),
        ("Rotating the token when users get a 401 at login", ["Users get a 401 at login"]),
        ("Troubleshooting instance connectivity issues", ["Instance connectivity issues"]),
        ("Replica is down", ["Replica is down"])]
    assert [b.label for b in scenarios[0].branches] == ["On AWS"]
    assert scenarios[0].anchor in anchors_on_page(library, "sre/common-problems.md")
    assert scenarios_of(library, "sre/setup.md")[1] == []


def test_the_sections_under_a_troubleshooting_pages_known_issues_are_its_problems(
        make_library: MakeLibrary) -> None:
    """CloudNativePG's troubleshooting page keeps its problems under "Some known issues":
    the sidebar had none of them."""
    library = Library(make_library({"ops/troubleshooting.md": (
        "# Troubleshooting\n\n## Logs\n\nRead them.\n\n## Some known issues\n\n"
        "### Storage is full\n\nGrow the volume.\n\n#### On AWS\n\nText.\n\n"
        "### Pods are stuck in `Pending` state\n\nCheck the nodes.\n\n"
        "### Example output\n\nText.\n\n### Replicas out of sync\n\nRe-clone them.\n\n"
        "## Networking\n\nText.\n")}))
    _doc, scenarios = scenarios_of(library, "ops/troubleshooting.md")
    assert [(s.title, s.symptoms) for s in scenarios] == [
        ("Storage is full", ["Storage is full"]),
        ("Pods are stuck in Pending state", ["Pods are stuck in Pending state"]),
        ("Replicas out of sync", ["Replicas out of sync"])]
    assert [b.label for b in scenarios[0].branches] == ["On AWS"]
