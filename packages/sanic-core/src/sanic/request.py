"""``sanic.request``: the request object the app hands to handlers.

It is sanic-request's ``Request`` with one change: a parse failure (bad JSON, a
malformed form, a limit exceeded) surfaces as this framework's HTTP exceptions,
so ``except InvalidUsage`` around ``request.json`` works in a handler and an
uncaught failure answers 400 (or 413).
"""

from __future__ import annotations

from sanic_http import InvalidUsage, PayloadTooLarge, SanicException
from sanic_request import File, RequestParameters, RequestParseError
from sanic_request import Request as BaseRequest

__all__ = ["File", "Request", "RequestParameters"]


class Request(BaseRequest):
    """An HTTP request; see sanic-request for every property."""

    def parse_error(self, error: RequestParseError) -> BaseException:
        """Turn a parse failure into ``InvalidUsage`` (400) or ``PayloadTooLarge``."""
        kind: type[SanicException] = (
            PayloadTooLarge if error.status == 413 else InvalidUsage
        )
        return kind(error.message)
