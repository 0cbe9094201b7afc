"""Using blueprints: exceptions, static files and start/stop listeners.

The guide's listeners connect to MySQL; ``mysql`` here is an in-memory stand-in
that records what happened, so GET /database shows the listener ran.
python examples/blueprint_features.py      (BP_STATIC names the served file)
"""

import os

from sanic import Blueprint, Sanic
from sanic.exceptions import NotFound
from sanic.response import json, text


class InMemoryDatabase:
    """Stands in for the guide's MySQL connection."""

    def __init__(self, host):
        self.host = host
        self.closed = False

    async def close(self):
        self.closed = True
        print("database closed")


class InMemoryMySQL:
    """Stands in for the guide's ``mysql`` module."""

    @staticmethod
    def connect(host):
        print("database connected to {}".format(host))
        return InMemoryDatabase(host)


mysql = InMemoryMySQL


database = None
app = Sanic(__name__)
bp = Blueprint("my_blueprint")


@bp.exception(NotFound)
def ignore_404s(request, exception):
    return text("Yep, I totally found the page: {}".format(request.url))


bp.static("/folder/to/serve", os.environ.get("BP_STATIC", "/web/path"))


@bp.listener("before_server_start")
async def setup_connection(app, loop):
    global database
    database = mysql.connect(host="127.0.0.1")


@bp.listener("after_server_stop")
async def close_connection(app, loop):
    await database.close()


@bp.route("/database")
async def database_state(request):
    return json({"host": database.host, "closed": database.closed})


app.blueprint(bp)

if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
