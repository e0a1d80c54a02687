"""@mentions in comment text: finding them, matching them to people, marking them up.

Pure: the standard library only, so the rules are tested without a database.

A mention is ``@`` followed by a name made of letters (any script), digits and
``. _ + -``; trailing ``. + -`` are sentence punctuation and dropped (``@li.na.``
names ``li.na``). An ``@`` right after a letter, a digit or another ``@`` starts no
mention, so e-mail addresses are left alone. The suggestions of the comment box insert
``@username``; a person's displayed name without spaces (``@王小明``) is understood too,
and Chinese text may follow a name without a space (``@王小明请看``, ``@pm请确认``).

In rendered Markdown, mentions are looked for only in text outside code and links:
``find_in_html`` and ``highlight_html`` read the same text, so what is highlighted is
what notifies.
"""

import html
import re
from collections.abc import Iterator, Mapping
from typing import TypeVar

__all__ = ["can_name", "find", "find_in_html", "highlight_html", "match"]

T = TypeVar("T")

MENTION = re.compile(r"(?<![\w@])@([\w.+\-]+)")
TRAILING = ".+-"
# Scripts written without spaces between words: a name may run on into the sentence.
RUN_ON = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff00-\uffef]"
)
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
# Text inside these elements is not searched: code is quoted, a link's text is its own.
SKIPPED = frozenset({"code", "pre", "a"})


def _tokens(text: str) -> Iterator[tuple[int, str]]:
    """(offset of the ``@``, name) of every mention in plain text."""
    for found in MENTION.finditer(text):
        token = found.group(1).rstrip(TRAILING)
        if token:
            yield found.start(), token


def _unique(tokens: Iterator[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for token in tokens:
        key = token.casefold()
        if key not in seen:
            seen.add(key)
            result.append(token)
    return result


def find(text: str) -> list[str]:
    """The names mentioned in plain ``text``, in order of first appearance, each once
    (compared case-insensitively)."""
    return _unique(token for _offset, token in _tokens(text))


def can_name(name: str) -> bool:
    """Whether ``@`` followed by ``name`` (a username) reads back as that name: not for
    names with characters a mention cannot hold (``@``, spaces) or ending in ``.``."""
    return find("@" + name) == [name]


def _segments(markup: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every run of text in ``markup`` outside skipped elements."""
    depth = 0
    position = 0
    for tag in TAG.finditer(markup):
        if depth == 0 and tag.start() > position:
            yield position, tag.start()
        name = tag.group(2).lower()
        if name in SKIPPED:
            depth = max(0, depth - 1) if tag.group(1) else depth + 1
        position = tag.end()
    if depth == 0 and position < len(markup):
        yield position, len(markup)


def find_in_html(markup: str) -> list[str]:
    """The names mentioned in the text of sanitised HTML, outside code and links; as
    ``find``."""
    return _unique(
        token
        for start, end in _segments(markup)
        for _offset, token in _tokens(markup[start:end])
    )


def match(token: str, names: Mapping[str, T]) -> tuple[T, int] | None:
    """Who ``token`` names, and how many of its characters the name takes.

    ``names`` maps case-folded names (usernames, displayed names without spaces) to
    people. An exact name wins; else the longest name that begins the token and is
    followed by a character of a script written without spaces. None when nobody is
    named.
    """
    key = token.casefold()
    if key in names:
        return names[key], len(token)
    for length in range(len(token) - 1, 0, -1):
        prefix = token[:length].casefold()
        if prefix in names and RUN_ON.match(token[length]):
            return names[prefix], length
    return None


def highlight_html(markup: str, lengths: Mapping[str, int]) -> str:
    """``markup`` with each known mention wrapped in ``<span class="cf-mention">``.

    ``lengths`` maps a case-folded token (as ``find_in_html`` gives it) to the number
    of its characters the person's name takes (``match``); other tokens stay plain.
    The text is otherwise unchanged, so stripping the tags gives the same text.
    """
    pieces = []
    position = 0
    for start, end in _segments(markup):
        segment = markup[start:end]
        cursor = 0
        out = []
        for offset, token in _tokens(segment):
            length = lengths.get(token.casefold())
            if not length:
                continue
            name_end = offset + 1 + length
            out.append(segment[cursor:offset])
            out.append(
                '<span class="cf-mention">'
                + html.escape(segment[offset:name_end], quote=True)
                + "</span>"
            )
            cursor = name_end
        out.append(segment[cursor:])
        pieces.append(markup[position:start])
        pieces.append("".join(out))
        position = end
    pieces.append(markup[position:])
    return "".join(pieces)
