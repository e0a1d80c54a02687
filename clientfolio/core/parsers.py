"""JSON request bodies with a bounded nesting depth, for the API and for pages.

Python's decoder raises ``RecursionError`` on a body nested about a thousand levels deep,
which reached users as a 500; shallower but still absurd nesting would recurse again in
serializers and renderers. No request of ours nests more than a few levels.
"""

import json
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

__all__ = ["JSONParser", "TooDeep", "loads"]

MAX_DEPTH = 32


class TooDeep(ValueError):
    """The JSON document nests deeper than ``MAX_DEPTH``."""


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads``, raising ``ValueError`` (``TooDeep``) instead of recursing without
    bound: for objects and arrays nested deeper than ``max_depth``."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise TooDeep("nested too deeply") from None
    if _depth_exceeds(value, max_depth):
        raise TooDeep("nested too deeply")
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested too deeply is a 400 like any malformed body."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = _depth_exceeds(data, MAX_DEPTH)
        if too_deep:
            raise exceptions.ParseError(
                _("JSON parse error - nested more than %(depth)d levels deep.")
                % {"depth": MAX_DEPTH}
            )
        return data
