"""``sanic.views``: class-based views, from sanic-views."""

from __future__ import annotations

from sanic_views import CompositionView, HTTPMethodView, stream

__all__ = ["CompositionView", "HTTPMethodView", "stream"]
