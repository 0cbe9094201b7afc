"""The app the websocket tests run in a process (tests/integration/test_websockets.py).

``/echo`` sends back every message; ``/bp/room/<name>`` (a blueprint, with its own
request middleware) greets with its URL and the blueprint middleware's mark;
``/guarded`` is refused by request middleware without ``Authorization: yes``;
``/broken`` raises after one message; ``/stubborn`` never reads nor returns
(shutdown must still close it and cancel it).
"""

import asyncio
import os

from sanic import Blueprint, Sanic
from sanic.response import text

app = Sanic("websocket_app")
bp = Blueprint("rooms", url_prefix="/bp")


@app.websocket("/echo")
async def echo(request, ws):
    async for message in ws:
        await ws.send(message)


@bp.websocket("/room/<name>")
async def room(request, ws, name):
    url = request.url_for("rooms.room", name=name)
    await ws.send(f"{name} {url} {request.headers.get('X-Room-Mark')}")
    async for message in ws:
        await ws.send(f"{name}: {message}")


@bp.middleware("request")
async def mark(request):
    request.headers["X-Room-Mark"] = "marked"


@app.middleware("request")
async def guard(request):
    if request.path == "/guarded" and request.headers.get("Authorization") != "yes":
        return text("no entry", 403)


@app.websocket("/guarded")
async def guarded(request, ws):
    await ws.send("welcome")


@app.websocket("/broken")
async def broken(request, ws):
    await ws.send("about to fail")
    raise RuntimeError("the handler failed on purpose")


@app.exception(RuntimeError)
async def on_runtime_error(request, exception):
    print(f"exception handler saw: {exception}", flush=True)
    return text("never sent", 500)


@app.websocket("/stubborn")
async def stubborn(request, ws):
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        print("stubborn handler cancelled", flush=True)
        raise


app.blueprint(bp)

if __name__ == "__main__":
    app.config.GRACEFUL_SHUTDOWN_TIMEOUT = 1.0
    app.run(host=os.environ["HOST"], port=int(os.environ["PORT"]), access_log=False)
