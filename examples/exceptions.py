"""Exceptions: throwing ``ServerError`` and handling ``NotFound`` with a handler.

python examples/exceptions.py      # GET /killme -> 500, GET /anything -> 200
"""

import os

from sanic import Sanic
from sanic.exceptions import NotFound, ServerError
from sanic.response import text

app = Sanic(__name__)


@app.route("/killme")
def i_am_ready_to_die(request):
    raise ServerError("Something bad happened", status_code=500)


@app.exception(NotFound)
def ignore_404s(request, exception):
    return text("Yep, I totally found the page: {}".format(request.url))


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
