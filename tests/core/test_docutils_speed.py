"""docutils with the state-machine shortcuts builds exactly what docutils as shipped builds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from benchmarks.synthetic import library_rst
from tests.conftest import seeds_or_skip
from tests.core.test_seeds import rst_examples
from viewer.core.document import Document
from viewer.core.render import docutils_speed
from viewer.core.rendering import render_text

BUNDLED = Path(__file__).resolve().parents[2] / "bundled_docs"

# Every construct that makes docutils start a nested state machine, or that
# changes a state's transitions while it runs (the quoted literal block).
CONSTRUCTS = """\
Service down
============

:Owner: platform
:Severity: SEV1

.. contents::
   :local:

Symptoms
--------

- 503s from the gateway

  - nested item with ``code``
  - another, with a `link <https://example.com>`_

- p95 over 500 ms

1. First step
2. Second step

   a. lettered
   b. also lettered

term
   A definition, with *emphasis*.

-v, --verbose   Say more.
--replicas=N    How many.

| a line block
|    indented line

::

> quoted literal block
> second line

+-------+-------+
| Grid  | Table |
+=======+=======+
| a     | b     |
+-------+-------+

=====  =====
Simple table
------------
x      y
=====  =====

.. _step-one:

Step one
--------

.. note::
   Inside a note:

   * a list in a directive
   * with two items

.. code-block:: bash

   kubectl rollout undo deploy/api

   Transition
   ~~~~~~~~~~

.. [1] A footnote, see [1]_.

Field list after a section:

:Who: on-call
:When: now

.. |sub| replace:: substituted

Text with |sub| and :ref:`step-one`.
"""


# Series of explicit markup, ended every way a series ends: a blank line, text
# right after, a section title, an indented line, the end of a list item or the file.
EXPLICIT = """\
Targets
=======

.. _a: https://example.com/a
.. _b: https://example.com/b
   continued
.. __: https://example.com/anonymous
__ https://example.com/short-anonymous
Text right after the targets, no blank line.

.. comment
   spanning lines
.. note:: first
.. warning::

   second, after a blank line

Next section
------------

.. _c: https://example.com/c

.. _d: https://example.com/d
    indented further
   then less
  and less still

- item

  .. _e: https://example.com/e
  .. _f: https://example.com/f
  item text
- second item

.. [#] a footnote
.. |s| replace:: text
..

   a block quote after an empty comment

.. _last: https://example.com/last"""


def _samples() -> dict[str, str]:
    rng = random.Random(11)
    samples = {f"synthetic-{i}.rst": library_rst(i, rng) for i in range(25)}
    samples["constructs.rst"] = CONSTRUCTS
    samples["explicit.rst"] = EXPLICIT
    samples["explicit-at-end.rst"] = EXPLICIT + "\n\n.. _tail: https://example.com/t\n"
    for path in sorted(BUNDLED.rglob("*.rst")):
        samples[str(path.relative_to(BUNDLED))] = path.read_text(encoding="utf-8")
    return samples


def _render_all(samples: dict[str, str]) -> dict[str, Document]:
    """Each sample's whole Document: page, headings, blocks, code, notices."""
    return {rel: render_text(text, rel) for rel, text in samples.items()}


def test_the_shortcuts_are_installed_for_this_docutils() -> None:
    # Installed at import by the reST front end; a docutils that moved its
    # internals would turn them off silently, and reST parsing would slow down.
    assert docutils_speed.install()


def test_rendering_is_identical_with_and_without_the_shortcuts() -> None:
    samples = _samples()
    fast = _render_all(samples)
    with docutils_speed.as_shipped():
        shipped = _render_all(samples)
    assert len(fast) >= 32
    for rel in samples:
        assert fast[rel] == shipped[rel], rel
    assert 'id="step-one"' in fast["constructs.rst"].body_html


def test_seed_rest_examples_are_identical_with_and_without_the_shortcuts() -> None:
    seeds = seeds_or_skip()
    examples = rst_examples(next(s for s in seeds if s.name.startswith("000_")))
    fast = _render_all(examples)
    with docutils_speed.as_shipped():
        shipped = _render_all(examples)
    assert fast == shipped


@pytest.mark.parametrize("broken", ["Title\n===\n\n- item\n\n  .. unknown-directive::\n",
                                    ":field: value\n  bad indent\n\n.. [#] \n"])
def test_broken_rest_reports_the_same_problems_either_way(broken: str) -> None:
    fast = _render_all({"broken.rst": broken})
    with docutils_speed.as_shipped():
        shipped = _render_all({"broken.rst": broken})
    assert fast == shipped
