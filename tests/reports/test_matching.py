"""The pure part of the search: reading a query and cutting a snippet (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientfolio.reports.matching import QueryError, Snippet, query_words, snippet


def test_query_words_are_lower_case_without_repeats():
    assert query_words("  Amber  琥珀 amber ") == ["amber", "琥珀"]


@pytest.mark.parametrize(
    ("text", "code"), [(None, "empty"), (" \t", "empty"), ("a" * 101, "too_long")]
)
def test_query_words_refuse_empty_and_long_queries(text, code):
    with pytest.raises(QueryError) as refused:
        query_words(text)
    assert refused.value.code == code


def test_a_query_of_exactly_the_limit_is_fine():
    assert query_words("  " + "a" * 100 + "  ") == ["a" * 100]


def test_snippet_cuts_around_the_match_and_marks_the_cuts():
    text = "前" * 50 + "Amber" + "后" * 100

    piece = snippet(["", text], ["amber"], width=40, lead=10)

    assert piece == Snippet("…" + "前" * 10, "Amber", "后" * 25 + "…")


def test_snippet_without_a_match_is_the_start_of_the_first_text():
    assert snippet(["", "一二三四五"], ["x"], width=3) == Snippet("", "", "一二三…")


@given(st.text(min_size=1, max_size=200), st.integers(0, 199), st.integers(1, 10))
def test_snippet_always_contains_the_word_it_found(text, start, length):
    word = " ".join(text.split())[start : start + length].lower()
    if not word.strip() or len(word.lower()) != len(word):
        return
    piece = snippet([text], [word])
    assert piece.match.lower() == word
    assert word in str(piece).lower()
