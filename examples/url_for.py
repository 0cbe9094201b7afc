"""URL building with ``url_for``: route names, query strings and special arguments.

GET / redirects to the URL built for ``post_handler``; GET /url_for answers with
every URL the guide builds, as JSON, keyed by the guide's expected result.
/url_for/missing and /url_for/mistyped show the URLBuildError the guide describes
(the typed /number/<integer_arg:int> route is from the routing section).
python examples/url_for.py
"""

import os

from sanic import Sanic
from sanic.exceptions import URLBuildError
from sanic.response import json, redirect, text

app = Sanic(__name__)
# The guide's _external example prints //server/...: that is SERVER_NAME at work.
app.config.SERVER_NAME = "server"


@app.route("/")
async def index(request):
    # generate a URL for the endpoint `post_handler`
    url = app.url_for("post_handler", post_id=5)
    # the URL is `/posts/5`, redirect to it
    return redirect(url)


@app.route("/posts/<post_id>")
async def post_handler(request, post_id):
    return text("Post - {}".format(post_id))


@app.route("/url_for")
async def built_urls(request):
    urls = {
        "/posts/5?arg_one=one&arg_two=two": app.url_for(
            "post_handler", post_id=5, arg_one="one", arg_two="two"
        ),
        "/posts/5?arg_one=one&arg_one=two": app.url_for(
            "post_handler", post_id=5, arg_one=["one", "two"]
        ),
        "/posts/5?arg_one=one#anchor": app.url_for(
            "post_handler", post_id=5, arg_one="one", _anchor="anchor"
        ),
        "//server/posts/5?arg_one=one": app.url_for(
            "post_handler", post_id=5, arg_one="one", _external=True
        ),
        "http://server/posts/5?arg_one=one": app.url_for(
            "post_handler", post_id=5, arg_one="one", _scheme="http", _external=True
        ),
        # _method is not supported and is ignored
        "/posts/5": app.url_for("post_handler", post_id=5, _method="POST"),
        # you can pass all special arguments one time
        "http://another_server:8888/posts/5?arg_one=one&arg_one=two&arg_two=2#anchor": (
            app.url_for(
                "post_handler",
                post_id=5,
                arg_one=["one", "two"],
                arg_two=2,
                _anchor="anchor",
                _scheme="http",
                _external=True,
                _server="another_server:8888",
            )
        ),
    }
    return json(urls)


@app.route("/url_for/missing")
async def missing_parameter(request):
    # All valid parameters must be passed to url_for to build a URL.
    try:
        app.url_for("post_handler")
    except URLBuildError as error:
        return text("URLBuildError: {}".format(error), status=500)
    return text("built a URL without post_id")


@app.route("/number/<integer_arg:int>")
async def integer_handler(request, integer_arg):
    return text("Integer - {}".format(integer_arg))


@app.route("/url_for/mistyped")
async def mistyped_parameter(request):
    # ... or if a parameter does not match the specified type.
    try:
        app.url_for("integer_handler", integer_arg="one")
    except URLBuildError as error:
        return text("URLBuildError: {}".format(error), status=500)
    return text("built a URL with a mistyped integer_arg")


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
