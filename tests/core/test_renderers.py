"""The API's orjson renderer writes DRF's JSON byte for byte."""

import datetime
import uuid
import zoneinfo
from decimal import Decimal

from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from clientfolio.core.renderers import FastJSONRenderer

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

PAYLOAD = {
    "id": 12,
    "name": "需求分析 “一期”",
    "moment": datetime.datetime(2026, 9, 28, 9, 30, 1, 123456, tzinfo=datetime.UTC),
    "local": datetime.datetime(2026, 9, 28, 17, 30, tzinfo=SHANGHAI),
    # A naive datetime, as a value computed without a zone could be.
    "naive": datetime.datetime(2026, 9, 28, 17, 30, 0, 500),  # noqa: DTZ001
    "day": datetime.date(2026, 10, 8),
    "time": datetime.time(9, 15, 0, 250000),
    "hours": Decimal("7.50"),
    "ratio": 0.1,
    "label": gettext_lazy("This field is required."),
    "token": uuid.UUID(int=7),
    "separators": "a\u2028b\u2029c",
    "nested": [{"none": None, "yes": True, "list": [1, 2.5, "x"]}, ()],
    1: "an integer key",
    "span": datetime.timedelta(days=1, seconds=3),
}


def test_the_fast_renderer_writes_drfs_bytes():
    assert FastJSONRenderer().render(PAYLOAD) == JSONRenderer().render(PAYLOAD)


def test_an_integer_beyond_64_bits_and_an_indent_are_drfs_too():
    huge = {"n": 2**70}
    assert FastJSONRenderer().render(huge) == JSONRenderer().render(huge)
    indented = FastJSONRenderer().render(PAYLOAD, "application/json; indent=2")
    assert indented == JSONRenderer().render(PAYLOAD, "application/json; indent=2")
    assert FastJSONRenderer().render(None) == b""
