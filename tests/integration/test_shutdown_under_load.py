"""SIGTERM under load loses no request, over real sockets against a server process.

50 keep-alive connections send requests back to back (half of them to a route
that waits a little, so some requests are in flight and some connections are
between two requests at any moment) when the server gets SIGTERM. Every request
sent must be answered: the one in flight, and the next one a client sends to a
connection the server thinks idle. Each connection's last answer says
``Connection: close``; nothing is cut at the end of the grace period. Three runs
on each loop.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import HOST, STOP_TIMEOUT, Launch

SHUTDOWN_APP = Path(__file__).with_name("load") / "shutdown_app.py"
CONNECTIONS = 50
#: Requests answered (over all connections) before the signal: the load is on.
WARM = 500
LOOP_ENV = {"uvloop": {"SANIC_NO_UVLOOP": ""}, "asyncio": {"SANIC_NO_UVLOOP": "1"}}


@dataclass
class Tally:
    answered: int = 0
    lost: int = 0
    closed_by_server: int = 0


async def _keep_asking(port: int, path: str, tally: Tally, warm: asyncio.Event) -> None:
    """Send ``GET path`` after each answer until an answer says Connection: close."""
    reader, writer = await asyncio.open_connection(HOST, port)
    request = f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    try:
        while True:
            writer.write(request)
            try:
                head = (await reader.readuntil(b"\r\n\r\n")).lower()
                size = int(head.split(b"content-length:")[1].split(b"\r\n")[0])
                await reader.readexactly(size)
            except (asyncio.IncompleteReadError, ConnectionError):
                tally.lost += 1  # sent, and the connection ended unanswered
                return
            tally.answered += 1
            if tally.answered >= WARM:
                warm.set()
            if b"\r\nconnection: close\r\n" in head:
                tally.closed_by_server += 1
                return
    finally:
        writer.close()


async def _load_then_sigterm(port: int, signal_server: Callable[[], object]) -> Tally:
    tally = Tally()
    warm = asyncio.Event()
    clients = [
        asyncio.ensure_future(
            _keep_asking(port, "/slow" if n % 2 else "/", tally, warm)
        )
        for n in range(CONNECTIONS)
    ]
    await asyncio.wait_for(warm.wait(), STOP_TIMEOUT)
    signal_server()
    await asyncio.wait_for(asyncio.gather(*clients), STOP_TIMEOUT)
    return tally


@pytest.mark.parametrize("run", [1, 2, 3])
@pytest.mark.parametrize("loop", sorted(LOOP_ENV))
def test_sigterm_under_50_busy_connections_loses_nothing(
    launch: Launch, loop: str, run: int
) -> None:
    server = launch(None, args=(str(SHUTDOWN_APP),), env=LOOP_ENV[loop])
    tally = asyncio.run(
        _load_then_sigterm(server.port, lambda: server.proc.send_signal(signal.SIGTERM))
    )
    print(f"{loop} run {run}: {tally}")
    assert tally.lost == 0, server.output()
    assert tally.closed_by_server == CONNECTIONS
    # It exits on its own after SIGTERM (a second signal would cut the shutdown).
    assert server.proc.wait(STOP_TIMEOUT) == 0
    server.stopped = True
    assert "grace period" not in server.output()
