"""Overlapping two-character pieces of a text, the key of the substring search index on
PostgreSQL (issue 13): pure Python, no Django.

pg_trgm cannot index a word shorter than three characters, and two-character words are
the common case in Chinese (客户, 张伟). A text's bigrams are every pair of neighbouring
characters; a word of two or more characters that occurs in a text has all its bigrams
among the text's, so "the text's bigrams contain the word's" is an indexable test
(a GIN index over an array) that keeps every substring match. It also keeps some rows
that do not match (the bigrams are there, not in that order), so the substring test
runs after it on the few candidates (``core.textsearch``).

The database computes the same thing with ``clientfolio_bigrams()``
(``SQL_FUNCTION``); this module is its specification and is what the property tests
check.
"""

from __future__ import annotations

__all__ = ["MIN_LENGTH", "SQL_FUNCTION", "bigrams", "may_contain"]

# Words shorter than this have no bigram: the index cannot narrow their search.
MIN_LENGTH = 2

# ``bigrams()`` in SQL, created by the migration reports 0007 on PostgreSQL. IMMUTABLE
# so that it may be indexed; STRICT so NULL gives NULL (a NULL column never matches).
SQL_FUNCTION = """
CREATE OR REPLACE FUNCTION clientfolio_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ARRAY(
    SELECT DISTINCT substr(value, position, 2)
    FROM generate_series(1, char_length(value) - 1) AS position
  )
$$
"""


def bigrams(text: str) -> frozenset[str]:
    """Every two neighbouring characters of ``text`` (empty below two characters)."""
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def may_contain(text: str, word: str) -> bool:
    """Whether ``text`` passes the bigram test for ``word``: true whenever ``word``
    occurs in ``text`` (and for every text when ``word`` has fewer than two
    characters); it may also be true when it does not."""
    return bigrams(word) <= bigrams(text)
