"""Hello world: the guide's first example, served on http://127.0.0.1:8000.

python examples/hello.py            # or: PORT=9000 python examples/hello.py
"""

import os

from sanic import Sanic
from sanic.response import json

app = Sanic(__name__)


@app.route("/")
async def test(request):
    return json({"hello": "world"})


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 8000))
    )
