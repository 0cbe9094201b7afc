"""``app.run(unix=path)``: serving on a unix domain socket."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sanic_test_helpers import Client, short_tmp_dir

from sanic import Sanic
from sanic.response import text

WAIT = 10.0


@pytest.fixture
def sock_dir() -> Iterator[Path]:
    """Where sockets go: a short path (``tmp_path`` may be too long for one)."""
    with short_tmp_dir() as path:
        yield path


def ask(path: Path) -> bytes:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(WAIT)
    sock.connect(str(path))
    with Client(sock) as client:
        return client.get("/", "Connection: close\r\n").body


def test_run_serves_on_a_unix_socket_and_removes_it(sock_dir: Path) -> None:
    app = Sanic("unix_run")
    path = sock_dir / "app.sock"
    started = threading.Event()
    failure: list[BaseException] = []

    @app.route("/")
    async def index(request: Any) -> Any:
        return text("over unix")

    @app.listener("after_server_start")
    async def ready(app: Sanic, loop: Any) -> None:
        started.set()

    def target() -> None:
        try:
            app.run(unix=path, register_sys_signals=False, access_log=False)
        except BaseException as exc:  # reported below
            failure.append(exc)
            started.set()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    try:
        assert started.wait(WAIT), "server did not start"
        assert not failure, failure
        assert ask(path) == b"over unix"
    finally:
        app.stop()
        thread.join(WAIT)
    assert not thread.is_alive()
    assert not failure, failure
    assert not path.exists()


def test_run_takes_sock_or_unix_not_both(sock_dir: Path) -> None:
    app = Sanic("unix_and_sock")
    with socket.socket() as sock, pytest.raises(ValueError, match="not both"):
        app.run(sock=sock, unix=sock_dir / "app.sock")
    assert not (sock_dir / "app.sock").exists()


def test_run_on_a_path_too_long_is_one_line(tmp_path: Path) -> None:
    app = Sanic("unix_too_long")
    path = tmp_path / ("x" * 120) / "app.sock"
    path.parent.mkdir()
    with pytest.raises(SystemExit) as raised:
        app.run(unix=path)
    assert raised.value.code == (
        f"cannot listen on {path}: the path is too long for a unix socket "
        f"({len(str(path))} bytes)"
    )
    assert isinstance(raised.value.__cause__, OSError)
