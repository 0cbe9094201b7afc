"""Deploying: workers and ``python -m sanic``."""

from __future__ import annotations

import http.client
import json
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sanic_test_helpers import Client, short_tmp_dir

import sanic.__main__ as cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SANIC_SCRIPT = Path(sys.executable).with_name("sanic")
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


# -- the command line docs/deploying.md shows ------------------------------------


def cli_section() -> str:
    text = (ROOT / "docs" / "deploying.md").read_text()
    return text.split("\n## Running from the command line\n", 1)[1].split("\n## ", 1)[0]


def documented_cli_commands() -> list[list[str]]:
    """Every command of the section's ``sh`` blocks, as words."""
    blocks = re.findall(r"```sh\n(.*?)```", cli_section(), re.S)
    return [shlex.split(line) for block in blocks for line in block.splitlines()]


def as_test_command(words: list[str], port: str, tmp: Path) -> tuple[str, ...]:
    """The arguments after the interpreter: this test's port, 2 workers, tmp paths."""
    if words[0] == "sanic":
        program, args = [str(SANIC_SCRIPT)], words[1:]
    else:
        assert words[:3] == ["python", "-m", "sanic"], words
        program, args = words[1:3], words[3:]
    replaced = []
    # Only the documented arguments: the script's own path may be under /tmp.
    for arg in args:
        arg = arg.replace("--host=0.0.0.0", "--host=127.0.0.1")
        arg = re.sub(r"^--port=\d+$", f"--port={port}", arg)
        arg = re.sub(r"^--workers=\d+$", "--workers=2", arg)
        arg = arg.replace("/tmp/", f"{tmp}/")
        replaced.append(arg)
    if not any(a.startswith(("--port", "--unix", "--restart")) for a in replaced):
        replaced.append(f"--port={port}")
    return (*program, *replaced)


def get_unix(path: Path) -> dict[str, object]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(DEADLINE)
    sock.connect(str(path))
    with Client(sock) as client:
        return dict(json.loads(client.get("/", "Connection: close\r\n").body))


def wait_for_unix(proc: subprocess.Popen[bytes], path: Path) -> None:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"exited with {proc.returncode}"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(str(path))
            except OSError:
                time.sleep(0.05)
            else:
                return
    raise AssertionError(f"nothing listens on {path}")


def test_the_documented_cli_commands_serve(launch, tmp_path):
    commands = documented_cli_commands()
    served = 0
    for words in commands:
        args = as_test_command(words, "{port}", tmp_path)
        if any(a.startswith(("--unix", "--restart")) for a in args):
            continue  # below
        example = launch(None, args=args, cwd=EXAMPLES)
        assert example.get("/").json()["hello"] == "world", words
        if "--workers=2" in args:
            assert len(answering_pids(example)) == 2
        assert example.stop() == 0, example.output()
        served += 1
    assert served == 6


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    with short_tmp_dir() as path:
        yield path


def test_the_documented_unix_socket_and_restart(short_tmp):
    tmp_path = short_tmp  # the socket's path must stay short
    commands = documented_cli_commands()
    unix = next(w for w in commands if any(a.startswith("--unix") for a in w))
    restart = next(w for w in commands if "--restart" in w)
    args = as_test_command(unix, "0", tmp_path)
    path = tmp_path / "app.sock"
    pid_file = tmp_path / "app.pid"
    assert f"--unix={path}" in args and f"--pid-file={pid_file}" in args
    log = tmp_path / "unix.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=EXAMPLES,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_unix(proc, path)
        assert get_unix(path)["hello"] == "world"
        assert pid_file.read_text().strip() == str(proc.pid)
        pid_files = [a for a in restart if a.endswith(".pid")]
        assert pid_files == ["/tmp/app.pid"], restart
        result = subprocess.run(
            [sys.executable, *as_test_command(restart, "0", tmp_path)],
            capture_output=True,
            text=True,
            timeout=DEADLINE,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"sent SIGHUP to {proc.pid}")
        deadline = time.monotonic() + DEADLINE  # the log is written by the server
        while "rolling restart done" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        assert get_unix(path)["hello"] == "world"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(DEADLINE) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not path.exists() and not pid_file.exists()


def test_the_cli_options_table_is_the_parser(capsys):
    rows = re.findall(r"^\| (`--.*?) \| (.*?) \|", cli_section(), re.M)
    documented: dict[str, str] = {}
    for options, default in rows:
        for option in re.findall(r"`(--[\w-]+)", options):
            documented[option] = default
    parser = cli._parser("sanic")
    actions = [
        action
        for action in parser._actions
        if action.option_strings
        and action.help != "==SUPPRESS=="
        and "-h" not in action.option_strings
    ]
    assert documented.keys() == {o for a in actions for o in a.option_strings}
    for action in actions:
        shown = re.search(r"\(default: ([^,)]+)", action.help or "")
        assert shown, action.option_strings
        for option in action.option_strings:
            # The table's default starts as the help's does (`8000`, off, none).
            assert documented[option].strip("`").startswith(
                shown.group(1).split()[0].strip("`")
            ) or shown.group(1).startswith("the app"), (option, documented[option])
