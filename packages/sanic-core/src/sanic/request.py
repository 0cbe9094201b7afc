"""``sanic.request``: the request object the app hands to handlers.

It is sanic-request's ``Request`` with one change: a parse failure (bad JSON, a
malformed form, a limit exceeded) surfaces as this framework's HTTP exceptions,
so ``except InvalidUsage`` around ``request.json`` works in a handler and an
uncaught failure answers 400 (or 413). Like sanic-request's own parse error, both
also subclass ``ValueError``: the guide documents that
``get_args(strict_parsing=True)`` raises a ``ValueError`` on a malformed query.
"""

from __future__ import annotations

from typing import Any

from sanic_http import InvalidUsage, PayloadTooLarge, SanicException
from sanic_request import (
    DEFAULT_HTTP_CONTENT_TYPE,
    File,
    RequestParameters,
    RequestParseError,
    RequestStream,
)
from sanic_request import Request as BaseRequest
from sanic_request import parse_multipart_form as _parse_multipart_form
from sanic_router import RouteMatch, RouterError

__all__ = [
    "DEFAULT_HTTP_CONTENT_TYPE",
    "File",
    "Request",
    "RequestParameters",
    "RequestStream",
    "parse_multipart_form",
]


class RequestDataError(InvalidUsage, ValueError):
    """Part of a request (query, form, multipart, JSON) cannot be parsed (400).

    Caught by ``except InvalidUsage``, ``except SanicException`` and, as the guide
    documents for ``strict_parsing``, ``except ValueError``.
    """


class RequestDataTooLarge(PayloadTooLarge, ValueError):
    """A request's form or multipart body exceeds a limit (413).

    Also a ``ValueError``, like :class:`RequestDataError`.
    """


def _http_error(error: RequestParseError) -> SanicException:
    kind: type[SanicException] = (
        RequestDataTooLarge if error.status == 413 else RequestDataError
    )
    return kind(error.message)


def parse_multipart_form(
    body: bytes, boundary: bytes | str
) -> tuple[RequestParameters, RequestParameters]:
    """Parse a ``multipart/form-data`` body into ``(fields, files)``.

    Raises:
        InvalidUsage: The body is malformed (400).
        PayloadTooLarge: A part or the number of parts is over its limit (413).
    """
    try:
        return _parse_multipart_form(body, boundary)
    except RequestParseError as error:
        raise _http_error(error) from error


class Request(BaseRequest):
    """An HTTP request; see sanic-request for every property."""

    #: The route match the app's stream check made when the request's head was
    #: complete, so ``handle_request`` does not route it again; None (this class
    #: attribute, no per-request cost) when the app has no streaming routes.
    _route_match: RouteMatch | None = None

    @property
    def match_info(self) -> dict[str, Any]:
        """The route parameters the handler receives, by name (Sanic 18.12).

        Looked up again from the app's router on each access (the request path
        itself does not keep them); empty when no route matches.
        """
        app = self.app
        if app is None:
            return {}
        host = app._route_host(self) if app._has_hosts else None
        try:
            return dict(app.router.get(self.path, self.method, host).params)
        except RouterError:
            return {}

    def url_for(self, view_name: str, **kwargs: Any) -> str:
        """Build an external URL for ``view_name`` with this request's scheme
        and host.

        A name starting with ``.`` is relative to the blueprint of the route
        this request matched (``request.endpoint``): ``.get_todo`` is
        ``api.get_todo`` in a handler of the ``api`` blueprint, ``get_todo`` in
        one of the app's own routes; this works wherever the request is at hand
        (a websocket handler, a task the handler started).

        Raises:
            URLBuildError: See ``Sanic.url_for``.
            RuntimeError: The request has no app.
        """
        app = self.app
        if view_name[:1] == "." and app is not None:
            view_name = app._resolve_name(view_name, self.endpoint)
        return super().url_for(view_name, **kwargs)

    def parse_error(self, error: RequestParseError) -> BaseException:
        """Turn a parse failure into ``InvalidUsage`` (400) or ``PayloadTooLarge``.

        The exception raised is a subclass of both that class and ``ValueError``.
        """
        return _http_error(error)
