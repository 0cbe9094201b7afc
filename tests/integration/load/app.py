"""The app the memory load tests run (tests/integration/test_memory_under_load.py).

``GET /`` answers a short text; ``POST /upload`` (a normal, buffering route)
answers the size of the body it received. No access log: the flood test sends
a million requests.
"""

import os

from sanic import Sanic
from sanic.response import text

app = Sanic("memory_load")
app.config.REQUEST_MAX_SIZE = 32 * 1024 * 1024


@app.route("/")
async def index(request):
    return text("ok")


@app.route("/upload", methods=["POST"])
async def upload(request):
    return text(str(len(request.body)))


if __name__ == "__main__":
    app.run(host=os.environ["HOST"], port=int(os.environ["PORT"]), access_log=False)
