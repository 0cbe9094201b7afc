"""Request Data (later chapter): ``request.endpoint`` in a blueprint is "foo.bar".

python examples/request_endpoint_blueprint.py
"""

import os

from sanic import Blueprint, Sanic
from sanic.response import text

app = Sanic(__name__)
blueprint = Blueprint("foo")


@blueprint.get("/")
async def bar(request):
    return text(request.endpoint)


app.blueprint(blueprint)

app.run(
    host=os.environ.get("HOST", "127.0.0.1"),
    port=int(os.environ.get("PORT", 8000)),
    debug=True,
)
