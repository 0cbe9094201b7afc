"""A stop signal at any moment of ``app.run()``'s start ends the process cleanly.

``app.run()`` binds its socket (and logs ``listening on``) before the server's
loop has its SIGINT/SIGTERM handlers. A signal arriving in between must wait
for them rather than meet Python's default action (a ``KeyboardInterrupt``
traceback, status -2/1). The app below holds the process at that moment: a
logging handler, on the ``listening on`` record (or the reloader's first
line), prints a marker and waits until the test's signal is either pending
(held back, as it should be) or has been taken by the reloader's handler; an
unheld signal raises ``KeyboardInterrupt`` inside the wait instead.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

WAIT = 20.0
MARKER = "HOLDING AT THE GAP"

APP = (
    """\
import logging
import os
import signal
import sys
import time

from sanic import Sanic
from sanic.response import text

app = Sanic("early_stop")
GAP = os.environ["GAP_TEXT"]
STOPS = {signal.SIGINT, signal.SIGTERM}


class Hold(logging.Handler):
    def emit(self, record):
        if GAP not in record.getMessage() or os.environ.get("SANIC_RELOAD_CHILD"):
            return
        print("%s", file=sys.stderr, flush=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if STOPS & signal.sigpending():
                return  # held back until the server's handlers are in place
            handler = signal.getsignal(signal.SIGINT)
            stop = getattr(getattr(handler, "__self__", None), "stop", None)
            if stop is not None and stop.is_set():
                return  # the reloader's own handler took it
            time.sleep(0.01)


logging.basicConfig(level=logging.INFO, stream=sys.stderr)
logging.getLogger("sanic").addHandler(Hold())


@app.get("/")
async def index(request):
    return text("ok")


@app.listener("before_server_start")
async def before(app, loop):
    print("before_server_start ran", file=sys.stderr, flush=True)


@app.listener("after_server_stop")
async def after(app, loop):
    print("after_server_stop ran", file=sys.stderr, flush=True)


if __name__ == "__main__":
    app.run(
        port=0,
        workers=int(os.environ["APP_WORKERS"]),
        auto_reload=bool(os.environ.get("APP_RELOAD")),
        access_log=False,
    )
"""
    % MARKER
)


def _stopped_at_the_gap(
    tmp_path: Path, signum: int, gap: str, **env: str
) -> tuple[int, str]:
    (tmp_path / "early_app.py").write_text(APP, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "early_app.py"],
        cwd=tmp_path,
        env={**os.environ, "GAP_TEXT": gap, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    seen = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if MARKER in line:
                seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert seen.wait(WAIT), "".join(lines)
        process.send_signal(signum)
        code = process.wait(WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(WAIT)
    assert process.stderr is not None
    process.stderr.close()
    return code, "".join(lines)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_stop_signal_right_after_the_bind_stops_cleanly(
    tmp_path: Path, workers: str, signum: int
) -> None:
    code, output = _stopped_at_the_gap(
        tmp_path, signum, "listening on", APP_WORKERS=workers
    )
    assert "Traceback" not in output, output
    assert "KeyboardInterrupt" not in output, output
    assert code == 0, output
    assert "Server stopped" in output, output
    # Listeners stay paired: a start that ran is matched by its stop.
    assert output.count("before_server_start ran") == output.count(
        "after_server_stop ran"
    ), output


def test_a_stop_signal_as_the_reloader_starts_stops_cleanly(tmp_path: Path) -> None:
    code, output = _stopped_at_the_gap(
        tmp_path,
        signal.SIGINT,
        "Reloader: watching",
        APP_WORKERS="1",
        APP_RELOAD="1",
        SANIC_NO_WATCHFILES="1",
    )
    assert "Traceback" not in output, output
    assert "KeyboardInterrupt" not in output, output
    assert code == 0, output
    assert "Reloader stopped" in output, output
