"""Routing, the ``host`` argument: one /get for example.com, one default /get.

python examples/routing_hosts.py
curl -H 'Host: example.com' http://127.0.0.1:8000/get
"""

import os

from sanic import Sanic
from sanic.response import text

app = Sanic(__name__)


# The guide names both handlers get_handler; in one module the first one gets its
# own name (route names only matter to url_for, which this example does not use).
@app.route("/get", methods=["GET"], host="example.com")
async def get_handler_example_com(request):
    return text("GET request - {}".format(request.args))


# if the host header doesn't match example.com, this route will be used
@app.route("/get", methods=["GET"])
async def get_handler(request):
    return text("GET request in default - {}".format(request.args))


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
