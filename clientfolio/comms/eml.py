"""Reading an ``.eml`` file (RFC 5322 message) into the parts of an e-mail record.

Pure standard library: subject, sender, recipients, date and a text body, with Chinese
encodings handled the way mail clients do. Messages labelled GB2312 or GBK very often
contain characters outside those sets, so both are decoded as GB18030 (their superset);
RFC 2047 encoded words and raw 8-bit headers are decoded the same way. A text/plain body
is preferred; an HTML-only message is reduced to its text.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

__all__ = [
    "MAX_BYTES",
    "NotAnEmail",
    "ParsedEmail",
    "decode_bytes",
    "decode_words",
    "display_address",
    "parse_eml",
]

MAX_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 20

# Labels whose text is better decoded with a superset codec.
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "big5": "big5hkscs",
    "ks_c_5601-1987": "cp949",
    "iso-8859-1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
}


class NotAnEmail(ValueError):
    """The bytes are not an e-mail message; ``reason`` says why (``empty``, ``too_large``,
    ``no_headers``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ParsedEmail:
    subject: str
    sender: tuple[str, str]  # (display name, address)
    recipients: list[tuple[str, str]] = field(default_factory=list)  # To and Cc
    date: datetime | None = None  # as written; naive if the header had no zone
    body: str = ""
    # Attached files as (file name, bytes), in message order; at most MAX_ATTACHMENTS.
    attachments: list[tuple[str, bytes]] = field(default_factory=list)

    @property
    def addresses(self) -> list[str]:
        """Every address of the message in lower case, sender first, without repeats."""
        seen: list[str] = []
        for _name, address in [self.sender, *self.recipients]:
            address = address.strip().lower()
            if address and address not in seen:
                seen.append(address)
        return seen


def _codec(charset: str | None) -> str:
    name = (charset or "utf-8").strip().strip('"').lower()
    name = CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" for ch in text)


def _guess(data: bytes) -> str | None:
    """Undeclared bytes: UTF-8, unless only GB18030 reads them as Chinese (short GBK
    runs are often valid UTF-8 too, as Cyrillic or Greek letters)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and (text.isascii() or _has_cjk(text)):
        return text
    try:
        chinese = data.decode("gb18030")
    except UnicodeDecodeError:
        return text
    return chinese if _has_cjk(chinese) or text is None else text


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Text from ``data`` in its declared ``charset`` (GB2312 and GBK read as GB18030);
    undeclared or wrong labels are guessed between UTF-8 and GB18030, and characters are
    replaced only when nothing fits."""
    if charset:
        try:
            return data.decode(_codec(charset))
        except UnicodeDecodeError:
            pass
    guessed = _guess(data)
    if guessed is not None:
        return guessed
    return data.decode(_codec(charset), errors="replace")


def _header_text(raw: str) -> str:
    """A header's text: RFC 2047 words decoded, raw 8-bit bytes decoded, folding undone."""
    raw = re.sub(r"\r?\n[ \t]+", " ", raw)
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        # 8-bit bytes the parser kept as surrogates: decode them ourselves.
        raw = decode_bytes(raw.encode("ascii", "surrogateescape"))
    parts = []
    for chunk, charset in decode_header(raw):
        if isinstance(chunk, bytes):
            parts.append(decode_bytes(chunk, charset))
        else:
            parts.append(chunk)
    return " ".join(" ".join(parts).split())


_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def display_address(name: str, address: str) -> str:
    """``name <address>`` for people to read: the name as it is, never RFC 2047-encoded
    (``email.utils.formataddr`` encodes 张伟 as ``=?utf-8?b?5byg5Lyf?=``, which is for
    sending mail), quoted only when it holds an address special (a comma, …)."""
    name = " ".join(name.split())
    if not name:
        return address
    if _SPECIALS.search(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{address}>"


def decode_words(text: str) -> str:
    """``text`` with any RFC 2047 encoded words (``=?utf-8?b?…?=``) decoded, the rest
    unchanged: for header text stored before it was decoded on import."""
    if not _ENCODED_WORD.search(text):
        return text
    if "@" not in text:
        return _header_text(text)
    # An address list: decode each name, then write the list for reading.
    return ", ".join(
        display_address(name, address)
        for name, address in getaddresses([_header_text(text)])
        if address
    )


def _raw_headers(message: Message) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        headers.setdefault(name.lower(), []).append(str(value))
    return headers


class _TextExtractor(HTMLParser):
    BLOCKS = frozenset(
        "address article blockquote br dd div dl dt footer h1 h2 h3 h4 h5 h6 header "
        "hr li ol p pre section table tr ul".split()
    )
    SKIPPED = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return _tidy("".join(extractor.parts))


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return decode_bytes(payload, part.get_content_charset())


def _body(message: Message) -> str:
    plain = html = None
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        content_type = part.get_content_type()
        if content_type == "text/plain" and plain is None:
            plain = _part_text(part)
        elif content_type == "text/html" and html is None:
            html = _part_text(part)
    if plain and plain.strip():
        return _tidy(plain)
    if html:
        return html_to_text(html)
    return ""


def _attachments(message: Message) -> list[tuple[str, bytes]]:
    """Files attached to the message: parts marked as attachments, or carrying a file
    name and not being the text body; unnamed ones are called ``attachment-N``."""
    found: list[tuple[str, bytes]] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        raw_name = part.get_filename()
        if disposition != "attachment" and not (
            raw_name and part.get_content_type() not in ("text/plain", "text/html")
        ):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload:
            continue
        name = _header_text(str(raw_name)) if raw_name else ""
        found.append((name or f"attachment-{len(found) + 1}", payload))
        if len(found) >= MAX_ATTACHMENTS:
            break
    return found


def _date(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None


def parse_eml(data: bytes) -> ParsedEmail:
    """The subject, sender, recipients, date and body of the message in ``data``.

    Raises ``NotAnEmail`` for empty or oversized input, and for bytes without the
    headers every e-mail has (a sender, plus a subject, date or recipient).
    """
    if not data.strip():
        raise NotAnEmail("empty")
    if len(data) > MAX_BYTES:
        raise NotAnEmail("too_large")
    if b"\x00" in data[:4096]:
        raise NotAnEmail("no_headers")
    message = email.message_from_bytes(data, policy=email.policy.default)
    headers = _raw_headers(message)
    first = {name: _header_text(values[0]) for name, values in headers.items()}
    senders = [
        (name, address)
        for name, address in getaddresses([first.get("from", "")])
        if "@" in address
    ]
    recipients = [
        (name, address)
        for name, address in getaddresses(
            [_header_text(v) for key in ("to", "cc") for v in headers.get(key, [])]
        )
        if "@" in address
    ]
    subject = first.get("subject", "")
    date = _date(first.get("date", ""))
    if not senders or not (subject or date or recipients):
        raise NotAnEmail("no_headers")
    return ParsedEmail(
        subject=subject,
        sender=senders[0],
        recipients=recipients,
        date=date,
        body=_body(message),
        attachments=_attachments(message),
    )
