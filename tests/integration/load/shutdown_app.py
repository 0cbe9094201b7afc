"""The app the shutdown load test runs (tests/integration/test_shutdown_under_load.py).

``GET /`` answers at once; ``GET /slow`` after a short wait, so that at any moment
some requests are in flight and some connections are between two requests.
"""

import asyncio
import os

from sanic import Sanic
from sanic.response import text

app = Sanic("shutdown_load")


@app.route("/")
async def index(request):
    return text("ok")


@app.route("/slow")
async def slow(request):
    await asyncio.sleep(0.02)
    return text("slow")


if __name__ == "__main__":
    app.run(host=os.environ["HOST"], port=int(os.environ["PORT"]), access_log=False)
