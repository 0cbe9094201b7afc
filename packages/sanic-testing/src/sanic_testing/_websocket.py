"""WebSocket test clients: ``client.websocket(uri)`` gives a connected client.

Every client has ``websocket(uri, subprotocols=None, headers=None)``. It returns
a :class:`WebSocketConnect`: ``async with client.websocket("/feed") as ws`` (or
``ws = await client.websocket("/feed")``) opens the connection, and ``ws`` is a
:class:`WebSocketClient` with ``send``, ``receive``, ``close`` and ``async for``.
The blocking clients give a :class:`BlockingWebSocket` with the same methods,
each run to its end on the client's loop (so ``with client.websocket(...) as
ws``).

The socket clients connect with aiohttp's websocket client to the real server
(``ws://host:port/uri``): the one-shot ``app.test_client`` starts the app for the
one connection (in the running loop, as the reusable client does; it is
stopped when the websocket closes), the reusable clients on their running
server. The in-process client speaks to the app's real protocol over its
in-memory transport, with ``websockets``' Sans-I/O client protocol for the
frames (see ``_inprocess``).

``ws.request`` is the server-side ``Request`` of the opening handshake. A refused
handshake (a 403 from middleware, a 426 for a route that is not a websocket)
raises :class:`WebSocketRefused` with the response's status and body.
"""

from __future__ import annotations

import asyncio
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Generator,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any, TypeVar

import aiohttp
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.typing import Subprotocol
from websockets.uri import parse_uri

from ._errors import SanicTestClientError

if TYPE_CHECKING:
    from sanic.request import Request

    from ._transport import MemoryTransport

__all__ = [
    "BlockingWebSocket",
    "WebSocketClient",
    "WebSocketConnect",
    "WebSocketRefused",
    "aiohttp_websocket",
    "close_all",
    "memory_websocket",
]

T = TypeVar("T")
#: Called once when a websocket client closes (stops a one-shot server...).
Cleanup = Callable[[], Awaitable[None]]


class WebSocketRefused(SanicTestClientError):
    """The server answered the opening handshake with something else than 101.

    Attributes:
        status: The response's status (403, 426, 400...).
        body: The response's body, as text.
    """

    def __init__(self, url: str, status: int, body: str = "") -> None:
        reason = f"the websocket handshake was refused: {status}"
        super().__init__("GET", url, f"{reason} {body}".strip())
        self.status = status
        self.body = body


class WebSocketClient:
    """The client's end of a websocket connection.

    Attributes:
        request: The server-side request of the opening handshake (None when
            the client did not capture it).
        timeout: Seconds ``receive`` waits by default.
    """

    request: Request | None = None

    def __init__(self, timeout: float, cleanup: Cleanup | None = None) -> None:
        self.timeout = timeout
        self._cleanup = cleanup

    @property
    def subprotocol(self) -> str | None:
        """The subprotocol the server chose, or None."""
        raise NotImplementedError

    @property
    def closed(self) -> bool:
        """Whether the connection has closed (by either side)."""
        raise NotImplementedError

    @property
    def close_code(self) -> int | None:
        """The close code of a closed connection (1000, 1001, 1011...), or None."""
        raise NotImplementedError

    async def send(self, data: str | bytes) -> None:
        """Send a text message (``str``) or a binary one (``bytes``)."""
        raise NotImplementedError

    async def receive(self, timeout: float | None = None) -> str | bytes | None:
        """The next message: ``str`` for text, ``bytes`` for binary; None once
        the server has closed the connection (see ``close_code``).

        Args:
            timeout: Seconds to wait; default the client's ``timeout``.

        Raises:
            asyncio.TimeoutError: No message within ``timeout``.
        """
        raise NotImplementedError

    async def ping(self, data: bytes = b"") -> None:
        """Send a ping (the pong is handled by the connection)."""
        raise NotImplementedError

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection (the closing handshake), then clean up."""
        try:
            await self._close(code, reason)
        finally:
            cleanup, self._cleanup = self._cleanup, None
            if cleanup is not None:
                await cleanup()

    async def _close(self, code: int, reason: str) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> WebSocketClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __aiter__(self) -> AsyncIterator[str | bytes]:
        return self._messages()

    async def _messages(self) -> AsyncIterator[str | bytes]:
        while True:
            message = await self.receive()
            if message is None:
                return
            yield message


async def close_all(websockets: Iterable[WebSocketClient]) -> None:
    """Close every websocket still open (a client that is closing)."""
    for ws in list(websockets):
        if not ws.closed:
            await ws.close()


class _AiohttpWebSocket(WebSocketClient):
    """A websocket over aiohttp's client, on a real socket."""

    def __init__(
        self,
        ws: aiohttp.ClientWebSocketResponse[bool],
        session: aiohttp.ClientSession,
        timeout: float,
        cleanup: Cleanup | None,
    ) -> None:
        super().__init__(timeout, cleanup)
        self._ws = ws
        self._session = session

    @property
    def subprotocol(self) -> str | None:
        """The subprotocol the server chose, or None."""
        return self._ws.protocol

    @property
    def closed(self) -> bool:
        """Whether the connection has closed (by either side)."""
        return self._ws.closed

    @property
    def close_code(self) -> int | None:
        """The close code of a closed connection, or None."""
        return self._ws.close_code

    async def send(self, data: str | bytes) -> None:
        """Send a text message (``str``) or a binary one (``bytes``)."""
        if isinstance(data, str):
            await self._ws.send_str(data)
        else:
            await self._ws.send_bytes(bytes(data))

    async def receive(self, timeout: float | None = None) -> str | bytes | None:
        """See :meth:`WebSocketClient.receive`."""
        ws = self._ws
        if ws.closed:
            return None
        message = await ws.receive(self.timeout if timeout is None else timeout)
        if message.type is aiohttp.WSMsgType.TEXT:
            return str(message.data)
        if message.type is aiohttp.WSMsgType.BINARY:
            return bytes(message.data)
        return None  # CLOSE (answered by aiohttp), CLOSED, ERROR

    async def ping(self, data: bytes = b"") -> None:
        """Send a ping (aiohttp handles the pong)."""
        await self._ws.ping(data)

    async def _close(self, code: int, reason: str) -> None:
        try:
            await self._ws.close(code=code, message=reason.encode())
        finally:
            await self._session.close()


async def aiohttp_websocket(
    url: str,
    *,
    timeout: float,
    subprotocols: Sequence[str] | None = None,
    headers: Mapping[str, str] | None = None,
    cleanup: Cleanup | None = None,
    **ws_kwargs: Any,
) -> WebSocketClient:
    """Open a websocket to ``url`` (``http://`` or ``ws://``) with aiohttp.

    ``cleanup`` runs when it closes, and at once if it cannot be opened.

    Raises:
        WebSocketRefused: The server answered the handshake with another status.
        SanicTestClientError: The connection failed or timed out.
    """
    session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
    try:
        ws = await asyncio.wait_for(
            session.ws_connect(
                url,
                protocols=tuple(subprotocols or ()),
                headers=dict(headers or {}),
                **ws_kwargs,
            ),
            timeout,
        )
    except BaseException as exc:
        await session.close()
        if cleanup is not None:
            await cleanup()
        if isinstance(exc, aiohttp.WSServerHandshakeError):
            raise WebSocketRefused(url, exc.status, exc.message) from exc
        if isinstance(exc, (aiohttp.ClientError, asyncio.TimeoutError, OSError)):
            reason = "timed out" if isinstance(exc, asyncio.TimeoutError) else str(exc)
            raise SanicTestClientError("GET", url, reason) from exc
        raise
    return _AiohttpWebSocket(ws, session, timeout, cleanup)


class _MemoryWebSocket(WebSocketClient):
    """A websocket over an in-memory connection to the app's real protocol.

    ``websockets``' Sans-I/O ``ClientProtocol`` makes and reads the frames; the
    bytes go through the :class:`~sanic_testing._transport.MemoryTransport`
    the server's protocol handed over after the ``101``.
    """

    def __init__(
        self,
        transport: MemoryTransport,
        protocol: ClientProtocol,
        timeout: float,
        cleanup: Cleanup | None,
    ) -> None:
        super().__init__(timeout, cleanup)
        self._transport = transport
        self._protocol = protocol
        self._queue: list[str | bytes] = []
        self._fragments: list[bytes] = []
        self._text = False
        self._response: Response | None = None

    @property
    def subprotocol(self) -> str | None:
        """The subprotocol the server chose, or None."""
        return self._protocol.subprotocol

    @property
    def closed(self) -> bool:
        """Whether the connection has closed (by either side)."""
        return self._protocol.state in (State.CLOSING, State.CLOSED)

    @property
    def close_code(self) -> int | None:
        """The close code of a closed connection, or None."""
        if self._protocol.state is not State.CLOSED:
            received = self._protocol.close_rcvd
            return None if received is None else received.code
        return self._protocol.close_code

    def _flush(self) -> None:
        for data in self._protocol.data_to_send():
            if data:
                self._transport.send(data)
            else:
                self._transport.hang_up()

    async def _pull(self, timeout: float) -> bool:
        """Feed the protocol one read of what the server wrote; False at EOF."""
        data = await asyncio.wait_for(self._transport.take(), timeout)
        protocol = self._protocol
        if data:
            protocol.receive_data(data)
        else:
            protocol.receive_eof()
        self._flush()  # pongs and the close reply
        for event in protocol.events_received():
            if isinstance(event, Response):
                self._response = event
            elif isinstance(event, Frame):
                self._frame(event)
        return bool(data)

    def _frame(self, frame: Frame) -> None:
        if frame.opcode is Opcode.TEXT or frame.opcode is Opcode.BINARY:
            self._text = frame.opcode is Opcode.TEXT
            self._fragments = [bytes(frame.data)]
        elif frame.opcode is Opcode.CONT:
            self._fragments.append(bytes(frame.data))
        else:
            return  # ping, pong, close: the protocol answers them
        if frame.fin:
            data = b"".join(self._fragments)
            self._fragments = []
            self._queue.append(data.decode() if self._text else data)

    async def _handshake(self, url: str) -> None:
        """Read the answer to the opening handshake.

        Raises:
            WebSocketRefused: It is not a ``101``.
        """
        while self._response is None:
            if not await self._pull(self.timeout):
                break
        response = self._response
        if response is None:
            raise SanicTestClientError("GET", url, "the server closed the connection")
        if self._protocol.handshake_exc is not None:
            body = bytes(response.body or b"").decode("utf-8", "replace")
            raise WebSocketRefused(url, response.status_code, body)

    async def send(self, data: str | bytes) -> None:
        """Send a text message (``str``) or a binary one (``bytes``)."""
        if isinstance(data, str):
            self._protocol.send_text(data.encode())
        else:
            self._protocol.send_binary(bytes(data))
        self._flush()

    async def receive(self, timeout: float | None = None) -> str | bytes | None:
        """See :meth:`WebSocketClient.receive`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.timeout if timeout is None else timeout)
        while not self._queue:
            if self._protocol.state is State.CLOSED:
                return None
            await self._pull(max(deadline - loop.time(), 0.0))
        return self._queue.pop(0)

    async def ping(self, data: bytes = b"") -> None:
        """Send a ping (the pong is read with the next messages)."""
        self._protocol.send_ping(data)
        self._flush()

    async def _close(self, code: int, reason: str) -> None:
        protocol = self._protocol
        if protocol.state is State.OPEN:
            protocol.send_close(code, reason)
            self._flush()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        try:
            while protocol.state is not State.CLOSED:
                if not await self._pull(max(deadline - loop.time(), 0.0)):
                    break
        finally:
            self._transport.hang_up()


async def memory_websocket(
    transport: MemoryTransport,
    url: str,
    *,
    timeout: float,
    subprotocols: Sequence[str] | None = None,
    headers: Mapping[str, str] | None = None,
    cleanup: Cleanup | None = None,
) -> WebSocketClient:
    """Open a websocket to ``url`` (``ws://host:port/path``) over ``transport``,
    a new in-memory connection to the server's protocol.

    Raises:
        WebSocketRefused: The server answered the handshake with another status.
        SanicTestClientError: The server closed the connection first.
        asyncio.TimeoutError: No answer within ``timeout``.
    """
    offered = [Subprotocol(name) for name in subprotocols or ()]
    protocol = ClientProtocol(
        parse_uri(url), subprotocols=offered or None, max_size=None
    )
    request = protocol.connect()
    for name, value in (headers or {}).items():
        request.headers[name] = value
    protocol.send_request(request)
    ws = _MemoryWebSocket(transport, protocol, timeout, cleanup)
    ws._flush()
    try:
        await ws._handshake(url)
    except BaseException:
        transport.reset()
        raise
    return ws


class WebSocketConnect:
    """What ``client.websocket(uri)`` returns: awaitable, or ``async with``.

    ``await`` it for the connected :class:`WebSocketClient` (close it
    yourself), or ``async with`` it to have it closed when the block ends.
    """

    def __init__(self, opening: Callable[[], Coroutine[Any, Any, WebSocketClient]]):
        self._opening = opening
        self._ws: WebSocketClient | None = None

    def __await__(self) -> Generator[Any, None, WebSocketClient]:
        return self._opening().__await__()

    async def __aenter__(self) -> WebSocketClient:
        self._ws = await self._opening()
        return self._ws

    async def __aexit__(self, *exc_info: object) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()


class BlockingWebSocket:
    """A websocket of a blocking client: each method runs on the client's loop.

    ``with client.websocket("/feed") as ws: ws.send("hi"); ws.receive()``. The
    app's server runs only while a call runs, as for the blocking clients'
    requests.
    """

    def __init__(
        self, run: Callable[[Coroutine[Any, Any, Any]], Any], ws: WebSocketClient
    ) -> None:
        self._run = run
        self._ws = ws

    @property
    def request(self) -> Request | None:
        """The server-side request of the opening handshake."""
        return self._ws.request

    @property
    def subprotocol(self) -> str | None:
        """The subprotocol the server chose, or None."""
        return self._ws.subprotocol

    @property
    def closed(self) -> bool:
        """Whether the connection has closed."""
        return self._ws.closed

    @property
    def close_code(self) -> int | None:
        """The close code of a closed connection, or None."""
        return self._ws.close_code

    def send(self, data: str | bytes) -> None:
        """Send a text (``str``) or binary (``bytes``) message."""
        self._run(self._ws.send(data))

    def receive(self, timeout: float | None = None) -> str | bytes | None:
        """The next message, or None once the server closed the connection.

        Raises:
            asyncio.TimeoutError: No message within ``timeout``.
        """
        result: str | bytes | None = self._run(self._ws.receive(timeout))
        return result

    def ping(self, data: bytes = b"") -> None:
        """Send a ping."""
        self._run(self._ws.ping(data))

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection."""
        self._run(self._ws.close(code, reason))

    def __enter__(self) -> BlockingWebSocket:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[str | bytes]:
        while True:
            message = self.receive()
            if message is None:
                return
            yield message
