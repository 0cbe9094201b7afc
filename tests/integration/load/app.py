"""The app the memory load tests run (tests/integration/test_memory_under_load.py).

``GET /`` answers a short text; ``POST /upload`` (a normal, buffering route)
answers the size of the body it received; ``POST /count`` streams its body and
answers how many bytes it read; ``POST /echo`` streams its body and
writes each chunk straight back in a streamed response. No access log: the flood
test sends a million requests.
"""

import os

from sanic import Sanic
from sanic.response import stream, text

app = Sanic("memory_load")
app.config.REQUEST_MAX_SIZE = 2 * 1024 * 1024 * 1024  # the 1 GiB stream


@app.route("/")
async def index(request):
    return text("ok")


@app.route("/upload", methods=["POST"])
async def upload(request):
    return text(str(len(request.body)))


@app.route("/count", methods=["POST"], stream=True)
async def count(request):
    size = 0
    async for chunk in request.stream:
        size += len(chunk)
    return text(str(size))


@app.route("/echo", methods=["POST"], stream=True)
async def echo(request):
    async def send_back(response):
        async for chunk in request.stream:
            await response.write(chunk)

    return stream(send_back, content_type="application/octet-stream")


if __name__ == "__main__":
    app.run(host=os.environ["HOST"], port=int(os.environ["PORT"]), access_log=False)
