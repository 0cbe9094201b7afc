"""Run ``_serve_script.py`` in a subprocess and follow what it prints."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

from _live import WAIT

SCRIPT = Path(__file__).with_name("_serve_script.py")


class ServerProcess:
    """A server (or worker pool) in its own process group.

    Args:
        workers: 1 for ``serve()``, more for ``serve_multiple()``.
        loop: ``"uvloop"`` or ``"asyncio"`` (through ``SANIC_NO_UVLOOP``).
        env: More environment variables for the script (``FAIL_START``).
    """

    def __init__(
        self, workers: int, loop: str, env: dict[str, str] | None = None
    ) -> None:
        env = dict(
            os.environ, SANIC_NO_UVLOOP="1" if loop == "asyncio" else "", **(env or {})
        )
        self.proc = subprocess.Popen(
            [sys.executable, str(SCRIPT), str(workers)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            start_new_session=True,
        )
        self.output: list[str] = []
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.port = int(self.expect("port").split()[1])

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line.rstrip("\n"))
            self._lines.put(line.rstrip("\n"))

    def expect(self, prefix: str) -> str:
        """Return the next printed line starting with ``prefix`` (bounded wait)."""
        while True:
            try:
                line = self._lines.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(f"no {prefix!r} line in {self.output}") from None
            if line.startswith(prefix):
                return line

    def lines_until(self, prefix: str) -> list[str]:
        """The printed lines up to the next one starting with ``prefix`` (included;
        each line waited for within ``WAIT``)."""
        lines: list[str] = []
        while True:
            try:
                line = self._lines.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(f"no {prefix!r} line in {self.output}") from None
            lines.append(line)
            if line.startswith(prefix):
                return lines

    def signal(self, signum: int, *, group: bool = False) -> None:
        if group:
            os.killpg(self.proc.pid, signum)
        else:
            self.proc.send_signal(signum)

    def wait(self) -> int:
        return self.proc.wait(WAIT * 2)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(WAIT)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
