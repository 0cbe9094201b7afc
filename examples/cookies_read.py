"""Cookies, "Reading cookies": ``request.cookies``.

python examples/cookies_read.py
curl -b test=yummy http://127.0.0.1:8000/cookie
"""

import os

from sanic import Sanic
from sanic.response import text

app = Sanic(__name__)


@app.route("/cookie")
async def test(request):
    test_cookie = request.cookies.get("test")
    return text("Test cookie set to: {}".format(test_cookie))


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
