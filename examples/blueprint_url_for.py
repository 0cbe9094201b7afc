"""Blueprints, "URL Building with url_for": endpoint names are blueprint.handler.

python examples/blueprint_url_for.py      # GET /v1 redirects to /v1/post/5
"""

import os

from sanic import Blueprint, Sanic
from sanic.response import redirect, text

app = Sanic(__name__)
blueprint_v1 = Blueprint("v1", url_prefix="/v1")


@blueprint_v1.route("/")
async def root(request):
    url = app.url_for("v1.post_handler", post_id=5)  # --> '/v1/post/5'
    return redirect(url)


@blueprint_v1.route("/post/<post_id>")
async def post_handler(request, post_id):
    return text("Post {} in Blueprint V1".format(post_id))


app.blueprint(blueprint_v1)

if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
