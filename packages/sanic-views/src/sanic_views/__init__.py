"""Class-based views for sanic-http: ``HTTPMethodView`` and ``CompositionView``.

A view turns one route into several handlers, one per HTTP method, and answers the
methods it has no handler for with ``MethodNotSupported`` (405) carrying ``Allow``.
"""

from __future__ import annotations

from ._composition import CompositionView
from ._http_methods import HTTP_METHODS
from ._method_view import HTTPMethodView
from ._stream import is_stream, stream

__all__ = [
    "HTTP_METHODS",
    "CompositionView",
    "HTTPMethodView",
    "is_stream",
    "stream",
]
