"""``serve_multiple()``: N supervised worker processes sharing one listening socket.

The parent binds the socket once and forks the workers; each worker runs
``serve()`` on the shared socket (the kernel spreads connections across them),
with its own event loop and its own listeners. The parent serves nothing: it
supervises.

- A worker tells the parent it is serving (after its ``after_start``
  listeners) by writing its pid to a pipe created before the fork.
- A worker that exits or is killed is replaced at once, with a log line naming
  the pid, how it ended and the pid of its replacement. One that exits before
  it was ready (a start listener raised) is started again after a back-off:
  ``BACKOFF_FIRST`` seconds, doubled for each further crash at start up to
  ``BACKOFF_MAX``, and back to the first delay once the workers have served
  for ``BACKOFF_RESET`` seconds without one.
- ``SIGHUP`` restarts the workers one at a time (a rolling restart): a new
  worker is started and reports ready (within ``READY_TIMEOUT``) before one old
  worker gets SIGTERM and drains its connections as ``serve()`` does on
  shutdown. A new worker that fails to become ready is logged and stopped, the
  old one keeps serving, and the rolling restart ends there. Workers are forked
  from the parent: they run the code the parent imported.
- ``SIGINT`` or ``SIGTERM`` stop every worker gracefully (SIGTERM to each; what
  outlives its graceful period by ``_EXTRA_WAIT`` seconds is killed). So does a
  worker exiting with :data:`STOP_SERVER_EXIT_CODE`
  (:func:`request_server_stop`); the parent then returns.

On Linux a worker also receives SIGTERM if the parent dies, so no worker
outlives it. POSIX only (it relies on ``fork``). Nothing here runs per request.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import struct
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from types import FrameType
from typing import TYPE_CHECKING, Any, Final

from ._server import DEFAULT_BACKLOG, _discard_pending, serve
from ._settings import ServerSettings
from .log import error_logger, logger

if TYPE_CHECKING:
    import multiprocessing.context

__all__ = [
    "STOP_SERVER_EXIT_CODE",
    "bind_socket",
    "request_rolling_restart",
    "request_server_stop",
    "serve_multiple",
    "supervisor_pid",
]

#: The exit status with which a worker asks its supervisor to stop the whole
#: server (set by :func:`request_server_stop`; sanic-core's ``app.stop()`` in a
#: worker). Any other exit gets the worker replaced.
STOP_SERVER_EXIT_CODE: Final = 86
#: Seconds before a worker that exited before it was ready is started again;
#: doubled for each further crash at start, up to ``BACKOFF_MAX``.
BACKOFF_FIRST: Final = 0.5
BACKOFF_MAX: Final = 30.0
#: Seconds of serving without a crash at start after which the back-off
#: starts again from ``BACKOFF_FIRST``.
BACKOFF_RESET: Final = 10.0
#: Seconds a rolling restart waits for a new worker to report ready.
READY_TIMEOUT: Final = 30.0

# Seconds the parent waits for workers after asking them to stop, beyond their
# own graceful shutdown period, before killing them.
_EXTRA_WAIT = 5.0
_PR_SET_PDEATHSIG = 1
# The signals the parent handles; blocked around each fork, so a child never
# runs the parent's handlers.
_SUPERVISOR_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
# A ready report: the worker's pid (4 bytes, one atomic pipe write).
_READY = struct.Struct("=I")


@dataclass
class _WorkerLink:
    """What a worker knows of its supervisor (set in the worker after the fork)."""

    pid: int  # the worker's own pid: a process the worker forks is no worker
    supervisor: int
    ready_fd: int
    stop_server: bool = False


_link: _WorkerLink | None = None
# The pid of the process running serve_multiple(), while it does.
_supervising: int | None = None


def supervisor_pid() -> int | None:
    """The pid of the process supervising this worker.

    Returns:
        The parent's pid in a worker of :func:`serve_multiple`, else ``None``.
    """
    link = _link
    if link is None or link.pid != os.getpid():
        return None
    return link.supervisor


def request_server_stop() -> None:
    """Make this worker's exit stop the whole server.

    The worker exits with :data:`STOP_SERVER_EXIT_CODE` once its ``serve()``
    returns (the caller stops its loop, as ``app.stop()`` does); the supervisor
    then stops every other worker gracefully and returns.

    Raises:
        RuntimeError: Not in a worker of :func:`serve_multiple`.
    """
    link = _link
    if link is None or link.pid != os.getpid():
        raise RuntimeError(
            "request_server_stop() works in a worker of serve_multiple()"
        )
    link.stop_server = True


def request_rolling_restart() -> None:
    """Ask the supervisor to restart the workers one at a time (SIGHUP to it).

    Works in a worker of :func:`serve_multiple` and in the supervising process;
    returns at once (the restart happens in the supervisor, this worker is
    eventually one of those replaced).

    Raises:
        RuntimeError: No supervised workers run here (a single-process server,
            or no server at all).
    """
    pid = supervisor_pid()
    if pid is None and _supervising == os.getpid():
        pid = _supervising
    if pid is None:
        raise RuntimeError(
            "a rolling restart needs supervised workers: app.run(workers=N) "
            "with N >= 2 (this process is not one of its workers)"
        )
    os.kill(pid, signal.SIGHUP)


def bind_socket(
    host: str, port: int, *, backlog: int = DEFAULT_BACKLOG, reuse_port: bool = False
) -> socket.socket:
    """Create a listening TCP socket (IPv4 or IPv6 from ``host``).

    Args:
        host: The address to bind.
        port: The port; ``0`` picks a free one.
        backlog: The listen queue length.
        reuse_port: Also set ``SO_REUSEPORT``.

    Returns:
        The bound, listening socket.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP (not 0) so that asyncio disables Nagle on accepted sockets.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except BaseException:
        sock.close()
        raise
    return sock


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes  # loaded by the supervisor before the fork

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(0)  # the parent is already gone


def _report_ready(app: object, loop: object) -> None:
    """The last ``after_start`` listener of a worker: tell the supervisor."""
    link = _link
    if link is not None and link.pid == os.getpid():
        with contextlib.suppress(OSError):  # the supervisor is gone
            os.write(link.ready_fd, _READY.pack(link.pid))


def _worker(
    settings: dict[str, Any], parent: int, ready_fd: int, parent_fds: tuple[int, ...]
) -> None:
    global _link
    # The parent's signals arrive blocked (see _Supervisor.spawn). SIGINT and
    # SIGTERM stay blocked until serve()'s loop runs with its own handlers, so a
    # stop request sent at any moment after the fork is kept and honoured
    # gracefully. SIGHUP is the supervisor's: a worker ignores it.
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGHUP})
    for fd in parent_fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    _die_with_parent(parent)
    _link = link = _WorkerLink(os.getpid(), parent, ready_fd)
    settings = dict(settings)
    settings["after_start"] = [*(settings.get("after_start") or ()), _report_ready]
    try:
        serve(**settings)
    finally:
        if link.stop_server:
            sys.exit(STOP_SERVER_EXIT_CODE)


def _ending(code: int) -> str:
    """How a process ended, from its ``exitcode``."""
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    signal.pthread_sigmask(signal.SIG_BLOCK, _SUPERVISOR_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SUPERVISOR_SIGNALS)


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.context.ForkProcess
    pid: int
    #: ``time.monotonic()`` of its ready report (``None`` until then).
    ready: float | None = None
    #: Asked to stop (rolling restart) or given up on: its exit is not replaced.
    retiring: bool = False
    #: In a rolling restart, the old worker this new one replaces once ready.
    replaces: _Worker | None = None


class _Supervisor:
    """The parent's side: workers by pid, signals, ready reports, replacements.

    One thread, one wait (:meth:`step`) on the signal wake-up socket, the ready
    pipe and every worker's sentinel; the signal handlers only record.
    """

    def __init__(self, settings: dict[str, Any], count: int, grace: float) -> None:
        self.settings = settings
        self.count = count
        self.grace = grace
        # Loaded here, not at import: only a server with workers needs them
        # (startup time of every other app); the workers inherit them.
        import ctypes  # noqa: F401  (see _die_with_parent)
        import multiprocessing
        import multiprocessing.connection

        self.context = multiprocessing.get_context("fork")
        self._wait = multiprocessing.connection.wait
        self.parent = os.getpid()
        self.workers: dict[int, _Worker] = {}
        self.signals: list[int] = []
        self.stopping = False
        self.restart_wanted = False
        #: The current back-off, when to start the missing workers, and since
        #: when the workers serve without a crash at start.
        self.delay = 0.0
        self.start_at: float | None = None
        self.healthy_since: float | None = None
        #: Exits waiting for their replacement: (pid, how it ended).
        self.replacing: list[tuple[int, str]] = []
        self.ready_r, self.ready_w = os.pipe()
        os.set_blocking(self.ready_r, False)
        self.wake_r, self.wake_w = socket.socketpair()
        self.wake_r.setblocking(False)
        self.wake_w.setblocking(False)
        self._pending = b""

    def close(self) -> None:
        for fd in (self.ready_r, self.ready_w):
            os.close(fd)
        self.wake_r.close()
        self.wake_w.close()

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.signals.append(signum)

    # -- one step of the loop ---------------------------------------------------

    def step(self, timeout: float | None) -> None:
        """Wait (up to ``timeout``, ``None`` for no limit) for a signal, a ready
        report or a worker's exit, then handle whatever happened."""
        if self.start_at is not None:
            due = max(0.0, self.start_at - time.monotonic())
            timeout = due if timeout is None else min(timeout, due)
        if not self.signals:
            waitables: list[Any] = [self.wake_r, self.ready_r]
            waitables += [worker.process.sentinel for worker in self.workers.values()]
            self._wait(waitables, timeout)
        with contextlib.suppress(OSError):
            while self.wake_r.recv(512):
                pass
        self._take_signals()
        self._read_ready()
        self._reap()
        self._start_missing()

    def _take_signals(self) -> None:
        while self.signals:
            signum = self.signals.pop(0)
            if self.stopping:
                continue
            if signum == signal.SIGHUP:
                self.restart_wanted = True
            else:
                logger.info(
                    "%s: stopping %d worker(s) gracefully",
                    signal.Signals(signum).name,
                    len(self.workers),
                )
                self.stopping = True

    def _read_ready(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(self.ready_r, 4096):
                self._pending += chunk
        usable = len(self._pending) - len(self._pending) % _READY.size
        for (pid,) in _READY.iter_unpack(self._pending[:usable]):
            worker = self.workers.get(pid)
            if worker is not None and worker.ready is None:
                worker.ready = time.monotonic()
                if self.healthy_since is None:
                    self.healthy_since = worker.ready
        self._pending = self._pending[usable:]

    def _reap(self) -> None:
        ended = [
            (worker, code)
            for worker in self.workers.values()
            if (code := worker.process.exitcode) is not None
        ]
        if not ended:
            return
        self._read_ready()  # a report sent just before the exit
        for worker, code in ended:
            del self.workers[worker.pid]
            worker.process.close()
            self._ended(worker, code)

    def _ended(self, worker: _Worker, code: int) -> None:
        how = _ending(code)
        if code == STOP_SERVER_EXIT_CODE:
            if not self.stopping:
                logger.info(
                    "worker %d asked to stop the server (app.stop()): stopping "
                    "every worker gracefully",
                    worker.pid,
                )
                self.stopping = True
            return
        if self.stopping or worker.retiring:
            logger.info("worker %d stopped (%s)", worker.pid, how)
            return
        now = time.monotonic()
        if worker.replaces is not None:
            worker.replaces.retiring = False  # it keeps serving
            error_logger.error(
                "rolling restart: the new worker %d %s before it was ready",
                worker.pid,
                how,
            )
            return
        if worker.ready is not None:
            error_logger.warning("worker %d %s; starting a new worker", worker.pid, how)
            if self.start_at is None:
                self.start_at = now
        else:
            if self.start_at is None or self.start_at <= now:
                # The first crash at start of this round advances the back-off.
                if (
                    self.healthy_since is not None
                    and now - self.healthy_since >= BACKOFF_RESET
                ):
                    self.delay = 0.0
                self.delay = (
                    min(self.delay * 2, BACKOFF_MAX) if self.delay else BACKOFF_FIRST
                )
                self.start_at = now + self.delay
                self.healthy_since = None
            error_logger.error(
                "worker %d %s before it was ready; starting a new worker in %.1f s",
                worker.pid,
                how,
                self.start_at - now,
            )
        self.replacing.append((worker.pid, how))

    def _missing(self) -> int:
        serving = sum(not worker.retiring for worker in self.workers.values())
        return self.count - serving

    def _start_missing(self) -> None:
        if self.stopping or self.start_at is None or time.monotonic() < self.start_at:
            return
        self.start_at = None
        for _ in range(self._missing()):
            new = self.spawn()
            if self.replacing:
                old, how = self.replacing.pop(0)
                logger.info(
                    "worker %d replaces worker %d (which %s)", new.pid, old, how
                )
        self.replacing.clear()

    # -- actions -------------------------------------------------------------------

    def spawn(self) -> _Worker:
        """Fork one worker, the parent's signals blocked across the fork."""
        parent_fds = (self.ready_r, self.wake_r.fileno(), self.wake_w.fileno())
        process = self.context.Process(
            target=_worker, args=(self.settings, self.parent, self.ready_w, parent_fds)
        )
        with _signals_blocked():
            process.start()
        assert process.pid is not None
        worker = _Worker(process, process.pid)
        self.workers[worker.pid] = worker
        return worker

    def _until(self, done: Callable[[], bool], seconds: float) -> bool:
        """Step until ``done()`` or stopping, for at most ``seconds``; say if done."""
        deadline = time.monotonic() + seconds
        while not self.stopping and not done():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.step(left)
        return done()

    def retire(self, worker: _Worker) -> None:
        """SIGTERM ``worker`` and wait for it (killed after its grace period)."""
        worker.retiring = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGTERM)
        wait = self.grace + _EXTRA_WAIT
        gone = self._until(lambda: worker.pid not in self.workers, wait)
        if not gone and not self.stopping:
            error_logger.error(
                "worker %d did not stop within %g s: killing it",
                worker.pid,
                self.grace + _EXTRA_WAIT,
            )
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            self._until(lambda: worker.pid not in self.workers, _EXTRA_WAIT)

    def _ready_or_gone(self, worker: _Worker) -> bool:
        return worker.ready is not None or worker.pid not in self.workers

    def rolling_restart(self) -> None:
        """Replace every worker, one at a time: a new one is ready before an old
        one stops."""
        old = [worker for worker in self.workers.values() if not worker.retiring]
        logger.info("SIGHUP: restarting %d worker(s) one at a time", len(old))
        for previous in old:
            if self.stopping:
                return
            if previous.pid not in self.workers:
                continue  # it ended meanwhile and was replaced
            previous.retiring = True
            new = self.spawn()
            new.replaces = previous
            self._until(partial(self._ready_or_gone, new), READY_TIMEOUT)
            new.replaces = None
            if self.stopping:
                return
            if new.ready is None:
                previous.retiring = False
                if new.pid in self.workers:
                    error_logger.error(
                        "rolling restart: the new worker %d was not ready within "
                        "%g s (READY_TIMEOUT)",
                        new.pid,
                        READY_TIMEOUT,
                    )
                    self.retire(new)
                error_logger.error(
                    "rolling restart stopped: the old workers keep serving"
                )
                if self._missing() > 0 and self.start_at is None:
                    self.start_at = time.monotonic()  # the old one ended meanwhile
                return
            logger.info(
                "rolling restart: worker %d is ready; stopping worker %d",
                new.pid,
                previous.pid,
            )
            self.retire(previous)
        if not self.stopping:
            logger.info(
                "rolling restart done: workers %s",
                " ".join(str(pid) for pid in sorted(self.workers)),
            )

    def run(self) -> None:
        """Start the workers, then supervise them until asked to stop."""
        for _ in range(self.count):
            self.spawn()
        logger.info(
            "supervisor pid %d: SIGHUP restarts the workers one at a time, "
            "SIGINT or SIGTERM stops them",
            self.parent,
        )
        while not self.stopping:
            if self.restart_wanted:
                self.restart_wanted = False
                self.rolling_restart()
            else:
                self.step(None)

    def stop_all(self) -> None:
        """SIGTERM every worker; wait for all (killing what outlives the wait)."""
        self.stopping = True
        for worker in self.workers.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace + _EXTRA_WAIT
        for worker in self.workers.values():
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
        self.workers.clear()


def serve_multiple(server_settings: dict[str, Any], workers: int) -> None:
    """Run ``serve(**server_settings)`` in ``workers`` supervised processes.

    See the module docstring for supervision, back-off and the rolling restart.

    Args:
        server_settings: Keyword arguments for ``serve()``. ``host``/``port``
            are bound once here (or ``sock`` is shared as given); ``loop`` must be
            absent, each worker creating its own.
        workers: The number of processes (at least 1).

    Raises:
        ValueError: For fewer than one worker or a ``loop`` in the settings.
    """
    global _supervising
    if workers < 1:
        raise ValueError("workers must be at least 1")
    settings = dict(server_settings)
    if settings.get("loop") is not None:
        raise ValueError("each worker creates its own loop; do not pass one")
    sock = settings.get("sock")
    own_sock = sock is None
    if sock is None:
        sock = bind_socket(
            settings.get("host") or "127.0.0.1",
            settings.get("port") or 0,
            backlog=settings.get("backlog", DEFAULT_BACKLOG),
            reuse_port=settings.get("reuse_port", False),
        )
    settings.update(sock=sock, host=None, port=None, reuse_port=False)
    settings.update(loop=None, run_async=False, register_sys_signals=True)
    server = settings.get("settings")
    grace = (server or ServerSettings()).graceful_shutdown_timeout

    supervisor = _Supervisor(settings, workers, grace)
    # Handlers installed with the signals blocked: one sent meanwhile is kept
    # and handled by the loop.
    with _signals_blocked():
        previous = {
            signum: signal.signal(signum, supervisor.on_signal)
            for signum in _SUPERVISOR_SIGNALS
        }
        previous_wakeup = signal.set_wakeup_fd(
            supervisor.wake_w.fileno(), warn_on_full_buffer=False
        )
    _supervising = supervisor.parent
    try:
        supervisor.run()
    finally:
        supervisor.stop_all()
        _supervising = None
        # A signal arriving as the handlers are put back is one more stop (or a
        # restart) request for a server that has stopped: held, then dropped.
        with _signals_blocked():
            signal.set_wakeup_fd(previous_wakeup)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            _discard_pending(_SUPERVISOR_SIGNALS)
        supervisor.close()
        if own_sock:
            sock.close()
