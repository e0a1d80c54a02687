"""How the search reads a query and shows where it matched: pure Python, no Django.

A query is split into words at white space; a record matches when every word occurs in
one of its searched fields (as a substring, so Chinese needs no tokenising; Latin
letters match whatever their case). The snippet is the piece of the first field that
holds the first word, cut to a readable length around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_WORDS",
    "QueryError",
    "Snippet",
    "query_words",
    "snippet",
]

MAX_QUERY_LENGTH = 100
# A longer query is still searched, for its first words: each word is one more LIKE.
MAX_WORDS = 10


class QueryError(ValueError):
    """The query cannot be searched; ``code`` says why ("empty" or "too_long")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def query_words(text: str | None) -> list[str]:
    """The words of ``text``, lower-cased, at most ``MAX_WORDS`` and without repeats.

    Raises ``QueryError("empty")`` for nothing but white space and
    ``QueryError("too_long")`` beyond ``MAX_QUERY_LENGTH`` characters (counted after
    trimming).
    """
    stripped = (text or "").strip()
    if not stripped:
        raise QueryError("empty")
    if len(stripped) > MAX_QUERY_LENGTH:
        raise QueryError("too_long")
    words: list[str] = []
    for word in stripped.lower().split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


@dataclass(frozen=True)
class Snippet:
    """A short piece of text around a match: ``before`` + ``match`` + ``after``."""

    before: str
    match: str
    after: str

    def __str__(self) -> str:
        return f"{self.before}{self.match}{self.after}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def snippet(
    texts: Iterable[str], words: list[str], *, width: int = 90, lead: int = 30
) -> Snippet:
    """The piece of the first of ``texts`` that contains one of ``words`` (tried in
    order), about ``width`` characters with up to ``lead`` before the match; an
    ellipsis marks a cut. With no match anywhere, the start of the first non-empty text.
    """
    candidates = [_one_line(t) for t in texts if t and t.strip()]
    for word in words:
        for text in candidates:
            found = re.search(re.escape(word), text, re.IGNORECASE)
            if found is None:
                continue
            at, end = found.span()
            start = max(0, at - lead)
            stop = min(len(text), max(end, start + width))
            before = ("…" if start else "") + text[start:at]
            after = text[end:stop] + ("…" if stop < len(text) else "")
            return Snippet(before, found.group(), after)
    if not candidates:
        return Snippet("", "", "")
    first = candidates[0]
    return Snippet("", "", first[:width] + ("…" if len(first) > width else ""))
