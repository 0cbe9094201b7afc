"""``serve()``: run :class:`HttpProtocol` on a socket, then shut down gracefully.

Shutdown order (on SIGINT/SIGTERM, or when the loop is stopped):

1. ``signal.stopped`` becomes ``True``: responses stop offering keep-alive.
2. ``before_stop`` listeners run; the server stops accepting connections.
3. Connections already waiting in the listen backlog are accepted, then the
   listening socket closes: no client that connected is refused.
4. Every connection finishes what its client already sent
   (``begin_shutdown``): requests in flight, queued, arriving, or sent to a
   connection idle for less than ``SHUTDOWN_LINGER`` seconds are answered with
   ``Connection: close``; idle connections close.
5. What is still open when ``graceful_shutdown_timeout`` ends is cut, and the
   count is logged.
6. ``after_stop`` listeners run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal as signal_module
import socket
import ssl as ssl_module
import threading
from collections.abc import Callable, Coroutine, Iterable, Iterator
from inspect import isawaitable
from typing import Any, Final

from ._loop import new_event_loop
from ._protocol import ErrorHandler, HttpProtocol, RequestHandler
from ._settings import ServerSettings
from ._signal import Signal
from .log import error_logger

__all__ = [
    "DEFAULT_BACKLOG",
    "HttpServer",
    "Listener",
    "hold_stop_signals",
    "serve",
    "trigger_listeners",
]

#: ``listener(app, loop)``; the app is whatever ``settings.app`` holds (opaque here,
#: so a listener may annotate it as its own app type).
Listener = Callable[[Any, asyncio.AbstractEventLoop], object]
Listeners = Iterable[Listener] | None
#: A protocol class taking the seven keyword arguments the guide documents.
ProtocolFactory = Callable[..., asyncio.Protocol]

# How often shutdown looks at the connections still answering.
#: The listen queue length when none is given (``app.run(backlog=...)``).
DEFAULT_BACKLOG: Final = 100

_SHUTDOWN_POLL = 0.01
# Seconds to wait at loop close for the default executor's threads to finish.
_EXECUTOR_WAIT = 5.0


async def trigger_listeners(
    listeners: Listeners, app: object, loop: asyncio.AbstractEventLoop
) -> None:
    """Call each listener as ``listener(app, loop)``, awaiting it when async.

    Args:
        listeners: The callables, in order (``None`` for none).
        app: Passed to every listener.
        loop: The running event loop.
    """
    for listener in listeners or ():
        result = listener(app, loop)
        if isawaitable(result):
            await result


class HttpServer:
    """One listening server with its connections, started and stopped on a loop.

    ``serve()`` drives it; use it directly to run a server inside a loop you
    already run (``await server.start()`` ... ``await server.stop()``).

    Args:
        request_handler: ``async handler(request, write_callback)``.
        error_handler: Builds responses for refused requests.
        loop: The event loop to serve on.
        settings: Limits, timeouts and the app.
        host: Address to bind (ignored with ``sock``).
        port: Port to bind (ignored with ``sock``).
        sock: An already bound socket to accept connections from.
        ssl: An ``SSLContext`` to serve HTTPS.
        reuse_port: Set ``SO_REUSEPORT`` when binding.
        backlog: The listen queue length.
        protocol: The protocol class, built with the seven documented arguments.
        listeners: Lists of ``f(app, loop)`` keyed by ``before_start``,
            ``after_start``, ``before_stop`` and ``after_stop``.

    Attributes:
        connections: The open connections (protocol objects).
        signal: The shutdown flag shared with every connection.
        server: The ``asyncio.Server`` once started.
    """

    def __init__(
        self,
        request_handler: RequestHandler,
        error_handler: ErrorHandler,
        *,
        loop: asyncio.AbstractEventLoop,
        settings: ServerSettings,
        host: str | None = None,
        port: int | None = None,
        sock: socket.socket | None = None,
        ssl: ssl_module.SSLContext | None = None,
        reuse_port: bool = False,
        backlog: int = DEFAULT_BACKLOG,
        protocol: ProtocolFactory = HttpProtocol,
        listeners: dict[str, Listeners] | None = None,
    ) -> None:
        self.request_handler = request_handler
        self.error_handler = error_handler
        self.loop = loop
        self.settings = settings
        self.host, self.port, self.sock = host, port, sock
        self.ssl = ssl
        self.reuse_port = reuse_port
        self.backlog = backlog
        self.protocol = protocol
        self.listeners = listeners or {}
        self.connections: set[asyncio.Protocol] = set()
        self.signal = Signal()
        self.server: asyncio.Server | None = None
        self._stopped = False

    def make_protocol(self) -> asyncio.Protocol:
        """One connection's protocol, built as the server builds it per connection.

        The protocol class gets the guide's seven keyword arguments, then this
        server's ``settings`` attribute; the caller hands it a transport with
        ``connection_made``. The listening socket calls this for every accepted
        connection; sanic-testing's in-process client calls it to run the same
        protocol over an in-memory transport.

        Returns:
            The protocol, not connected yet.
        """
        connection = self.protocol(
            loop=self.loop,
            connections=self.connections,
            signal=self.signal,
            request_handler=self.request_handler,
            error_handler=self.error_handler,
            request_timeout=self.settings.request_timeout,
            request_max_size=self.settings.request_max_size,
        )
        # Bound per connection, after construction, so the constructor keeps the
        # guide's seven arguments; the protocol reads it in connection_made().
        connection.settings = self.settings  # type: ignore[attr-defined]
        return connection

    async def start(self, *, listen: bool = True) -> asyncio.Server | None:
        """Run ``before_start``, start listening, run ``after_start``.

        Args:
            listen: ``False`` runs the listeners without opening a listening
                socket: connections then come only from :meth:`make_protocol`
                (the in-process test client).

        Returns:
            The listening ``asyncio.Server`` (``None`` when not listening).
        """
        app, loop = self.settings.app, self.loop
        await trigger_listeners(self.listeners.get("before_start"), app, loop)
        if not listen:
            pass
        elif self.sock is not None:
            self.server = await loop.create_server(
                self.make_protocol, sock=self.sock, ssl=self.ssl, backlog=self.backlog
            )
        else:
            self.server = await loop.create_server(
                self.make_protocol,
                self.host,
                self.port or 0,
                ssl=self.ssl,
                reuse_port=self.reuse_port or None,
                backlog=self.backlog,
            )
        await trigger_listeners(self.listeners.get("after_start"), app, loop)
        return self.server

    # The asyncio.Server surface, so callers of serve(run_async=True) can treat
    # this object like the listening server it wraps.

    def is_serving(self) -> bool:
        """Whether the listening socket accepts connections."""
        return self.server is not None and self.server.is_serving()

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        """The listening sockets (empty before ``start()``)."""
        return tuple(self.server.sockets) if self.server is not None else ()

    def close(self) -> None:
        """Stop accepting at once (no listeners, no grace: see ``stop()``)."""
        self.signal.stopped = True
        if self.server is not None:
            self.server.close()

    async def wait_closed(self) -> None:
        """Wait until the listening socket is closed."""
        if self.server is not None:
            await self.server.wait_closed()

    async def stop(self) -> None:
        """Shut down gracefully (see the module docstring); runs once."""
        if self._stopped:
            return
        self._stopped = True
        self.signal.stopped = True
        app, loop = self.settings.app, self.loop
        await trigger_listeners(self.listeners.get("before_stop"), app, loop)
        grace = self.settings.graceful_shutdown_timeout
        deadline = loop.time() + grace
        accepting = self._close_listener() if self.server is not None else []
        for connection in list(self.connections):
            begin = getattr(connection, "begin_shutdown", None)
            if begin is None:  # a protocol of another kind
                begin = getattr(connection, "close_if_idle", None)
            if begin is not None:
                begin()
        while loop.time() < deadline and (
            self.connections or not all(task.done() for task in accepting)
        ):
            await asyncio.sleep(_SHUTDOWN_POLL)
        for task in accepting:
            task.cancel()
        if self.connections:
            error_logger.warning(
                "shutdown: closing %d connection(s) still open after the %g s "
                "grace period (GRACEFUL_SHUTDOWN_TIMEOUT)",
                len(self.connections),
                grace,
            )
        for connection in list(self.connections):
            transport = getattr(connection, "transport", None)
            if transport is not None:
                transport.abort()
        # Let connection_lost run for what was just aborted.
        for _ in range(3):
            await asyncio.sleep(0)
        if self.server is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.server.wait_closed(), 1.0)
        await trigger_listeners(self.listeners.get("after_stop"), app, loop)

    def _close_listener(self) -> list[asyncio.Task[object]]:
        """Stop listening, first accepting the connections waiting in the backlog.

        Closing a listening socket resets the connections the kernel has queued
        for it, whose clients may have sent a request already. A duplicate of
        the socket keeps the queue alive while the loop stops listening; what it
        holds is accepted and served like any connection (its protocol sees the
        shutdown in ``connection_made``).

        Returns:
            The tasks connecting the accepted sockets (a TLS handshake each).
        """
        assert self.server is not None
        held: list[socket.socket] = []
        for listening in self.server.sockets:
            with contextlib.suppress(OSError):
                held.append(socket.socket(fileno=os.dup(listening.fileno())))
        self.server.close()
        accepted: list[socket.socket] = []
        for listening in held:
            with listening:
                listening.setblocking(False)
                with contextlib.suppress(OSError):  # EAGAIN: the queue is empty
                    while True:
                        accepted.append(listening.accept()[0])
        return [self.loop.create_task(self._serve_accepted(sock)) for sock in accepted]

    async def _serve_accepted(self, sock: socket.socket) -> object:
        try:
            return await self.loop.connect_accepted_socket(
                self.make_protocol, sock, ssl=self.ssl
            )
        except (OSError, ssl_module.SSLError) as exc:
            error_logger.debug("a connection from the backlog failed: %r", exc)
            sock.close()
            return None
        except asyncio.CancelledError:  # the grace period ended first
            sock.close()
            raise


def serve(
    *,
    request_handler: RequestHandler,
    error_handler: ErrorHandler,
    settings: ServerSettings | None = None,
    host: str | None = None,
    port: int | None = None,
    sock: socket.socket | None = None,
    ssl: ssl_module.SSLContext | None = None,
    reuse_port: bool = False,
    backlog: int = DEFAULT_BACKLOG,
    loop: asyncio.AbstractEventLoop | None = None,
    protocol: ProtocolFactory = HttpProtocol,
    before_start: Listeners = None,
    after_start: Listeners = None,
    before_stop: Listeners = None,
    after_stop: Listeners = None,
    register_sys_signals: bool = True,
    run_async: bool = False,
    listen: bool = True,
) -> Coroutine[object, object, HttpServer] | None:
    """Serve HTTP until SIGINT or SIGTERM, then shut down gracefully.

    Every argument is a keyword; every limit, timeout and the app travel in the
    one ``settings`` value (``ServerSettings.from_config(app.config, ...)`` for an
    app's config), so nothing here overrides a field of it.

    Args:
        request_handler: ``async handler(request, write_callback)``.
        error_handler: Its ``response(request_or_None, exception)`` answers
            requests the server refuses (400, 408, 413, 414, 431, 503).
        settings: Limits, timeouts, logging, the request class and the app
            (default: ``ServerSettings()``, the documented defaults).
        host: Address to bind, such as ``"127.0.0.1"`` (ignored with ``sock``).
        port: Port to bind; ``0`` picks a free one (ignored with ``sock``).
        sock: A bound socket to use instead of ``host``/``port``.
        ssl: An ``SSLContext`` to serve HTTPS.
        reuse_port: Set ``SO_REUSEPORT`` when binding.
        backlog: The listen queue length.
        loop: The loop to run on; by default a new uvloop (or asyncio) loop,
            closed afterwards.
        protocol: An ``HttpProtocol`` subclass (or any protocol taking the same
            seven keyword arguments).
        before_start: Listeners run before the socket accepts connections.
        after_start: Listeners run once it does.
        before_stop: Listeners run when shutdown begins, before it stops accepting.
        after_stop: Listeners run after every connection has closed.
        register_sys_signals: Stop on SIGINT and SIGTERM.
        run_async: Return a coroutine instead of running: awaiting it (inside a
            running loop) runs the start listeners and returns the started
            :class:`HttpServer`; ``await server.stop()`` shuts it down gracefully
            (stop listeners included), ``close()`` just stops accepting.
        listen: With ``run_async``, ``False`` starts the server (listeners
            included) without a listening socket; its connections come from
            ``server.make_protocol()`` (what the in-process test client does).

    Returns:
        The coroutine when ``run_async`` is true, else ``None`` after shutdown.

    Raises:
        ValueError: ``listen=False`` without ``run_async=True``.
    """
    resolved = settings if settings is not None else ServerSettings()
    listeners: dict[str, Listeners] = {
        "before_start": before_start,
        "after_start": after_start,
        "before_stop": before_stop,
        "after_stop": after_stop,
    }

    def build(on: asyncio.AbstractEventLoop) -> HttpServer:
        return HttpServer(
            request_handler,
            error_handler,
            loop=on,
            settings=resolved,
            host=host,
            port=port,
            sock=sock,
            ssl=ssl,
            reuse_port=reuse_port,
            backlog=backlog,
            protocol=protocol,
            listeners=listeners,
        )

    if run_async:
        return _start_in_running_loop(build, loop, listen)
    if not listen:
        raise ValueError("serve(listen=False) needs run_async=True")
    own_loop = loop is None
    if loop is None:
        loop = new_event_loop()
        asyncio.set_event_loop(loop)
    server = build(loop)
    # SIGINT/SIGTERM stay blocked until the loop runs: uvloop drops a signal that
    # arrives while it is not running, so one sent just after a fork would be lost.
    blocked = _block_stop_signals() if register_sys_signals else False
    # Handlers go in before the socket listens: a signal in between would
    # otherwise meet the default action and kill the process mid-request.
    serving = [False]
    try:
        registered = (
            _add_signal_handlers(loop, server.signal, serving)
            if register_sys_signals
            else []
        )
        try:
            # Start and serve in one run of the loop, so no signal can fall into
            # a gap between two runs.
            starting = loop.create_task(_start_serving(server, serving, blocked))
            try:
                loop.run_forever()
            except KeyboardInterrupt:
                server.signal.stopped = True
            if not starting.done():  # stopped while the start listeners ran
                loop.run_until_complete(starting)
            starting.result()  # a failed start raises here, with no stop()
            loop.run_until_complete(server.stop())
        finally:
            if blocked:
                # A repeated stop signal is ignored during shutdown; so is one
                # arriving as the handlers go: held, then discarded below.
                _block_stop_signals()
            for signum in registered:
                loop.remove_signal_handler(signum)
    finally:
        if blocked:
            _discard_pending(_STOP_SIGNALS)
            _unblock_stop_signals()
        if own_loop:
            _close_loop(loop)
    return None


async def _start_serving(
    server: HttpServer, serving: list[bool], blocked: bool
) -> None:
    """Unblock the stop signals, start the server, then serve until stopped."""
    if blocked:
        _unblock_stop_signals()
    try:
        await server.start()
    except BaseException:
        server.loop.stop()
        raise
    serving[0] = True
    if server.signal.stopped:  # a signal arrived while the start listeners ran
        server.loop.stop()


_STOP_SIGNALS = frozenset({signal_module.SIGINT, signal_module.SIGTERM})


def _block_stop_signals() -> bool:
    """Block SIGINT/SIGTERM in this thread (main thread, POSIX); say if done."""
    if (
        not hasattr(signal_module, "pthread_sigmask")
        or threading.current_thread() is not threading.main_thread()
    ):
        return False
    signal_module.pthread_sigmask(signal_module.SIG_BLOCK, _STOP_SIGNALS)
    return True


def _unblock_stop_signals() -> None:
    signal_module.pthread_sigmask(signal_module.SIG_UNBLOCK, _STOP_SIGNALS)


def _discard_pending(signals: frozenset[int]) -> None:
    """Consume those of ``signals`` that are pending (blocked) in this thread."""
    while pending := signal_module.sigpending() & signals:
        signal_module.sigwait(pending)


@contextlib.contextmanager
def hold_stop_signals(enabled: bool = True) -> Iterator[None]:
    """Hold SIGINT/SIGTERM back until :func:`serve` or :func:`serve_multiple`
    handles them.

    For code that binds its socket before calling them (as sanic-core's
    ``app.run()`` does): a stop signal sent in between is blocked, then
    delivered once the server's handlers are in place (the server unblocks it
    when it runs), so it stops the server gracefully instead of raising
    ``KeyboardInterrupt`` at whatever line was running. Both signals are
    unblocked when the block ends; if it ends with an exception, a signal
    still held is discarded (it would otherwise interrupt the exception's
    handling). Does nothing outside the main thread, where no handler can be
    installed, or on a platform without ``pthread_sigmask``.

    Args:
        enabled: ``False`` makes it do nothing (for
            ``register_sys_signals=False``: the caller handles its signals).
    """
    if not enabled or not _block_stop_signals():
        yield
        return
    try:
        yield
    except BaseException:
        _discard_pending(_STOP_SIGNALS)
        raise
    finally:
        _unblock_stop_signals()


async def _start_in_running_loop(
    build: Callable[[asyncio.AbstractEventLoop], HttpServer],
    loop: asyncio.AbstractEventLoop | None,
    listen: bool,
) -> HttpServer:
    server = build(loop or asyncio.get_running_loop())
    await server.start(listen=listen)
    return server


def _add_signal_handlers(
    loop: asyncio.AbstractEventLoop, signal: Signal, serving: list[bool]
) -> list[int]:
    """Stop the loop on the first SIGINT/SIGTERM; ignore repeats during shutdown.

    Until ``serving[0]`` is true (the start listeners still run) a signal only
    sets the flag: stopping the loop then would abandon the start half-done.
    """

    def on_signal() -> None:
        if not signal.stopped:
            signal.stopped = True
            if serving[0]:
                loop.stop()

    registered: list[int] = []
    for signum in (signal_module.SIGINT, signal_module.SIGTERM):
        try:
            loop.add_signal_handler(signum, on_signal)
        except (NotImplementedError, RuntimeError, ValueError):
            continue  # not the main thread, or a platform without it
        registered.append(signum)
    return registered


def _close_loop(loop: asyncio.AbstractEventLoop) -> None:
    try:
        tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        # Join the default executor's threads (file reads) instead of leaving
        # them behind the closed loop; bounded, a thread may be stuck in I/O.
        with contextlib.suppress(asyncio.TimeoutError):
            loop.run_until_complete(
                asyncio.wait_for(loop.shutdown_default_executor(), _EXECUTOR_WAIT)
            )
    finally:
        asyncio.set_event_loop(None)
        loop.close()
