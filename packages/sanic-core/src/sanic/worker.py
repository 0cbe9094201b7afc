"""``sanic.worker.GunicornWorker``: the native server inside gunicorn's arbiter.

``gunicorn mod:app -k sanic.worker.GunicornWorker -w 4`` runs sanic-http's
httptools protocol in every worker process, on the sockets gunicorn bound (every
``--bind``), built from the app's config exactly as ``app.run`` builds it. What
gunicorn decides, per worker:

* the heartbeat: the worker notifies the arbiter every second from its loop, so
  a loop blocked for longer than ``--timeout`` gets the worker killed and
  replaced;
* ``--max-requests`` (with ``--max-requests-jitter``): the worker counts the
  requests it receives and, at the limit, stops gracefully; the arbiter starts
  a new one;
* ``app.restart()`` in a worker sends ``HUP`` to the arbiter: new workers
  start, then the old ones stop gracefully;
* ``TERM`` (and so ``HUP``, which replaces every worker): a graceful stop, as
  ``app.run`` stops on ``SIGTERM``: requests in flight and already sent are
  answered, idle connections close, what is still open after
  ``--graceful-timeout`` (less a second for the stop listeners) is cut and
  counted in the log; ``INT`` and ``QUIT``: a quick stop, with no grace;
* TLS from ``--certfile``/``--keyfile`` (gunicorn's own ``SSLContext``);
* the logs: ``sanic.access`` lines go to gunicorn's access log when
  ``--access-logfile`` is given (and only then), the other ``sanic.*`` logs to
  gunicorn's error log unless the program configured them.

The app's listeners run in every worker with its loop (``before_server_start``,
``after_server_start``, then the stop ones; a start listener that raises stops
gunicorn with "Worker failed to boot" and the exception in its log, as an app
that cannot be imported does), and the loop is uvloop unless
``SANIC_NO_UVLOOP`` is set. gunicorn is an optional dependency (the ``gunicorn``
extra: ``pip install --no-index --find-links dist "sanic-core[gunicorn]"`` after
``nox -s wheels``) imported by this module only; without it, importing this
module says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import ssl
import sys
from typing import TYPE_CHECKING, Any

from sanic_http import HttpServer, new_event_loop, trigger_listeners
from sanic_http.log import access_logger

from ._install import GUNICORN, hint

try:
    from gunicorn.workers.base import Worker
except ModuleNotFoundError as exc:  # the extra is not installed
    if (exc.name or "").partition(".")[0] != "gunicorn":
        raise
    raise ModuleNotFoundError(
        f"sanic.worker needs gunicorn, which is not installed: {hint(GUNICORN)}",
        name="gunicorn",
    ) from None

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from sanic_http import WriteCallback

    from .app import Sanic
    from .request import Request

    Handler = Callable[[Request, WriteCallback], Coroutine[Any, Any, None]]

__all__ = ["GunicornWorker"]

#: Seconds between two heartbeats (gunicorn's ``--timeout`` is far longer).
HEARTBEAT_INTERVAL = 1.0
#: The exit status that tells gunicorn's arbiter a worker failed to boot (it
#: then stops, as when the app cannot be imported).
WORKER_BOOT_ERROR = 3
#: Seconds of ``--graceful-timeout`` kept for the stop listeners after the grace.
STOP_LISTENER_MARGIN = 1.0


class _Forward(logging.Handler):
    """Hands the records of a ``sanic.*`` logger to one of gunicorn's loggers."""

    def __init__(self, target: logging.Logger) -> None:
        super().__init__()
        self.target = target

    def emit(self, record: logging.LogRecord) -> None:
        if self.target.isEnabledFor(record.levelno):
            self.target.handle(record)


def ssl_context(cfg: Any) -> ssl.SSLContext:
    """The ``SSLContext`` gunicorn's TLS options describe.

    gunicorn's own factory (which honours an ``ssl_context`` hook in the config
    file) when the installed version has one, else one built from
    ``--certfile``, ``--keyfile``, ``--ca-certs``, ``--cert-reqs`` and
    ``--ciphers``.
    """
    try:
        from gunicorn.sock import ssl_context as gunicorn_ssl_context
    except ImportError:  # gunicorn before 21
        context = ssl.create_default_context(
            ssl.Purpose.CLIENT_AUTH, cafile=cfg.ca_certs
        )
        context.load_cert_chain(certfile=cfg.certfile, keyfile=cfg.keyfile)
        context.verify_mode = cfg.cert_reqs
        if cfg.ciphers:
            context.set_ciphers(cfg.ciphers)
        return context
    built: ssl.SSLContext = gunicorn_ssl_context(cfg)
    return built


class GunicornWorker(Worker):  # type: ignore[misc]  # gunicorn ships no types
    """A gunicorn worker serving the app (``mod:app``) with sanic-http's protocol.

    Use it with ``-k sanic.worker.GunicornWorker``; everything it does is in the
    module docstring.
    """

    # Set by gunicorn's Worker.__init__.
    alive: bool
    nr: int
    max_requests: int
    timeout: float
    ppid: int

    def init_process(self) -> None:
        """Create the worker's loop (uvloop unless ``SANIC_NO_UVLOOP``), then
        let gunicorn load the app and call :meth:`run`."""
        self.loop = new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.servers: list[HttpServer] = []
        self.quick = False
        self.serving = False
        self.stopping = False
        super().init_process()

    def run(self) -> None:
        """Serve until a stop signal, the request limit or a new parent."""
        app: Sanic = self.wsgi
        if not hasattr(app, "_serve_arguments"):
            raise TypeError(
                f"sanic.worker.GunicornWorker serves a Sanic app, not {app!r}: "
                "point gunicorn at the Sanic instance (mod:app)"
            )
        loop = self.loop
        app._restart_workers = self.restart_arbiter
        try:
            arguments = self._arguments(app)
            for signum in (signal.SIGINT, signal.SIGQUIT):
                loop.add_signal_handler(signum, self.stop, True)
            loop.add_signal_handler(signal.SIGTERM, self.stop, False)
            loop.add_signal_handler(signal.SIGUSR1, self.log.reopen_files)
            heartbeat = loop.create_task(self._heartbeat())
            starting = loop.create_task(self._start(app, arguments))
            loop.run_forever()
            if not starting.done():  # stopped while the start listeners ran
                loop.run_until_complete(asyncio.wait([starting]))
            self.stopping = True
            if not starting.cancelled() and starting.exception() is not None:
                # As gunicorn treats an app that fails to load: the arbiter
                # stops instead of starting workers that fail the same way.
                self.log.exception(
                    "a start listener failed", exc_info=starting.exception()
                )
                sys.exit(WORKER_BOOT_ERROR)
            loop.run_until_complete(self._stop(app, arguments))
            heartbeat.cancel()
        finally:
            app.is_running = False
            self._close_loop()

    def _arguments(self, app: Sanic) -> dict[str, Any]:
        """What ``app.run`` would serve with, with gunicorn's settings in it."""
        cfg = self.cfg
        self._route_logs()
        arguments = app._serve_arguments(
            loop=self.loop,
            ssl=ssl_context(cfg) if cfg.is_ssl else None,
            backlog=cfg.backlog,
            register_sys_signals=False,
            access_log=bool(cfg.accesslog),
            run_async=True,
        )
        grace = max(
            cfg.graceful_timeout - STOP_LISTENER_MARGIN, cfg.graceful_timeout / 2
        )
        settings = arguments["settings"].replace(graceful_shutdown_timeout=grace)
        arguments["settings"] = settings
        app._server_settings = settings
        handler: Handler = app.handle_request
        if cfg.max_requests > 0:
            handler = self._counting(handler)
        arguments["request_handler"] = handler
        return arguments

    def _counting(self, handler: Handler) -> Handler:
        """``handler``, counting requests: at ``self.max_requests`` (gunicorn's
        ``--max-requests`` plus jitter) the worker stops gracefully."""
        limit = self.max_requests

        async def counted(request: Request, write: WriteCallback) -> None:
            self.nr += 1
            if self.nr == limit:
                self.log.info("Autorestarting worker after current request.")
                self.stop(False)
            await handler(request, write)

        return counted

    def _route_logs(self) -> None:
        """``sanic.access`` to gunicorn's access log (only with
        ``--access-logfile``), the other ``sanic.*`` logs to its error log
        unless the program gave the ``sanic`` logger handlers of its own."""
        access = getattr(self.log, "access_log", None)
        if self.cfg.accesslog and access is not None:
            access_logger.addHandler(_Forward(access))
            access_logger.setLevel(logging.INFO)
            access_logger.propagate = False
        errors = getattr(self.log, "error_log", None)
        root = logging.getLogger("sanic")
        if errors is not None and not root.handlers:
            root.addHandler(_Forward(errors))
            root.setLevel(errors.getEffectiveLevel())

    async def _start(self, app: Sanic, arguments: dict[str, Any]) -> None:
        """The start listeners, one server per gunicorn socket, then serving
        (a failure stops the loop: :meth:`run` reports it)."""
        try:
            await self._start_servers(app, arguments)
        except BaseException:
            self.loop.stop()
            raise

    async def _start_servers(self, app: Sanic, arguments: dict[str, Any]) -> None:
        loop = self.loop
        app.is_running = True
        await trigger_listeners(arguments["before_start"], app, loop)
        for listening in self.sockets:
            server = HttpServer(
                arguments["request_handler"],
                arguments["error_handler"],
                loop=loop,
                settings=arguments["settings"],
                sock=getattr(listening, "sock", listening),
                ssl=arguments["ssl"],
                backlog=arguments["backlog"],
                protocol=arguments["protocol"],
            )
            self.servers.append(server)
            await server.start()
        await trigger_listeners(arguments["after_start"], app, loop)
        self.log.info("Sanic app %r serving in worker %s", app.name, os.getpid())
        self.serving = True
        if not self.alive:  # a stop signal arrived while the listeners ran
            loop.stop()

    async def _stop(self, app: Sanic, arguments: dict[str, Any]) -> None:
        """``before_server_stop``, every server's graceful stop (no grace for a
        quick stop), then ``after_server_stop``."""
        loop = self.loop
        await trigger_listeners(arguments["before_stop"], app, loop)
        for server in self.servers:
            if self.quick:
                server.settings = server.settings.replace(graceful_shutdown_timeout=0)
        await asyncio.gather(*(server.stop() for server in self.servers))
        await trigger_listeners(arguments["after_stop"], app, loop)

    def stop(self, quick: bool) -> None:
        """Begin stopping (the signal handlers, the request limit, a new parent).

        Args:
            quick: ``INT``/``QUIT``: cut open connections at once.
        """
        if quick and not self.quick:
            self.quick = True
            self.cfg.worker_int(self)
            if self.stopping:  # a graceful stop runs: cut what it waits for
                for server in self.servers:
                    for connection in list(server.connections):
                        transport = getattr(connection, "transport", None)
                        if transport is not None:
                            transport.abort()
                return
        if self.alive and not self.stopping:
            self.alive = False
            if self.serving:
                self.loop.stop()
        elif quick and self.serving and not self.stopping:
            self.loop.stop()

    def restart_arbiter(self) -> None:
        """``app.restart()`` here: ``HUP`` to gunicorn's arbiter, which starts
        new workers, then stops the old ones (this one too) gracefully."""
        os.kill(self.ppid, signal.SIGHUP)

    def handle_abort(self, sig: int, frame: object) -> None:
        """``ABRT``: the arbiter's worker timeout (the loop stopped answering).

        The loop is blocked, so nothing can stop gracefully: exit at once,
        rather than raise ``SystemExit`` into whatever frame is blocked, where
        a callback of the loop may catch it and keep the worker running.
        """
        self.alive = False
        self.cfg.worker_abort(self)
        sys.stderr.flush()
        os._exit(1)

    async def _heartbeat(self) -> None:
        """Tell the arbiter this worker's loop runs; stop when the parent changed."""
        interval = min(HEARTBEAT_INTERVAL, self.timeout)
        while True:
            self.notify()
            if self.alive and self.ppid != os.getppid():
                self.log.info("Parent changed, shutting down: %s", self)
                self.stop(False)
            await asyncio.sleep(interval)

    def _close_loop(self) -> None:
        loop = self.loop
        try:
            tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in tasks:
                task.cancel()
            if tasks:
                loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            asyncio.set_event_loop(None)
            with contextlib.suppress(RuntimeError):
                loop.close()
