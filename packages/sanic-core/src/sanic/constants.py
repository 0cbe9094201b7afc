"""``sanic.constants``: names code written for Sanic 0.4 imports.

``HTTP_METHODS`` is sanic-views' tuple (the methods a view may define), so the
routes and the views agree on one list in one order.
"""

from __future__ import annotations

from sanic_views import HTTP_METHODS

__all__ = ["HTTP_METHODS"]
