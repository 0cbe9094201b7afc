"""The app tests/integration/test_asgi.py serves with uvicorn, hypercorn and granian.

Listeners and an ``add_task`` task print when they run (the test reads the order
from the server's output); ``POST /upload`` streams its body and answers its
size and SHA-256; ``GET /count`` streams its response; ``GET /slow`` answers
after a while (a request in flight during ``SIGTERM``); ``GET /link`` answers
``url_for`` (``root_path`` in front). The websocket routes echo (with a
subprotocol), refuse without a token (request middleware) and fail (1011).
"""

import asyncio
import hashlib

from sanic import Sanic
from sanic.response import json, stream, text

app = Sanic("asgi_app")
app.config.REQUEST_STREAM_HIGH_WATER = 64 * 1024


def announce(event):
    async def listener(app, loop):
        assert loop is asyncio.get_running_loop()
        print(f"listener {event}", flush=True)

    app.listener(event)(listener)


for event in (
    "before_server_start",
    "after_server_start",
    "before_server_stop",
    "after_server_stop",
):
    announce(event)


async def ticker():
    print("task started", flush=True)
    await asyncio.sleep(3600)


app.add_task(ticker)


@app.route("/")
async def index(request):
    return text("ok")


@app.post("/upload", stream=True)
async def upload(request):
    digest = hashlib.sha256()
    size = 0
    async for chunk in request.stream:
        digest.update(chunk)
        size += len(chunk)
    return json({"size": size, "sha256": digest.hexdigest()})


@app.route("/count")
async def count(request):
    async def body(response):
        for n in range(int(request.args.get("n", "5"))):
            await response.write(f"{n}\n")

    return stream(body)


@app.route("/slow")
async def slow(request):
    print("slow started", flush=True)
    await asyncio.sleep(1.0)
    return text("finished")


@app.route("/posts/<post_id:int>")
async def post(request, post_id):
    return json(
        {
            "path": app.url_for("post", post_id=post_id),
            "url": request.url_for("post", post_id=post_id),
        }
    )


# -- websockets (``ws://.../ws``, ``/ws/guarded``, ``/ws/boom``) -------------------


@app.middleware("request")
async def guard(request):
    if request.path == "/ws/guarded" and request.args.get("token") != "yes":
        return text("no token", 403)


@app.websocket("/ws", subprotocols=["chat.v2", "chat.v1"])
async def echo(request, ws):
    await ws.send(f"subprotocol {ws.subprotocol}")
    async for message in ws:
        await ws.send(message)


@app.websocket("/ws/guarded")
async def guarded(request, ws):
    await ws.send("in")


@app.exception(ValueError)
async def value_error(request, exc):
    print(f"exception handler: {exc}", flush=True)
    return text("value error", 500)


@app.websocket("/ws/boom")
async def boom(request, ws):
    await ws.recv()
    raise ValueError("boom")
