"""serve_multiple(): a pool of two worker processes on one socket."""

from __future__ import annotations

import os
import signal
import socket
import threading

import pytest
from _live import WAIT, Client
from _process import ServerProcess

from sanic_http import bind_socket, serve_multiple


def ask(port: int, path: str) -> bytes:
    with Client(socket.create_connection(("127.0.0.1", port), WAIT)) as client:
        return client.get(path, "Connection: close\r\n").body


def pids_serving(port: int) -> set[bytes]:
    """Send blocking requests at once: a busy worker leaves the next to the other."""
    answers: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: answers.append(ask(port, "/block?0.3")))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    return set(answers)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(
    ("signum", "group"), [(signal.SIGTERM, False), (signal.SIGINT, True)]
)
def test_two_workers_serve_and_stop_together(signum: int, group: bool) -> None:
    with ServerProcess(2, "uvloop") as pool:
        workers = {pool.expect("after_start").split()[1] for _ in range(2)}
        assert len(workers) == 2  # each worker ran its own listeners
        assert str(pool.proc.pid) not in workers
        assert {b.decode() for b in pids_serving(pool.port)} == workers
        # SIGTERM to the parent, or Ctrl-C (SIGINT to the whole process group).
        pool.signal(signum, group=group)
        stopped = {pool.expect("after_stop").split()[1] for _ in range(2)}
        assert stopped == workers
        assert pool.wait() == 0
    assert not [pid for pid in workers if alive(int(pid))]  # no orphans


def test_worker_count_is_checked() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        serve_multiple({}, 0)
    with pytest.raises(ValueError, match="own loop"):
        serve_multiple({"loop": object()}, 2)


def test_bind_socket_listens() -> None:
    with bind_socket("127.0.0.1", 0) as sock:
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
        assert sock.proto == socket.IPPROTO_TCP  # accepted sockets get TCP_NODELAY
        port = sock.getsockname()[1]
        sock.settimeout(WAIT)
        with socket.create_connection(("127.0.0.1", port), WAIT) as client:
            accepted, peer = sock.accept()
            with accepted:
                assert peer == client.getsockname()


@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
@pytest.mark.parametrize("moment", ["bound", "first_worker_started"])
def test_a_stop_request_right_after_launch_is_never_lost(
    loop: str, moment: str
) -> None:
    """A signal while workers are still forking or starting stops the whole pool.

    "bound" signals as soon as the socket exists, before or during the forks;
    "first_worker_started" signals while the second worker may still be between
    its fork and its loop (uvloop drops signals that arrive while it is not
    running, so serve() keeps them blocked until then).
    """
    for _ in range(3):
        with ServerProcess(2, loop) as pool:
            if moment == "first_worker_started":
                pool.expect("after_start")
            pool.signal(signal.SIGTERM)
            code = pool.wait()  # bounded: a lost signal leaves the pool running
            if moment == "bound":
                # The signal may even beat serve_multiple() to its handlers: the
                # default action then ends the parent before it forks.
                assert code in (0, -signal.SIGTERM), pool.output
            else:
                assert code == 0, pool.output
            with pytest.raises(ProcessLookupError):  # no worker outlived the pool
                os.killpg(pool.proc.pid, 0)
