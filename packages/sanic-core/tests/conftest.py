"""A real server for each test: ``app.run()`` in a thread on a free port.

sanic-testing sits above sanic-core, so core's own tests drive the server with
``http.client`` and the repository's raw-socket helpers (``sanic_test_helpers``)
instead of the test client.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sanic_test_helpers import exchange

from sanic import Sanic

WAIT = 10.0


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    reason: str = ""
    header_list: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Server:
    """Where a running app listens, and a way to talk to it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=WAIT)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            raw = conn.getresponse()
            data = raw.read()
            return Reply(raw.status, raw.headers, data, raw.reason, raw.getheaders())
        finally:
            conn.close()

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def raw(self, payload: bytes) -> bytes:
        """Send bytes as they are; return everything until the server closes."""
        return exchange(self.host, self.port, payload, timeout=WAIT)


@contextmanager
def running(app: Sanic, **run_kwargs: Any) -> Iterator[Server]:
    """Run ``app`` in a thread until the block ends; fail fast if it won't start."""
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", 0))
    except BaseException:
        sock.close()
        raise
    port = sock.getsockname()[1]
    started = threading.Event()
    failure: list[BaseException] = []

    def mark_started(app: Sanic, loop: Any) -> None:
        started.set()

    def target() -> None:
        try:
            app.run(
                sock=sock, register_sys_signals=False, access_log=False, **run_kwargs
            )
        except BaseException as exc:  # reported to the test below
            failure.append(exc)
            started.set()

    app.register_listener(mark_started, "after_server_start")
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    try:
        assert started.wait(WAIT), "server did not start"
        if failure:
            raise failure[0]
        yield Server("127.0.0.1", port)
    finally:
        app.listeners["after_server_start"].remove(mark_started)
        # Only a server that reached its loop can be stopped; otherwise stop()
        # has nothing to signal and run() has returned (or will, with an error).
        if app._server_loop is not None:
            app.stop()
        thread.join(WAIT)
        sock.close()
        assert not thread.is_alive(), "server did not stop"


@pytest.fixture
def serve() -> Callable[..., Any]:
    """``with serve(app) as server: server.get('/')``."""
    return running
