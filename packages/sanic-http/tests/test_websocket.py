"""WebSockets over real sockets, on uvloop and on plain asyncio.

The server is an ``HttpServer`` whose request handler answers with
``websocket_handshake``; the peer is the ``websockets`` library's own asyncio
client, or a raw socket where the peer has to misbehave.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import socket
import struct
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from _live import WAIT, LiveServer, LoopFactory
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedError

from sanic_http import (
    ServerSettings,
    WebSocket,
    text,
    websocket_handshake,
)

Handler = Callable[[WebSocket, Any], Awaitable[object]]


class Routes:
    """``/<name>`` runs the handler of that name; ``/plain`` answers as HTTP."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.handlers: dict[str, Handler] = {}
        self.subprotocols: list[str] | None = None
        self.errors: list[BaseException] = []
        #: A weak reference to each connection's protocol (the handler's ws).
        self.protocols: list[weakref.ref[Any]] = []
        self.done = threading.Event()
        self.finished: list[str] = []

    def route(self, name: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.handlers[name] = handler
            return handler

        return register

    async def __call__(self, request: Any, write: Callable[[Any], Any]) -> None:
        name = request.path.strip("/")
        if name == "plain":
            response = text("plain")
        else:
            handler = self.handlers[name]

            async def run(ws: WebSocket) -> object:
                self.protocols.append(weakref.ref(ws._protocol))
                try:
                    return await handler(ws, request)
                finally:
                    self.finished.append(name)
                    self.done.set()

            response = websocket_handshake(
                request,
                run,
                settings=self.settings,
                subprotocols=self.subprotocols,
                on_error=self.errors.append,
            )
        result = write(response)
        if result is not None:
            await result


def serving(loop_factory: LoopFactory, **settings: Any) -> LiveServer:
    options = ServerSettings(access_log=False, **settings)
    return LiveServer(loop_factory, handler=Routes(options), settings=options)


async def echo(ws: WebSocket, request: Any) -> None:
    async for message in ws:
        await ws.send(message)


@pytest.fixture
def live(loop_factory: LoopFactory) -> Iterator[LiveServer]:
    with serving(loop_factory) as server:
        server.handler.route("echo")(echo)
        yield server


def url(live: LiveServer, path: str = "/echo") -> str:
    return f"ws://127.0.0.1:{live.port}{path}"


def run(coroutine: Awaitable[Any], bound: float = WAIT) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(coroutine, bound)

    return asyncio.run(bounded())


def wait_for(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


# -- a raw client, for peers that misbehave ------------------------------------------

KEY = base64.b64encode(b"0123456789abcdef").decode()


def handshake(live: LiveServer, path: str = "/echo", extra: str = "") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", live.port), WAIT)
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\n"
            f"Upgrade: websocket\r\nSec-WebSocket-Key: {KEY}\r\n"
            f"Sec-WebSocket-Version: 13\r\n{extra}\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        assert chunk, "closed during the handshake"
        head += chunk
    assert head.startswith(b"HTTP/1.1 101 "), head
    return sock


def frame(opcode: int, payload: bytes, fin: bool = True, mask: bytes = b"") -> bytes:
    """A masked client frame (``mask=bytes(4)`` masks for free)."""
    mask = mask or os.urandom(4)
    first = (0x80 if fin else 0) | opcode
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", first, 0x80 | length)
    elif length < 65536:
        header = struct.pack("!BBH", first, 0x80 | 126, length)
    else:
        header = struct.pack("!BBQ", first, 0x80 | 127, length)
    if mask == bytes(4):
        return header + mask + payload
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return header + mask + masked


def read_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError(f"closed after {len(data)} of {size} bytes")
        data += chunk
    return data


def read_frame(sock: socket.socket) -> tuple[int, bytes]:
    """(opcode, payload) of the next server frame (never masked)."""
    first, second = read_exactly(sock, 2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", read_exactly(sock, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", read_exactly(sock, 8))
    return first & 0x0F, read_exactly(sock, length)


def read_close(sock: socket.socket) -> int:
    """Read frames up to the close frame; its code."""
    while True:
        opcode, payload = read_frame(sock)
        if opcode == 0x8:
            return int(struct.unpack("!H", payload[:2])[0])


def closed_by_server(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


# -- echo -------------------------------------------------------------------------


def test_echo_text_and_binary(live: LiveServer) -> None:
    async def client() -> list[Any]:
        async with connect(url(live)) as ws:
            await ws.send("hello")
            first = await ws.recv()
            await ws.send(b"\x00\x01binary")
            second = await ws.recv()
            await ws.send("é" * 70_000)  # a 16-bit and then 64-bit length
            third = await ws.recv()
        return [first, second, third, ws.protocol.close_code]

    first, second, third, code = run(client())
    assert (first, second) == ("hello", b"\x00\x01binary")
    assert third == "é" * 70_000
    assert code == 1000
    assert wait_for(lambda: live.connection_count() == 0)


def test_handler_return_closes_with_1000(live: LiveServer) -> None:
    @live.handler.route("once")
    async def once(ws: WebSocket, request: Any) -> None:
        await ws.send(f"hi {ws.subprotocol}")

    async def client() -> tuple[Any, int | None]:
        async with connect(url(live, "/once")) as ws:
            message = await ws.recv()
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            return message, ws.protocol.close_code

    assert run(client()) == ("hi None", 1000)
    assert live.handler.errors == []


def test_fragmented_messages_are_assembled(live: LiveServer) -> None:
    async def client() -> list[Any]:
        async with connect(url(live)) as ws:
            await ws.send(["hé", "llo", " wörld"])
            first = await ws.recv()
            await ws.send([b"ab", b"", b"cd"])
            second = await ws.recv()
            return [first, second]

    assert run(client()) == ["héllo wörld", b"abcd"]


def test_a_utf8_sequence_split_across_fragments(live: LiveServer) -> None:
    sock = handshake(live)
    encoded = "€".encode()  # three bytes, split between the frames
    sock.sendall(frame(0x1, encoded[:1], fin=False) + frame(0x0, encoded[1:]))
    assert read_frame(sock) == (0x1, encoded)
    sock.close()


# -- negotiation ------------------------------------------------------------------


def test_subprotocol_negotiation(live: LiveServer) -> None:
    @live.handler.route("proto")
    async def proto(ws: WebSocket, request: Any) -> None:
        await ws.send(str(ws.subprotocol))

    live.handler.subprotocols = ["chat.v2", "chat.v1"]

    async def client(offered: list[str] | None) -> tuple[Any, Any]:
        kwargs: dict[str, Any] = {}
        if offered is not None:
            kwargs["subprotocols"] = offered
        async with connect(url(live, "/proto"), **kwargs) as ws:
            return ws.subprotocol, await ws.recv()

    # The route's preference wins among what the client offers.
    assert run(client(["chat.v1", "chat.v2"])) == ("chat.v2", "chat.v2")
    assert run(client(["chat.v1"])) == ("chat.v1", "chat.v1")
    # None in common (or none offered): the socket opens without one.
    assert run(client(["other"])) == (None, "None")
    assert run(client(None)) == (None, "None")


def test_per_message_deflate_is_negotiated_when_offered(
    loop_factory: LoopFactory,
) -> None:
    async def client(live: LiveServer) -> tuple[Any, Any]:
        async with connect(url(live)) as ws:  # the client offers deflate
            await ws.send("z" * 10_000)
            message = await ws.recv()
            return ws.response.headers.get("Sec-WebSocket-Extensions"), message

    for enabled in (True, False):
        with serving(loop_factory, websocket_per_message_deflate=enabled) as live:
            live.handler.route("echo")(echo)
            extensions, message = run(client(live))
        assert message == "z" * 10_000
        assert (extensions is not None) is enabled
        if enabled:
            assert extensions.startswith("permessage-deflate")


# -- limits -----------------------------------------------------------------------


def test_a_message_over_max_size_closes_with_1009(loop_factory: LoopFactory) -> None:
    with serving(loop_factory, websocket_max_size=1000) as live:
        live.handler.route("echo")(echo)

        async def client() -> tuple[Any, int | None]:
            async with connect(url(live), max_size=None) as ws:
                await ws.send("x" * 1000)
                fits = await ws.recv()
                await ws.send(["x" * 600, "x" * 600])  # too big once assembled
                with pytest.raises(ConnectionClosedError):
                    await ws.recv()
                return fits, ws.protocol.close_code

        assert run(client()) == ("x" * 1000, 1009)


def test_invalid_utf8_closes_with_1007(live: LiveServer) -> None:
    sock = handshake(live)
    sock.sendall(frame(0x1, b"ok"))
    assert read_frame(sock) == (0x1, b"ok")
    sock.sendall(frame(0x1, b"\xff\xfe"))
    assert read_close(sock) == 1007
    assert closed_by_server(sock)
    sock.close()


def test_invalid_utf8_split_across_fragments_closes_with_1007(
    live: LiveServer,
) -> None:
    sock = handshake(live)
    # Each fragment alone could begin or end a valid sequence; together they
    # are not UTF-8: the first byte announces 3 bytes, the second is no
    # continuation byte.
    sock.sendall(frame(0x1, b"a\xe2", fin=False))
    sock.sendall(frame(0x0, b"(b"))
    assert read_close(sock) == 1007
    sock.close()


def test_a_close_between_fragments_closes_cleanly(live: LiveServer) -> None:
    """RFC 6455 §5.4: control frames may come between fragments; a close there
    is answered as any close (1000), the unfinished message dropped."""
    sock = handshake(live)
    sock.sendall(frame(0x1, b"frag", fin=False))
    sock.sendall(frame(0x8, struct.pack("!H", 1000)))
    sock.sendall(frame(0x0, b"ment"))  # after the close: ignored
    assert read_frame(sock) == (0x8, struct.pack("!H", 1000))
    assert closed_by_server(sock)
    sock.close()
    assert wait_for(lambda: live.handler.finished == ["echo"])


def test_recv_timeout_returns_none(live: LiveServer) -> None:
    @live.handler.route("timeout")
    async def timeout(ws: WebSocket, request: Any) -> None:
        first = await ws.recv(timeout=0.05)
        second = await ws.recv(timeout=WAIT)
        await ws.send(f"{first} {second}")

    async def client() -> Any:
        async with connect(url(live, "/timeout")) as ws:
            await asyncio.sleep(0.2)  # the first recv times out meanwhile
            await ws.send("late")
            return await ws.recv()

    assert run(client()) == "None late"


# -- errors -----------------------------------------------------------------------


def test_a_handler_exception_closes_with_1011_and_is_reported(
    live: LiveServer,
) -> None:
    @live.handler.route("boom")
    async def boom(ws: WebSocket, request: Any) -> None:
        await ws.recv()
        raise RuntimeError("boom")

    async def client() -> int | None:
        async with connect(url(live, "/boom")) as ws:
            await ws.send("go")
            with pytest.raises(ConnectionClosedError):
                await ws.recv()
            return ws.protocol.close_code

    assert run(client()) == 1011
    assert wait_for(lambda: bool(live.handler.errors))
    (error,) = live.handler.errors
    assert isinstance(error, RuntimeError) and str(error) == "boom"


def test_a_handler_exception_without_on_error_is_logged(
    loop_factory: LoopFactory, caplog: pytest.LogCaptureFixture
) -> None:
    settings = ServerSettings(access_log=False)

    async def boom(ws: WebSocket) -> None:
        raise ValueError("logged")

    async def handler(request: Any, write: Callable[[Any], Any]) -> None:
        write(websocket_handshake(request, boom, settings=settings))

    with LiveServer(loop_factory, handler=handler, settings=settings) as live:

        async def client() -> int | None:
            async with connect(url(live)) as ws:
                with pytest.raises(ConnectionClosedError):
                    await ws.recv()
                return ws.protocol.close_code

        with caplog.at_level(logging.ERROR, logger="sanic.error"):
            assert run(client()) == 1011
            assert wait_for(lambda: "logged" in caplog.text)
    (record,) = [r for r in caplog.records if r.name == "sanic.error"]
    assert record.exc_info is not None and record.exc_info[0] is ValueError


def raw_request(live: LiveServer, head: bytes) -> tuple[int, dict[str, str], bytes]:
    with live.client() as client:
        client.send(head)
        response = client.response()
        return response.status, dict(response.headers), response.body


def test_not_an_upgrade_is_426(live: LiveServer) -> None:
    status, headers, body = raw_request(live, b"GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
    assert status == 426
    assert headers["upgrade"] == "websocket"
    assert b"WebSocket" in body
    assert live.handler.protocols == []


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (b"Sec-WebSocket-Version: 13\r\n", b"Sec-WebSocket-Key"),
        (b"Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n", b"Key"),
        (b"Sec-WebSocket-Key: " + KEY.encode() + b"\r\n", b"Sec-WebSocket-Version"),
        (
            b"Sec-WebSocket-Key: " + KEY.encode() + b"\r\nSec-WebSocket-Version: 8\r\n",
            b"Sec-WebSocket-Version",
        ),
    ],
)
def test_a_bad_handshake_is_400(live: LiveServer, extra: bytes, reason: bytes) -> None:
    status, _, body = raw_request(
        live,
        b"GET /echo HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\n"
        b"Upgrade: websocket\r\n" + extra + b"\r\n",
    )
    assert status == 400
    assert body.startswith(b"Bad Request: ") and reason in body
    assert b"Traceback" not in body and len(body) < 300
    assert live.handler.protocols == []


# -- closing ----------------------------------------------------------------------


def test_close_with_a_code_and_reason_then_the_handler_goes_on(
    live: LiveServer,
) -> None:
    after: list[Any] = []

    @live.handler.route("bye")
    async def bye(ws: WebSocket, request: Any) -> None:
        await ws.close(4000, "bye now")
        after.append((ws.closed, ws.close_code, ws.close_reason))
        with pytest.raises(ConnectionClosed):
            await ws.send("too late")
        after.append("raised")

    async def client() -> tuple[int | None, str | None]:
        async with connect(url(live, "/bye")) as ws:
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            return ws.protocol.close_code, ws.protocol.close_reason

    assert run(client()) == (4000, "bye now")
    assert wait_for(lambda: len(after) == 2)
    assert after == [(True, 4000, "bye now"), "raised"]
    assert live.handler.errors == []


def test_a_peer_that_vanishes_ends_recv_with_1006(live: LiveServer) -> None:
    seen: list[Any] = []

    @live.handler.route("vanish")
    async def vanish(ws: WebSocket, request: Any) -> None:
        try:
            await ws.recv()
        except ConnectionClosedError as exc:
            seen.append(type(exc).__name__)
        seen.append((ws.closed, ws.close_code))

    sock = handshake(live, "/vanish")
    sock.close()  # no close frame
    assert wait_for(lambda: len(seen) == 2)
    assert seen == ["ConnectionClosedError", (True, 1006)]
    assert live.handler.errors == []
    assert wait_for(lambda: live.connection_count() == 0)


def test_a_handler_waiting_elsewhere_is_cancelled_when_the_peer_leaves(
    live: LiveServer,
) -> None:
    seen: list[str] = []

    @live.handler.route("elsewhere")
    async def elsewhere(ws: WebSocket, request: Any) -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            seen.append("cancelled")
            raise

    sock = handshake(live, "/elsewhere")
    sock.close()
    assert wait_for(lambda: seen == ["cancelled"])
    assert live.handler.errors == []


def test_ping_returns_an_awaitable_pong(live: LiveServer) -> None:
    @live.handler.route("ping")
    async def ping(ws: WebSocket, request: Any) -> None:
        pong = await ws.ping()
        latency = await pong
        pong = await ws.ping(b"payload")
        await pong
        await ws.send(f"pong after {'>= 0' if latency >= 0 else latency}")

    async def client() -> Any:
        async with connect(url(live, "/ping")) as ws:  # answers pings itself
            return await ws.recv()

    assert run(client()) == "pong after >= 0"


def test_keepalive_pings_close_a_silent_peer_with_1011(
    loop_factory: LoopFactory,
) -> None:
    settings = {"websocket_ping_interval": 0.05, "websocket_ping_timeout": 0.2}
    with serving(loop_factory, **settings) as live:
        live.handler.route("echo")(echo)

        async def answering() -> Any:
            # The library's client answers every ping: the socket stays open
            # through several ping intervals and timeouts.
            async with connect(url(live), ping_interval=None) as ws:
                await asyncio.sleep(0.6)
                await ws.send("still here")
                return await ws.recv()

        assert run(answering()) == "still here"

        sock = handshake(live)
        opcodes = []
        while True:  # pings (0x9) that get no pong, then the close
            opcode, payload = read_frame(sock)
            opcodes.append(opcode)
            if opcode == 0x8:
                break
        assert opcodes[0] == 0x9
        assert struct.unpack("!H", payload[:2])[0] == 1011
        assert closed_by_server(sock)
        sock.close()
        assert wait_for(lambda: live.connection_count() == 0)


# -- bounded memory ---------------------------------------------------------------


def test_a_slow_reader_pauses_the_sender(loop_factory: LoopFactory) -> None:
    """The write buffer stays near the transport's high-water mark: ``send``
    waits while the peer does not read, instead of buffering every message."""
    sizes: list[int] = []
    sent: list[int] = [0]
    message = b"x" * 65_536
    count = 500  # 32 MiB: far more than the socket buffers hold

    with serving(loop_factory, websocket_ping_interval=None) as live:

        @live.handler.route("flood")
        async def flood(ws: WebSocket, request: Any) -> None:
            transport = request.transport
            for _ in range(count):
                await ws.send(message)
                sizes.append(transport.get_write_buffer_size())
                sent[0] += 1

        sock = handshake(live, "/flood")
        # Wait until the handler stops making progress (the peer reads nothing).
        previous = -1
        while sent[0] != previous:
            previous = sent[0]
            time.sleep(0.3)
        assert 0 < sent[0] < count  # send is waiting: the peer is slow
        high_water = 64 * 1024
        assert max(sizes) <= high_water + len(message) + 16
        # Once the peer reads, everything arrives, in order.
        received = 0
        while received < count:
            opcode, payload = read_frame(sock)
            if opcode != 0x9:  # keepalive pings may come in between
                assert (opcode, payload) == (0x2, message)
                received += 1
        assert wait_for(lambda: sent[0] == count)
        sock.close()


def test_unread_messages_pause_reading(loop_factory: LoopFactory) -> None:
    """At ``max_queue`` messages the handler has not taken the server stops
    reading: what the peer sends waits in the socket buffers, not in memory."""
    queued: list[int] = []
    release = threading.Event()
    got: list[bytes] = []
    count, size = 4000, 1024  # 4 MB

    with serving(loop_factory, websocket_max_queue=4) as live:

        @live.handler.route("lazy")
        async def lazy(ws: WebSocket, request: Any) -> None:
            protocol = ws._protocol
            while not release.is_set():
                queued.append(len(protocol._messages))
                await asyncio.sleep(0.02)
            for _ in range(count):
                message = await ws.recv()
                assert isinstance(message, bytes)
                got.append(message[:4])
            await ws.send("done")

        sock = handshake(live, "/lazy")
        payloads = [b"%04d" % i + bytes(size - 4) for i in range(count)]
        data = b"".join(frame(0x2, p, mask=bytes(4)) for p in payloads)
        sender = threading.Thread(target=sock.sendall, args=(data,), daemon=True)
        sender.start()
        # Until the queue stops growing.
        previous = -1
        while not queued or queued[-1] != previous:
            previous = queued[-1] if queued else -1
            time.sleep(0.3)
        # Without the pause every message would be queued; with it, at most
        # the messages parsed from the last chunks read.
        assert 4 <= max(queued) < count // 4
        release.set()
        assert read_frame(sock) == (0x1, b"done")
        assert got == [b"%04d" % i for i in range(count)]
        sender.join(WAIT)
        sock.close()


@pytest.mark.usefixtures("no_cycle_collector")
def test_closed_websockets_are_freed_without_the_cycle_collector(
    live: LiveServer,
) -> None:
    @live.handler.route("boom")
    async def boom(ws: WebSocket, request: Any) -> None:
        await ws.recv()
        raise RuntimeError("boom")

    @live.handler.route("wait")
    async def wait(ws: WebSocket, request: Any) -> None:
        await asyncio.sleep(3600)

    async def client() -> None:
        async with connect(url(live)) as ws:  # closed by the client
            await ws.send("a")
            await ws.recv()
        async with connect(url(live, "/boom")) as ws:  # the handler raises
            await ws.send("a")
            with pytest.raises(ConnectionClosed):
                await ws.recv()

    run(client())
    for path in ("/echo", "/wait"):  # peers that vanish
        sock = handshake(live, path)
        sock.close()
    live.handler.errors.clear()  # the reported exception holds the handler's frame
    assert wait_for(lambda: len(live.handler.protocols) == 4)
    assert wait_for(lambda: live.connection_count() == 0)
    assert wait_for(lambda: all(ref() is None for ref in live.handler.protocols))


# -- shutdown ---------------------------------------------------------------------


def test_shutdown_closes_with_1001(loop_factory: LoopFactory) -> None:
    cancelled: list[str] = []
    live = serving(loop_factory, graceful_shutdown_timeout=5.0)
    live.handler.route("echo")(echo)

    @live.handler.route("deaf")
    async def deaf(ws: WebSocket, request: Any) -> None:
        try:
            await asyncio.sleep(3600)  # never looks at the socket
        except asyncio.CancelledError:
            cancelled.append("deaf")
            raise

    codes: list[int | None] = []

    async def client(path: str, opened: threading.Event) -> None:
        async with connect(url(live, path)) as ws:
            opened.set()
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            codes.append(ws.protocol.close_code)

    with live:
        threads = []
        for path in ("/echo", "/deaf"):
            opened = threading.Event()
            thread = threading.Thread(target=run, args=(client(path, opened),))
            thread.start()
            assert opened.wait(WAIT)
            threads.append(thread)
        live.stop()  # answered by both peers: well within the grace period
        for thread in threads:
            thread.join(WAIT)
    assert codes == [1001, 1001]
    assert cancelled == ["deaf"]  # once its connection was closed


def test_shutdown_cuts_a_peer_that_ignores_the_close_after_the_grace_period(
    loop_factory: LoopFactory,
) -> None:
    cancelled: list[str] = []
    live = serving(loop_factory, graceful_shutdown_timeout=0.3)

    @live.handler.route("deaf")
    async def deaf(ws: WebSocket, request: Any) -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.append("deaf")
            raise

    with live:
        sock = handshake(live, "/deaf")
        stopping = threading.Thread(target=live.stop)
        stopping.start()
        assert read_close(sock) == 1001  # never answered
        assert closed_by_server(sock)
        stopping.join(WAIT)
        assert not stopping.is_alive()
        sock.close()
    assert cancelled == ["deaf"]


# -- many -------------------------------------------------------------------------


def test_a_thousand_concurrent_websockets(live: LiveServer) -> None:
    count = 1000

    async def client() -> list[Any]:
        sockets = []
        for _ in range(count // 50):  # the listen backlog is finite
            sockets += await asyncio.gather(
                *(
                    connect(url(live), ping_interval=None, open_timeout=None)
                    for _i in range(50)
                )
            )
        # All open at once (the server's thread may be finishing the last one).
        for _ in range(int(WAIT / 0.01)):
            if live.connection_count() == count:
                break
            await asyncio.sleep(0.01)
        assert live.connection_count() == count
        await asyncio.gather(*(ws.send(f"m{i}") for i, ws in enumerate(sockets)))
        replies = await asyncio.gather(*(ws.recv() for ws in sockets))
        await asyncio.gather(*(ws.close() for ws in sockets))
        return replies

    # A bound for a loaded machine (SYN retries), not a speed requirement.
    assert run(client(), 12 * WAIT) == [f"m{i}" for i in range(count)]
    assert wait_for(lambda: live.connection_count() == 0)
