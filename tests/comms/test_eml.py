"""Reading .eml files: pure standard library, no database."""

import base64
from email.header import Header
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import getaddresses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientfolio.comms.eml import (
    NotAnEmail,
    decode_bytes,
    decode_words,
    display_address,
    html_to_text,
    parse_eml,
)


def _gb2312_message(body: str, subject: str, charset: str = "gb2312") -> bytes:
    message = MIMEText(body, "plain", charset)
    message["Subject"] = Header(subject, charset)
    message["From"] = f"{Header('张伟', charset).encode()} <Zhang.Wei@Yunfan.cn>"
    message["To"] = "pm@example.com, li.na@yunfan.cn"
    message["Date"] = "Tue, 10 Mar 2026 09:30:00 +0800"
    return message.as_bytes()


def test_it_reads_a_utf8_message_with_both_bodies_and_prefers_plain_text():
    # given a UTF-8 e-mail with a plain and an HTML body
    message = EmailMessage()
    message["Subject"] = "关于一期需求范围的确认"
    message["From"] = "王小明 <wang@example.com>"
    message["To"] = "张伟 <zhang.wei@yunfan.cn>"
    message["Cc"] = "li.na@yunfan.cn"
    message["Date"] = "Wed, 11 Mar 2026 14:05:00 +0800"
    message.set_content("各位好：\n\n一期范围确认如下。")
    message.add_alternative("<p>HTML 版本</p>", subtype="html")

    # when it is parsed
    parsed = parse_eml(bytes(message))

    # then every part is decoded and the plain text is the body
    assert parsed.subject == "关于一期需求范围的确认"
    assert parsed.sender == ("王小明", "wang@example.com")
    assert parsed.recipients == [
        ("张伟", "zhang.wei@yunfan.cn"),
        ("", "li.na@yunfan.cn"),
    ]
    assert parsed.date is not None
    assert parsed.date.isoformat() == "2026-03-11T14:05:00+08:00"
    assert parsed.body == "各位好：\n\n一期范围确认如下。"
    assert parsed.addresses == [
        "wang@example.com",
        "zhang.wei@yunfan.cn",
        "li.na@yunfan.cn",
    ]


def test_it_reads_a_gb2312_message_with_encoded_headers():
    # given a GB2312 e-mail whose subject and sender name are RFC 2047 encoded
    data = _gb2312_message("会议纪要：确认需求范围。", "关于一期需求的邮件")
    assert b"=?gb2312?" in data or b"=?eucgb2312_cn?" in data

    # when it is parsed
    parsed = parse_eml(data)

    # then the Chinese text is intact and the address is kept
    assert parsed.subject == "关于一期需求的邮件"
    assert parsed.sender == ("张伟", "Zhang.Wei@Yunfan.cn")
    assert parsed.body == "会议纪要：确认需求范围。"
    assert "zhang.wei@yunfan.cn" in parsed.addresses


def test_it_reads_gbk_characters_in_a_message_labelled_gb2312():
    # given a message labelled GB2312 that contains 镕 and 珺, which only GBK has
    body = "朱镕基、王珺参加了会议".encode("gbk")
    subject = base64.b64encode("镕珺的邮件".encode("gbk")).decode()
    data = (
        b"From: x@example.cn\r\nTo: y@example.cn\r\n"
        + f"Subject: =?gb2312?B?{subject}?=\r\n".encode()
        + b"Content-Type: text/plain; charset=gb2312\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body
    )

    # when it is parsed
    parsed = parse_eml(data)

    # then nothing is replaced: GB2312 is read as GB18030
    assert parsed.subject == "镕珺的邮件"
    assert parsed.body == "朱镕基、王珺参加了会议"


def test_it_reads_a_gbk_message_and_raw_8bit_headers():
    # given a GBK message whose headers carry raw GBK bytes (no RFC 2047)
    data = (
        "From: 张伟 <zhang@example.cn>\r\nSubject: 原始8位标题\r\n"
        "Content-Type: text/plain; charset=GBK\r\n\r\n正文内容".encode("gbk")
    )

    # when it is parsed
    parsed = parse_eml(data)

    # then headers and body are Chinese, not mojibake
    assert parsed.subject == "原始8位标题"
    assert parsed.sender == ("张伟", "zhang@example.cn")
    assert parsed.body == "正文内容"


def test_an_html_only_message_becomes_text_and_attachments_are_skipped():
    # given an HTML e-mail with a text attachment
    message = MIMEMultipart()
    message["From"] = "a@example.cn"
    message["Subject"] = "周报"
    html = "<html><head><style>p{}</style></head><body><p>第一段 &amp; 说明</p><ul><li>一</li><li>二</li></ul></body></html>"
    message.attach(MIMEText(html, "html", "utf-8"))
    attachment = MIMEText("附件内容", "plain", "utf-8")
    attachment.add_header("Content-Disposition", "attachment", filename="a.txt")
    message.attach(attachment)

    # when it is parsed
    parsed = parse_eml(message.as_bytes())

    # then the body is the HTML's text, without styles or the attachment
    assert parsed.body == "第一段 & 说明\n\n一\n\n二"
    assert "附件" not in parsed.body


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"just some notes\nwith two lines\n", "no_headers"),
        (b"%PDF-1.7\n\x00\x01binary", "no_headers"),
        (b"Subject: no sender\r\n\r\nbody", "no_headers"),
        (b"From: someone without address\r\nSubject: x\r\n\r\nbody", "no_headers"),
    ],
)
def test_something_that_is_not_an_email_is_refused(data, reason):
    # when bytes that are not an e-mail are parsed, then they are refused with a reason
    with pytest.raises(NotAnEmail) as raised:
        parse_eml(data)
    assert raised.value.reason == reason


def test_oversized_input_is_refused():
    with pytest.raises(NotAnEmail) as raised:
        parse_eml(b"From: a@b.cn\r\n\r\n" + b"x" * (10 * 1024 * 1024))
    assert raised.value.reason == "too_large"


def test_undeclared_bytes_are_guessed_between_utf8_and_gb18030():
    assert decode_bytes("原始".encode("gbk")) == "原始"
    assert decode_bytes("原始".encode()) == "原始"
    assert decode_bytes(b"plain") == "plain"


def test_html_to_text_keeps_blocks_on_their_own_lines():
    assert html_to_text("<div>甲</div><div>乙<br>丙</div>") == "甲\n\n乙\n丙"


@settings(max_examples=80)
@given(
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]
        ),
        max_size=20,
    )
)
def test_a_displayed_address_reads_back_as_its_name_and_address(name):
    shown = display_address(name, "zw@yunfan.cn")
    assert "=?" not in shown or "=?" in name
    [(read_name, address)] = getaddresses([shown])
    assert address == "zw@yunfan.cn"
    assert read_name == " ".join(name.split())


def test_encoded_words_in_stored_text_are_decoded():
    assert decode_words("=?utf-8?b?5byg5Lyf?= <zw@yunfan.cn>") == "张伟 <zw@yunfan.cn>"
    assert decode_words("张伟 <zw@yunfan.cn>") == "张伟 <zw@yunfan.cn>"
    assert decode_words("=?utf-8?q?Hello_W=C3=B6rld?=") == "Hello Wörld"
