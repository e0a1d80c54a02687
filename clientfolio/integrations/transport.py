"""One HTTP POST to a checked address, and nothing more.

The connection goes to an address that ``addresses.check_url`` checked a moment before
(never to whatever the host resolves to by then: DNS rebinding), with the URL's host in
the Host header and, for https, in TLS (SNI and certificate check). No proxy from the
environment, no redirects (a 3xx is an answer like any other), a timeout on connecting
and on every read, and at most ``MAX_BODY`` bytes of the answer are read.

Pure Python (the standard library only).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from clientfolio.integrations.addresses import Target

__all__ = ["MAX_BODY", "USER_AGENT", "Response", "TransportError", "post"]

MAX_BODY = 64 * 1024
USER_AGENT = "Clientfolio-Webhooks/1"


@dataclass(frozen=True)
class Response:
    """What the receiver answered: the status, the start of the body, the time taken."""

    status: int
    body: bytes
    content_type: str
    duration_ms: int

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class TransportError(Exception):
    """No answer: the connection failed, timed out, or TLS refused the receiver.
    ``duration_ms`` is the time spent trying."""

    def __init__(self, message: str, duration_ms: int) -> None:
        super().__init__(message)
        self.message = message
        self.duration_ms = duration_ms


def _connect(addresses: tuple[str, ...], port: int, timeout: float) -> socket.socket:
    """A connection to the first of these addresses that answers."""
    error: OSError | None = None
    for address in addresses:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect((address, port))
        except OSError as failure:
            sock.close()
            error = failure
            continue
        return sock
    raise error or OSError("no address to connect to")


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._addresses = target.addresses

    def connect(self) -> None:
        self.sock = _connect(self._addresses, self.port, float(self.timeout or 10))


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host,
            target.port,
            timeout=timeout,
            context=ssl.create_default_context(),
        )
        self._addresses = target.addresses

    def connect(self) -> None:
        sock = _connect(self._addresses, self.port, float(self.timeout or 10))
        try:
            self.sock = self._context.wrap_socket(  # type: ignore[attr-defined]
                sock, server_hostname=self.host
            )
        except BaseException:
            sock.close()
            raise


def post(
    target: Target, body: bytes, headers: dict[str, str], *, timeout: float = 10.0
) -> Response:
    """POST ``body`` to the checked ``target``; raises ``TransportError`` when no
    answer came. Any status is returned as it is (redirects are not followed)."""
    connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = connection_class(target, timeout)
    sent = {
        "Host": target.host_header,
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json, text/plain, */*",
        "Connection": "close",
        **headers,
    }
    started = time.monotonic()

    def elapsed() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        connection.request("POST", target.path, body=body, headers=sent)
        answer = connection.getresponse()
        content = answer.read(MAX_BODY)
        return Response(
            status=answer.status,
            body=content,
            content_type=answer.getheader("Content-Type", "") or "",
            duration_ms=elapsed(),
        )
    except TimeoutError as error:
        raise TransportError(f"timed out after {timeout:g} s", elapsed()) from error
    except ssl.SSLError as error:
        raise TransportError(f"TLS failed: {error}", elapsed()) from error
    except (OSError, http.client.HTTPException) as error:
        raise TransportError(
            str(error) or error.__class__.__name__, elapsed()
        ) from error
    finally:
        connection.close()
