"""Request Data: json, args, files, form, body and ``request.app``.

The guide names three handlers ``post_json``; here each keeps its route and gets
its own function name. The later chapter's args / query_args / get_args programs
are request_args.py and request_get_args.py.
python examples/request_data.py
"""

import os

from sanic import Blueprint, Sanic
from sanic.request import RequestParameters
from sanic.response import json, text

app = Sanic(__name__)


@app.route("/json")
def post_json(request):
    return json({"received": True, "message": request.json})


@app.route("/query_string")
def query_string(request):
    return json(
        {
            "parsed": True,
            "args": request.args,
            "url": request.url,
            "query_string": request.query_string,
        }
    )


@app.route("/files")
def post_files(request):
    test_file = request.files.get("test")

    file_parameters = {
        "body": test_file.body,
        "name": test_file.name,
        "type": test_file.type,
    }

    return json(
        {
            "received": True,
            "file_names": request.files.keys(),
            "test_file_parameters": file_parameters,
        }
    )


@app.route("/form")
def post_form(request):
    return json(
        {"received": True, "form_data": request.form, "test": request.form.get("test")}
    )


@app.route("/users", methods=["POST"])
def create_user(request):
    return text(
        "You are trying to create a user with the following POST: %s" % request.body
    )


bp = Blueprint("my_blueprint")


@bp.route("/")
async def bp_root(request):
    if request.app.config["DEBUG"]:
        return json({"status": "debug"})
    else:
        return json({"status": "production"})


app.blueprint(bp)


@app.route("/getlist")
def get_and_getlist(request):
    args = RequestParameters()
    args["titles"] = ["Post 1", "Post 2"]

    return json({"get": args.get("titles"), "getlist": args.getlist("titles")})


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
