"""Sanic: a fast, Flask-like async web framework.

from sanic import Sanic
from sanic.response import json

app = Sanic(__name__)

@app.route("/")
async def test(request):
    return json({"hello": "world"})

app.run(host="127.0.0.1", port=8000)
"""

from __future__ import annotations

from .app import Sanic
from .blueprints import Blueprint

__version__ = "0.1.0"

__all__ = ["Blueprint", "Sanic", "__version__"]
