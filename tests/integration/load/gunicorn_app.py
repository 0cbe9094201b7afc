"""The app tests/integration/test_gunicorn.py serves with gunicorn.

asgi_app's app (listeners that print, a task, ``/upload``, ``/count``,
``/slow``) with more for a process manager: every worker prints its PID with
each listener, ``GET /pid`` answers the worker's PID and its loop's module
(``uvloop`` or ``asyncio``), ``GET /sleep?s=N`` answers after N seconds and
``GET /block`` blocks the worker's loop, ``GET /restart`` calls
``app.restart()``. With ``FAIL_START`` set a start listener raises.
"""

import asyncio
import os
import sys
import time

from asgi_app import app

from sanic.response import json, text


def announce(event):
    def listener(app, loop):
        # One write per line: the workers share the log.
        sys.stdout.write(f"worker {os.getpid()} {event}\n")
        sys.stdout.flush()

    app.listener(event)(listener)


for event in ("after_server_start", "after_server_stop"):
    announce(event)


if os.environ.get("FAIL_START"):

    @app.listener("before_server_start")
    def fail(app, loop):
        raise RuntimeError("the database is unreachable")


@app.route("/pid")
async def pid(request):
    loop = asyncio.get_running_loop()
    return json({"pid": os.getpid(), "loop": type(loop).__module__.split(".")[0]})


@app.route("/sleep")
async def sleep(request):
    print(f"worker {os.getpid()} sleeps", flush=True)
    await asyncio.sleep(float(request.args.get("s", "10")))
    return text("woke")


@app.route("/block")
async def block(request):
    print(f"worker {os.getpid()} blocks", flush=True)
    time.sleep(60)
    return text("unreachable")


@app.route("/restart")
async def restart(request):
    app.restart()
    return json({"pid": os.getpid()})
