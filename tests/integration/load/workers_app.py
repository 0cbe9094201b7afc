"""The app tests/integration/test_workers.py runs with ``python workers_app.py``.

``app.run(workers=2)`` on HOST/PORT. Every worker prints its PID with each
listener (``worker PID after_server_start``); ``GET /pid`` answers the worker's
PID, ``GET /slow?s=N`` answers it after N seconds, ``GET /restart`` calls
``app.restart()`` and ``GET /stop`` calls ``app.stop()``. ``GET /restart`` in
the supervisor's own process is impossible (it serves nothing); the test for
``app.restart()`` outside workers is in sanic-core's tests.
"""

import asyncio
import os
import sys

from sanic import Sanic
from sanic.response import json

app = Sanic("workers_app")


def announce(event):
    def listener(app, loop):
        # One write per line: the workers share the log.
        sys.stdout.write(f"worker {os.getpid()} {event}\n")
        sys.stdout.flush()

    app.listener(event)(listener)


for event in ("after_server_start", "before_server_stop", "after_server_stop"):
    announce(event)


@app.route("/pid")
async def pid(request):
    return json({"pid": os.getpid()})


@app.route("/slow")
async def slow(request):
    print(f"worker {os.getpid()} sleeps", flush=True)
    await asyncio.sleep(float(request.args.get("s", "1")))
    return json({"pid": os.getpid()})


@app.route("/restart")
async def restart(request):
    app.restart()
    return json({"pid": os.getpid()})


@app.route("/stop")
async def stop(request):
    app.stop()
    return json({"pid": os.getpid()})


if __name__ == "__main__":
    app.run(
        host=os.environ["HOST"],
        port=int(os.environ["PORT"]),
        workers=2,
        access_log=False,
    )
