"""The platforms' request shapes and signatures, without the network."""

import base64
import hashlib
import hmac
from urllib.parse import parse_qs, urlsplit

import pytest

from clientfolio.integrations import platforms

MESSAGE = platforms.Message(
    title="李娜 assigned you to 需求调研",
    project="P2026-001 客户数据平台一期",
    object_name="需求调研",
    url="https://pm.example.com/projects/1/schedule/tasks/1/",
    kind_label="Assigned to a task",
    open_label="Open",
    project_label="Project",
    object_label="Record",
)


def test_dingtalk_keeps_the_access_token_and_adds_the_signature():
    url, _body = platforms.build_request(
        "dingtalk",
        "https://oapi.dingtalk.com/robot/send?access_token=abc",
        "SECxyz",
        MESSAGE,
        now=1_700_000_000.123,
    )
    query = parse_qs(urlsplit(url).query)
    assert query["access_token"] == ["abc"]
    assert query["timestamp"] == ["1700000000123"]
    digest = hmac.new(b"SECxyz", b"1700000000123\nSECxyz", hashlib.sha256).digest()
    assert query["sign"] == [base64.b64encode(digest).decode()]


def test_without_a_secret_nothing_is_signed():
    url, body = platforms.build_request("dingtalk", "https://x.test/s", "", MESSAGE)
    assert url == "https://x.test/s"
    url, body = platforms.build_request("feishu", "https://x.test/f", "", MESSAGE)
    assert "sign" not in body
    assert "timestamp" not in body


def test_feishu_signature_is_in_seconds():
    _url, body = platforms.build_request(
        "feishu", "https://x.test/f", "s3cret", MESSAGE, now=1_700_000_000.9
    )
    assert body["timestamp"] == "1700000000"
    key = b"1700000000\ns3cret"
    assert (
        body["sign"]
        == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    )


def test_a_gone_record_gets_no_button():
    gone = platforms.Message(**{**MESSAGE.__dict__, "url": ""})
    _url, body = platforms.build_request("dingtalk", "https://x.test/", "", gone)
    assert body["msgtype"] == "markdown"
    _url, body = platforms.build_request("teams", "https://x.test/", "", gone)
    assert "actions" not in body["attachments"][0]["content"]


@pytest.mark.parametrize(
    ("platform", "answer", "error"),
    [
        (
            "dingtalk",
            '{"errcode":310000,"errmsg":"sign not match"}',
            "310000 sign not match",
        ),
        (
            "wecom",
            '{"errcode":93000,"errmsg":"invalid webhook url"}',
            "93000 invalid webhook url",
        ),
        ("feishu", '{"code":19021,"msg":"sign match fail"}', "19021 sign match fail"),
        ("feishu", '{"StatusCode":0,"StatusMessage":"success"}', ""),
        ("slack", "no_text", "no_text"),
        ("teams", "", ""),
    ],
)
def test_the_platforms_answer_is_read(platform, answer, error):
    result = platforms._platform_error(
        platform, platforms.Result(True, status_code=200, response=answer)
    )
    assert result.error == error
    assert result.ok is (error == "")


def test_slack_escapes_its_control_characters():
    tricky = platforms.Message(**{**MESSAGE.__dict__, "title": "<!channel> & co"})
    _url, body = platforms.build_request("slack", "https://x.test/", "", tricky)
    assert body["blocks"][0]["text"]["text"] == "*&lt;!channel&gt; &amp; co*"
