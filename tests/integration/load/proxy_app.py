"""The app tests/integration/test_proxies.py serves with ``app.run`` behind nginx.

Its proxy settings come from ``SANIC_``-prefixed environment variables
(``SANIC_PROXIES_COUNT=1`` ...). ``GET /whoami`` answers what the request knows
about where it came from; ``POST /upload`` is a streaming route answering the
body's size and SHA-256; ``/echo`` is a websocket that sends every message back.
"""

import hashlib
import os

from sanic import Sanic
from sanic.response import json

app = Sanic("proxy_app")


@app.route("/whoami")
async def whoami(request):
    return json(
        {
            "ip": request.ip,
            "port": request.port,
            "remote_addr": request.remote_addr,
            "scheme": request.scheme,
            "host": request.host,
            "server_name": request.server_name,
            "server_port": request.server_port,
            "url": request.url,
        }
    )


@app.route("/upload", methods=["POST"], stream=True)
async def upload(request):
    digest = hashlib.sha256()
    size = 0
    while (chunk := await request.stream.read()) is not None:
        digest.update(chunk)
        size += len(chunk)
    return json({"size": size, "sha256": digest.hexdigest()})


@app.websocket("/echo")
async def echo(request, ws):
    await ws.send(f"hello {request.remote_addr}")
    async for message in ws:
        await ws.send(message)


if __name__ == "__main__":
    app.run(host=os.environ["HOST"], port=int(os.environ["PORT"]), access_log=False)
