"""Running: listeners, the custom protocol of the guide, create_server, the CLI."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sanic_test_helpers import free_port

from sanic import Sanic
from sanic.response import text
from sanic.server import HttpProtocol

WAIT = 15.0


def test_listeners_receive_app_and_loop(serve):
    app = Sanic("listeners")
    seen: list[tuple[str, bool, bool]] = []

    def record(event):
        async def listener(app_arg, loop):
            seen.append(
                (event, app_arg is app, isinstance(loop, asyncio.AbstractEventLoop))
            )

        return listener

    for event in app.listeners:
        app.register_listener(record(event), event)

    @app.route("/")
    async def index(request):
        return text("ok")

    with serve(app) as server:
        assert server.get("/").text == "ok"
    assert [event for event, _, _ in seen] == [
        "before_server_start",
        "after_server_start",
        "before_server_stop",
        "after_server_stop",
    ]
    assert all(is_app and is_loop for _, is_app, is_loop in seen)


class CustomHttpProtocol(HttpProtocol):
    def __init__(
        self,
        *,
        loop,
        request_handler,
        error_handler,
        signal,
        connections,
        request_timeout,
        request_max_size,
    ):
        super().__init__(
            loop=loop,
            request_handler=request_handler,
            error_handler=error_handler,
            signal=signal,
            connections=connections,
            request_timeout=request_timeout,
            request_max_size=request_max_size,
        )

    def write_response(self, response):
        if isinstance(response, str):
            response = text(response)
        self.transport.write(response.output(self.request.version))
        self.transport.close()


def test_guide_custom_protocol(serve):
    app = Sanic(__name__)

    @app.route("/")
    async def string(request):
        return "string"

    @app.route("/1")
    async def response(request):
        return text("response")

    with serve(app, protocol=CustomHttpProtocol) as server:
        assert server.get("/").text == "string"
        assert server.get("/1").text == "response"


def test_create_server_inside_a_running_loop():
    app = Sanic("embedded")
    events: list[str] = []

    @app.listener("after_server_start")
    async def mark(app, loop):
        events.append("started")

    @app.listener("after_server_stop")
    async def unmark(app, loop):
        events.append("stopped")

    @app.route("/")
    async def index(request):
        return text("embedded")

    async def main() -> str:
        sock = socket.socket()
        try:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            server = await app.create_server(sock=sock, access_log=False)
        except BaseException:
            sock.close()
            raise
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                data = await asyncio.wait_for(reader.read(), WAIT)
            finally:
                # Closed before asyncio.run() closes the loop, not left to GC.
                writer.close()
                await asyncio.wait_for(writer.wait_closed(), WAIT)
        finally:
            await server.stop()
        assert not server.is_serving()
        return data.decode()

    reply = asyncio.run(main())
    assert reply.startswith("HTTP/1.1 200")
    assert reply.endswith("embedded")
    assert events == ["started", "stopped"]


def test_stop_without_a_server_creates_no_event_loop(monkeypatch):
    """stop() on an app that never ran must not leave a new, unclosed loop behind."""
    created: list[asyncio.AbstractEventLoop] = []

    class Recording(asyncio.DefaultEventLoopPolicy):
        def new_event_loop(self) -> asyncio.AbstractEventLoop:
            loop = super().new_event_loop()
            created.append(loop)
            return loop

    previous = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(Recording())
    try:
        Sanic("never_ran").stop()
    finally:
        asyncio.set_event_loop_policy(previous)
        for loop in created:
            loop.close()
    assert created == []


def test_stop_after_the_server_stopped_is_a_no_op(serve):
    app = Sanic("stopped_twice")

    @app.route("/")
    async def index(request):
        return text("ok")

    with serve(app) as server:
        assert server.get("/").text == "ok"
    assert app._server_loop is not None and app._server_loop.is_closed()
    app.stop()  # the loop is closed: nothing to signal, no RuntimeError


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                process.stderr.read().decode() if process.stderr else ""
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                return str(reply.read().decode())
        except urllib.error.HTTPError as error:
            # An error status still holds the open response: close it here rather
            # than leave the socket to the garbage collector.
            error.close()
            time.sleep(0.05)
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{url} never answered")


MAIN = textwrap.dedent(
    """
    import os
    from sanic import Sanic
    from sanic.response import text

    app = Sanic(__name__)

    @app.route("/")
    async def test(request):
        return text('Hello world! from %d' % os.getpid())

    if __name__ == "__main__":
        app.run(host="127.0.0.1", port=int(os.environ["PORT"]), debug=True)
    """
)


@pytest.mark.parametrize("workers", [1, 2])
def test_python_dash_m_sanic(tmp_path: Path, workers: int):
    (tmp_path / "main.py").write_text(MAIN)
    port = free_port()
    command = [
        sys.executable, "-m", "sanic", "main.app",
        "--host=127.0.0.1", f"--port={port}", f"--workers={workers}",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        body = _wait_for(f"http://127.0.0.1:{port}/", process)
        assert body.startswith("Hello world! from ")
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err.decode()
    assert f"http://127.0.0.1:{port}" in err.decode()


GETTING_STARTED = textwrap.dedent(
    """
    from sanic import Sanic
    from sanic.response import text

    app = Sanic(__name__)

    @app.route("/")
    async def test(request):
        return text('Hello world!')

    app.run(host="0.0.0.0", port=8000, debug=True)
    """
)


def test_cli_serves_the_unguarded_getting_started_file(tmp_path: Path):
    """The guide's main.py calls app.run() at import; the CLI's settings win."""
    (tmp_path / "main.py").write_text(GETTING_STARTED)
    port = free_port()
    command = [
        sys.executable, "-m", "sanic", "main.app",
        "--host=127.0.0.1", f"--port={port}", "--workers=2",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/", process) == "Hello world!"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err.decode()
    assert "app.run() skipped" in err.decode()
    assert ":8000" not in err.decode()


def test_getting_started_file_runs(tmp_path: Path):
    (tmp_path / "main.py").write_text(MAIN)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "main.py"],
        cwd=tmp_path,
        env={**os.environ, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/", process).startswith(
            "Hello world!"
        )
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0


def test_cli_rejects_bad_targets(tmp_path: Path):
    (tmp_path / "notapp.py").write_text("app = 42\n")
    for target, message in [
        ("noattr", "module.attribute"),
        ("missing_module.app", "cannot import"),
        ("notapp.app", "not a Sanic app"),
        ("notapp.nothing", "no attribute"),
    ]:
        result = subprocess.run(
            [sys.executable, "-m", "sanic", target],
            cwd=tmp_path,
            capture_output=True,
            timeout=WAIT,
        )
        assert result.returncode != 0
        assert message in result.stderr.decode()


def test_restart_outside_supervised_workers_is_refused(serve):
    """app.restart() needs app.run(workers=N >= 2): not running, or a single
    server, it raises (tests/integration/test_workers.py restarts real workers)."""
    app = Sanic("restart_refused")
    with pytest.raises(RuntimeError, match="needs supervised workers"):
        app.restart()
    seen: list[str] = []

    @app.route("/")
    async def index(request):
        try:
            app.restart()
        except RuntimeError as exc:
            seen.append(str(exc))
        return text("ok")

    with serve(app) as server:
        assert server.get("/").body == b"ok"
    assert seen and "workers=N" in seen[0]
