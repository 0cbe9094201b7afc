"""Getting Started: the guide's ``main.py``, with debug on.

python examples/getting_started.py      # then open http://127.0.0.1:8000
"""

import os

from sanic import Sanic
from sanic.response import text

app = Sanic(__name__)


@app.route("/")
async def test(request):
    return text("Hello world!")


app.run(
    host=os.environ.get("HOST", "127.0.0.1"),
    port=int(os.environ.get("PORT", 8000)),
    debug=True,
)
