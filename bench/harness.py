"""Process and report plumbing shared by the benchmark scripts.

Every script under ``bench/`` that starts servers in child processes and writes a
Markdown report uses these: a free port, a command pinned to one core, a server
started in its own session (so its workers stop with it) and waited for, its
stop, the interpreter versions, the checkout the packages came from, and the
tail every report ends with. Each script puts this folder on ``sys.path`` and
imports the module by name (as it does ``peer_options``).
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

__all__ = [
    "Served",
    "checkout",
    "cpu_model",
    "free_port",
    "pinned",
    "python_says",
    "race",
    "report_tail",
    "start_session",
    "stop_session",
    "wait_ready",
    "wrk_rate",
]

ROOT = Path(__file__).resolve().parent.parent
#: How long a server may take to answer after it was started.
READY_TIMEOUT = 30.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinned(core: str, argv: list[str]) -> list[str]:
    """``argv`` pinned to ``core`` when taskset is there and there are 2+ cores."""
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", core, *argv]
    return argv


def start_session(
    argv: list[str], env: dict[str, str], output: IO[bytes] | int | None
) -> subprocess.Popen[bytes]:
    """Start ``argv`` in its own session, its output (and errors) to ``output``."""
    return subprocess.Popen(
        argv,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_session(
    process: subprocess.Popen[bytes],
    signals: Iterable[signal.Signals] = (signal.SIGINT, signal.SIGTERM),
    wait: float = 10.0,
) -> None:
    """Send each of ``signals`` to the process's session in turn until it ends
    (``wait`` seconds each), then SIGKILL."""
    for sig in (*signals, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=wait)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def wait_ready(
    process: subprocess.Popen[bytes],
    probe: Callable[[], object],
    describe: Callable[[], str],
    timeout: float = READY_TIMEOUT,
) -> None:
    """Call ``probe`` until it stops raising ``OSError``.

    Raises:
        SystemExit: The process ended first, or ``timeout`` passed (the process
            is then stopped); the message ends with ``describe()``.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited:\n{describe()}")
        try:
            probe()
            return
        except OSError:
            time.sleep(0.1)
    stop_session(process)
    raise SystemExit(f"server did not start:\n{describe()}")


def python_says(python: str, code: str) -> str:
    """What ``python -c code`` prints (``?`` when it prints nothing)."""
    out = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, check=False
    )
    return out.stdout.strip() or "?"


def cpu_model() -> str:
    """The CPU's model name and core count (Linux), or what platform knows."""
    info = Path("/proc/cpuinfo")
    if info.exists():
        found = re.search(r"model name\s*:\s*(.*)", info.read_text())
        if found:
            return f"{found[1].strip()} ({os.cpu_count()} cores)"
    return platform.processor() or "?"


def checkout() -> str:
    """The commit our packages were installed from, and whether they differ from it."""

    def git(*argv: str) -> str:
        out = subprocess.run(
            ["git", "-C", str(ROOT), *argv], capture_output=True, text=True, check=False
        )
        return out.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "?"
    dirty = git("status", "--porcelain", "--", "packages")
    return f"{commit}, with uncommitted changes in packages/" if dirty else commit


def report_tail(
    folder: Path, info: dict[str, str], commands: list[str], footer: str
) -> list[str]:
    """The end of every report: the folder's NOTES.md (when there is one), the
    environment, the commands that reproduce it, and a line on the servers."""
    lines: list[str] = []
    notes = folder / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text().rstrip(), ""]
    lines += [
        "## Environment",
        "",
        *(f"- {name}: {value}" for name, value in info.items()),
        "",
        "## Commands",
        "",
        "```",
        *commands,
        "```",
        "",
    ]
    if footer:
        lines += [footer, ""]
    return lines


class Served:
    """A server process started in its own session (its output discarded) and
    waited for until ``check(base_url)`` stops raising ``OSError``."""

    def __init__(
        self,
        argv: Callable[[int], list[str]],
        env: dict[str, str],
        label: str,
        check: Callable[[str], None],
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = start_session(argv(self.port), env, subprocess.DEVNULL)
        wait_ready(self.process, lambda: check(self.base), lambda: label)

    def stop(self) -> None:
        stop_session(self.process, (signal.SIGTERM,), wait=15.0)


def wrk_rate(argv: list[str], seconds: int) -> float:
    """Requests per second that the wrk command ``argv`` measured.

    Raises:
        SystemExit: wrk printed no rate, or a request failed.
    """
    out = subprocess.run(
        argv, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if rate is None or errors is not None:
        raise SystemExit(f"wrk: no rate or failed requests:\n{out}")
    return float(rate[1])


def race(
    rounds: int,
    keys: Sequence[str],
    paths: Mapping[str, str],
    start: Callable[[str], Served],
    timed: Callable[[str, int], float],
    duration: int,
) -> dict[tuple[str, str], list[float]]:
    """Time every server on every endpoint, a fresh server each time, in turns
    (the order reversed every other round), after a one-second warm-up.

    Args:
        rounds: How many rounds.
        keys: The servers, by key.
        paths: Endpoint name to path.
        start: Starts the server with that key.
        timed: Measures a URL for some seconds, giving requests per second.
        duration: Seconds each measurement lasts.

    Returns:
        The rates of each (key, endpoint), one per round.
    """
    samples: dict[tuple[str, str], list[float]] = {}
    for number in range(rounds):
        order = list(keys) if number % 2 == 0 else list(reversed(keys))
        for endpoint, path in paths.items():
            for key in order:
                server = start(key)
                try:
                    timed(server.base + path, 1)  # warm-up
                    rps = timed(server.base + path, duration)
                finally:
                    server.stop()
                samples.setdefault((key, endpoint), []).append(rps)
                print(f"round {number + 1} {key:9} {endpoint:10} {rps:10.0f} req/s")
    return samples
