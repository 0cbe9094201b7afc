"""Blueprints, "Use-case: API versioning": imported by api_versioning.py."""

from sanic import Blueprint
from sanic.response import text

blueprint_v1 = Blueprint("v1", url_prefix="/v1")
blueprint_v2 = Blueprint("v2", url_prefix="/v2")


@blueprint_v1.route("/")
async def api_v1_root(request):
    return text("Welcome to version 1 of our documentation")


@blueprint_v2.route("/")
async def api_v2_root(request):
    return text("Welcome to version 2 of our documentation")
