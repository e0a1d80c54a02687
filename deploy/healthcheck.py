#!/usr/bin/env python3
"""Ask Clientfolio's ``/health/`` and exit 0 only on 200; standard library only, so it
runs without the app's virtualenv.

    healthcheck.py [--socket /run/clientfolio/gunicorn.sock | --url https://host/]
                   [--wait SECONDS] [--host pm.example.com]

``--wait`` tries again every half second for that long (a service just started).
clientfolio-web.service runs it after starting gunicorn, and
clientfolio-healthcheck.timer every minute.
"""

import argparse
import http.client
import json
import os
import socket
import ssl
import sys
import time
import urllib.parse


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def probe(args: argparse.Namespace) -> tuple[int, str]:
    if args.socket:
        connection: http.client.HTTPConnection = UnixConnection(args.socket, 5)
        path = "/health/"
        host = args.host
    else:
        url = urllib.parse.urlsplit(args.url)
        context = ssl.create_default_context()
        if args.insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        connection = (
            http.client.HTTPSConnection(url.netloc, timeout=5, context=context)
            if url.scheme == "https"
            else http.client.HTTPConnection(url.netloc, timeout=5)
        )
        path = url.path.rstrip("/") + "/health/"
        host = url.netloc
    # Straight to gunicorn, the request says it came over HTTPS as nginx would, else
    # SECURE_SSL_REDIRECT answers 301.
    headers = {"Host": host, "X-Forwarded-Proto": "https"} if args.socket else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--socket", help="gunicorn's unix socket")
    where.add_argument("--url", help="the site's address, e.g. https://pm.example.com")
    parser.add_argument(
        "--host",
        default=os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip(),
        help="Host header to send (default: the first of ALLOWED_HOSTS)",
    )
    parser.add_argument("--wait", type=float, default=0, help="seconds to keep trying")
    parser.add_argument(
        "--insecure", action="store_true", help="accept a self-signed certificate"
    )
    args = parser.parse_args()
    deadline = time.monotonic() + args.wait
    while True:
        try:
            status, body = probe(args)
        except OSError as error:
            status, body = 0, str(error)
        if status == 200:
            return 0
        if time.monotonic() >= deadline:
            try:
                body = json.dumps(json.loads(body))
            except ValueError:
                body = body[:200]
            print(
                f"Clientfolio is not healthy: {status or 'no answer'} {body}",
                file=sys.stderr,
            )
            return 1
        time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(main())
