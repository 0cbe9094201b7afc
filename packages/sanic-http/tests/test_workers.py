"""serve_multiple(): a pool of two supervised worker processes on one socket."""

from __future__ import annotations

import os
import re
import signal
import socket
import tempfile
import threading
from pathlib import Path

import pytest
from _live import WAIT, Client
from _process import ServerProcess

from sanic_http import (
    bind_socket,
    request_rolling_restart,
    request_server_stop,
    serve_multiple,
    supervisor_pid,
)


def ask(port: int, path: str) -> bytes:
    with Client(socket.create_connection(("127.0.0.1", port), WAIT)) as client:
        return client.get(path, "Connection: close\r\n").body


def answering(pool: ServerProcess, expected: set[int]) -> set[int]:
    """The pids of as many workers as ``expected`` has, each seen answering.

    Left to the kernel, which worker accepts a connection is chance (asyncio
    accepts every queued connection in one go, so a busy machine can give a
    whole burst to one worker). So each worker that answers is held (``/hold``:
    its loop blocked until released) before the next request is sent: the next
    connection can only go to a worker not seen yet. The last one answers a
    plain request, then the held ones are released and must answer too.
    """
    fd, flag = tempfile.mkstemp(prefix="hold-")
    os.close(fd)
    held: list[tuple[int, threading.Thread]] = []
    answers: list[bytes] = []
    seen: set[int] = set()
    try:
        for _ in range(len(expected) - 1):
            thread = threading.Thread(
                target=lambda: answers.append(ask(pool.port, f"/hold?{flag}"))
            )
            thread.start()
            pid = int(pool.expect("handling").split()[1])
            held.append((pid, thread))
            seen.add(pid)
        last = int(ask(pool.port, "/"))
        assert int(pool.expect("handling").split()[1]) == last
        seen.add(last)
    finally:
        os.unlink(flag)
        for _, thread in held:
            thread.join(WAIT)
    assert sorted(int(answer) for answer in answers) == sorted(p for p, _ in held)
    return seen


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
        assert {str(pid) for pid in answering(pool, set(workers))} == workers
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


def started(pool: ServerProcess, count: int = 2) -> set[int]:
    return {int(pool.expect("after_start").split()[1]) for _ in range(count)}


@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
def test_a_killed_worker_is_replaced_while_the_other_finishes_its_request(
    loop: str,
) -> None:
    with ServerProcess(2, loop) as pool:
        workers = started(pool)
        answers: list[bytes] = []
        slow = threading.Thread(
            target=lambda: answers.append(ask(pool.port, "/slow?1"))
        )
        slow.start()
        busy = int(pool.expect("handling").split()[1])
        (victim,) = workers - {busy}
        os.kill(victim, signal.SIGKILL)
        ended = pool.expect(f"log: worker {victim} ")
        assert "was killed by SIGKILL" in ended
        # The supervisor logs the replacement once the fork has returned: the
        # new worker may have started (and printed after_start) before that.
        lines = pool.lines_until("log: worker ")
        match = re.fullmatch(
            rf"log: worker (\d+) replaces worker {victim} .*", lines[-1]
        )
        assert match, lines
        new = int(match.group(1))
        if ("after_start", new) not in events(lines):
            assert started(pool, 1) == {new}
        slow.join(WAIT)
        assert answers == [str(busy).encode()]  # the other worker's request completed
        assert answering(pool, {busy, new}) == {busy, new}
        pool.signal(signal.SIGTERM)
        assert pool.wait() == 0


def test_a_worker_that_exits_is_replaced() -> None:
    with ServerProcess(2, "uvloop") as pool:
        started(pool)
        with socket.create_connection(("127.0.0.1", pool.port), WAIT) as sock:
            sock.sendall(b"GET /exit?3 HTTP/1.1\r\nHost: x\r\n\r\n")
            sock.settimeout(WAIT)
            assert sock.recv(100) == b""  # the worker is gone
        quitter = int(pool.expect("handling").split()[1])
        assert "exited with code 3" in pool.expect(f"log: worker {quitter} ")
        new = started(pool, 1)
        assert new != {quitter}
        pool.signal(signal.SIGTERM)
        assert pool.wait() == 0


def test_a_worker_crashing_at_start_is_restarted_after_a_growing_delay(
    tmp_path: Path,
) -> None:
    failing = tmp_path / "unreachable"
    failing.touch()
    with ServerProcess(2, "uvloop", env={"FAIL_START": str(failing)}) as pool:
        delays: list[float] = []
        while len({*delays}) < 3 or max(delays) < 2.0:
            line = pool.expect("log: worker ")
            found = re.search(
                r"before it was ready; starting a new worker in (\S+) s", line
            )
            if found:
                delays.append(float(found.group(1)))
        # Each round of crashes doubles the delay (the second crash of a round
        # waits for the same start).
        rising = [d for i, d in enumerate(delays) if d > max(delays[:i], default=0)]
        assert rising[:3] == [0.5, 1.0, 2.0], delays
        assert "RuntimeError: the database is unreachable" in "\n".join(pool.output)
        assert pool.proc.poll() is None  # the supervisor stays up
        # Stopped during the next delay (4 s): at once, without starting a worker.
        pool.signal(signal.SIGTERM)
        assert pool.proc.wait(3.0) == 0
        assert not [line for line in pool.output if line.startswith("after_start")]


def test_a_worker_that_crashed_at_start_serves_once_the_cause_is_gone(
    tmp_path: Path,
) -> None:
    failing = tmp_path / "unreachable"
    failing.touch()
    with ServerProcess(2, "uvloop", env={"FAIL_START": str(failing)}) as pool:
        assert "in 0.5 s" in pool.expect("log: worker ")
        failing.unlink()
        workers = started(pool)
        assert answering(pool, workers) == workers
        pool.signal(signal.SIGTERM)
        assert pool.wait() == 0


def events(lines: list[str]) -> list[tuple[str, int]]:
    """The listener lines among ``lines``: (event, pid)."""
    kinds = ("before_start", "after_start", "before_stop", "after_stop")
    return [
        (line.split()[0], int(line.split()[1]))
        for line in lines
        if line.split()[0] in kinds
    ]


@pytest.mark.parametrize("how", ["SIGHUP", "request_rolling_restart"])
def test_a_rolling_restart_starts_a_new_worker_before_stopping_an_old_one(
    how: str,
) -> None:
    with ServerProcess(2, "uvloop") as pool:
        old = started(pool)
        if how == "SIGHUP":
            pool.signal(signal.SIGHUP)
        else:
            assert ask(pool.port, "/restart").isdigit()
        seen = events(pool.lines_until("log: rolling restart done"))
        starts = [pid for event, pid in seen if event == "after_start"]
        stops = [pid for event, pid in seen if event == "after_stop"]
        assert len(starts) == 2 and not set(starts) & old
        assert sorted(stops) == sorted(old)
        for new, retired in zip(starts, stops, strict=True):
            # Step by step: the new one ready, then the old one stopping.
            assert seen.index(("after_start", new)) < seen.index(
                ("before_stop", retired)
            )
        assert seen.index(("after_stop", stops[0])) < seen.index(
            ("after_start", starts[1])
        )
        assert answering(pool, set(starts)) == set(starts)
        pool.signal(signal.SIGTERM)
        assert pool.wait() == 0


def test_a_new_worker_that_fails_ends_the_rolling_restart(tmp_path: Path) -> None:
    failing = tmp_path / "unreachable"
    with ServerProcess(2, "uvloop", env={"FAIL_START": str(failing)}) as pool:
        old = started(pool)
        failing.touch()
        pool.signal(signal.SIGHUP)
        lines = pool.lines_until("log: rolling restart stopped")
        assert any("before it was ready" in line for line in lines), lines
        assert not [event for event in events(lines) if event[0] == "before_stop"]
        assert answering(pool, old) == old
        # Once the cause is gone, the next SIGHUP restarts them all.
        failing.unlink()
        pool.signal(signal.SIGHUP)
        seen = events(pool.lines_until("log: rolling restart done"))
        new = {pid for event, pid in seen if event == "after_start"}
        assert len(new) == 2 and not new & old
        assert answering(pool, new) == new
        pool.signal(signal.SIGTERM)
        assert pool.wait() == 0


def test_a_worker_can_stop_the_whole_server() -> None:
    with ServerProcess(2, "uvloop") as pool:
        workers = started(pool)
        asker = int(ask(pool.port, "/stop"))
        lines = pool.lines_until("exited")
        assert (
            f"log: worker {asker} asked to stop the server (app.stop()): "
            in "\n".join(lines)
        )
        assert {pid for event, pid in events(lines) if event == "after_stop"} == workers
        assert pool.wait() == 0
        assert not [line for line in pool.output if "replaces" in line]


def test_the_worker_calls_refuse_outside_a_worker() -> None:
    assert supervisor_pid() is None
    with pytest.raises(RuntimeError, match="needs supervised workers"):
        request_rolling_restart()
    with pytest.raises(RuntimeError, match="in a worker"):
        request_server_stop()
