"""Search: what an engineer types finds the right runbook section, and the index heals."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from tests.conftest import MakeIndex, MakeLibrary, searched_with_sql
from viewer.core.library import Library
from viewer.core.search.index import SearchIndex, index_path_for
from viewer.core.search.query import fts_expression, parse_query
from viewer.core.search.refresh import refresh_index
from viewer.locations import cache_dir

DB_POOL = """\
    ---
    title: Postgres pool exhausted
    severity: sev 1
    tags: [database, postgres]
    ---

    # Postgres pool exhausted

    ## Symptoms

    - Clients report "remaining connection slots are reserved"
    - p95 latency over 500 ms on the orders API

    ## Step 1: Find who holds the connections

    ```sql
    SELECT usename, count(*) FROM pg_stat_activity GROUP BY usename;
    ```

    ## Step 2: Scale the bouncer

    ```console
    $ kubectl scale deploy/pgbouncer -n data --replicas=20
    ```
    """

GATEWAY = """\
    Gateway 5xx storm
    =================

    :Severity: P2

    .. _gateway-5xx:

    Diagnosis
    ---------

    The edge returns 5xx for every route. Roll back with:

    .. code-block:: bash

       kubectl rollout undo deployment/edge -n gateway

    Replicas
    --------

    Set replicas to 20 only after the rollback finished.
    """

CACHE = """\
    # Redis memory full

    Evictions climb and clients see OOM errors.

    ## Recovery

    Raise maxmemory, then check that the replicas keep up.
    """


@pytest.fixture
def library(make_library: MakeLibrary) -> Library:
    root = make_library({"db/pool.md": DB_POOL, "edge/gateway.rst": GATEWAY,
                         "cache/redis.md": CACHE, "notes.txt": "# Notes\n\nNothing here.\n"})
    return Library(root)


@pytest.fixture
def index(library: Library, tmp_path: Path) -> SearchIndex:
    index = SearchIndex(tmp_path / "index.sqlite3", library.root)
    refresh_index(index, library)
    return index


def paths(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.path for hit in hits]


def test_body_text_finds_the_section_with_its_rendered_anchor(index: SearchIndex) -> None:
    hit = index.search("connection slots reserved")[0]
    assert (hit.path, hit.anchor) == ("db/pool.md", "symptoms")
    assert "\x02connection\x03" in hit.snippet
    assert hit.snippet_marked("<b>", "</b>").count("<b>") >= 3
    assert hit.title == "Postgres pool exhausted"


def test_headings_and_titles_rank_above_passing_mentions(index: SearchIndex) -> None:
    hits = index.search("replicas")
    # "Replicas" is a heading in the gateway page; elsewhere it is only a word.
    assert hits[0].path == "edge/gateway.rst" and hits[0].anchor == "replicas"
    assert index.search("redis")[0].path == "cache/redis.md"


def test_commands_inside_code_blocks_are_searchable(index: SearchIndex) -> None:
    hit = index.search("pg_stat_activity")[0]
    assert (hit.path, hit.anchor) == ("db/pool.md", "step-1-find-who-holds-the-connections")
    assert "pg_stat_activity" in hit.snippet.replace("\x02", "").replace("\x03", "")
    rollout = index.search("kubectl rollout undo")
    assert paths(rollout) == ["edge/gateway.rst"] and rollout[0].anchor == "gateway-5xx"


def test_front_matter_tags_and_severity_are_searchable_and_filterable(
        index: SearchIndex) -> None:
    assert paths(index.search("postgres tag:database")) == ["db/pool.md"]
    assert paths(index.search("tag:database")) == ["db/pool.md"]
    assert paths(index.search("severity:SEV1")) == ["db/pool.md"]
    # reST pages state theirs in a leading field list.
    assert paths(index.search("severity:p2")) == ["edge/gateway.rst"]
    assert index.search("severity:SEV3") == []
    assert paths(index.search("replicas folder:db")) == ["db/pool.md"]
    folders, tags, severities = index.facets()
    assert folders == ["cache", "db", "edge"] and "postgres" in tags
    assert severities == ["P2", "SEV1"]


def test_all_words_must_match(index: SearchIndex) -> None:
    assert paths(index.search("replicas maxmemory")) == ["cache/redis.md"]
    assert index.search("replicas zookeeper") == []


def test_exact_phrase_needs_the_words_together(index: SearchIndex) -> None:
    assert paths(index.search('"replicas to 20"')) == ["edge/gateway.rst"]
    assert index.search('"20 replicas"') == []


def test_prefix_and_word_stems(index: SearchIndex) -> None:
    assert paths(index.search("evict*")) == ["cache/redis.md"]
    # a word of three letters or more also matches longer words it starts
    assert paths(index.search("eviction")) == ["cache/redis.md"]
    assert paths(index.search("connection")) == ["db/pool.md"]  # "connections"
    assert index.search("ev*") != []


def test_punctuation_is_taken_literally(index: SearchIndex) -> None:
    assert paths(index.search("--replicas=20")) == ["db/pool.md"]
    hits = index.search("5xx")
    assert paths(hits) == ["edge/gateway.rst"]
    assert paths(index.search("p95")) == ["db/pool.md"]
    assert paths(index.search("deploy/pgbouncer")) == ["db/pool.md"]


@pytest.mark.parametrize("query", [
    '"', '"unclosed phrase', "AND", "OR", "NOT", "NEAR(a b)", "a:b:c", "*", "((", "-",
    "title:foo", "^start", "col:", "'; DROP TABLE files; --", "\\", "\x00", "ö*", "🔥",
])
def test_no_query_is_ever_an_error(index: SearchIndex, query: str) -> None:
    assert isinstance(index.search(query), list)
    assert isinstance(index.search(query, typing=True), list)


def test_typing_matches_the_unfinished_last_word(index: SearchIndex) -> None:
    assert index.search("ro") == []  # a short finished word is not expanded
    assert "edge/gateway.rst" in paths(index.search("ro", typing=True))
    assert paths(index.search("kubectl rollout un", typing=True)) == ["edge/gateway.rst"]


def test_typing_a_single_letter_matches_it_as_a_word(index: SearchIndex) -> None:
    # As a prefix one letter begins most words of a library: slow, and it narrows nothing.
    assert fts_expression(parse_query("kubectl r"), typing=True) == '"kubectl"* AND "r"'
    assert fts_expression(parse_query("kubectl ro"), typing=True) == '"kubectl"* AND "ro"*'
    # A finished query's one-letter word ("sev 1") is found as it is when not typing.
    assert paths(index.search("sev 1", typing=True)) == paths(index.search("sev 1"))
    assert paths(index.search("sev 1")) == ["db/pool.md"]


def test_or_and_exclusion(index: SearchIndex) -> None:
    assert sorted(paths(index.search("maxmemory OR pgbouncer"))) == ["cache/redis.md",
                                                                     "db/pool.md"]
    assert paths(index.search("replicas -maxmemory -pgbouncer")) == ["edge/gateway.rst"]


def test_query_expression_quotes_every_term() -> None:
    assert fts_expression(parse_query("NEAR(x) title:y")) == '"NEAR(x)" AND "title:y"'
    assert fts_expression(parse_query("--")) == ""
    assert fts_expression(parse_query('say "hi there"')) == '"say"* AND "hi there"'


def test_a_small_library_of_slow_pages_shows_its_progress_as_it_goes(
        make_library: MakeLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from viewer.core.search import refresh

    parse = refresh.parse_for_index

    def slow_parse(*job):  # type: ignore[no-untyped-def]
        time.sleep(0.15)  # a page that pulls in a site's includes and data
        return parse(*job)

    monkeypatch.setattr(refresh, "parse_for_index", slow_parse)
    library = Library(make_library({f"alerts/a{i}.md": f"# Alert {i}\n" for i in range(8)}))
    seen: list[tuple[int, int]] = []
    refresh_index(SearchIndex(tmp_path / "i.sqlite3", library.root), library,
                  progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 8) and seen[-1] == (8, 8)
    assert any(0 < done < 8 for done, _ in seen)  # not "0 of 8" until it was over


def test_incremental_refresh_parses_only_what_changed(library: Library,
                                                      index: SearchIndex) -> None:
    again = refresh_index(index, library)
    assert (again.parsed, again.removed, again.changed) == (0, 0, False)

    pool = library.root / "db" / "pool.md"
    stat = pool.stat()
    os.utime(pool, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    touched = refresh_index(index, library)
    assert (touched.parsed, touched.unchanged) == (0, 1)  # same bytes: no parse

    pool.write_text(pool.read_text().replace("pgbouncer", "odyssey"))
    (library.root / "cache" / "redis.md").unlink()
    (library.root / "new.md").write_text("# Kafka lag\n\nConsumer lag grows.\n")
    report = refresh_index(index, library)
    assert (report.parsed, report.removed) == (2, 1)
    assert paths(index.search("odyssey")) == ["db/pool.md"]
    assert index.search("pgbouncer") == []
    assert index.search("maxmemory") == []
    assert paths(index.search("kafka")) == ["new.md"]


def test_a_check_that_finds_the_library_as_stamped_reads_no_indexed_file(
        library: Library, index: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 50,000 runbooks reading every file's indexed state costs 130 ms; the library's
    stamp says when nothing moved, and anything that does move is still found."""
    read: list[int] = []
    states = SearchIndex.file_states
    monkeypatch.setattr(SearchIndex, "file_states",
                        lambda self: read.append(1) or states(self))
    quiet = refresh_index(index, library)
    assert read == [] and quiet.scanned == 4 and not quiet.changed

    pool = library.root / "db" / "pool.md"
    stat = pool.stat()
    pool.write_text(pool.read_text().replace("pgbouncer", "odyssey"))
    os.utime(pool, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # a time that barely moved
    edited = refresh_index(index, library)
    assert read == [1] and edited.parsed == 1
    assert paths(index.search("odyssey")) == ["db/pool.md"]
    (library.root / "db" / "pool.md").rename(library.root / "db" / "pooler.md")  # same stat
    renamed = refresh_index(index, library)
    assert read == [1, 1] and (renamed.parsed, renamed.removed) == (1, 1)
    assert paths(index.search("odyssey")) == ["db/pooler.md"]
    assert refresh_index(index, library).scanned == 4 and read == [1, 1]


def test_refresh_of_named_paths_only(library: Library, index: SearchIndex) -> None:
    (library.root / "cache" / "redis.md").write_text("# Memcached\n\nSlab rebalancing.\n")
    (library.root / "notes.txt").unlink()
    report = refresh_index(index, library, paths=["cache/redis.md", "notes.txt", "x.png"])
    assert (report.parsed, report.removed) == (1, 1)
    assert paths(index.search("slab")) == ["cache/redis.md"]


def test_unreadable_files_are_reported_and_do_not_stop_the_rest(
        make_library: MakeLibrary, tmp_path: Path) -> None:
    root = make_library({"ok.md": "# Fine\n\nHealthy.\n", "bin.md": b"\x00\x01\x02binary",
                         "empty.md": ""})
    index = SearchIndex(tmp_path / "i.sqlite3", root)
    report = refresh_index(index, Library(root))
    assert report.parsed == 1 and len(report.problems) == 2
    assert any("binary" in p for p in report.problems)
    assert paths(index.search("healthy")) == ["ok.md"]
    assert refresh_index(index, Library(root)).changed is False


def test_large_batches_parse_in_worker_processes(make_library: MakeLibrary,
                                                 tmp_path: Path) -> None:
    files = {f"svc/{i:03}.md": f"# Service {i}\n\nToken unique{i} here.\n" for i in range(240)}
    root = make_library(files)
    index = SearchIndex(tmp_path / "i.sqlite3", root)
    report = refresh_index(index, Library(root), workers=2)
    assert report.parsed == 240
    assert paths(index.search("unique217")) == ["svc/217.md"]


def test_a_corrupted_index_file_is_rebuilt_and_search_still_works(
        library: Library, index: SearchIndex, tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite3"
    index.close()
    db.write_bytes(b"this is not a database" * 500)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    healed = SearchIndex(db, library.root)
    assert "damaged" in healed.rebuilt_because
    report = refresh_index(healed, library)
    assert report.parsed == 4
    assert paths(healed.search("pg_stat_activity")) == ["db/pool.md"]


def test_damage_found_mid_use_resets_and_rebuilds(library: Library, index: SearchIndex,
                                                  tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite3"
    index.close()
    # Keep the header readable but wreck every page after it.
    data = bytearray(db.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)
    db.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    damaged = SearchIndex(db, library.root)
    try:
        damaged.search("redis")
    except Exception as err:  # IndexUnavailable: the caller shows "rebuilding"
        assert "rebuilt" in str(err)
    refresh_index(damaged, library)
    assert paths(damaged.search("redis")) == ["cache/redis.md"]


def test_an_index_from_another_schema_version_is_rebuilt(library: Library,
                                                         tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE files(path TEXT)")
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    index = SearchIndex(db, library.root)
    assert "another version" in index.rebuilt_because
    assert refresh_index(index, library).parsed == 4


def test_a_locked_index_falls_back_to_memory(library: Library, tmp_path: Path) -> None:
    db = tmp_path / "locked.sqlite3"
    SearchIndex(db, library.root).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.perf_counter()
        index = SearchIndex(db, library.root)
        assert "in use" in index.rebuilt_because
        assert time.perf_counter() - started < 15
        refresh_index(index, library)
        assert paths(index.search("pgbouncer")) == ["db/pool.md"]
    finally:
        holder.close()


def test_index_lives_in_the_user_cache_folder(library: Library) -> None:
    path = index_path_for(cache_dir(), library.root)
    assert path.parent.parent == cache_dir()
    assert os.environ["XDG_CACHE_HOME"] in str(path)


def test_a_word_in_most_runbooks_ranks_title_and_heading_matches_first(
        make_index: MakeIndex) -> None:
    files = {f"svc/{i:02}.md": f"# Service {i}\n\nEscalate to the owners after an hour.\n"
             for i in range(12)}
    files["escalation.md"] = "# Escalation policy\n\nWho to page, and when.\n"
    files["svc/steps.md"] = "# Paging\n\n## When to escalate\n\nAfter 15 minutes.\n"
    index, _library = make_index(files)
    hits = index.search("escalat*", limit=20)
    assert {h.path for h in hits[:2]} == {"escalation.md", "svc/steps.md"}
    assert len(hits) == 14  # and every other runbook that mentions it follows
    steps = next(h for h in hits if h.path == "svc/steps.md")
    assert steps.anchor == "when-to-escalate"


def test_a_phrase_in_most_runbooks_still_ranks_by_where_and_how_often_it_occurs(
        make_index: MakeIndex) -> None:
    files = {f"svc/{i:02}.md": f"# Service {i}\n\nEscalate to the owners after an hour.\n"
             for i in range(12)}
    files["policy.md"] = "# Escalate to the owners\n\nWho to page, and when.\n"
    files["zz-often.md"] = ("# Paging\n\nEscalate to the owners. If they do not answer, escalate "
                            "to the owners' manager; then escalate to the owners' director.\n")
    index, _library = make_index(files)
    hits, statements = searched_with_sql(index, '"escalate to the owners"', limit=20)
    # Its IDF is next to nothing, but BM25 still orders by where and how often.
    assert [h.path for h in hits[:2]] == ["policy.md", "zz-often.md"]
    assert len(hits) == 14
    # Nothing is counted or looked up first: the phrase is matched once, and ranked.
    assert not any("vocabulary" in sql or "count(*)" in sql for sql in statements), statements


def test_a_hit_lands_on_the_section_holding_most_of_the_words(
        make_index: MakeIndex) -> None:
    index, _library = make_index({"cache.md": (
        "# Cache runbook\n\n"
        "## Overview\n\nThe cache cache cache sits in front of the database.\n\n"
        "## Eviction storm\n\nEvictions spike when the cache is full; "
        "flush it with `redis-cli FLUSHALL` only as a last resort.\n\n"
        "## Flush procedure\n\nAsk the owner first.\n"),
        "intl.md": "# İstanbul región\n\n## Ağ\n\nThe İzmir cache failover.\n"})
    # "cache" is densest in Overview, but only Eviction storm holds both words.
    hit = index.search("cache flush")[0]
    assert hit.anchor == "eviction-storm"
    assert hit.snippet_marked("[", "]") == ("Evictions spike when the [cache] is full; [flush] "
                                            "it with redis-cli [FLUSHALL] only as a last resort.")
    # A match in a heading counts most; the snippet then shows how the section begins.
    procedure = index.search("flush procedure")[0]
    assert procedure.anchor == "flush-procedure"
    assert procedure.snippet == "Ask the owner first."
    # Letters whose lowercase changes length (İ) still mark the right characters.
    intl = index.search("cache failover")[0]
    assert intl.path == "intl.md"
    assert intl.snippet_marked("[", "]") == "The İzmir [cache] [failover]."


def test_a_hit_found_by_its_front_matter_alone_shows_what_matched_there(
        make_index: MakeIndex) -> None:
    index, _library = make_index({"pool.md": (
        "---\ntitle: Pool exhausted\nsymptoms:\n  - 'Errors: \"too many clients\"'\n"
        "summary: The pool drains, then clients fail\n---\n\n"
        "# Pool exhausted\n\n## Diagnosis\n\nCount the connections per application.\n")})
    hit = index.search('"too many clients"')[0]
    # Not an empty line under the title: the symptom it was found by, and the
    # page opens at its top, where the summary lists the symptoms.
    assert hit.snippet_marked("[", "]") == 'Symptoms: Errors: "[too many clients]"'
    assert (hit.anchor, hit.heading) == (None, "")
    # The labels are not searched.
    assert index.search("symptoms") == []
    # A value that is one string shows whole, commas and all.
    assert index.search("drains")[0].snippet_marked("[", "]") == (
        "Summary: The pool [drains], then clients fail")
    # With a match in the text too, the text is shown.
    assert index.search("errors connections")[0].snippet_marked("[", "]") == (
        "Count the [connections] per application.")


def test_counts_are_the_runbooks_and_their_sections(library: Library,
                                                    index: SearchIndex) -> None:
    from viewer.core.rendering import render_file
    from viewer.core.search.sections import index_record

    sections = sum(len(index_record(render_file(library, path)).sections)
                   for path in library.iter_runbooks())
    assert index.counts() == (4, sections) and sections > 4
    assert index.document_count() == 4


def test_a_large_librarys_ranking_spread_over_threads_finds_the_same_hits(
        make_index: MakeIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from viewer.core.search import index as index_module
    from viewer.core.search import spread

    services = ["orders", "payments", "gateway", "ledger", "search", "auth"]
    files = {}
    for n in range(90):
        service = services[n % len(services)]
        repeats = " ".join(["restart the consumer"] * (1 + n % 7))
        files[f"{service}/rb{n:03}.md"] = (
            f"# {service} consumer lag {n}\n\n## Symptoms\n\n- consumer lag over {n} minutes\n\n"
            f"## Fix\n\n{repeats}, then check `kubectl rollout restart deploy/{service}`.\n")
    queries = ["consumer lag", "restart", "kubectl rollout restart", '"consumer lag over"',
               "orders restart", "lag -payments"]
    index, _library = make_index(files)
    alone = [[(h.path, h.score, h.anchor) for h in index.search(q)] for q in queries]
    index.close()

    monkeypatch.setattr(spread, "SPREAD_FROM", 0)
    monkeypatch.setattr(index_module, "default_ways", lambda: 3)
    spread_index = SearchIndex(index.db_path, index.library_root)
    spread_out = [[(h.path, h.score, h.anchor) for h in spread_index.search(q)] for q in queries]
    used = [t.name for t in threading.enumerate() if t.name.startswith("search range")]
    spread_index.close()

    assert all(alone), "every query finds runbooks"
    assert spread_out == alone
    assert used, "the ranking ran on the range threads"


# -- Chinese, Japanese and Korean: sentences without spaces ---------------------------------
CJK_PAGES = {
    "zh/shujuku.md": "# 数据库连接池耗尽\n\n## 症状\n\n订单服务返回错误，错误率超过百分之五。\n\n"
                     "## 处理\n\n重启连接池之前，先确认副本的延迟。\n",
    "zh/gateway.md": "# 网关超时\n\nAPI 网关超时，服务订单的请求失败。\n",
    "ja/disk.md": "# ディスク容量\n\nノードのディスク使用率が高い場合は、ログを削除します。\n",
    "ko/cert.md": "# 인증서 만료\n\n게이트웨이 인증서가 곧 만료됩니다.\n",
    "en/pool.md": "# Connection pool\n\nThe pool is exhausted.\n",
}


@pytest.mark.parametrize("typing", [False, True], ids=["searched", "as typed"])
def test_words_inside_chinese_and_japanese_sentences_are_found(
        make_library: MakeLibrary, tmp_path: Path, typing: bool) -> None:
    library = Library(make_library(CJK_PAGES))
    index = SearchIndex(tmp_path / "i.sqlite3", library.root)
    refresh_index(index, library)

    def found(text: str) -> list[str]:
        return paths(index.search(text, typing=typing))

    assert found("错误率") == ["zh/shujuku.md"]  # inside "，错误率超过…"
    assert found("连接池") == ["zh/shujuku.md"]
    assert found("副本的延迟") == ["zh/shujuku.md"]
    assert found("使用率") == ["ja/disk.md"]
    assert found("인증서") == ["ko/cert.md"]
    assert found("网关 超时") == ["zh/gateway.md"]
    # Its characters side by side, in order: "服务订单" is one page's, "订单服务" the other's.
    assert found("订单服务") == ["zh/shujuku.md"]
    assert found("服务订单") == ["zh/gateway.md"]
    assert found("pool") == ["en/pool.md"]
    hit = index.search("错误率", typing=typing)[0]
    assert "**错误率**" in hit.snippet_marked() and hit.anchor == "症状"


def test_a_chinese_query_is_highlighted_whole_on_the_page() -> None:
    assert parse_query("错误率 pool").words == ["错误率", "pool"]


def test_closing_the_index_never_pulls_a_connection_from_under_a_read(
        index: SearchIndex) -> None:
    """The window closed while its sidebar was loading: the index's connections were
    closed under the loading thread's query, and the process crashed (a segmentation
    fault in CI). A read in progress keeps its connection until it ends."""
    import threading

    first_done, closed = threading.Event(), threading.Event()
    answers: list[object] = []

    def slow_read(conn: sqlite3.Connection) -> tuple[int, int]:
        first = conn.execute("SELECT count(*) FROM files").fetchone()[0]
        first_done.set()
        closed.wait(5)
        return first, conn.execute("SELECT count(*) FROM files").fetchone()[0]

    def reader() -> None:
        try:
            answers.append(index._guarded(slow_read))
        except Exception as err:  # the assertion below names it
            answers.append(err)

    thread = threading.Thread(target=reader)
    thread.start()
    assert first_done.wait(5)
    index.close()
    closed.set()
    thread.join(5)
    [answer] = answers
    assert isinstance(answer, tuple) and answer[0] == answer[1] > 0, answer
    assert paths(index.search("pool"))  # and the index still answers afterwards
