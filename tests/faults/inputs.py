"""Hostile runbook text for the fuzzing harness: runbook-shaped Markdown and reST with traps in it.

Strategies (hypothesis) build documents from pieces real runbooks have
(headings, lists, code, tables, links, front matter, directives) mixed with
what an attacker or a broken editor adds (deep nesting, huge repeats, stray
control characters, aliases, links out of the library). The same pieces
serve the fast CI run and the long benchmark run.
"""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = st.sampled_from(["503", "p95", "latency", "restart", "kubectl", "pgbouncer", "Symptoms",
                         "Step", "If", "OOMKilled", "<none>", "$NAMESPACE", "`code`", "*em*",
                         "**Symptoms:**", "[link](../x.md)", "![i](../../etc/passwd)", "\\",
                         "|sub|", ":ref:`x`", ":doc:`/a\\ b`", "[1]_", "`1 <https://x>`_",
                         "&amp;", "<div>", "</div>", "\x00", "\x1b[2J", "\u202e", "é", "🚨",
                         "{{< ref \"a.md\" >}}", "!!! note", "[[_TOC_]]", "{{ .Values }}"])
LINE = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)


def _repeat(piece: st.SearchStrategy[str], most: int) -> st.SearchStrategy[str]:
    return st.tuples(piece, st.integers(1, most)).map(lambda pair: pair[0] * pair[1])


MD_BLOCK = st.one_of(
    LINE.map(lambda t: t + "\n\n"),
    st.tuples(st.integers(1, 7), LINE).map(lambda p: "#" * p[0] + " " + p[1] + "\n\n"),
    LINE.map(lambda t: f"{t}\n----\n\n"),
    st.lists(LINE, min_size=1, max_size=6).map(lambda items: "".join(f"- {i}\n" for i in items)),
    st.lists(LINE, min_size=1, max_size=6).map(
        lambda items: "".join(f"{n}. {i}\n" for n, i in enumerate(items, 1))),
    LINE.map(lambda t: f"```bash\n{t}\n```\n\n"),
    LINE.map(lambda t: f"```\n{t}\n"),  # never closed
    LINE.map(lambda t: f"| a | b |\n|---|---|\n| {t} | x |\n\n"),
    LINE.map(lambda t: f"> {t}\n\n"),
    _repeat(st.just("> "), 300).map(lambda q: q + "deep\n\n"),
    _repeat(st.just("- "), 200).map(lambda q: q + "deep\n\n"),
    _repeat(st.just("<div>"), 2000).map(lambda d: d + "x\n\n"),
    _repeat(st.just("## Same\n\n"), 400),
    _repeat(st.just("["), 3000).map(lambda s: s + "x\n\n"),
    _repeat(st.just("*a "), 3000).map(lambda s: s + "\n\n"),
    st.just("x" * 20000 + "\n\n"),
    st.just("<img src=\"../../outside.png\"><script>alert(1)</script>\n\n"),
)

FRONT_MATTER = st.one_of(
    st.just(""),
    st.just("---\ntitle: T\nseverity: SEV1\nsymptoms:\n  - 503s\n---\n"),
    st.just("---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n---\n"),
    st.just("---\n" + "- " * 500 + "x\n---\n"),
    st.just("---\ntitle: [unclosed\n---\n"),
)

MARKDOWN = st.tuples(FRONT_MATTER, st.lists(MD_BLOCK, min_size=1, max_size=25)).map(
    lambda p: p[0] + "".join(p[1]))

RST_BLOCK = st.one_of(
    LINE.map(lambda t: t + "\n\n"),
    st.tuples(LINE, st.sampled_from("=-~^")).map(
        lambda p: f"{p[0]}\n{p[1] * max(3, len(p[0]))}\n\n"),
    st.lists(LINE, min_size=1, max_size=5).map(lambda items: "".join(f"* {i}\n" for i in items)
                                                + "\n"),
    LINE.map(lambda t: f".. code-block:: bash\n\n   {t}\n\n"),
    LINE.map(lambda t: f".. note::\n\n   {t}\n\n"),
    LINE.map(lambda t: f".. unknown-directive:: {t}\n   :opt: 1\n\n   body\n\n"),
    LINE.map(lambda t: f".. _{t[:20]}:\n\n"),
    LINE.map(lambda t: f".. [1] {t}\n\n"),
    LINE.map(lambda t: f".. |sub| replace:: {t}\n\n"),
    st.just(".. include:: /etc/passwd\n\n.. raw:: html\n\n   <script>x</script>\n\n"),
    st.just(".. image:: ../../outside.png\n\n.. figure:: /dev/zero\n\n"),
    st.just(".. math::\n\n   \\frac{a}{b} \\unknown\n\n"),
    st.just(".. csv-table::\n   :file: /etc/passwd\n\n"),
    _repeat(st.just("Same\n----\n\ntext\n\n"), 300),
    _repeat(st.just(".. _t: https://example.com\n"), 500),
    st.just("+---+\n| a |\n+===\n| b |\n\n"),  # a broken grid table
    st.just("word " * 3000 + "\n\n"),
)

RST = st.lists(RST_BLOCK, min_size=1, max_size=25).map("".join)
