"""Middleware: printing on each request/response, then modifying the response.

python examples/middleware.py      # every response carries Server: Fake-Server
"""

import os

from sanic import Sanic
from sanic.response import text

app = Sanic(__name__)


@app.middleware("request")
async def print_on_request(request):
    print("I print when a request is received by the server")


@app.middleware("response")
async def print_on_response(request, response):
    print("I print when a response is returned by the server")


@app.middleware("response")
async def custom_banner(request, response):
    response.headers["Server"] = "Fake-Server"


@app.middleware("response")
async def prevent_xss(request, response):
    response.headers["x-xss-protection"] = "1; mode=block"


@app.route("/")
async def handler(request):
    return text("I am the handler")


app.run(
    host=os.environ.get("HOST", "127.0.0.1"),
    port=int(os.environ.get("PORT", 8000)),
)
