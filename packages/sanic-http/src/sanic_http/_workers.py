"""``serve_multiple()``: N worker processes sharing one listening socket.

The parent binds the socket once and forks the workers; each worker runs
``serve()`` on the shared socket (the kernel spreads connections across them),
with its own event loop and its own listeners. The parent serves nothing: it
waits, and on SIGINT or SIGTERM it asks every worker to stop with SIGTERM (each
worker then shuts down gracefully). On Linux a worker also receives SIGTERM if
the parent dies, so no worker outlives it. POSIX only (it relies on ``fork``).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import socket
import sys
from types import FrameType
from typing import Any

from ._server import DEFAULT_BACKLOG, _block_stop_signals, _unblock_stop_signals, serve
from ._settings import ServerSettings

__all__ = ["bind_socket", "serve_multiple"]

# Seconds the parent waits for workers after asking them to stop, beyond their
# own graceful shutdown period, before killing them.
_EXTRA_WAIT = 5.0
_PR_SET_PDEATHSIG = 1


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
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(0)  # the parent is already gone


def _worker(settings: dict[str, Any], parent: int) -> None:
    # The stop signals arrive blocked (see serve_multiple) and stay blocked until
    # serve()'s loop runs with its own handlers, so a stop request sent at any
    # moment after the fork is kept and honoured gracefully.
    # Forget the parent's forwarding handlers.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    serve(**settings)


def serve_multiple(server_settings: dict[str, Any], workers: int) -> None:
    """Run ``serve(**server_settings)`` in ``workers`` processes until stopped.

    Args:
        server_settings: Keyword arguments for ``serve()``. ``host``/``port``
            are bound once here (or ``sock`` is shared as given); ``loop`` must be
            absent, each worker creating its own.
        workers: The number of processes (at least 1).

    Raises:
        ValueError: For fewer than one worker or a ``loop`` in the settings.
    """
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

    context = multiprocessing.get_context("fork")
    processes: list[multiprocessing.context.ForkProcess] = []

    def stop_workers(signum: int, frame: FrameType | None) -> None:
        # Runs only while every started worker is in ``processes``: the stop
        # signals are blocked from before the first fork until after the last.
        for process in processes:
            if process.is_alive() and process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGTERM)

    blocked = _block_stop_signals()
    previous = {
        signum: signal.signal(signum, stop_workers)
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        try:
            for _ in range(workers):
                process = context.Process(target=_worker, args=(settings, os.getpid()))
                process.start()
                processes.append(process)
        finally:
            if blocked:  # a stop request sent meanwhile is handled now
                _unblock_stop_signals()
        for process in processes:
            process.join()
    finally:
        stop_workers(signal.SIGTERM, None)
        for process in processes:
            process.join(grace + _EXTRA_WAIT)
            if process.is_alive():
                process.kill()
                process.join()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if own_sock:
            sock.close()
