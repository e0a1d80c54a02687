"""Posting to team chats and webhooks: each platform's message format, signature and
answer, and the one HTTP client they share.

The client checks every address again right before it connects (``ssrf``) and connects
to the address it checked, never follows a redirect and gives up after ``TIMEOUT``
seconds. Formats, as each platform documents them:

- DingTalk group robot: ``actionCard`` (Markdown text and one button to the record);
  with a secret, ``timestamp`` (ms) and ``sign`` in the query string; ``errcode`` 0.
- WeCom group robot: ``markdown``; ``errcode`` 0.
- Feishu / Lark custom bot: an ``interactive`` card; with a secret, ``timestamp`` (s)
  and ``sign`` in the body; ``code`` 0 (older bots answer ``StatusCode`` 0).
- Slack incoming webhook: ``blocks`` with a fallback ``text``; the body ``ok``.
- Microsoft Teams workflow webhook: an Adaptive Card 1.4 attachment; 200 or 202.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlsplit

from django.utils.translation import gettext as _

from clientfolio.integrations import ssrf

__all__ = [
    "Message",
    "Result",
    "build_request",
    "dingtalk_sign",
    "feishu_sign",
    "post",
    "send",
]

TIMEOUT = 10
RESPONSE_LIMIT = 2048
USER_AGENT = "Clientfolio-Integrations/1"


@dataclass(frozen=True)
class Message:
    """What a chat message says, already in the channel's language."""

    title: str
    project: str
    object_name: str
    url: str  # absolute, "" when the record is gone
    kind_label: str
    open_label: str  # the button: "Open" / "查看"
    project_label: str
    object_label: str


@dataclass
class Result:
    ok: bool
    status_code: int | None = None
    response: str = ""
    error: str = ""
    duration_ms: int = 0


def _connect(host: str, port: int, timeout: float | None) -> socket.socket:
    """A socket to the first address of ``host`` that answers, every address checked
    by the SSRF guard right now (a host that resolves elsewhere since it was saved is
    refused here)."""
    error: OSError | None = None
    for address in ssrf.resolve_checked(host, port):
        try:
            return socket.create_connection((str(address), port), timeout)
        except OSError as failed:
            error = failed
    raise error or OSError(f"no address for {host}")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    """Connects only to an address the SSRF guard allowed, checked at connect time."""

    def connect(self) -> None:
        self.sock = _connect(self.host, self.port or 80, self.timeout)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        sock = _connect(self.host, self.port or 443, self.timeout)
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str]) -> Result:
    """POST ``body`` to ``url``; the answer (first 2 KB), or the error. Redirects are
    answers, not followed."""
    started = time.monotonic()
    try:
        scheme, host, port = ssrf.check_url_shape(url)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection_class = (
            _GuardedHTTPSConnection if scheme == "https" else _GuardedHTTPConnection
        )
        connection = connection_class(host, port, timeout=TIMEOUT)
        try:
            connection.request(
                "POST",
                target,
                body=body,
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "User-Agent": USER_AGENT,
                    **headers,
                },
            )
            response = connection.getresponse()
            text = response.read(RESPONSE_LIMIT * 2).decode("utf-8", "replace")
            status = response.status
        finally:
            connection.close()
    except ssrf.Refused as refused:
        return Result(False, error=str(refused.message), duration_ms=_since(started))
    except (OSError, http.client.HTTPException) as error:
        return Result(
            False,
            error=_("Could not connect: %(error)s") % {"error": error or type(error)},
            duration_ms=_since(started),
        )
    return Result(
        200 <= status < 300,
        status_code=status,
        response=text[:RESPONSE_LIMIT],
        error="" if 200 <= status < 300 else _("HTTP %(code)s") % {"code": status},
        duration_ms=_since(started),
    )


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's ``sign``: Base64 of HMAC-SHA256 (key: the secret) over
    "timestamp\\nsecret", URL-encoded."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's ``sign``: Base64 of HMAC-SHA256 keyed with "timestamp\\nsecret" over
    an empty message."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def _markdown(message: Message) -> str:
    lines = [f"### {message.title}", ""]
    if message.project:
        lines.append(f"- **{message.project_label}**: {message.project}")
    if message.object_name:
        lines.append(f"- **{message.object_label}**: {message.object_name}")
    return "\n".join(lines)


def _dingtalk(message: Message) -> dict[str, Any]:
    text = _markdown(message)
    if message.url:
        return {
            "msgtype": "actionCard",
            "actionCard": {
                "title": message.title,
                "text": text,
                "btnOrientation": "0",
                "singleTitle": message.open_label,
                "singleURL": message.url,
            },
        }
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": text}}


def _wecom(message: Message) -> dict[str, Any]:
    text = _markdown(message)
    if message.url:
        text += f"\n\n[{message.open_label}]({message.url})"
    return {"msgtype": "markdown", "markdown": {"content": text}}


def _feishu(message: Message) -> dict[str, Any]:
    fields = []
    for label, value in (
        (message.project_label, message.project),
        (message.object_label, message.object_name),
    ):
        if value:
            fields.append(
                {
                    "is_short": True,
                    "text": {"tag": "lark_md", "content": f"**{label}**\n{value}"},
                }
            )
    elements: list[dict[str, Any]] = (
        [{"tag": "div", "fields": fields}] if fields else []
    )
    if message.url:
        elements.append(
            {
                "tag": "action",
                "actions": [
                    {
                        "tag": "button",
                        "text": {"tag": "plain_text", "content": message.open_label},
                        "type": "primary",
                        "url": message.url,
                    }
                ],
            }
        )
    return {
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {
                "title": {"tag": "plain_text", "content": message.title},
                "template": "blue",
            },
            "elements": elements,
        },
    }


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack(message: Message) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*{_slack_escape(message.title)}*"},
        }
    ]
    fields = [
        {"type": "mrkdwn", "text": f"*{label}*\n{_slack_escape(value)}"}
        for label, value in (
            (message.project_label, message.project),
            (message.object_label, message.object_name),
        )
        if value
    ]
    if fields:
        blocks.append({"type": "section", "fields": fields})
    if message.url:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": message.open_label},
                        "url": message.url,
                    }
                ],
            }
        )
    return {"text": message.title, "blocks": blocks}


def _teams(message: Message) -> dict[str, Any]:
    facts = [
        {"title": label, "value": value}
        for label, value in (
            (message.project_label, message.project),
            (message.object_label, message.object_name),
        )
        if value
    ]
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": message.title,
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        }
    ]
    if facts:
        body.append({"type": "FactSet", "facts": facts})
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if message.url:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": message.open_label, "url": message.url}
        ]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


FORMATS = {
    "dingtalk": _dingtalk,
    "wecom": _wecom,
    "feishu": _feishu,
    "slack": _slack,
    "teams": _teams,
}


def build_request(
    platform: str, url: str, secret: str, message: Message, *, now: float | None = None
) -> tuple[str, dict[str, Any]]:
    """The URL and JSON body to post ``message`` to a channel of ``platform``."""
    now = time.time() if now is None else now
    body = FORMATS[platform](message)
    if platform == "dingtalk" and secret:
        timestamp_ms = int(now * 1000)
        separator = "&" if urlsplit(url).query else "?"
        url = (
            f"{url}{separator}timestamp={timestamp_ms}"
            f"&sign={dingtalk_sign(secret, timestamp_ms)}"
        )
    elif platform == "feishu" and secret:
        timestamp_s = int(now)
        body = {
            "timestamp": str(timestamp_s),
            "sign": feishu_sign(secret, timestamp_s),
            **body,
        }
    return url, body


def _platform_error(platform: str, result: Result) -> Result:
    """Read the platform's own answer: some say "failed" with HTTP 200."""
    if not result.ok:
        if result.response and platform in ("slack",):
            result.error = f"{result.error}: {result.response[:200]}"
        else:
            _read_json_error(platform, result)
        return result
    if platform == "slack":
        if result.response.strip() != "ok":
            result.ok = False
            result.error = result.response.strip()[:500] or _("Unexpected answer.")
        return result
    if platform == "teams":
        return result
    _read_json_error(platform, result)
    return result


def _read_json_error(platform: str, result: Result) -> None:
    try:
        answer = json.loads(result.response or "{}")
    except ValueError:
        if result.ok:
            result.ok = False
            result.error = _("Unexpected answer.")
        return
    if not isinstance(answer, dict):
        return
    if platform in ("dingtalk", "wecom"):
        code, text = answer.get("errcode", 0), answer.get("errmsg", "")
    elif platform == "feishu":
        code = answer.get("code", answer.get("StatusCode", 0))
        text = answer.get("msg", answer.get("StatusMessage", ""))
    else:
        return
    if code not in (0, None, "0"):
        result.ok = False
        result.error = f"{code} {text}".strip()


def send(platform: str, url: str, secret: str, message: Message) -> Result:
    """Post ``message`` to a chat channel and read the platform's answer."""
    target, body = build_request(platform, url, secret, message)
    data = json.dumps(body, ensure_ascii=False).encode()
    return _platform_error(platform, post(target, data, {}))
