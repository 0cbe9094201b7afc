"""Routing, the shorthand method decorators ``@app.post`` and ``@app.get``.

python examples/routing_shorthand.py
"""

import os

from sanic import Sanic
from sanic.response import text

app = Sanic(__name__)


@app.post("/post")
async def post_handler(request):
    return text("POST request - {}".format(request.json))


@app.get("/get")
async def get_handler(request):
    return text("GET request - {}".format(request.args))


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
