"""A server process for the shutdown and worker tests.

Usage: ``python _serve_script.py WORKERS`` (``SANIC_NO_UVLOOP=1`` for asyncio).
Prints ``port N`` once bound, then one line per listener call
(``before_start PID`` ...) and ``handling PID`` when a request reaches the
handler. Paths: ``/slow?S`` sleeps S seconds without blocking; ``/block?S``
blocks the worker's loop for S seconds; ``/hold?PATH`` blocks it while the file
PATH exists (at most ``HOLD_LIMIT`` seconds), so a test decides when it ends and
knows that, until then, this worker accepts no connection; ``/exit?N`` ends
the worker with exit status N; ``/stop`` asks the supervisor to stop the server
(``request_server_stop()``, then stops the loop); ``/restart`` asks it for a
rolling restart; anything else answers the worker's pid.

The supervisor's log lines are printed as ``log: <message>``. With
``FAIL_START`` set to a path, a ``before_start`` listener raises while that
file exists.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from typing import Any

from sanic_http import (
    ServerSettings,
    bind_socket,
    request_rolling_restart,
    request_server_stop,
    serve,
    serve_multiple,
    text,
)


def say(line: str) -> None:
    # One write per line: the workers share the pipe, and writes up to PIPE_BUF
    # bytes are never interleaved.
    os.write(1, f"{line}\n".encode())


def listener(event: str) -> Any:
    async def record(app: Any, loop: asyncio.AbstractEventLoop) -> None:
        assert app == "the-app" and loop is asyncio.get_running_loop()
        say(f"{event} {os.getpid()}")

    return record


class Errors:
    def response(self, request: Any, exception: BaseException) -> Any:
        return text(str(exception), getattr(exception, "status_code", 500))


#: Seconds a ``/hold`` request blocks at most (a test that fails to release it).
HOLD_LIMIT = 60.0


def hold(path: str) -> None:
    deadline = time.monotonic() + HOLD_LIMIT
    while os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.005)


async def handler(request: Any, write: Any) -> None:
    say(f"handling {os.getpid()}")
    if request.path == "/hold":
        # Blocks the loop from the moment "handling" is printed.
        hold(request.query_string)
        write(text(str(os.getpid())))
        return
    seconds = float(request.query_string or "0")
    if request.path == "/slow":
        await asyncio.sleep(seconds)
    elif request.path == "/block":
        time.sleep(seconds)
    elif request.path == "/exit":
        os._exit(int(seconds))
    elif request.path == "/stop":
        request_server_stop()
        asyncio.get_running_loop().stop()
    elif request.path == "/restart":
        request_rolling_restart()
    write(text(str(os.getpid())))


def fail_start(path: str) -> Any:
    def fail(app: Any, loop: asyncio.AbstractEventLoop) -> None:
        if os.path.exists(path):
            raise RuntimeError("the database is unreachable")

    return fail


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="log: %(message)s")
    workers = int(sys.argv[1])
    sock = bind_socket("127.0.0.1", 0)
    say(f"port {sock.getsockname()[1]}")
    settings: dict[str, Any] = {
        "request_handler": handler,
        "error_handler": Errors(),
        "sock": sock,
        "settings": ServerSettings(graceful_shutdown_timeout=5.0, app="the-app"),
        "before_start": [listener("before_start")],
        "after_start": [listener("after_start")],
        "before_stop": [listener("before_stop")],
        "after_stop": [listener("after_stop")],
    }
    if os.environ.get("FAIL_START"):
        settings["before_start"].append(fail_start(os.environ["FAIL_START"]))
    if workers > 1:
        serve_multiple(settings, workers)
    else:
        serve(**settings)
    say(f"exited {os.getpid()}")


if __name__ == "__main__":
    main()
