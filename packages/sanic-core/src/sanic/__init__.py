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
from .request import Request
from .response import HTTPResponse, empty, file, html, json, raw, redirect, text

__version__ = "0.1.0"

# The app, and what current Sanic offers at the top level: ``from sanic import
# Sanic, Request, json`` is the same as importing from sanic.request/.response.
__all__ = [
    "Blueprint",
    "HTTPResponse",
    "Request",
    "Sanic",
    "__version__",
    "empty",
    "file",
    "html",
    "json",
    "raw",
    "redirect",
    "text",
]
