"""The ceiling: httptools on uvloop answering canned bytes, no framework at all.

``python raw_ceiling.py --port P``. GET answers a prepared response per path;
POST answers with the request body as it came (no JSON parsing).
"""

from __future__ import annotations

import asyncio
import json

import httptools
import uvloop
from spec import ENDPOINTS, JSON_BODY, TEXT_BODY, server_args, user_text


def _response(body: bytes, content_type: bytes) -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
        b"Connection: keep-alive\r\n\r\n%s" % (content_type, len(body), body)
    )


_TEXT = b"text/plain; charset=utf-8"
CANNED = {
    b"/": _response(TEXT_BODY.encode(), _TEXT),
    b"/json": _response(
        json.dumps(JSON_BODY, separators=(",", ":")).encode(), b"application/json"
    ),
    ENDPOINTS["GET /user/<id:int>/post/<slug>"][0].encode(): _response(
        user_text(12345, "hello-world").encode(), _TEXT
    ),
}
NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


class CannedProtocol(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.parser = httptools.HttpRequestParser(self)
        self.url = b""
        self.body: list[bytes] = []

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self.transport.close()

    def on_url(self, url: bytes) -> None:
        self.url = url

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        if self.body:
            data = _response(b"".join(self.body), b"application/json")
            self.body = []
        else:
            data = CANNED.get(self.url, NOT_FOUND)
        self.transport.write(data)


async def main(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(CannedProtocol, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    uvloop.run(main(server_args().port))
