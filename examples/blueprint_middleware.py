"""Using blueprints, Middleware: blueprint middleware applies to the whole app.

python examples/blueprint_middleware.py
GET /bp/ and GET /app both answer "I halted the request" (and print the spy line).
"""

import os

from sanic import Blueprint, Sanic
from sanic.response import text

app = Sanic(__name__)
bp = Blueprint("my_blueprint", url_prefix="/bp")


@bp.middleware
async def spy(request):
    print("I am a spy")


@bp.middleware("request")
async def halt_request(request):
    return text("I halted the request")


@bp.middleware("response")
async def halt_response(request, response):
    return text("I halted the response")


@bp.route("/")
async def bp_root(request):
    return text("blueprint handler")


@app.route("/app")
async def app_root(request):
    return text("app handler")


app.blueprint(bp)

if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
