"""The pure @mention rules (clientfolio.comments.mentions): finding mentions in text and
in sanitised HTML, matching them to names, marking them up. No database."""

import html
import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from clientfolio.comments import mentions

# Names the comment box inserts: letters (any script), digits and ". _ + -", not
# ending in sentence punctuation.
NAME = st.from_regex(
    r"\A[a-z\u4e00-\u9fff0-9_][a-z\u4e00-\u9fff0-9_.+\-]{0,12}[a-z0-9_]\Z"
)
# Text around mentions: anything but what could continue a name or start one.
FILLER = st.text(alphabet=" ,;:!?()[]\n，。！？", max_size=6)


def test_it_finds_mentions_in_order_of_first_appearance_each_once():
    assert mentions.find("@li.na 请看，@pm 确认；@LI.NA 再看") == ["li.na", "pm"]


def test_sentence_punctuation_ends_a_name():
    assert mentions.find("请 @li.na. 看一下 @pm- 和 @wang+") == ["li.na", "pm", "wang"]


def test_an_email_address_is_not_a_mention():
    assert mentions.find("写信给 zhang.wei@yunfan.cn 或 @@pm") == []


def test_chinese_text_may_follow_a_name_without_a_space():
    names = {"王小明": "wang", "pm": "manager"}
    assert mentions.match("王小明请看", names) == ("wang", 3)
    assert mentions.match("pm请确认", names) == ("manager", 2)
    # but a Latin letter does not end a name: "pmx" is nobody
    assert mentions.match("pmx", names) is None


def test_an_exact_name_wins_over_a_shorter_one():
    names = {"li": "li", "li.na": "lina"}
    assert mentions.match("li.na", names) == ("lina", 5)
    assert mentions.match("LI", names) == ("li", 2)


def test_mentions_in_code_and_links_are_not_mentions():
    markup = (
        "<p>@pm 请看 <code>@staff</code> 和 "
        '<a href="https://example.com/@viewer">@viewer</a></p><pre><code>@admin</code></pre>'
    )
    assert mentions.find_in_html(markup) == ["pm"]


def test_only_known_mentions_are_marked_up():
    markup = "<p>@pm 与 @nobody 讨论</p>"
    marked = mentions.highlight_html(markup, {"pm": 2})
    assert marked == '<p><span class="cf-mention">@pm</span> 与 @nobody 讨论</p>'


def test_a_run_on_name_marks_only_the_name():
    marked = mentions.highlight_html("<p>@王小明请看</p>", {"王小明请看": 3})
    assert marked == '<p><span class="cf-mention">@王小明</span>请看</p>'


def test_a_username_a_mention_cannot_hold_cannot_be_suggested():
    assert mentions.can_name("li.na")
    assert not mentions.can_name("li na")
    assert not mentions.can_name("li.")
    assert not mentions.can_name("a@b")


@given(name=NAME, before=FILLER, after=FILLER)
def test_a_suggested_name_reads_back_as_itself(name, before, after):
    # given a name the suggestions insert, anywhere in a sentence
    text = f"{before}@{name}{after}"

    # then it is found, exactly
    assert mentions.can_name(name)
    assert mentions.find(text) == [name]


@given(names=st.lists(NAME, min_size=1, max_size=4, unique=True), gap=FILLER)
def test_marking_up_changes_no_text(names, gap):
    # given sanitised HTML mentioning some names, some of them known
    text = html.escape(gap.join(f"@{name}" for name in names) + " <b>&")
    markup = f"<p>{text}</p>"
    known = {name.casefold(): len(name) for name in names[::2]}

    # when the known ones are marked up
    marked = mentions.highlight_html(markup, known)

    # then stripping the marks gives the same HTML, and each known name is marked once
    assert re.sub(r'<span class="cf-mention">|</span>', "", marked) == markup
    assert marked.count('class="cf-mention"') == len(
        {t.casefold() for t in mentions.find_in_html(markup)} & set(known)
    )


@given(st.text(max_size=80))
def test_found_names_are_never_empty_and_hold_no_space_or_at(text):
    for name in mentions.find(text):
        assert name
        assert "@" not in name
        assert not any(ch.isspace() for ch in name)
        assert name[-1] not in mentions.TRAILING


def test_the_mention_rules_load_no_django():
    code = (
        "import sys, clientfolio.comments.mentions; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False)
    assert result.returncode == 0
