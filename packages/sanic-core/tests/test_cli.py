"""The ``sanic`` command (and ``python -m sanic``), run as a real process.

Each serving test starts the command on a free port (or a unix socket in the
test's directory), waits until it accepts connections, talks to it over the
socket, then stops it with SIGINT and checks how it ended.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
import signal
import socket
import ssl
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sanic_test_helpers import Client, free_port, self_signed, short_tmp_dir

import sanic.__main__ as cli
from sanic import Sanic

WAIT = 15.0
SANIC_SCRIPT = Path(sys.executable).with_name("sanic")

APP = textwrap.dedent(
    """
    import os
    from sanic import Sanic
    from sanic.response import text

    app = Sanic("cli_app")

    @app.route("/")
    async def index(request):
        return text("hello from %d" % os.getpid())

    class Holder:
        app = app

    holder = Holder()

    def create_app():
        return app

    def returns_none():
        return None

    def fails():
        raise ValueError("no config here")

    number = 42
    """
)
FACTORY = textwrap.dedent(
    """
    from sanic import Sanic
    from sanic.response import text

    def create_app():
        app = Sanic("made_by_factory")

        @app.route("/")
        async def index(request):
            return text("from the factory")

        return app
    """
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A directory holding ``main.py`` and a package ``pkg.sub`` with a factory."""
    (tmp_path / "main.py").write_text(APP)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "sub.py").write_text(FACTORY)
    (tmp_path / "broken.py").write_text("import this_dependency_is_missing\n")
    (tmp_path / "raising.py").write_text(
        "def setup():\n    raise RuntimeError('boom at import')\n\nsetup()\n"
    )
    (tmp_path / "unclosed.py").write_text("app = (\n")
    return tmp_path


class Cli:
    """A running ``sanic`` command whose output goes to a file."""

    def __init__(self, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.proc, self.log = proc, log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_connectable(self, address: tuple[str, int] | str) -> None:
        family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"exited {self.proc.returncode}:\n{self.output()}")
            with socket.socket(family, socket.SOCK_STREAM) as probe:
                probe.settimeout(WAIT)
                try:
                    probe.connect(address)
                except OSError:
                    time.sleep(0.05)
                else:
                    return
        raise AssertionError(f"never accepted connections:\n{self.output()}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(WAIT)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            raise AssertionError(f"did not stop on SIGINT:\n{self.output()}") from None


@pytest.fixture
def start(project: Path) -> Iterator[Any]:
    started: list[Cli] = []

    def _start(*args: str, script: bool = False) -> Cli:
        command = [str(SANIC_SCRIPT)] if script else [sys.executable, "-m", "sanic"]
        log = project / f"cli-{len(started)}.log"
        with log.open("wb") as sink:
            proc = subprocess.Popen(
                [*command, *args],
                cwd=project,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,
            )
        cli_run = Cli(proc, log)
        started.append(cli_run)
        return cli_run

    yield _start
    for cli_run in started:
        if cli_run.proc.poll() is None:
            os.killpg(cli_run.proc.pid, signal.SIGKILL)
            cli_run.proc.wait()


def run_cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sanic", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )


def get(port: int, context: ssl.SSLContext | None = None) -> bytes:
    sock = socket.create_connection(("127.0.0.1", port), WAIT)
    if context is not None:
        sock = context.wrap_socket(sock, server_hostname="127.0.0.1")
    with Client(sock) as client:
        return client.get("/", "Connection: close\r\n").body


def get_unix(path: Path) -> bytes:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(WAIT)
    sock.connect(str(path))
    with Client(sock) as client:
        return client.get("/", "Connection: close\r\n").body


# -- targets ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "body", "script"),
    [
        (("main:app",), b"hello from", False),
        (("main.app",), b"hello from", False),
        (("main:Holder.app",), b"hello from", False),
        (("main:holder.app",), b"hello from", False),
        (("main:create_app", "--factory"), b"hello from", False),
        (("pkg.sub:create_app", "--factory"), b"from the factory", False),
        (("pkg.sub.create_app", "--factory"), b"from the factory", False),
        (("main:app",), b"hello from", True),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_targets_serve(start: Any, target: Sequence[str], body: bytes, script: bool):
    port = free_port()
    server = start(*target, f"--port={port}", script=script)
    server.wait_connectable(("127.0.0.1", port))
    assert get(port).startswith(body)
    assert server.stop() == 0, server.output()
    assert f"http://127.0.0.1:{port}" in server.output()


ERRORS = [
    (
        ("nosuchmodule:app",),
        "error: cannot import 'nosuchmodule': no module named 'nosuchmodule' "
        "(looked in {project} and the installed packages)",
    ),
    (
        ("pkg.nosuch:app",),
        "error: cannot import 'pkg.nosuch': no module named 'pkg.nosuch' "
        "(looked in {project} and the installed packages)",
    ),
    (
        ("broken:app",),
        "error: importing 'broken' failed: ModuleNotFoundError: No module named "
        "'this_dependency_is_missing'\n  at {project}/broken.py:1",
    ),
    (
        ("raising:app",),
        "error: importing 'raising' failed: RuntimeError: boom at import\n"
        "  at {project}/raising.py:2",
    ),
    (
        ("unclosed:app",),
        "error: importing 'unclosed' failed: SyntaxError: '(' was never closed\n"
        "  at {project}/unclosed.py:1",
    ),
    (("main:nothing",), "error: module 'main' has no attribute 'nothing'"),
    (("main.nothing",), "error: module 'main' has no attribute 'nothing'"),
    (("main:Holder.nope",), "error: module 'main' has no attribute 'Holder.nope'"),
    (("main:number",), "error: 'main:number' is an int, not a Sanic app"),
    (
        ("main:create_app",),
        "error: 'main:create_app' is a function, not a Sanic app; if it returns "
        "one, add --factory",
    ),
    (
        ("main:Holder",),
        "error: 'main:Holder' is the class Holder, not a Sanic app; if it returns "
        "one, add --factory",
    ),
    (
        ("main:returns_none", "--factory"),
        "error: --factory: main:returns_none() returned a NoneType, not a Sanic app",
    ),
    (
        ("main:number", "--factory"),
        "error: --factory: 'main:number' is an int, not a function returning a "
        "Sanic app",
    ),
    (
        ("main:fails", "--factory"),
        "error: --factory: main:fails() failed: ValueError: no config here\n"
        "  at {project}/main.py:{fails_line}",
    ),
    (
        ("main",),
        "error: 'main' is not module:attribute or module.attribute (e.g. server:app)",
    ),
    (
        ("main:app", "--tls", "{project}"),
        "error: --tls {project}: holds neither fullchain.pem + privkey.pem nor "
        "cert.pem + key.pem",
    ),
    (("main:app", "--tls", "{project}/main.py"), "error: --tls {project}/main.py: "
     "not a directory"),
    (("main:app", "--key", "key.pem"), "error: --key needs --cert"),
    (
        ("main:app", "--tls", "{project}", "--cert", "cert.pem"),
        "error: --tls and --cert/--key: give one or the other",
    ),
    (
        ("main:app", "--cert", "{project}/missing.pem"),
        "error: cannot load the TLS certificate {project}/missing.pem: "
        "No such file or directory",
    ),
]  # fmt: skip


#: Where ``fails()`` raises in main.py.
FAILS_LINE = APP.splitlines().index('    raise ValueError("no config here")') + 1


@pytest.mark.parametrize(
    ("args", "message"),
    [pytest.param(*error, id=" ".join(error[0])) for error in ERRORS],
)
def test_errors_are_one_clear_message(project: Path, args: Sequence[str], message: str):
    result = run_cli(project, *(arg.format(project=project) for arg in args))
    assert result.returncode == 1, result.stderr
    expected = message.format(project=project, fails_line=FAILS_LINE)
    assert result.stderr == expected + "\n"
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_an_address_in_use_is_one_line(project: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for workers in ("1", "2"):
            result = run_cli(
                project, "main:app", f"--port={port}", f"--workers={workers}"
            )
            assert result.returncode == 1, result.stderr
            # Exactly app.run()'s own line: no "error: " prefix, nothing else.
            assert result.stderr == (
                f"cannot listen on 127.0.0.1:{port}: address already in use\n"
            )
            assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ("main:app", "--unix", "x.sock", "--port", "9000"),
        ("--restart", "p", "main:app"),
    ],
)
def test_option_conflicts_are_usage_errors(project: Path, args: Sequence[str]):
    result = run_cli(project, *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("python -m sanic: error: ")


def test_a_missing_target_is_a_usage_error(project: Path):
    result = run_cli(project)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "python -m sanic: error: the TARGET to serve is missing (e.g. sanic server:app)"
    )


# -- unix socket, TLS, access logs ------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_unix_socket(start: Any, project: Path, workers: int):
    with short_tmp_dir() as sock_dir:
        path = sock_dir / "app.sock"
        server = start("main:app", "--unix", str(path), f"--workers={workers}")
        server.wait_connectable(str(path))
        assert stat.S_ISSOCK(path.stat().st_mode)
        assert stat.S_IMODE(path.stat().st_mode) == 0o666
        pids = {get_unix(path) for _ in range(4 * workers)}
        assert all(body.startswith(b"hello from") for body in pids)
        assert server.stop() == 0, server.output()
        assert f"listening on unix:{path}" in server.output()
        assert not path.exists()


def test_unix_socket_left_by_a_dead_server_is_replaced(start: Any, project: Path):
    with short_tmp_dir() as sock_dir:
        path = sock_dir / "app.sock"
        stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        stale.bind(str(path))
        stale.close()
        server = start("main:app", "--unix", str(path))
        server.wait_connectable(str(path))
        assert get_unix(path).startswith(b"hello from")
        assert server.stop() == 0, server.output()
        assert not path.exists()


def test_unix_path_that_is_not_a_socket_is_refused(project: Path):
    (project / "data.txt").write_text("keep me")
    result = run_cli(project, "main:app", "--unix", "data.txt")
    assert result.returncode == 1
    assert result.stderr == (
        "cannot listen on data.txt: the path exists and is not a socket (not removed)\n"
    )
    assert (project / "data.txt").read_text() == "keep me"


def test_unix_path_too_long_is_one_line(project: Path):
    name = "x" * 120 + ".sock"
    result = run_cli(project, "main:app", "--unix", name)
    assert result.returncode == 1
    assert result.stderr == (
        f"cannot listen on {name}: the path is too long for a unix socket "
        f"({len(name)} bytes)\n"
    )


@pytest.mark.parametrize(
    "layout", ["fullchain.pem+privkey.pem", "cert.pem+key.pem", "--cert/--key"]
)
def test_tls(start: Any, project: Path, layout: str):
    certs = project / "certs"
    certs.mkdir()
    cert, key = self_signed(certs)
    if layout == "--cert/--key":
        options: tuple[str, ...] = ("--cert", str(cert), "--key", str(key))
    else:
        cert_name, key_name = layout.split("+")
        cert = cert.rename(certs / cert_name)
        key.rename(certs / key_name)
        options = ("--tls", str(certs))
    port = free_port()
    server = start("main:app", f"--port={port}", *options)
    server.wait_connectable(("127.0.0.1", port))
    context = ssl.create_default_context(cafile=str(cert))
    assert get(port, context).startswith(b"hello from")
    assert server.stop() == 0, server.output()
    assert f"https://127.0.0.1:{port}" in server.output()


ACCESS_LINE = re.compile(r"\[INFO\] 127\.0\.0\.1:\d+ - GET / 200 ")


@pytest.mark.parametrize(
    ("option", "logged"),
    [
        (None, True),  # ACCESS_LOG's default
        ("--access-logs", True),
        ("--no-access-logs", False),
        ("--no-access-log", False),  # the older spelling
    ],
)
def test_access_logs(start: Any, option: str | None, logged: bool):
    port = free_port()
    server = start("main:app", f"--port={port}", *([option] if option else []))
    server.wait_connectable(("127.0.0.1", port))
    assert get(port).startswith(b"hello from")
    assert server.stop() == 0, server.output()
    assert bool(ACCESS_LINE.search(server.output())) is logged, server.output()


# -- --version, --help ------------------------------------------------------------


def installed_version(name: str) -> str:
    """The distribution's version, or what --version says when it is absent
    (sanic-testing is not installed with the framework)."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


def test_version(project: Path):
    result = run_cli(project, "--version")
    assert result.returncode == 0
    expected = [f"{name} {installed_version(name)}" for name in cli.DISTRIBUTIONS]
    expected.append(
        f"Python {platform.python_version()} ({platform.python_implementation()})"
    )
    assert result.stdout.splitlines() == expected
    assert result.stdout.startswith("sanic-core ")


#: Every option the command has, as the operations issue lists them.
OPTIONS = {
    "--factory", "--host", "--port", "--unix", "--workers", "--debug", "--reload",
    "--dev", "--access-logs", "--no-access-logs", "--tls", "--cert", "--key",
    "--pid-file", "--restart", "--version",
}  # fmt: skip


def help_entries(text: str) -> dict[str, str]:
    """Each option's help paragraph, keyed by every spelling of the option."""
    entries: dict[str, str] = {}
    options_part = text.split("\noptions:\n", 1)[1].split("\n\n", 1)[0]
    for block in re.split(r"\n(?=  -)", options_part):
        head = block.strip().split("  ", 1)[0]
        for spelling in re.findall(r"--?[\w-]+", head):
            entries[spelling] = " ".join(block.split())
    return entries


def test_help_lists_every_option_with_its_default(project: Path):
    result = subprocess.run(
        [str(SANIC_SCRIPT), "--help"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=WAIT,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert result.returncode == 0
    assert result.stdout.startswith("usage: sanic ")
    entries = help_entries(result.stdout)
    parser_options = {
        spelling
        for action in cli._parser("sanic")._actions
        if action.help != "==SUPPRESS=="
        for spelling in action.option_strings
    } - {"-h", "--help"}
    assert parser_options == OPTIONS
    missing = OPTIONS - entries.keys()
    assert not missing, result.stdout
    for option in OPTIONS:
        assert "(default: " in entries[option], entries[option]
    assert "(default: 127.0.0.1)" in entries["--host"]
    assert "(default: 8000)" in entries["--port"]
    assert "(default: 1)" in entries["--workers"]
    assert "--no-access-log also works" in entries["--access-logs"]


# -- what reaches app.run ---------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), {"debug": False}),
        (("--debug",), {"debug": True}),
        (("--reload",), {"debug": False, "auto_reload": True}),
        (("--dev",), {"debug": True, "auto_reload": True}),
        (
            ("--host=0.0.0.0", "--port=1337", "--workers=3", "--no-access-logs"),
            {"host": "0.0.0.0", "port": 1337, "workers": 3, "access_log": False},
        ),
        (("--unix=app.sock",), {"unix": "app.sock", "host": None, "port": None}),
    ],
)
def test_options_reach_app_run(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: Sequence[str],
    expected: dict[str, Any],
):
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(Sanic, "run", lambda self, **kwargs: calls.append(kwargs))
    monkeypatch.chdir(project)
    monkeypatch.syspath_prepend(str(project))
    monkeypatch.delitem(sys.modules, "main", raising=False)
    cli.main(["main:app", *args])
    monkeypatch.delitem(sys.modules, "main", raising=False)
    assert len(calls) == 1
    run = calls[0]
    for name, value in expected.items():
        assert run[name] == value, (name, run)
    assert ("auto_reload" in run) is ("auto_reload" in expected)


# -- --pid-file and --restart -----------------------------------------------------


def test_pid_file_is_written_and_removed(start: Any, project: Path):
    pid_file = project / "app.pid"
    port = free_port()
    server = start("main:app", f"--port={port}", f"--pid-file={pid_file}")
    server.wait_connectable(("127.0.0.1", port))
    # An answer: the server's loop (and its signal handlers) runs.
    assert get(port).startswith(b"hello from")
    assert pid_file.read_text() == f"{server.proc.pid}\n"
    assert server.stop() == 0, server.output()
    assert not pid_file.exists()


def wait_for_output(server: Cli, text: str, count: int) -> str:
    """Poll the log (bounded): the process writes it, there is no event to await."""
    deadline = time.monotonic() + WAIT
    while server.output().count(text) < count:
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.05)
    return server.output()


def test_under_reload_the_pid_file_is_the_reloaders(start: Any, project: Path):
    pid_file = project / "app.pid"
    port = free_port()
    server = start("main:app", f"--port={port}", "--reload", f"--pid-file={pid_file}")
    server.wait_connectable(("127.0.0.1", port))
    wait_for_output(server, "listening on", 1)
    # The server runs in the reloader's child; the file names the reloader.
    assert pid_file.read_text() == f"{server.proc.pid}\n"
    assert get(port) != f"hello from {server.proc.pid}".encode()
    result = run_cli(project, "--restart", str(pid_file))
    assert result.returncode == 0, result.stderr
    wait_for_output(server, "listening on", 2)  # a new server
    assert get(port).startswith(b"hello from")
    assert pid_file.read_text() == f"{server.proc.pid}\n"
    assert server.stop() == 0, server.output()
    assert not pid_file.exists()


def test_restart_keeps_serving(start: Any, project: Path):
    pid_file = project / "app.pid"
    port = free_port()
    server = start(
        "main:app", f"--port={port}", "--workers=2", f"--pid-file={pid_file}"
    )
    server.wait_connectable(("127.0.0.1", port))
    assert get(port).startswith(b"hello from")  # the supervisor handles SIGHUP
    result = run_cli(project, "--restart", str(pid_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"sent SIGHUP to {server.proc.pid}: its workers restart one at a time\n"
    )
    wait_for_output(server, "rolling restart done", 1)  # sanic-http's supervisor
    assert get(port).startswith(b"hello from")
    assert server.proc.poll() is None
    assert server.stop() == 0, server.output()


def test_restart_signals_the_pid_in_the_file(project: Path):
    waiter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, sys\n"
            "signal.signal(signal.SIGHUP, lambda *a: sys.exit(42))\n"
            "print('ready', flush=True)\n"
            "signal.pause()\n",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert waiter.stdout is not None and waiter.stdout.readline() == b"ready\n"
        (project / "app.pid").write_text(f"{waiter.pid}\n")
        result = run_cli(project, "--restart", "app.pid")
        assert result.returncode == 0, result.stderr
        assert waiter.wait(WAIT) == 42  # it got SIGHUP
    finally:
        if waiter.poll() is None:
            waiter.kill()
            waiter.wait()
        waiter.stdout.close()


def test_restart_errors(project: Path):
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    (project / "stale.pid").write_text(f"{gone.pid}\n")
    (project / "garbage.pid").write_text("not a pid\n")
    (project / "zero.pid").write_text("0\n")
    for name, message in [
        (
            "missing.pid",
            "error: --restart missing.pid: no such pid file (start the server with "
            "--pid-file missing.pid)",
        ),
        ("garbage.pid", "error: --restart garbage.pid: holds no process id"),
        ("zero.pid", "error: --restart zero.pid: holds no process id"),
        (
            "stale.pid",
            f"error: --restart stale.pid: no process {gone.pid} (stale pid file: "
            "the server is not running)",
        ),
    ]:
        result = run_cli(project, "--restart", name)
        assert result.returncode == 1
        assert result.stderr == message + "\n"
