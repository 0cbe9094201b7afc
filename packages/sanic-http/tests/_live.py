"""A real server in a background thread and a raw-socket client, for the wire tests.

Every protocol test runs on uvloop and on plain asyncio: ``LOOPS`` names the
loop factories that the per-module ``loop_factory`` fixtures are parametrised with.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import uvloop

from sanic_http import (
    HttpProtocol,
    HttpServer,
    ServerSettings,
    raw,
    stream,
    text,
)

LOOPS: dict[str, Callable[[], asyncio.AbstractEventLoop]] = {
    "uvloop": uvloop.new_event_loop,
    "asyncio": asyncio.new_event_loop,
}
WAIT = 5.0  # bound on every blocking wait in the tests


class Errors:
    """An error handler answering ``error: <message>`` with the exception's status."""

    def __init__(self) -> None:
        self.seen: list[BaseException] = []

    def response(self, request: Any, exception: BaseException) -> Any:
        self.seen.append(exception)
        return text(f"error: {exception}", getattr(exception, "status_code", 500))


class AsyncErrors(Errors):
    """The same, but ``response`` is a coroutine function."""

    async def response(self, request: Any, exception: BaseException) -> Any:  # type: ignore[override]
        await asyncio.sleep(0)
        return super().response(request, exception)


class App:
    """The request handler used by the tests, dispatching on the path."""

    def __init__(self) -> None:
        self.active = 0
        self.max_active = 0
        self.started = threading.Event()

    async def __call__(self, request: Any, write: Callable[[Any], Any]) -> None:
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        self.started.set()
        try:
            result = write(await self.respond(request))
            if result is not None:
                await result
        finally:
            self.active -= 1

    async def respond(self, request: Any) -> Any:
        path, query = request.path, request.query_string
        if path == "/slow":
            await asyncio.sleep(float(query or "0.2"))
            return text(f"slow {query}")
        if path == "/nodelay":
            sock = request.transport.get_extra_info("socket")
            return text(str(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)))
        if path == "/page":
            return text("the same page for GET and HEAD")
        if path == "/echo":
            return raw(request.body)
        if path == "/headers":
            return text(json.dumps(list(request.headers.items())))
        if path == "/string":
            return "not a response"
        if path == "/raise":
            raise RuntimeError("boom")
        if path == "/stream":

            async def body(response: Any) -> None:
                await response.write("one,")
                await response.write(b"two")

            return stream(body)
        return text(f"ok {request.method} {path} {query}".strip())


class LiveServer:
    """Run an ``HttpServer`` on 127.0.0.1:0 in a thread with its own loop."""

    def __init__(
        self,
        loop_factory: Callable[[], asyncio.AbstractEventLoop],
        *,
        handler: Any = None,
        errors: Any = None,
        settings: ServerSettings | None = None,
        protocol: Any = HttpProtocol,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.loop = loop_factory()
        self.handler = handler if handler is not None else App()
        self.errors = errors if errors is not None else Errors()
        self.server = HttpServer(
            self.handler,
            self.errors,
            loop=self.loop,
            settings=settings or ServerSettings(),
            host="127.0.0.1",
            port=0,
            ssl=ssl_context,
            protocol=protocol,
        )
        self.port = 0
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._main, daemon=True)

    def _main(self) -> None:
        loop = self.loop
        asyncio.set_event_loop(loop)
        try:
            server = loop.run_until_complete(self.server.start())
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            loop.run_forever()
            loop.run_until_complete(self.server.stop())
        except BaseException as exc:  # reported to the test thread
            self._failure = exc
            self._ready.set()
        finally:
            loop.close()

    def __enter__(self) -> LiveServer:
        self._thread.start()
        assert self._ready.wait(WAIT), "server did not start"
        if self._failure is not None:
            raise self._failure
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(WAIT + self.server.settings.graceful_shutdown_timeout)
        assert not self._thread.is_alive(), "server did not stop"
        if self._failure is not None:
            raise self._failure

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def client(self, *, timeout: float = WAIT) -> Client:
        return Client(socket.create_connection(("127.0.0.1", self.port), timeout))

    def connection_count(self) -> int:
        return len(self.server.connections)


@dataclass
class Response:
    status: int
    version: str
    headers: dict[str, str]
    body: bytes
    head: bytes


class Client:
    """A raw-socket HTTP/1.1 client that keeps unread bytes for the next response."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.sock.close()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> bool:
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError:
            data = b""
        self.buffer += data
        return bool(data)

    def read_exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            assert self._fill(), "connection closed early"
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def read_until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            assert self._fill(), f"connection closed before {marker!r}: {self.buffer!r}"
        data, _, self.buffer = self.buffer.partition(marker)
        return data + marker

    def response(self, *, head: bool = False) -> Response:
        """Read one response (``head=True``: a response to HEAD, without body)."""
        raw_head = self.read_until(b"\r\n\r\n")
        lines = raw_head[:-4].decode("latin-1").split("\r\n")
        version, status = lines[0].split(" ")[:2]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        status_code = int(status)
        if head or status_code in (204, 304) or 100 <= status_code < 200:
            body = b""
        elif "content-length" in headers:
            body = self.read_exactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            body = self._chunked()
        else:
            while self._fill():
                pass
            body, self.buffer = self.buffer, b""
        return Response(status_code, version, headers, body, raw_head)

    def _chunked(self) -> bytes:
        body = b""
        while True:
            size = int(self.read_until(b"\r\n")[:-2], 16)
            if size == 0:
                self.read_until(b"\r\n")
                return body
            body += self.read_exactly(size)
            assert self.read_exactly(2) == b"\r\n"

    def closed(self) -> bool:
        """Whether the server closed the connection (EOF) with nothing left to read."""
        if self.buffer:
            return False
        try:
            return not self.sock.recv(65536)
        except ConnectionResetError:
            return True

    def get(self, path: str = "/", extra: str = "") -> Response:
        self.send(f"GET {path} HTTP/1.1\r\nHost: t\r\n{extra}\r\n".encode())
        return self.response()
