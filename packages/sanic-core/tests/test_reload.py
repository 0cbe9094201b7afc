"""``app.run(auto_reload=True)``: real processes in a temporary directory.

Each test starts an app file with a free port, edits its source and talks to it
over a real socket. The reloader runs once with watchfiles and once polling
(``SANIC_NO_WATCHFILES=1``); every wait is bounded and ends on a log line or an
answer.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sanic_test_helpers import free_port

WAIT = 10.0
HAVE_WATCHFILES = importlib.util.find_spec("watchfiles") is not None

APP = textwrap.dedent(
    """
    import os
    import sys

    sys.path.insert(0, os.environ["SHARED"])

    from sanic import Sanic
    from sanic.response import text

    from sub.words import WORD

    app = Sanic("reloaded")

    @app.route("/")
    async def index(request):
        return text("%s %s %d" % ("v1", WORD, os.getpid()))

    if __name__ == "__main__":
        app.run(
            port=int(os.environ["PORT"]),
            workers=int(os.environ.get("WORKERS", "1")),
            access_log=False,
            auto_reload=True,
            reload_dir=os.environ["SHARED"],
        )
    """
)
#: ``python -m runner``: the reloader runs the same ``-m`` command again.
RUNNER = textwrap.dedent(
    """
    import os
    from app import app

    app.run(port=int(os.environ["PORT"]), auto_reload=True)
    """
)


@dataclass
class Reloading:
    proc: subprocess.Popen[bytes]
    port: int
    folder: Path
    log: Path

    @property
    def app_file(self) -> Path:
        return self.folder / "app" / "app.py"

    @property
    def words(self) -> Path:
        return self.folder / "shared" / "sub" / "words.py"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_log(self, text: str, count: int = 1) -> None:
        """Poll the log (another process writes it) until ``text`` shows
        ``count`` times; bounded."""
        deadline = time.monotonic() + WAIT
        while self.output().count(text) < count:
            assert self.proc.poll() is None, self.output()
            assert time.monotonic() < deadline, f"no {text!r} in:\n{self.output()}"
            time.sleep(0.02)

    def get(self) -> str:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            conn.request("GET", "/")
            return conn.getresponse().read().decode()
        finally:
            conn.close()

    def wait_for_answer(self, prefix: str) -> str:
        """Ask until the answer starts with ``prefix`` (a restart refuses
        connections for a moment); bounded."""
        deadline = time.monotonic() + WAIT
        answer = ""
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                answer = self.get()
                if answer.startswith(prefix):
                    return answer
            time.sleep(0.02)
        raise AssertionError(f"never {prefix!r} (last {answer!r}):\n{self.output()}")

    def edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))

    def wait_for_session(self, count: int) -> None:
        """Until ``count`` processes run in the session (workers fork after the
        first answer may come); bounded."""
        deadline = time.monotonic() + WAIT
        while len(self.session()) != count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.session()) == count, self.output()

    def session(self) -> list[int]:
        """The processes still alive in the reloader's session (Linux)."""
        alive = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    stat = (entry / "stat").read_text()
                    # Zombies are dead: only their parent has not reaped them yet.
                    state = stat.rsplit(")", 1)[1].split()[0]
                    if os.getsid(int(entry.name)) == self.proc.pid and state != "Z":
                        alive.append(int(entry.name))
        return alive


@pytest.fixture(
    params=[
        pytest.param(
            "watchfiles",
            marks=pytest.mark.skipif(
                not HAVE_WATCHFILES, reason="watchfiles is not installed"
            ),
        ),
        "polling",
    ]
)
def start(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """``start(*command, **env)`` runs ``python *command`` (default: app.py) in
    ``tmp_path/app`` and waits until it answers; every process started is
    stopped (or its session killed) at the end."""
    started: list[Reloading] = []
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "app.py").write_text(APP)
    (tmp_path / "app" / "runner.py").write_text(RUNNER)
    (tmp_path / "shared" / "sub").mkdir(parents=True)
    (tmp_path / "shared" / "sub" / "__init__.py").write_text("")
    (tmp_path / "shared" / "sub" / "words.py").write_text("WORD = 'one'\n")
    backend = request.param

    def _start(*command: str, **env: str) -> Reloading:
        port = free_port()
        log = tmp_path / f"reloader-{port}.log"
        environment = {
            **os.environ,
            "PORT": str(port),
            "SHARED": str(tmp_path / "shared"),
            "PYTHONUNBUFFERED": "1",
            "SANIC_NO_WATCHFILES": "1" if backend == "polling" else "0",
            **env,
        }
        with log.open("wb") as sink:
            proc = subprocess.Popen(
                [sys.executable, *(command or ["app.py"])],
                cwd=tmp_path / "app",
                env=environment,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        reloading = Reloading(proc, port, tmp_path, log)
        started.append(reloading)
        reloading.wait_for_log(f"({backend}")
        reloading.wait_for_answer("v1")
        return reloading

    yield _start
    for reloading in started:
        if reloading.proc.poll() is None:
            reloading.proc.send_signal(signal.SIGTERM)
        try:
            reloading.proc.wait(WAIT)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(reloading.proc.pid, signal.SIGKILL)


def test_changes_reload_and_broken_code_keeps_the_old_server(start):
    app = start()
    first = app.wait_for_answer("v1 one")

    # An edit of the app's file: the new code answers, from a new process.
    app.edit(app.app_file, '"v1"', '"v2"')
    second = app.wait_for_answer("v2 one")
    assert second.split()[-1] != first.split()[-1]

    # A file under reload_dir (outside the app's folder, one level down).
    app.edit(app.words, "one", "two")
    third = app.wait_for_answer("v2 two")

    # A syntax error: printed as file:line: message; the old code still answers.
    app.edit(app.app_file, "async def index(request):", "async def index(request:")
    lines = app.app_file.read_text().splitlines()
    line = lines.index("async def index(request:") + 1
    app.wait_for_log(f"{app.app_file}:{line}: ")
    assert "not restarting" in app.output()
    assert app.get() == third

    # Fixed: the new code is served.
    app.edit(app.app_file, "async def index(request:", "async def index(request):")
    app.edit(app.app_file, '"v2"', '"v3"')
    app.wait_for_answer("v3 two")

    # An error while importing the new code: printed; the next fix recovers.
    app.edit(app.app_file, "app = Sanic(", "undefined_name\napp = Sanic(")
    app.wait_for_log("NameError: name 'undefined_name' is not defined")
    app.wait_for_log("the server exited with code 1")
    app.edit(app.app_file, "undefined_name\n", "")
    app.edit(app.app_file, '"v3"', '"v4"')
    app.wait_for_answer("v4 two")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(
    ("command", "workers"), [((), "2"), (("-m", "runner"), "1")], ids=["script", "-m"]
)
def test_sighup_restarts_and_sigterm_stops_the_reloader_and_its_server(
    start, command, workers
):
    app = start(*command, WORKERS=workers)
    app.wait_for_session(2 + (workers == "2") * 2)  # reloader, server, workers
    app.edit(app.app_file, '"v1"', '"v2"')
    app.wait_for_answer("v2")
    # SIGHUP: a new server with nothing changed.
    app.proc.send_signal(signal.SIGHUP)
    app.wait_for_log("Reloader: SIGHUP; restarting the server")
    app.wait_for_log("listening on", count=3)
    app.wait_for_answer("v2")
    app.wait_for_session(2 + (workers == "2") * 2)
    app.proc.send_signal(signal.SIGTERM)
    assert app.proc.wait(WAIT) == 0
    assert app.session() == [], app.output()
    assert "Reloader stopped" in app.output()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PDEATHSIG, /proc")
def test_the_server_stops_when_the_reloader_is_killed(start):
    app = start()
    server = int(app.get().split()[-1])
    app.proc.kill()
    app.proc.wait(WAIT)
    deadline = time.monotonic() + WAIT
    while app.session() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert app.session() == [], app.output()
    assert f"[{server}] [INFO] Server stopped" in app.output()


def test_what_is_watched(tmp_path: Path):
    from sanic._reload import _Watched

    tree = tmp_path / "tree"
    (tree / "deep").mkdir(parents=True)
    (tree / "deep" / "b.py").write_text("")
    (tree / "__pycache__").mkdir()
    (tree / "__pycache__" / "c.py").write_text("")
    for name in ("a.py", ".#a.py", "notes.txt"):
        (tmp_path / name).write_text("")
    watched = _Watched(frozenset({str(tmp_path)}), (str(tree),))
    assert watched.wants(str(tmp_path / "a.py"))
    assert watched.wants(str(tree / "deep" / "b.py"))
    # Not: an editor's hidden lock file, other files, the app's subdirectories.
    assert not watched.wants(str(tmp_path / ".#a.py"))
    assert not watched.wants(str(tmp_path / "notes.txt"))
    assert not watched.wants(str(tmp_path / "sub" / "d.py"))
    assert not watched.wants(str(tree / "__pycache__" / "c.py"))
    assert sorted(watched.files()) == [
        str(tmp_path / "a.py"),
        str(tree / "deep" / "b.py"),
    ]


def test_a_changed_file_is_compiled_not_run(tmp_path: Path):
    from sanic._reload import _syntax_error

    path = tmp_path / "mod.py"
    # Compiles (its SyntaxWarning is the server's to print); never runs.
    path.write_text('raise SystemExit("ran")\npattern = "\\d"\n')
    assert _syntax_error(str(path)) is None
    path.write_text("x = 1\ndef f(:\n")
    assert _syntax_error(str(path)) == f"{path}:2: invalid syntax"
    path.write_bytes(b"x = 1\x00\n")
    error = _syntax_error(str(path))
    assert error is not None and error.startswith(f"{path}: ")
    assert "None" not in error
    assert _syntax_error(str(tmp_path / "gone.py")) is None
