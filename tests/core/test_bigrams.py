"""The bigram test in front of the substring search keeps every substring match."""

from hypothesis import given, settings
from hypothesis import strategies as st

from clientfolio.core.bigrams import MIN_LENGTH, bigrams, may_contain

# Chinese, Latin of both cases, digits and the separators search texts hold.
TEXT = st.text(alphabet="客户张伟天康演练 aAbBsS0042|·-_%", max_size=30)


@settings(max_examples=200)
@given(TEXT, st.data())
def test_every_substring_of_a_text_passes_its_bigram_test(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))

    assert may_contain(text, text[start:end])


@settings(max_examples=200)
@given(TEXT, TEXT)
def test_a_word_that_occurs_passes_whatever_the_case_once_both_are_upper_cased(
    text, word
):
    if word.upper() in text.upper():
        assert may_contain(text.upper(), word.upper())


@settings(max_examples=100)
@given(TEXT, st.text(alphabet="客户aA0", max_size=MIN_LENGTH - 1))
def test_a_word_too_short_for_a_bigram_passes_every_text(text, word):
    assert bigrams(word) == frozenset()
    assert may_contain(text, word)


def test_bigrams_are_the_pairs_of_neighbouring_characters():
    assert bigrams("客户经理") == {"客户", "户经", "经理"}
    assert bigrams("aaa") == {"aa"}
    assert bigrams("客") == frozenset()


def test_the_test_can_pass_a_text_that_does_not_hold_the_word():
    # Its bigrams are there, not in that order: the substring test must follow.
    assert may_contain("客户户客", "户客户")
    assert "户客户" not in "客户户客"
    assert not may_contain("张伟", "客户")
