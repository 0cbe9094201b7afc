"""Middleware, responding early from response middleware.

halt_response replaces the handler's response, and the response middleware
registered after it does not run. python examples/middleware_halt_response.py
"""

import os

from sanic import Sanic
from sanic.response import text

app = Sanic(__name__)


@app.middleware("response")
async def halt_response(request, response):
    return text("I halted the response")


@app.middleware("response")
async def prevent_xss(request, response):
    response.headers["x-xss-protection"] = "1; mode=block"


@app.route("/")
async def handler(request):
    return text("I am the handler")


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
