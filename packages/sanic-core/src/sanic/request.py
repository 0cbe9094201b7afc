"""``sanic.request``: the request object the app hands to handlers.

It is sanic-request's ``Request`` with one change: a parse failure (bad JSON, a
malformed form, a limit exceeded) surfaces as this framework's HTTP exceptions,
so ``except InvalidUsage`` around ``request.json`` works in a handler and an
uncaught failure answers 400 (or 413). Like sanic-request's own parse error, both
also subclass ``ValueError``: the guide documents that
``get_args(strict_parsing=True)`` raises a ``ValueError`` on a malformed query.
"""

from __future__ import annotations

from sanic_http import InvalidUsage, PayloadTooLarge, SanicException
from sanic_request import (
    DEFAULT_HTTP_CONTENT_TYPE,
    File,
    RequestParameters,
    RequestParseError,
)
from sanic_request import Request as BaseRequest

__all__ = ["DEFAULT_HTTP_CONTENT_TYPE", "File", "Request", "RequestParameters"]


class RequestDataError(InvalidUsage, ValueError):
    """Part of a request (query, form, multipart, JSON) cannot be parsed (400).

    Caught by ``except InvalidUsage``, ``except SanicException`` and, as the guide
    documents for ``strict_parsing``, ``except ValueError``.
    """


class RequestDataTooLarge(PayloadTooLarge, ValueError):
    """A request's form or multipart body exceeds a limit (413).

    Also a ``ValueError``, like :class:`RequestDataError`.
    """


class Request(BaseRequest):
    """An HTTP request; see sanic-request for every property."""

    def parse_error(self, error: RequestParseError) -> BaseException:
        """Turn a parse failure into ``InvalidUsage`` (400) or ``PayloadTooLarge``.

        The exception raised is a subclass of both that class and ``ValueError``.
        """
        kind: type[SanicException] = (
            RequestDataTooLarge if error.status == 413 else RequestDataError
        )
        return kind(error.message)
