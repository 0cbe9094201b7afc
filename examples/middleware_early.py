"""Middleware, responding early: request middleware that returns a response.

The handler never runs, and neither does any further middleware (halt_response).
python examples/middleware_early.py      # GET / -> "I halted the request"
"""

import os

from sanic import Sanic
from sanic.response import text

app = Sanic(__name__)


@app.middleware("request")
async def halt_request(request):
    return text("I halted the request")


@app.middleware("response")
async def halt_response(request, response):
    return text("I halted the response")


@app.route("/")
async def handler(request):
    print("the handler ran")
    return text("I am the handler")


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
