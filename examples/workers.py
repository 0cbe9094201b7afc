"""Workers: two worker processes share the port; GET / names the one answering.

python examples/workers.py
"""

import os

from sanic import Sanic
from sanic.response import json

app = Sanic(__name__)


@app.route("/")
async def which_worker(request):
    return json({"pid": os.getpid()})


app.run(
    host=os.environ.get("HOST", "127.0.0.1"),
    port=int(os.environ.get("PORT", 1337)),
    workers=2,
)
