"""What the user typed, turned into an FTS5 query that can never be a syntax error.

The syntax people expect from a search box:

* words: every one must match; a word of three or more letters also
  matches longer words it starts (``connection`` finds "connections");
* ``"an exact phrase"`` in double quotes, matched word for word;
* ``prefix*``;
* ``OR`` between two terms, ``-word`` to leave a word out;
* ``tag:database``, ``severity:P1``, ``folder:runbooks/db`` to filter;
* anything full of punctuation is taken literally: ``pg_stat_activity``,
  ``--replicas=20``, ``5xx``, ``p95`` match those characters as written,
  and hits that contain them exactly rank first.

Every term reaches FTS5 as a double-quoted string, so no user input is ever
read as FTS5 operators or column filters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

from viewer.core.cjk import has_cjk, is_cjk, pieces, spaced
from viewer.core.search.length_bands import PAD_CHARACTER
from viewer.core.search.vocabulary import MIN_PREFIX

FILTER_KEYS = {"tag": "tag", "tags": "tag", "severity": "severity", "sev": "severity",
               "folder": "folder", "in": "folder"}


@dataclass
class Term:
    text: str
    phrase: bool = False  # "quoted"
    prefix: bool = False  # ends with *
    negated: bool = False
    or_with_previous: bool = False


@dataclass
class ParsedQuery:
    terms: list[Term] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def searchable(self) -> bool:
        """Whether any term asks for something (not only words left out, or filters)."""
        return any(not term.negated for term in self.terms)

    @property
    def one_phrase(self) -> bool:
        """Whether the query is one term of several words: to FTS5, a single phrase."""
        return (len(self.terms) == 1 and not self.terms[0].negated
                and len(tokens_of(self.terms[0].text)) > 1)

    @property
    def literals(self) -> list[str]:
        """Terms with punctuation inside, to be found exactly as typed (lowercased)."""
        return [t.text.lower() for t in self.terms
                if not t.negated and _has_inner_punctuation(t.text)]

    @property
    def words(self) -> list[str]:
        """What to highlight in a page: phrases and punctuated terms whole, else each word."""
        found: list[str] = []
        for term in self.terms:
            if term.negated:
                continue
            if term.phrase or _has_inner_punctuation(term.text) or has_cjk(term.text):
                found.append(term.text)  # "可用性" whole: its characters are everywhere
            else:
                found.extend(tokens_of(term.text))
        return [w for w in found if w]


_TOKEN = re.compile(r"\w+", re.UNICODE)
_START, _SPAN = re.Match.start, re.Match.span


def tokens_of(text: str) -> list[str]:
    """The words FTS5 would see (letters and digits; ``_`` splits; a Chinese or Japanese
    character is a word by itself, see ``cjk``)."""
    words = [t for part in _TOKEN.findall(text) for t in part.split("_") if t]
    if not has_cjk(text):
        return words
    return [piece for word in words for piece in pieces(word)]


def _has_inner_punctuation(text: str) -> bool:
    stripped = text.strip("*")
    return any(not (ch.isalnum() or ch.isspace()) for ch in stripped) and bool(
        tokens_of(stripped))


_SPLIT = re.compile(r'"([^"]*)"?|(\S+)')


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def parse_query(text: str) -> ParsedQuery:
    """Split the search box's text into terms and filters."""
    query = ParsedQuery()
    pending_or = False
    # The index pads every runbook with PAD_CHARACTER (see length_bands): never a match.
    # Control characters (a NUL pasted from a terminal) end an FTS5 string: spaces too.
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text).replace(PAD_CHARACTER, " "))
    for match in _SPLIT.finditer(text):
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            if tokens_of(quoted):
                query.terms.append(Term(quoted.strip(), phrase=True,
                                        or_with_previous=pending_or))
                pending_or = False
            continue
        if bare == "OR" and query.terms:
            pending_or = True
            continue
        key, sep, value = bare.partition(":")
        if sep and value and key.lower() in FILTER_KEYS and not value.startswith("/"):
            query.filters[FILTER_KEYS[key.lower()]] = value
            continue
        # "-word" leaves a word out; "-i" or "-rf" are a command's flags, kept as text.
        negated = bare.startswith("-") and len(bare) > 3 and bare[1:].isalpha()
        word = bare[1:] if negated else bare
        if not tokens_of(word):
            continue  # "--", "|", "->": nothing FTS5 could match
        prefix = word.endswith("*")
        query.terms.append(Term(word.rstrip("*") if prefix else word, prefix=prefix,
                                negated=negated, or_with_previous=pending_or))
        pending_or = False
    return query


class Matcher:
    """Finds in plain text what the FTS5 expression matched, to mark it and place it.

    Used on the few runbooks shown, so that FTS5 is asked only once per
    search. Words are letters and digits (``_`` and other punctuation
    separate them), as for the unicode61 tokenizer. One pattern per term,
    each starting with its literal first word, lets ``re`` skip ahead fast;
    that the word starts a word is checked after it (a look-behind in front
    would cost ``re`` its literal start, and a check in Python a step per match).
    """

    def __init__(self, query: ParsedQuery) -> None:
        sources: list[str] = []
        for term in query.terms:
            tokens = tokens_of(term.text.lower())
            if term.negated or not tokens:
                continue
            first = re.escape(tokens[0])
            # A Chinese or Japanese character is a word wherever it stands: nothing need
            # separate it from its neighbours, nor start or end it.
            body = rf"{first}(?<![^\W_]{first})" if not is_cjk(tokens[0]) else first
            for before, token in pairwise(tokens):
                apart = r"[\W_]*" if is_cjk(before) or is_cjk(token) else r"[\W_]+"
                body += apart + re.escape(token)
            open_ended = term.prefix or (not term.phrase and len(tokens) == 1)
            end = "" if is_cjk(tokens[-1]) else r"[^\W_]*" if open_ended else r"(?![^\W_])"
            sources.append(body + end)
        self._sources = sources
        self._plain = [re.compile(source) for source in sources]
        self._folded: list[re.Pattern[str]] = []  # compiled when first needed (rarely)

    def find(self, text: str) -> Matches:
        """Where each term matches in ``text``: only at the start of a word, as FTS5 does."""
        lower = text.lower()
        # lower() keeps offsets except for a few letters (İ); then match case-blind.
        if len(lower) == len(text):
            haystack, patterns = lower, self._plain
        else:
            if not self._folded:
                self._folded = [re.compile(source, re.IGNORECASE) for source in self._sources]
            haystack, patterns = text, self._folded
        return Matches(haystack, patterns,
                       [list(map(_START, pattern.finditer(haystack))) for pattern in patterns])


@dataclass
class Matches:
    """The matches of a query's terms in one text."""

    haystack: str
    patterns: list[re.Pattern[str]]
    starts: list[list[int]]  # per term, where each match starts, in order

    def spans(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """(start, end) of every match within ``lo``..``hi``, in order (to mark a snippet)."""
        # One character past ``hi`` lets a match's end check what follows it.
        found = [span for pattern in self.patterns
                 for span in map(_SPAN, pattern.finditer(self.haystack, lo, hi + 1))
                 if span[1] <= hi]
        if len(self.patterns) > 1:
            found.sort()
        return found


def _quote(text: str) -> str:
    """``text`` as one FTS5 string (a phrase of its words; of its characters, in Chinese)."""
    return '"' + spaced(text).replace('"', '""') + '"'


def _is_open(term: Term, typing: bool) -> bool:
    """Whether ``term`` also matches the longer words it begins."""
    if term.phrase:
        return False
    if term.prefix:
        return True
    tokens = tokens_of(term.text)
    if typing:
        # All but a single letter: it begins most words of a library (as a prefix,
        # 0.1-0.3 s at 50,000 runbooks, and it narrows nothing); matched as a word, it
        # still finds "sev 1", and the next letter makes it a prefix.
        return not (len(tokens) == 1 and len(tokens[0]) == 1)
    # "connection" finds "connections" and "timeout" finds "timeouts". (An
    # OR with the exact word would rank exact forms first but doubles the
    # cost of ranking a common word.)
    return len(tokens) == 1 and len(tokens[0]) >= MIN_PREFIX


def _open_word(term: Term, typing: bool) -> str | None:
    """The one word of a term that matches as a prefix (lower case), else None."""
    tokens = tokens_of(term.text)
    if len(tokens) != 1 or term.negated or not _is_open(term, typing):
        return None
    return tokens[0].lower()


def prefix_words(query: ParsedQuery, *, typing: bool = False) -> list[str]:
    """The one-word prefixes in the expression (lower case): each may turn out a whole word."""
    last = query.terms[-1] if query.terms else None
    found = (_open_word(term, typing and term is last) for term in query.terms)
    return [word for word in found if word]


def _term_expression(term: Term, typing: bool, sole: frozenset[str]) -> str:
    if not _is_open(term, typing):
        return _quote(term.text)
    word = _open_word(term, typing)
    if word in sole:
        return _quote(word)  # no longer word begins with it: the same matches, faster
    return f"{_quote(term.text)}*"


def whole_phrase(query: ParsedQuery, *, typing: bool = False) -> str:
    """The text of a query that is one phrase matched word for word, else "".

    ``"cache miss rate"`` and ``pg_stat_activity`` are; ``pg_stat*`` and,
    while ``typing``, an unquoted ``pg_stat_act`` are prefixes.
    """
    if not query.one_phrase or _is_open(query.terms[0], typing):
        return ""
    return query.terms[0].text


def fts_expression(query: ParsedQuery, *, typing: bool = False,
                   sole: frozenset[str] = frozenset()) -> str:
    """The FTS5 MATCH expression, or "" when nothing searchable is left.

    ``typing`` treats the last term as unfinished: it matches as a prefix
    whatever its length, so results follow each keystroke. ``sole`` are
    prefixes that begin no other word in the library
    (``vocabulary.sole_words``): they are asked for as words.
    """
    if not query.searchable:
        return ""
    parts: list[str] = []
    last = query.terms[-1]
    for term in query.terms:
        if term.negated:
            continue
        expression = _term_expression(term, typing and term is last, sole)
        if term.or_with_previous and parts:
            parts[-1] = f"({parts[-1]} OR {expression})"
        else:
            parts.append(expression)
    expression = " AND ".join(parts)
    for term in query.terms:
        if term.negated:
            expression = f"({expression}) NOT {_quote(term.text)}"
    return expression


def required_words(query: ParsedQuery, *, typing: bool = False,
                   sole: frozenset[str] = frozenset()) -> list[tuple[str, bool]]:
    """(word, is a prefix) of every word a match needs, phrases taken apart.

    ``sole`` are the prefixes ``fts_expression`` asks for as words. A query
    with OR gives [] (nothing is worked out for it): a safe answer, as these
    words only ever bound how many runbooks a query matches.
    """
    if any(term.or_with_previous for term in query.terms):
        return []
    words: list[tuple[str, bool]] = []
    last = query.terms[-1] if query.terms else None
    for term in query.terms:
        if term.negated:
            continue
        open_end = term.prefix or (typing and term is last)
        tokens = tokens_of(term.text)
        for i, token in enumerate(tokens):
            final = i == len(tokens) - 1
            prefix = (final and open_end) or (
                not term.phrase and len(tokens) == 1 and len(token) >= MIN_PREFIX)
            words.append((token, prefix and not (len(tokens) == 1 and token.lower() in sole)))
    return words


def words_expression(query: ParsedQuery, *, typing: bool = False,
                     sole: frozenset[str] = frozenset()) -> str:
    """Every word a match needs, ANDed: "" when not comparable.

    FTS5 counts its matches from the word lists alone, without positions,
    so it is a cheap upper bound of how many runbooks the real expression
    matches. Queries with OR have no such bound.
    """
    return " AND ".join(_quote(word) + ("*" if prefix else "")
                        for word, prefix in required_words(query, typing=typing, sole=sole))
