"""Running an app: ``run()``, ``create_server()``, ``stop()`` and ``add_task()``.

The config becomes one ``ServerSettings`` value at startup, the router is compiled
once, the listener lists are put in the order they run, and sanic-http's
``serve()`` (or ``serve_multiple()`` for workers) takes it from there.

Listener order: ``before_server_start`` and ``after_server_start`` listeners run
in registration order, ``before_server_stop`` and ``after_server_stop`` ones in
reverse registration order, so teardown mirrors setup. A blueprint's listeners
are registered on the app when the blueprint is, so they take their place in the
same order.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import socket
from typing import TYPE_CHECKING, Any

from sanic_http import (
    DEFAULT_BACKLOG,
    HttpProtocol,
    HttpServer,
    SanicException,
    ServerSettings,
    WriteCallback,
    bind_socket,
    hold_stop_signals,
    request_rolling_restart,
    request_server_stop,
    serve,
    serve_multiple,
    supervisor_pid,
    unix_socket,
)

from ._tasks import BackgroundTasks, Task
from .config import DEFAULT_CONFIG
from .handlers import check_error_format
from .log import configure_logging, logger
from .server import trigger_events

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from ssl import SSLContext

    from sanic_router import Router

    from ._streaming import StreamCheck
    from ._upgrade import UpgradeCheck
    from .config import Config
    from .handlers import ErrorHandler
    from .request import Request

__all__ = ["RunMixin"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: ``run()`` keywords beyond ``serve()``'s that it handles itself.
_RUN_KEYWORDS = ("auto_reload", "reload_dir")
_ERROR_FORMAT_KEY = "FALLBACK_ERROR_FORMAT"


def _where(
    host: str, port: int, sock: socket.socket | None, ssl: SSLContext | None
) -> str:
    if sock is not None:
        bound = sock.getsockname()
        if isinstance(bound, tuple):
            host, port = bound[0], bound[1]
        else:
            return f"unix:{bound}"
    scheme = "https" if ssl is not None else "http"
    return f"{scheme}://{_host_port(host, port)}"


def _host_port(host: str, port: int) -> str:
    """``host:port``, an IPv6 address in brackets (``[::1]:8000``)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


#: What ``**kwargs`` of ``run()``/``create_server()`` may hold: ``serve()``'s
#: keywords (derived once from its signature).
_SERVE_KEYWORDS = frozenset(inspect.signature(serve).parameters)


def _check_keywords(
    caller: Callable[..., object], given: Iterable[str], also: Iterable[str] = ()
) -> None:
    """Refuse a keyword that neither ``serve()`` nor ``caller`` takes, naming
    ``caller`` as Python would (``app.run() got an unexpected keyword ...``).

    Args:
        caller: ``RunMixin.run`` or ``RunMixin.create_server``.
        given: The names in its ``**kwargs``.
        also: More names ``caller`` handles itself (``auto_reload``).

    Raises:
        TypeError: A name is unknown; the closest known one is suggested.
    """
    known = _SERVE_KEYWORDS.union(also)
    for name in given:
        if name in known:
            continue
        own = inspect.signature(caller).parameters
        words = known.union(
            key
            for key, value in own.items()
            if value.kind is value.KEYWORD_ONLY
            or value.kind is value.POSITIONAL_OR_KEYWORD
        ) - {"self"}
        message = f"app.{caller.__name__}() got an unexpected keyword argument {name!r}"
        import difflib  # an error path: not at import (startup time)

        close = difflib.get_close_matches(name, sorted(words), n=1)
        if close:
            message += f". Did you mean {close[0]!r}?"
        raise TypeError(message)


def _listen(host: str, port: int, backlog: int, reuse_port: bool) -> socket.socket:
    """The listening socket of ``run()``, bound before any listener runs.

    Raises:
        SystemExit: It cannot be bound (address in use, permission denied,
            unknown host...): the one line ``cannot listen on host:port:
            reason`` (status 1 when uncaught; ``__cause__`` is the OSError).
    """
    try:
        return bind_socket(host, port, backlog=backlog, reuse_port=reuse_port)
    except OSError as exc:
        raise _cannot_listen(_host_port(host, port), exc) from exc


def _cannot_listen(where: str, exc: OSError) -> SystemExit:
    """The one line ``cannot listen on <where>: <reason>`` for a bind error."""
    reason = exc.strerror or str(exc)
    reason = reason[:1].lower() + reason[1:]
    return SystemExit(f"cannot listen on {where}: {reason}")


def _remember_loop(app: RunMixin, loop: asyncio.AbstractEventLoop) -> None:
    """The first start listener: lets ``app.stop()`` find the server's loop."""
    app._server_loop = loop


def _check_auto_reload(auto_reload: bool | None) -> None:
    """``auto_reload`` reaching the server (``create_server``) changes nothing."""
    if auto_reload:
        logger.warning(
            "auto_reload=True: only app.run() reloads on code changes; "
            "serving without it"
        )


class RunMixin:
    """The ways to start and stop an app's server."""

    is_running: bool = False
    #: Set by ``python -m sanic`` while it imports the app's module.
    _loading_for_cli: bool = False
    _server_loop: asyncio.AbstractEventLoop | None = None
    #: The settings of the latest server started (``_serve_arguments``).
    _server_settings: ServerSettings | None = None
    #: How :meth:`restart` asks for new workers where another process manager
    #: supervises them (the gunicorn worker sets it: ``SIGHUP`` to its arbiter);
    #: ``None``: sanic-http's worker supervisor.
    _restart_workers: Callable[[], None] | None = None

    def __init__(self) -> None:
        self._tasks = BackgroundTasks()
        super().__init__()

    if TYPE_CHECKING:  # provided by Sanic
        name: str
        config: Config
        router: Router
        error_handler: ErrorHandler
        request_class: type[Request]
        listeners: dict[str, list[Callable[..., object]]]

        async def handle_request(
            self, request: Request, write_callback: WriteCallback
        ) -> None: ...

        def _stream_check(self) -> StreamCheck | None: ...

        def _upgrade_check(self) -> UpgradeCheck: ...

        def _route_error_formats(
            self,
        ) -> dict[tuple[str | None, str | None], str]: ...

    def add_task(self, task: Task, *, name: str | None = None) -> None:
        """Run ``task`` in the background on the server's loop.

        ``task`` is a coroutine object, a coroutine function, or a function of the
        app returning a coroutine (``f(app)``; one taking no arguments is called
        without). Added before the server starts, it is scheduled right after
        each start (once per worker) before the ``after_server_start`` listeners;
        a coroutine object can be awaited once, so only the first start runs it.
        Added while a server runs, it is scheduled at once on that server's loop
        (from any thread). Tasks still running at shutdown are cancelled after
        the ``before_server_stop`` listeners and awaited for up to
        ``GRACEFUL_SHUTDOWN_TIMEOUT`` seconds. A task that raises is logged on
        ``sanic.error``; the server keeps serving.

        Args:
            task: What to run.
            name: A name, unique per app, for :meth:`get_task` and
                :meth:`cancel_task`; also the ``asyncio.Task``'s name.

        Raises:
            TypeError: ``task`` is neither awaitable nor a function taking no
                arguments or the app, or ``name`` is not a non-empty string.
            ValueError: A task named ``name`` is running, or was added and
                waits for the server to start.
        """
        self._tasks.add(self, task, name)

    def get_task(
        self, name: str, *, raise_exception: bool = True
    ) -> asyncio.Task[object] | None:
        """The ``asyncio.Task`` of the background task named ``name``.

        It is the task of the running server (in this worker): still running, or
        done (``task.done()``) until the name is added again. Once the server
        has stopped, or before it started, there is none.

        Raises:
            KeyError: No task of that name was scheduled on the running server
                (with ``raise_exception=False``, ``None`` is returned instead).
        """
        return self._tasks.get(name, raise_exception)

    async def cancel_task(
        self, name: str, msg: str | None = None, *, raise_exception: bool = True
    ) -> None:
        """Cancel the background task named ``name`` and wait until it ends.

        Awaited on the server's loop (in a handler, a listener or another
        task). The wait lasts at most ``GRACEFUL_SHUTDOWN_TIMEOUT`` seconds (a
        warning is logged for a task still running then). A task already done
        is left as it is. ``msg`` is passed to ``task.cancel(msg)``.

        Raises:
            KeyError: As for :meth:`get_task`.
            RuntimeError: Awaited on another loop than the task's.
        """
        await self._tasks.cancel_named(self, name, msg, raise_exception)

    def _websocket_settings(self) -> ServerSettings:
        """What a websocket route's handshake reads its limits from: the
        settings the server was started with, else (the app was never started,
        as when ``handle_request`` is driven directly) the config's."""
        settings = self._server_settings
        if settings is None:
            settings = ServerSettings.from_config(self.config)
        return settings

    def lifecycle_listeners(self) -> dict[str, list[Callable[..., object]]]:
        """The listeners a server runs for each event, in the order it runs them.

        Start events in registration order, stop events in reverse, with the
        app's own listeners for ``add_task`` around them. Computed once per start,
        by ``run()``/``create_server()`` and by test clients that run an app's
        lifecycle without a server of their own.

        Returns:
            A new list per event name (``before_server_start``, ...).
        """
        listeners = self.listeners
        tasks = self._tasks
        return {
            "before_server_start": [tasks.bind, *listeners["before_server_start"]],
            "after_server_start": [tasks.start, *listeners["after_server_start"]],
            "before_server_stop": [
                *reversed(listeners["before_server_stop"]),
                tasks.cancel,
            ],
            "after_server_stop": list(reversed(listeners["after_server_stop"])),
        }

    def _serve_arguments(
        self,
        *,
        host: str | None = None,
        port: int | None = None,
        debug: bool = False,
        ssl: SSLContext | None = None,
        sock: socket.socket | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        protocol: type[asyncio.Protocol] | None = None,
        backlog: int = DEFAULT_BACKLOG,
        register_sys_signals: bool = True,
        access_log: bool | None = None,
        run_async: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Everything ``serve()`` needs, computed once before the server starts.

        The limits and timeouts come from the config through
        ``ServerSettings.from_config``; ``access_log`` (when given) wins over
        ``ACCESS_LOG``, and ``debug=True`` sets ``DEBUG``.
        """
        config = self.config
        if debug:
            config.DEBUG = True
        settings = ServerSettings.from_config(
            config,
            request_class=self.request_class,
            app=self,
            # Finalizes the router; None when no route streams.
            stream_check=self._stream_check(),
            # Called only for requests that ask to upgrade.
            upgrade_check=self._upgrade_check(),
        )
        if access_log is not None:
            settings = settings.replace(access_log=access_log)
        self.error_handler.debug = settings.debug
        self.error_handler.fallback_format = check_error_format(
            config.get(_ERROR_FORMAT_KEY, DEFAULT_CONFIG[_ERROR_FORMAT_KEY]),
            f"config {_ERROR_FORMAT_KEY}=",
        )
        self.error_handler.route_formats = self._route_error_formats()
        self._server_settings = settings
        extra = dict(extra or {})
        _check_auto_reload(extra.pop("auto_reload", None))
        extra.pop("reload_dir", None)
        listeners = self.lifecycle_listeners()
        arguments: dict[str, Any] = {
            "host": DEFAULT_HOST if host is None else host,
            "port": DEFAULT_PORT if port is None else port,
            "request_handler": self.handle_request,
            "error_handler": self.error_handler,
            "settings": settings,
            "before_start": [_remember_loop, *listeners["before_server_start"]],
            "after_start": listeners["after_server_start"],
            "before_stop": listeners["before_server_stop"],
            "after_stop": listeners["after_server_stop"],
            "ssl": ssl,
            "sock": sock,
            "loop": loop,
            "protocol": protocol or HttpProtocol,
            "backlog": backlog,
            "register_sys_signals": register_sys_signals,
            "run_async": run_async,
        }
        arguments.update(extra)
        return arguments

    def run(
        self,
        host: str | None = None,
        port: int | None = None,
        debug: bool = False,
        ssl: SSLContext | None = None,
        sock: socket.socket | None = None,
        workers: int = 1,
        loop: asyncio.AbstractEventLoop | None = None,
        protocol: type[asyncio.Protocol] | None = None,
        backlog: int = DEFAULT_BACKLOG,
        register_sys_signals: bool = True,
        access_log: bool | None = None,
        *,
        unix: str | os.PathLike[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """Serve the app until SIGINT/SIGTERM or ``app.stop()``.

        Args:
            host: Address to listen on (default ``127.0.0.1``).
            port: Port to listen on (default 8000).
            debug: Debug mode: tracebacks in error pages, more logging.
            ssl: An ``SSLContext`` to serve HTTPS.
            sock: An already bound socket to accept connections from.
            workers: Number of worker processes (each runs the listeners).
            loop: An event loop to use instead of a new uvloop/asyncio one.
            protocol: An ``asyncio.Protocol`` subclass (default ``HttpProtocol``).
            backlog: The listen backlog.
            register_sys_signals: Stop gracefully on SIGINT/SIGTERM.
            access_log: Log every request (default: ``config.ACCESS_LOG``).
            unix: Serve on a unix domain socket at this path instead of
                ``host``/``port`` (every worker shares it). A socket file left
                by a server that is gone is replaced; the file gets mode
                ``0o666`` and is removed when the server stops.
            **kwargs: More ``serve()`` arguments (e.g. ``reuse_port``), and
                ``auto_reload=True``: serve from a child process and start a
                new one when the app's source files change (``sanic._reload``),
                with ``reload_dir``: more directories (one or a list) whose
                ``.py`` files are watched.

        The socket is bound (here, in the parent with ``workers > 1``) before
        any listener runs; the ``listening on`` line is logged once it is, with
        the real port (``port=0`` picks one).

        Raises:
            SystemExit: The address (or ``unix`` path) cannot be bound: the
                message is the one line
                ``cannot listen on 127.0.0.1:8000: address already in use`` (or
                the reason, such as ``permission denied``), which Python prints
                without a traceback before exiting with status 1; catch it to
                do otherwise (its ``__cause__`` is the ``OSError``).
            TypeError: A keyword argument that neither ``run()`` nor
                ``serve()`` takes (the closest known one is suggested).
            ValueError: A config value is invalid (the message names the key).
        """
        configure_logging(debug)
        if RunMixin._loading_for_cli:
            # ``python -m sanic module.app`` is importing a module that calls
            # app.run() unguarded (the guide's Getting Started file does): the
            # command line's settings win, so this call does nothing.
            logger.info("app.run() skipped: python -m sanic is loading the app")
            return
        _check_keywords(RunMixin.run, kwargs, _RUN_KEYWORDS)
        reload_dir = kwargs.pop("reload_dir", None)
        if kwargs.pop("auto_reload", None):
            from ._reload import reload_or_follow

            if reload_or_follow(self.config, sock, reload_dir):
                return
        # From the bind until the server's own handlers are in place, SIGINT and
        # SIGTERM are held back: one sent meanwhile then stops the server
        # gracefully instead of raising KeyboardInterrupt mid-start.
        with hold_stop_signals(register_sys_signals):
            if unix is not None:
                self._run_on_unix_socket(
                    unix,
                    sock,
                    host=host,
                    port=port,
                    debug=debug,
                    ssl=ssl,
                    workers=workers,
                    loop=loop,
                    protocol=protocol,
                    backlog=backlog,
                    register_sys_signals=register_sys_signals,
                    access_log=access_log,
                    **kwargs,
                )
                return
            arguments = self._serve_arguments(
                host=host,
                port=port,
                debug=debug,
                ssl=ssl,
                sock=sock,
                loop=loop,
                protocol=protocol,
                backlog=backlog,
                register_sys_signals=register_sys_signals,
                access_log=access_log,
                extra=kwargs,
            )
            own_sock = None
            if sock is None:
                # Bound here, before any listener runs: a port in use is one line
                # (SystemExit), and the line below shows the real port of port=0.
                sock = own_sock = arguments["sock"] = _listen(
                    arguments["host"],
                    arguments["port"],
                    backlog,
                    bool(arguments.get("reuse_port")),
                )
            where = _where(arguments["host"], arguments["port"], sock, ssl)
            logger.info(
                "Sanic app %r listening on %s (%d worker%s%s)",
                self.name,
                where,
                workers,
                "" if workers == 1 else "s",
                ", debug" if arguments["settings"].debug else "",
            )
            self.is_running = True
            try:
                if workers == 1:
                    serve(**arguments)
                else:
                    serve_multiple(arguments, workers)
                    # Each worker ran its own copy of an added coroutine object.
                    self._tasks.discard_unstarted()
            finally:
                self.is_running = False
                if own_sock is not None:
                    own_sock.close()
            logger.info("Server stopped")

    def _run_on_unix_socket(
        self, path: str | os.PathLike[str], sock: socket.socket | None, **run: Any
    ) -> None:
        """``run(unix=path)``: bind the socket, serve on it, remove its file."""
        if sock is not None:
            raise ValueError("run() takes either sock= or unix=, not both")
        with contextlib.ExitStack() as stack:
            try:
                bound = stack.enter_context(unix_socket(path, backlog=run["backlog"]))
            except OSError as exc:
                raise _cannot_listen(os.fspath(path), exc) from exc
            self.run(sock=bound, **run)

    async def create_server(
        self,
        host: str | None = None,
        port: int | None = None,
        debug: bool = False,
        ssl: SSLContext | None = None,
        sock: socket.socket | None = None,
        protocol: type[asyncio.Protocol] | None = None,
        backlog: int = DEFAULT_BACKLOG,
        access_log: bool | None = None,
        **kwargs: Any,
    ) -> HttpServer:
        """Start serving inside the running event loop and return the server.

        The start listeners have run when this returns. ``await server.stop()``
        shuts down gracefully (in-flight requests finish, stop listeners run);
        ``server.close()`` only stops accepting. ``auto_reload`` in ``kwargs`` is
        accepted and ignored (``True`` logs a warning: only ``run()`` reloads).

        Returns:
            sanic-http's ``HttpServer``.
        """
        _check_keywords(RunMixin.create_server, kwargs, ("auto_reload",))
        arguments = self._serve_arguments(
            host=host,
            port=port,
            debug=debug,
            ssl=ssl,
            sock=sock,
            loop=asyncio.get_running_loop(),
            protocol=protocol,
            backlog=backlog,
            register_sys_signals=False,
            access_log=access_log,
            run_async=True,
            extra=kwargs,
        )
        starting = serve(**arguments)
        assert starting is not None  # run_async=True always returns the coroutine
        return await starting

    def trigger_events(
        self,
        events: Iterable[Callable[[asyncio.AbstractEventLoop], object]] | None,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        """Call each ``event(loop)``, running a coroutine result to completion
        (Sanic 18.12's name for :func:`sanic.server.trigger_events`)."""
        trigger_events(events, loop)

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The event loop the app's server runs on (in this worker).

        Raises:
            SanicException: No server has started yet, or it has stopped.
        """
        loop = self._server_loop
        if loop is None or loop.is_closed():
            raise SanicException(
                "app.loop is only available while the server runs: use it in a "
                "listener, a handler or a task (see app.add_task)"
            )
        return loop

    def stop(self) -> None:
        """Stop the server started by ``run()``: in-flight requests still finish.

        In a worker of ``run(workers=N)`` this stops the whole server: the worker
        exits with ``sanic_http.STOP_SERVER_EXIT_CODE`` and the supervising process
        then stops every other worker gracefully and returns (any other end of
        a worker gets it replaced). Does nothing when no server loop is known and
        none is running, or when the server has already stopped.
        """
        if supervisor_pid() is not None:
            request_server_stop()
        loop = self._server_loop
        if loop is None:
            # Only a loop that already runs: the policy's get_event_loop() would
            # create (and leave unclosed) a new loop in the main thread.
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return
        # Thread-safe: tests and embedding code call stop() from other threads.
        with contextlib.suppress(RuntimeError):  # closed: that server is gone
            loop.call_soon_threadsafe(loop.stop)

    def restart(self) -> None:
        """Restart the workers of ``run(workers=N)`` one at a time, failing no request.

        Call it in a worker (a handler, a listener, a task): it asks the
        supervising process for a rolling restart (``SIGHUP`` to it, which is
        what ``kill -HUP <supervisor pid>`` does; the startup log prints that
        pid) and returns at once. The supervisor starts a new worker, waits until
        it serves, then stops one old worker gracefully, and so on. Workers are
        forked from the supervisor, so they run the code it imported: a code
        change needs a full restart (or the reloader).

        In a worker of gunicorn (``-k sanic.worker.GunicornWorker``) it sends
        ``SIGHUP`` to gunicorn's arbiter instead, which starts new workers
        before stopping the old ones gracefully (and, without ``--preload``,
        the new workers import the app's code again).

        Raises:
            RuntimeError: The app is not served by supervised workers here
                (``workers=1``, ``create_server()``, a test client, no server).
        """
        restart = self._restart_workers
        if restart is not None:
            restart()
            return
        request_rolling_restart()
