"""Running via command: ``sanic server:app`` (or ``python -m sanic server.app``).

cd examples && sanic server:app --host=127.0.0.1 --port=1337 --workers=2
``app.run`` is guarded, so importing this module does not start a server.
"""

import os

from sanic import Sanic
from sanic.response import json

app = Sanic(__name__)


@app.route("/")
async def test(request):
    return json({"hello": "world", "pid": os.getpid()})


def create_app():
    """The app, for ``sanic server:create_app --factory`` (an application factory)."""
    return app


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 1337)),
        workers=4,
    )
