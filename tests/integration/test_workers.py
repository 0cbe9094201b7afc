"""``app.run(workers=2)`` supervised: a real ``python workers_app.py`` process.

tests/integration/load/workers_app.py serves; each test talks to it over
sockets and signals its supervisor: a worker killed with ``SIGKILL`` while the
other has a request in flight, ``SIGHUP`` under a steady keep-alive load (0
failed requests, the counts printed for ``pytest -s``), ``app.restart()`` and
``app.stop()`` called in a handler. sanic-http's tests/test_workers.py covers
the supervisor itself (back-off, a new worker failing during a restart).
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from conftest import (
    LOAD_DIR,
    WORKERS_DEADLINE,
    Example,
    Launch,
    Load,
    answering_pids,
    get_json,
    steady_load,
    worker_lines,
)

APP = str(LOAD_DIR / "workers_app.py")


def gone(pids: set[int]) -> bool:
    """Whether none of ``pids`` runs any more (bounded wait)."""
    deadline = time.monotonic() + WORKERS_DEADLINE
    while time.monotonic() < deadline:
        if not [pid for pid in pids if Path(f"/proc/{pid}").exists()]:
            return True
        time.sleep(0.05)
    return False


def launch_workers(
    launch_own: Launch, loop: str = "uvloop"
) -> tuple[Example, set[int]]:
    """Start workers_app.py (``loop="asyncio"``: with ``SANIC_NO_UVLOOP=1``) and
    wait until both workers answer."""
    env = {"SANIC_NO_UVLOOP": "1" if loop == "asyncio" else ""}
    example = launch_own(None, args=(APP,), env=env)
    example.wait_for_output("after_server_start", count=2)
    return example, answering_pids(example, 2)


def test_a_killed_worker_is_replaced_while_the_other_finishes_its_request(
    launch_own: Launch,
) -> None:
    example, pids = launch_workers(launch_own)
    answers: list[int] = []
    slow = threading.Thread(
        target=lambda: answers.append(get_json(example, "/slow?s=1")["pid"])
    )
    slow.start()
    example.wait_for_output("sleeps")
    (busy,) = worker_lines(example, "sleeps")
    (victim,) = pids - {busy}
    os.kill(victim, signal.SIGKILL)
    out = example.wait_for_output(f"replaces worker {victim} ")
    assert f"worker {victim} was killed by SIGKILL; starting a new worker" in out
    new = answering_pids(example, 1, exclude=frozenset(pids))
    slow.join(WORKERS_DEADLINE)
    assert answers == [busy]  # the other worker's request completed
    assert len(new) == 1
    assert example.stop(signal.SIGTERM) == 0, example.output()
    assert gone(pids | new)


@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
def test_sighup_under_load_fails_no_request(launch_own: Launch, loop: str) -> None:
    example, old = launch_workers(launch_own, loop)
    stop = threading.Event()
    result: list[Load] = []
    loader = threading.Thread(
        target=lambda: result.append(asyncio.run(steady_load(example.port, stop)))
    )
    loader.start()
    try:
        for round_ in range(2):
            time.sleep(0.5)
            example.proc.send_signal(signal.SIGHUP)
            out = example.wait_for_output("rolling restart done", count=round_ + 1)
            assert out.count("rolling restart done") == round_ + 1, out
        time.sleep(0.5)
    finally:
        stop.set()
        loader.join(WORKERS_DEADLINE)
    answered, failures = result[0].answered, result[0].failures
    new = answering_pids(example, 2)
    print(
        f"\nSIGHUP x2 under 8 keep-alive clients ({loop}, plain sockets, no "
        f"retries): {answered} answered, "
        f"{len(failures)} failed; workers before {sorted(old)}, after {sorted(new)}"
    )
    assert failures == []
    assert answered > 100
    assert not new & old
    assert example.stop(signal.SIGTERM) == 0, example.output()
    assert gone(old | new)


def test_app_restart_in_a_handler_restarts_every_worker(launch_own: Launch) -> None:
    example, old = launch_workers(launch_own)
    asker = get_json(example, "/restart")["pid"]
    assert asker in old
    example.wait_for_output("rolling restart done")
    new = answering_pids(example, 2)
    assert not new & old
    # A new worker served before the first old one began to stop.
    out = example.output()
    first_new = worker_lines(example, "after_server_start")[2]
    assert first_new not in old
    assert out.index(f"worker {first_new} after_server_start") < out.index(
        "before_server_stop"
    )
    assert example.stop(signal.SIGINT) == 0, example.output()


def test_app_stop_in_a_worker_stops_the_whole_server(launch_own: Launch) -> None:
    example, pids = launch_workers(launch_own)
    asker = get_json(example, "/stop")["pid"]
    example.proc.wait(WORKERS_DEADLINE)
    assert example.proc.returncode == 0, example.output()
    assert f"worker {asker} asked to stop the server" in example.output()
    assert sorted(worker_lines(example, "after_server_stop")) == sorted(pids)
    assert "replaces worker" not in example.output()
    assert gone(pids)
