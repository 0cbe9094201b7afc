"""unix_socket(): serving on a unix domain socket, and the socket file's life."""

from __future__ import annotations

import asyncio
import errno
import multiprocessing
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from _live import WAIT, Errors, LoopFactory
from sanic_test_helpers import Client, short_tmp_dir

from sanic_http import DEFAULT_UNIX_MODE, HttpServer, ServerSettings, text, unix_socket


async def hello(request: object, write: object) -> None:
    write(text("over unix"))  # type: ignore[operator]


@pytest.fixture
def sock_dir() -> Iterator[Path]:
    """Where sockets go: a short path (``tmp_path`` may be too long for one)."""
    with short_tmp_dir() as path:
        yield path


def connect(path: Path) -> Client:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(WAIT)
    sock.connect(str(path))
    return Client(sock)


def test_serves_http_over_the_socket(sock_dir: Path, loop_factory: LoopFactory) -> None:
    path = sock_dir / "app.sock"
    loop = loop_factory()
    try:
        with unix_socket(path) as sock:
            assert stat.S_IMODE(os.stat(path).st_mode) == DEFAULT_UNIX_MODE
            server = HttpServer(
                hello, Errors(), loop=loop, settings=ServerSettings(), sock=sock
            )
            loop.run_until_complete(server.start())

            def ask() -> bytes:
                with connect(path) as client:
                    return client.get("/", "Connection: close\r\n").body

            body = loop.run_until_complete(asyncio.to_thread(ask))
            loop.run_until_complete(server.stop())
        assert body == b"over unix"
    finally:
        loop.close()
    assert not path.exists()  # removed at exit


def test_mode_is_applied(sock_dir: Path) -> None:
    path = sock_dir / "app.sock"
    with unix_socket(path, mode=0o600):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_stale_socket_file_is_replaced(sock_dir: Path) -> None:
    path = sock_dir / "app.sock"
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()  # the file stays, nobody listens: what a killed server leaves
    assert stat.S_ISSOCK(os.lstat(path).st_mode)
    with unix_socket(path) as sock:
        assert sock.getsockname() == str(path)
        with connect(path):
            pass
    assert not path.exists()


def test_a_live_socket_is_left_alone(sock_dir: Path) -> None:
    path = sock_dir / "app.sock"
    with unix_socket(path):
        with pytest.raises(OSError) as raised, unix_socket(path):
            pass  # pragma: no cover
        assert raised.value.errno == errno.EADDRINUSE
        assert path.exists()  # the first server's file survives the refusal
        with connect(path):
            pass
    assert not path.exists()


def test_a_file_that_is_not_a_socket_is_never_removed(sock_dir: Path) -> None:
    path = sock_dir / "app.sock"
    path.write_text("precious")
    with pytest.raises(FileExistsError, match="not a socket"), unix_socket(path):
        pass  # pragma: no cover
    assert path.read_text() == "precious"


def test_a_path_too_long_for_a_socket_names_the_reason(tmp_path: Path) -> None:
    path = tmp_path / ("x" * 120) / "app.sock"
    path.parent.mkdir()
    too_long = pytest.raises(OSError, match="too long for a unix socket")
    with too_long as raised, unix_socket(path):
        pass  # pragma: no cover
    assert raised.value.errno == errno.ENAMETOOLONG
    assert raised.value.filename == str(path)
    assert not path.exists()


def test_a_path_taken_over_meanwhile_is_not_removed(sock_dir: Path) -> None:
    path = sock_dir / "app.sock"
    with unix_socket(path):
        os.unlink(path)
        path.write_text("someone else's")
    assert path.read_text() == "someone else's"


def test_only_the_creating_process_removes_the_file(sock_dir: Path) -> None:
    path = sock_dir / "app.sock"
    block = unix_socket(path)
    block.__enter__()
    try:

        def worker_leaves_the_block() -> None:
            # A forked worker unwinding the parent's block keeps the file.
            block.__exit__(None, None, None)
            os._exit(0 if path.exists() else 1)

        worker = multiprocessing.get_context("fork").Process(
            target=worker_leaves_the_block
        )
        worker.start()
        worker.join(WAIT)
        assert worker.exitcode == 0
        assert path.exists()
    finally:
        block.__exit__(None, None, None)
    assert not path.exists()
