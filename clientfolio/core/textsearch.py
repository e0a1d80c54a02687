"""Substring filters that PostgreSQL answers from an index, whatever the word's length.

``LIKE '%word%'`` on PostgreSQL uses a pg_trgm index only for words of three characters
or more; shorter ones (most Chinese words) scan the table. ``contains_q`` adds, on
PostgreSQL and for words of two characters or more, the bigram test of
``core.bigrams`` (``clientfolio_bigrams(column) @> clientfolio_bigrams(word)``), which a
GIN index over that expression answers; the substring test then checks the
candidates, so the rows found are exactly those of the substring test alone. The
indexes are created by a migration of the app that searches (reports 0007); without
one the filter is still right, only slower. Other databases get the substring test
unchanged.
"""

from __future__ import annotations

from django.db.models import BooleanField, F, Func, Q, Value
from django.db.models.functions import Upper

from clientfolio.core.bigrams import MIN_LENGTH

__all__ = ["BigramsContain", "contains_q"]


class BigramsContain(Func):
    """``clientfolio_bigrams(text) @> clientfolio_bigrams(word)``: every bigram of the
    word is one of the text's (PostgreSQL only; the function comes from a migration)."""

    arity = 2
    template = "clientfolio_bigrams(%(expressions)s)"
    arg_joiner = ") @> clientfolio_bigrams("
    output_field = BooleanField()


def contains_q(
    vendor: str, field: str, word: str, *, case_insensitive: bool = True
) -> Q:
    """Rows whose ``field`` contains ``word``: Django's ``icontains`` (or ``contains``
    when ``case_insensitive`` is false, for columns stored lower-case), with the
    indexable bigram test in front of it on PostgreSQL. The index must be over the same
    expression: ``clientfolio_bigrams(UPPER(field::text))`` for ``icontains`` (Django
    compares ``UPPER()`` on both sides), ``clientfolio_bigrams(field)`` otherwise."""
    lookup = "icontains" if case_insensitive else "contains"
    condition = Q(**{f"{field}__{lookup}": word})
    if vendor != "postgresql" or len(word) < MIN_LENGTH:
        return condition
    if case_insensitive:
        test = BigramsContain(Upper(field), Upper(Value(word)))
    else:
        test = BigramsContain(F(field), Value(word))
    return Q(test) & condition
