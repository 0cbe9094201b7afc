"""A real server in a background thread for the wire tests (the raw-socket client is
sanic_test_helpers' ``Client``).

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
from typing import Any

import uvloop
from sanic_test_helpers import WAIT, Client

from sanic_http import (
    HttpProtocol,
    HttpServer,
    ServerSettings,
    raw,
    stream,
    text,
)

LoopFactory = Callable[[], asyncio.AbstractEventLoop]
LOOPS: dict[str, LoopFactory] = {
    "uvloop": uvloop.new_event_loop,
    "asyncio": asyncio.new_event_loop,
}


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
        return Client.connect("127.0.0.1", self.port, timeout)

    def connection_count(self) -> int:
        return len(self.server.connections)
