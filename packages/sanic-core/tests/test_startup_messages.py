"""What ``app.run()`` says when it starts, or cannot: real processes, exact text.

A port in use (bound here first), an address the machine does not have, an
unknown keyword: one line a user can act on, no traceback, status 1 (a
``TypeError`` for the keyword, as Python's own). The ``listening on`` line comes
once the socket is bound, with the port the kernel chose for ``port=0``.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sanic_test_helpers import exchange

from sanic import Sanic

WAIT = 20.0

APP = """\
import os
import sys

from sanic import Sanic
from sanic.response import text

app = Sanic("startup")


@app.get("/")
async def index(request):
    return text("ok")


@app.listener("before_server_start")
async def before(app, loop):
    print("before_server_start ran", file=sys.stderr, flush=True)


if __name__ == "__main__":
    app.run(
        host=os.environ.get("APP_HOST", "127.0.0.1"),
        port=int(os.environ["APP_PORT"]),
        workers=int(os.environ.get("APP_WORKERS", "1")),
        access_log=False,
    )
"""


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    (tmp_path / "startup_app.py").write_text(APP, encoding="utf-8")
    return tmp_path


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port another socket of this process listens on."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def _run(
    app_dir: Path, args: list[str], **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=app_dir,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=WAIT,
    )


def _only_line(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert "before_server_start ran" not in output, output
    assert "listening" not in output, output
    assert result.returncode == 1, output
    assert result.stdout == "", output
    return result.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_port_in_use_is_one_line_and_status_1(
    app_dir: Path, taken_port: int, workers: str
) -> None:
    result = _run(
        app_dir, ["startup_app.py"], APP_PORT=str(taken_port), APP_WORKERS=workers
    )
    assert _only_line(result) == (
        f"cannot listen on 127.0.0.1:{taken_port}: address already in use\n"
    )


def test_a_port_in_use_via_python_m_sanic(app_dir: Path, taken_port: int) -> None:
    result = _run(
        app_dir, ["-m", "sanic", "startup_app.app", "--port", str(taken_port)]
    )
    # The same line as app.run() prints (the command line's own errors start
    # with "error: ", not this one).
    assert _only_line(result) == (
        f"cannot listen on 127.0.0.1:{taken_port}: address already in use\n"
    )


def test_an_address_the_machine_lacks_gives_its_reason(app_dir: Path) -> None:
    # 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
    result = _run(app_dir, ["startup_app.py"], APP_PORT="8000", APP_HOST="192.0.2.1")
    assert _only_line(result) == (
        "cannot listen on 192.0.2.1:8000: cannot assign requested address\n"
    )


def test_an_unknown_host_is_one_line(app_dir: Path) -> None:
    result = _run(
        app_dir, ["startup_app.py"], APP_PORT="8000", APP_HOST="no-such-host.invalid"
    )
    line = _only_line(result)
    assert line.startswith("cannot listen on no-such-host.invalid:8000: ")
    assert line.count("\n") == 1


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root may bind privileged ports",
)
def test_a_privileged_port_is_permission_denied(app_dir: Path) -> None:
    result = _run(app_dir, ["startup_app.py"], APP_PORT="80")
    assert _only_line(result) == "cannot listen on 127.0.0.1:80: permission denied\n"


def test_run_raises_system_exit_with_the_line_and_the_os_error(taken_port: int) -> None:
    app = Sanic("caught_bind_error")
    with pytest.raises(SystemExit) as caught:
        app.run(port=taken_port, register_sys_signals=False)
    assert caught.value.code == (
        f"cannot listen on 127.0.0.1:{taken_port}: address already in use"
    )
    assert isinstance(caught.value.__cause__, OSError)
    assert not app.is_running


@contextmanager
def _started(
    app_dir: Path, **env: str
) -> Iterator[tuple[subprocess.Popen[str], queue.Queue[str]]]:
    process = subprocess.Popen(
        [sys.executable, "startup_app.py"],
        cwd=app_dir,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield process, lines
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(WAIT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        reader.join(WAIT)
        assert process.stderr is not None
        process.stderr.close()


def _line_with(lines: queue.Queue[str], text: str) -> tuple[str, list[str]]:
    before: list[str] = []
    while True:
        line = lines.get(timeout=WAIT)
        if text in line:
            return line, before
        before.append(line)


def test_the_listening_line_comes_after_the_bind_with_the_real_port(
    app_dir: Path,
) -> None:
    with _started(app_dir, APP_PORT="0") as (_, lines):
        line, _ = _line_with(lines, "listening on")
        assert "Sanic app 'startup' listening on http://127.0.0.1:" in line
        port = int(line.split("http://127.0.0.1:")[1].split()[0])
        assert port != 0
        _line_with(lines, "before_server_start ran")
        reply = exchange(
            "127.0.0.1",
            port,
            b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            timeout=WAIT,
        )
        assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
        assert reply.endswith(b"\r\n\r\nok")


def test_an_unknown_keyword_names_app_run_and_the_closest_one() -> None:
    app = Sanic("unknown_keyword")
    with pytest.raises(TypeError) as caught:
        app.run(port=0, reuse_prot=True)
    assert str(caught.value) == (
        "app.run() got an unexpected keyword argument 'reuse_prot'. "
        "Did you mean 'reuse_port'?"
    )
    with pytest.raises(TypeError) as caught:
        app.run(port=0, protocl=None)
    assert str(caught.value).endswith("Did you mean 'protocol'?")
    with pytest.raises(TypeError) as caught:
        app.run(port=0, xyzzy=1)
    assert str(caught.value) == ("app.run() got an unexpected keyword argument 'xyzzy'")
    assert not app.is_running


def test_create_server_names_itself() -> None:
    import asyncio

    app = Sanic("unknown_keyword_async")

    async def start() -> None:
        await app.create_server(port=0, bakclog=10)

    with pytest.raises(TypeError) as caught:
        asyncio.run(start())
    assert str(caught.value) == (
        "app.create_server() got an unexpected keyword argument 'bakclog'. "
        "Did you mean 'backlog'?"
    )


def test_serve_keywords_and_auto_reload_still_pass_through(taken_port: int) -> None:
    # reuse_port reaches the bind (the port is taken by a socket without
    # SO_REUSEPORT, so it still fails there, after the keyword check).
    app = Sanic("pass_through")
    with pytest.raises(SystemExit):
        app.run(port=taken_port, reuse_port=True, register_sys_signals=False)
