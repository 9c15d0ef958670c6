"""Chinese, Japanese and Korean text: every character a word of its own.

The index searches such text (below); the symptom sidebar cuts its sentences
and labels where a character ends, as there may be no space to cut at.

These scripts write a sentence without spaces, and SQLite's unicode61
tokenizer makes one word of every run of letters, so "集群的整体可用性下降"
was one word: a search for "可用性" found nothing, "集群" one page of the 27
that hold it (kubesphere's Chinese runbooks). The text FTS5 indexes has each
such character spaced apart, and a query's characters are asked for as the
phrase of those characters, in order: "可用性" finds the pages holding those
three characters side by side. (Lucene's CJK analysis indexes the pairs of
adjacent characters, bigrams; here the word-pairs table, ``word_pairs``,
already holds every pair of adjacent words, and a phrase is matched on it.)

The runbooks' stored text keeps its own spacing: only what FTS5 reads is
spaced, and the query's matches are found again in the stored text by
``query.Matcher``, which lets such characters touch.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Chinese and Japanese sentence stops: full width, and no space follows them.
FULL_STOPS = "。！？"

# Han (with its extensions and compatibility forms), kana (full and half width, with
# the prolonged sound mark) and Hangul syllables and letters.
CHARACTERS = ("\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
              "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f")


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """One such character; a run of them; a piece of a word (one such character, or a
    run of other letters). Compiled at first need, not at import: a class reaching past
    U+FFFF costs Python's regular-expression compiler 20-30 ms, which every command-line
    search paid though nearly all text it meets is ASCII."""
    return (re.compile(f"[{CHARACTERS}]"), re.compile(f"[{CHARACTERS}]+"),
            re.compile(f"[{CHARACTERS}]|[^{CHARACTERS}]+"))


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a character that is a word by itself."""
    return not text.isascii() and _patterns()[0].search(text) is not None


def spaced(text: str) -> str:
    """``text`` with each such character set apart by spaces, as FTS5 is given it."""
    if text.isascii():
        return text
    # By runs, not by character: a page of Chinese is a million characters in a few
    # thousand runs, and a replacement per character cost seconds.
    return _patterns()[1].sub(lambda run: f" {' '.join(run.group())} ", text)


def is_cjk(character: str) -> bool:
    """Whether the one ``character`` is such a character."""
    return not character.isascii() and _patterns()[0].fullmatch(character) is not None


def pieces(word: str) -> list[str]:
    """``word`` cut after and before each such character: ``"k8s集群"`` is ``k8s``, ``集``,
    ``群``, as FTS5 reads the spaced text."""
    return _patterns()[2].findall(word)


def is_cjk_letter(text: str) -> bool:
    """Whether ``text`` is one such character that is a letter: a word as it stands, which
    unicode61 neither folds nor drops (unlike the kana middle dot, punctuation)."""
    return len(text) == 1 and _is_letter(text)


@functools.lru_cache(maxsize=65536)  # asked once per character of a page
def _is_letter(character: str) -> bool:
    return is_cjk(character) and unicodedata.category(character)[0] == "L"
