"""WebSockets over ASGI: ``@app.websocket`` handlers served by an ASGI server.

The ASGI server speaks the websocket wire (frames, pings, the closing
handshake); this module turns its messages into the ``ws`` a handler is given,
the same :class:`sanic_http.WebSocket` as on the native server, over an
:class:`ASGIWebSocketConnection` instead of the native protocol:

* ``send`` sends ``websocket.send`` (``text`` for a ``str``, ``bytes`` for
  bytes); ``recv`` (with its ``timeout``) and ``async for`` take the messages a
  reader task collects from ``receive``. The reader stops taking messages while
  ``WEBSOCKET_MAX_QUEUE`` of them wait, and a message larger than
  ``WEBSOCKET_MAX_SIZE`` closes the connection with ``1009``.
* ``close(code, reason)`` sends ``websocket.close`` and returns: the ASGI
  server finishes the closing handshake.
* ``ping()`` sends nothing (ASGI has no ping message; the ASGI server's own
  keepalive pings keep the connection alive): it returns an awaitable that is
  already done, with a round trip of ``0.0``.
* ``websocket.disconnect`` ends the connection: waiting and later ``recv`` and
  ``send`` calls raise ``ConnectionClosed`` (``ConnectionClosedOK`` for
  1000/1001), and a handler still running after that is cancelled.
* The handler returning closes with ``1000``; raising (other than
  ``ConnectionClosed``), with ``1011``, and the error goes to ``on_error``.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final, cast

from sanic_http import ConnectionClosed, ServerSettings, WebSocket, connection_closed

__all__ = ["ASGIWebSocketConnection", "select_subprotocol"]

Message = str | bytes
Receive = Callable[[], Awaitable[Mapping[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

#: The code a message over ``WEBSOCKET_MAX_SIZE`` closes with (RFC 6455 7.4.1).
MESSAGE_TOO_BIG: Final = 1009


def select_subprotocol(accepted: tuple[str, ...] | None, offered: object) -> str | None:
    """The route's first subprotocol the client offers (``scope["subprotocols"]``);
    None when it offers none of them, or the route names none."""
    if not accepted or not offered or not isinstance(offered, list | tuple):
        return None
    for name in accepted:
        if name in offered:
            return name
    return None


def _expire(waiter: asyncio.Future[Message | None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _size(message: Message) -> int:
    """The size of a message in bytes (UTF-8 for text)."""
    if isinstance(message, str) and not message.isascii():
        return len(message.encode())
    return len(message)


class ASGIWebSocketConnection:
    """What a :class:`sanic_http.WebSocket` calls over ASGI (it is the ``ws``'s
    protocol): ``send``, ``recv``, ``ping``, ``close`` and the close state.

    Args:
        receive: The ASGI ``receive`` (after ``websocket.connect``).
        send: The ASGI ``send``.
        settings: The server's settings (``websocket_max_size``,
            ``websocket_max_queue``).
        subprotocol: The subprotocol accepted, or None.
    """

    __slots__ = (
        "_lost",
        "_max_queue",
        "_max_size",
        "_messages",
        "_rcvd",
        "_receive",
        "_recv_waiter",
        "_resume",
        "_send",
        "_sent",
        "_subprotocol",
        "_task",
    )

    def __init__(
        self,
        receive: Receive,
        send: Send,
        settings: ServerSettings,
        subprotocol: str | None,
    ) -> None:
        self._receive = receive
        self._send = send
        self._max_size = settings.websocket_max_size or 0
        self._max_queue = settings.websocket_max_queue or 0
        self._subprotocol = subprotocol
        #: Messages received and not taken by the handler yet.
        self._messages: collections.deque[Message] = collections.deque()
        self._recv_waiter: asyncio.Future[Message | None] | None = None
        #: Set while the reader waits for the handler to take messages.
        self._resume: asyncio.Future[None] | None = None
        #: The peer's close (websocket.disconnect), ours (websocket.close):
        #: ``(code, reason)``.
        self._rcvd: tuple[int, str] | None = None
        self._sent: tuple[int, str] | None = None
        self._lost = False  # websocket.disconnect arrived (or send failed)
        self._task: asyncio.Task[object] | None = None

    # -- running a handler ----------------------------------------------------------

    async def run(
        self,
        handler: Callable[[WebSocket], Awaitable[object]],
        on_error: Callable[[BaseException], object],
    ) -> None:
        """Accept, run ``handler(ws)`` until it ends, then close (1000, or 1011
        when it raised: ``on_error`` gets the exception)."""
        accept: dict[str, Any] = {"type": "websocket.accept"}
        if self._subprotocol is not None:
            accept["subprotocol"] = self._subprotocol
        await self._send(accept)
        loop = asyncio.get_running_loop()
        # The same WebSocket class as natively, over this connection.
        ws = WebSocket(cast("Any", self))
        reader = loop.create_task(self._read())
        self._task = task = loop.create_task(_call(handler, ws))
        failure: BaseException | None = None
        try:
            await task
        except ConnectionClosed:
            pass
        except asyncio.CancelledError:
            if not (self._lost and task.cancelled()):
                raise  # the ASGI server cancelled us (the task is cancelled too)
        except Exception as exc:
            failure = exc
        finally:
            self._task = None
            reader.cancel()
        await self._start_close(1000 if failure is None else 1011, "")
        if failure is not None:
            on_error(failure)

    async def _read(self) -> None:
        """Collect messages from ``receive`` until the connection ends."""
        receive = self._receive
        messages = self._messages
        loop = asyncio.get_running_loop()
        while True:
            if self._max_queue and len(messages) >= self._max_queue:
                self._resume = loop.create_future()
                await self._resume
            event = await receive()
            kind = event["type"]
            if kind == "websocket.receive":
                text = event.get("text")
                message: Message = text if text is not None else event.get("bytes", b"")
                if self._max_size and _size(message) > self._max_size:
                    await self._start_close(MESSAGE_TOO_BIG, "message too big")
                    self._wake()
                    return
                waiter = self._recv_waiter
                if waiter is not None and not waiter.done():
                    waiter.set_result(message)
                else:
                    messages.append(message)
            elif kind == "websocket.disconnect":
                self._rcvd = (int(event.get("code", 1005)), event.get("reason") or "")
                self._lost = True
                self._wake()
                task = self._task
                if task is not None and not task.done():
                    # After the tasks just woken have run: a handler that saw
                    # the close and returns is not cancelled.
                    loop.call_soon(task.cancel)
                return

    def _wake(self) -> None:
        """The connection is closed: a waiting ``recv`` raises."""
        waiter, self._recv_waiter = self._recv_waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(self._close_exc())

    def _close_exc(self) -> ConnectionClosed:
        return connection_closed(self._rcvd, self._sent)

    async def _start_close(self, code: int, reason: str) -> None:
        """Send ``websocket.close`` unless the connection is closed already."""
        if self._sent is not None or self._lost:
            return
        self._sent = (code, reason)
        try:
            await self._send(
                {"type": "websocket.close", "code": code, "reason": reason}
            )
        except OSError:  # the ASGI server saw the client leave
            self._lost = True

    # -- what WebSocket calls --------------------------------------------------------

    async def recv(self, timeout: float | None = None) -> Message | None:
        """See :meth:`sanic_http.WebSocket.recv`."""
        messages = self._messages
        if messages:
            message = messages.popleft()
            resume = self._resume
            if resume is not None and len(messages) <= self._max_queue // 2:
                self._resume = None
                if not resume.done():
                    resume.set_result(None)
            return message
        if self._lost or self._sent is not None:
            raise self._close_exc()
        if self._recv_waiter is not None:
            raise RuntimeError("another coroutine is already waiting for a message")
        if timeout is not None and timeout <= 0:
            return None
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Message | None] = loop.create_future()
        self._recv_waiter = waiter
        timer = (
            loop.call_later(timeout, _expire, waiter) if timeout is not None else None
        )
        try:
            return await waiter
        finally:
            self._recv_waiter = None
            if timer is not None:
                timer.cancel()
            del waiter  # no cycle through the traceback of its exception

    async def send(self, data: str | bytes | bytearray | memoryview) -> None:
        """See :meth:`sanic_http.WebSocket.send`."""
        if self._lost or self._sent is not None:
            raise self._close_exc()
        if isinstance(data, str):
            message: dict[str, Any] = {"type": "websocket.send", "text": data}
        elif isinstance(data, bytes | bytearray | memoryview):
            message = {"type": "websocket.send", "bytes": bytes(data)}
        else:
            raise TypeError(
                f"a WebSocket sends str (text) or bytes (binary), not "
                f"{type(data).__name__}"
            )
        try:
            await self._send(message)
        except OSError as exc:  # the ASGI server saw the client leave
            self._lost = True
            raise self._close_exc() from exc

    async def ping(self, data: str | bytes = b"") -> asyncio.Future[float]:
        """No ping is sent (ASGI has none; the server pings by itself): an
        already answered one, ``0.0`` seconds."""
        if self._lost or self._sent is not None:
            raise self._close_exc()
        pong: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        pong.set_result(0.0)
        return pong

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Send ``websocket.close``; the ASGI server ends the connection."""
        await self._start_close(code, reason)
        self._wake()

    @property
    def subprotocol(self) -> str | None:
        """See :attr:`sanic_http.WebSocket.subprotocol`."""
        return self._subprotocol

    @property
    def closed(self) -> bool:
        """See :attr:`sanic_http.WebSocket.closed`."""
        return self._lost or self._sent is not None

    @property
    def close_code(self) -> int | None:
        """See :attr:`sanic_http.WebSocket.close_code`."""
        close = self._rcvd or self._sent
        return None if close is None else close[0]

    @property
    def close_reason(self) -> str | None:
        """See :attr:`sanic_http.WebSocket.close_reason`."""
        close = self._rcvd or self._sent
        return None if close is None else close[1]


async def _call(
    handler: Callable[[WebSocket], Awaitable[object]], ws: WebSocket
) -> object:
    return await handler(ws)
