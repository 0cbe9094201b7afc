"""Servers under test: a process serving the battery's app on a free port.

Every implementation (ours, Sanic 25.12, uvicorn+Starlette) serves the same
routes from a script that reads ``PORT`` and ``SITE`` from its environment and
prints ``SLOW-STARTED`` when the slow handler begins. ``SITE`` is a directory
made by :func:`make_site`: ``public/`` is served at ``/static``, everything
else must stay unreachable.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sanic_test_helpers import free_port

__all__ = ["SECRET", "ServerProcess", "Target", "make_site"]

HOST = "127.0.0.1"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
SECRET = "TOP-SECRET"


def make_site(root: Path) -> Path:
    """Create the static tree: ``public/`` plus secrets beside and outside it."""
    public = root / "public"
    (public / "sub").mkdir(parents=True)
    (public / "hello.txt").write_text("hello")
    (public / "sub" / "inner.txt").write_text("inner")
    (root / "secret.txt").write_text(f"{SECRET}-outside")
    # A sibling whose name starts with the root's: a string-prefix check is fooled.
    (root / "public-private").mkdir()
    (root / "public-private" / "secret.txt").write_text(f"{SECRET}-sibling")
    (public / "link.txt").symlink_to(root / "secret.txt")
    (public / "uplink").symlink_to(root)
    return root


class ServerProcess:
    """A server process in its own process group, its output collected.

    Args:
        argv: The command.
        env: Extra environment (``PORT`` is added).
    """

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.port = free_port(HOST)
        self.output: list[str] = []
        self._seen = threading.Condition()
        self.proc = subprocess.Popen(
            argv,
            env={**os.environ, **env, "PORT": str(self.port)},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        self._wait_listening()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in iter(self.proc.stdout.readline, b""):
            with self._seen:
                self.output.append(line.decode("utf-8", "replace"))
                self._seen.notify_all()

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {''.join(self.output)[-2000:]}")
            with contextlib.suppress(OSError):
                socket.create_connection((HOST, self.port), 0.5).close()
                return
            time.sleep(0.05)  # nothing to await: the port is another process's
        self.kill()
        raise RuntimeError("server did not start listening")

    def wait_for(self, text: str, timeout: float) -> bool:
        """Wait (bounded) until a line containing ``text`` is printed."""
        with self._seen:
            return self._seen.wait_for(
                lambda: any(text in line for line in self.output), timeout
            )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def exits(self, timeout: float) -> bool:
        """Whether the process exits within ``timeout``; its pipe is then closed."""
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        self._reader.join(STOP_TIMEOUT)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return True

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.exits(STOP_TIMEOUT)

    def stop(self) -> int | None:
        """SIGINT, then (bounded) wait; killed and ``None`` when it hangs."""
        if self.alive():
            self.signal(signal.SIGINT)
        if not self.exits(STOP_TIMEOUT):
            self.kill()
            return None
        return self.proc.returncode


@dataclass
class Target:
    """A running server the checks talk to, and how to start a fresh one."""

    name: str
    process: ServerProcess
    site: Path
    launch: Callable[[], ServerProcess] = field(repr=False)
    host: str = HOST

    @property
    def port(self) -> int:
        return self.process.port

    @contextlib.contextmanager
    def fresh(self) -> Iterator[ServerProcess]:
        """A server of the same kind for a check that ends it."""
        process = self.launch()
        try:
            yield process
        finally:
            process.stop()
