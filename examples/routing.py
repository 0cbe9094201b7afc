"""Routing: a basic route, request parameters, typed parameters, HTTP methods.

The guide's "Routing", "Request parameters" and "HTTP request types" snippets,
assembled into one app. python examples/routing.py
"""

import os

from sanic import Sanic
from sanic.response import json, text

app = Sanic(__name__)


@app.route("/")
async def test(request):
    return json({"hello": "world"})


@app.route("/tag/<tag>")
async def tag_handler(request, tag):
    return text("Tag - {}".format(tag))


@app.route("/number/<integer_arg:int>")
async def integer_handler(request, integer_arg):
    return text("Integer - {}".format(integer_arg))


@app.route("/number/<number_arg:number>")
async def number_handler(request, number_arg):
    return text("Number - {}".format(number_arg))


@app.route("/person/<name:[A-z]>")
async def person_handler(request, name):
    return text("Person - {}".format(name))


@app.route("/folder/<folder_id:[A-z0-9]{0,4}>")
async def folder_handler(request, folder_id):
    return text("Folder - {}".format(folder_id))


@app.route("/post", methods=["POST"])
async def post_handler(request):
    return text("POST request - {}".format(request.json))


@app.route("/get", methods=["GET"])
async def get_handler(request):
    return text("GET request - {}".format(request.args))


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
