"""Deploying: workers and ``python -m sanic``."""

from __future__ import annotations

import http.client
import json
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEADLINE = 15.0


def answering_pids(example, wanted: int = 2) -> set[int]:
    """Fire batches of concurrent requests (new connection each) until ``wanted``
    distinct worker PIDs have answered, or the deadline passes."""

    def one(_: int) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", example.port, timeout=10)
        try:
            conn.request("GET", "/", headers={"Connection": "close"})
            return int(json.loads(conn.getresponse().read())["pid"])
        finally:
            conn.close()

    pids: set[int] = set()
    deadline = time.monotonic() + DEADLINE
    with ThreadPoolExecutor(8) as pool:
        while len(pids) < wanted and time.monotonic() < deadline:
            pids.update(pool.map(one, range(32)))
    return pids


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def wait_gone(pids: set[int], timeout: float = 10.0) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = {pid for pid in pids if alive(pid)}
        if not left:
            return left
        time.sleep(0.02)
    return {pid for pid in pids if alive(pid)}


def test_two_workers_answer_and_stop_with_the_parent(launch):
    example = launch("workers.py")
    pids = answering_pids(example)
    assert len(pids) == 2
    assert example.proc.pid not in pids
    assert "(2 workers)" in example.output()
    assert example.stop() == 0
    assert wait_gone(pids) == set()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_python_m_sanic_serves_the_module_app(launch, sig):
    example = launch(
        None,
        args=(
            "-m",
            "sanic",
            "server.app",
            "--host=127.0.0.1",
            "--port={port}",
            "--workers=2",
        ),
        cwd=EXAMPLES,
    )
    pids = answering_pids(example)
    assert len(pids) == 2
    reply = example.get("/")
    assert reply.json()["hello"] == "world"
    assert example.stop(sig) == 0
    assert wait_gone(pids) == set()


def test_python_m_sanic_single_worker(launch):
    example = launch(
        None,
        args=("-m", "sanic", "server.app", "--host=127.0.0.1", "--port={port}"),
        cwd=EXAMPLES,
    )
    got = example.get("/").json()
    assert got["hello"] == "world"
    assert got["pid"] == example.proc.pid
    assert example.stop() == 0


def test_run_with_a_socket_of_our_own(launch):
    example = launch("deploying.py")
    assert example.get("/").json() == {"debug": False, "port": example.port}
    assert f"http://127.0.0.1:{example.port}" in example.output()
