"""Cookies, "Writing cookies": ``response.cookies`` with domain and httponly.

python examples/cookies_write.py
"""

import os

from sanic import Sanic
from sanic.response import text

app = Sanic(__name__)


@app.route("/cookie")
async def test(request):
    response = text("There's a cookie up in this response")
    response.cookies["test"] = "It worked!"
    response.cookies["test"]["domain"] = ".gotta-go-fast.com"
    response.cookies["test"]["httponly"] = True
    return response


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
