"""The error handler: user exception handlers first, then a default answer.

``@app.exception(NotFound)`` registers a handler for ``NotFound`` and its subclasses;
``SanicException`` catches every HTTP error. An exception no handler claims gets the
default answer: its status and message for HTTP errors, a bare 500 for anything else
(with the traceback only when debug is on), formatted as JSON, HTML or plain text
according to the request's ``Accept`` header. The plain text is ``Error: <message>``
(``sanic_http.error_text``), whatever raised the error: the router, a view, the
server's limits or a handler.

Errors the server detects before any handler runs (400, 408, 413, 414, 431) reach
``response`` too, so ``@app.exception(PayloadTooLarge)`` answers them. Their
``request`` is ``None`` when the request line and headers never completed (a
malformed, too long or too slow head), else the request as far as it was read
(its body is not there yet).
"""

from __future__ import annotations

import html
import inspect
import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from sanic_http import (
    STATUS_CODES,
    HTTPResponse,
    SanicException,
    ServerError,
    error_text,
)
from sanic_http import html as html_response
from sanic_http import json as json_response
from sanic_http import text as text_response

__all__ = ["ErrorHandler", "ExceptionHandler"]

error_logger = logging.getLogger("sanic.error")

ExceptionHandler = Callable[[Any, BaseException], Any]


def _reason(status: int) -> str:
    phrase = STATUS_CODES.get(status, b"Error")
    return phrase.decode("latin-1") if isinstance(phrase, bytes) else str(phrase)


def _wants(request: Any) -> str:
    """Pick ``json``, ``html`` or ``text`` from the request's Accept header."""
    headers = getattr(request, "headers", None)
    accept = headers.get("accept", "") if headers is not None else ""
    if not accept:
        return "text"
    json_at = accept.find("application/json")
    html_at = accept.find("text/html")
    if json_at != -1 and (html_at == -1 or json_at < html_at):
        return "json"
    if html_at != -1:
        return "html"
    return "text"


class ErrorHandler:
    """Maps exception types to handlers and renders the default error response.

    Args:
        debug: Show tracebacks of unexpected errors (never in production).
    """

    def __init__(self, debug: bool = False) -> None:
        self.debug = debug
        self.handlers: list[tuple[type[BaseException], ExceptionHandler]] = []
        self._lookup_cache: dict[type[BaseException], ExceptionHandler | None] = {}

    def add(self, exception: type[BaseException], handler: ExceptionHandler) -> None:
        """Register ``handler`` for ``exception`` and its subclasses."""
        self.handlers.append((exception, handler))
        self._lookup_cache.clear()

    def lookup(self, exception: BaseException) -> ExceptionHandler | None:
        """Return the handler for the closest registered class in the MRO."""
        kind = type(exception)
        try:
            return self._lookup_cache[kind]
        except KeyError:
            pass
        found: ExceptionHandler | None = None
        for base in kind.__mro__:
            for registered, handler in self.handlers:
                if registered is base:
                    found = handler
                    break
            if found is not None:
                break
        self._lookup_cache[kind] = found
        return found

    def response(
        self, request: Any, exception: BaseException
    ) -> HTTPResponse | Awaitable[HTTPResponse]:
        """Answer ``exception``: the user's handler if one matches, else the default.

        A user handler may be sync or async; when it is async an awaitable is
        returned. A handler that itself fails yields the default 500.
        """
        handler = self.lookup(exception)
        if handler is None:
            return self.default(request, exception)
        try:
            result = handler(request, exception)
        except Exception as failure:
            self.log(failure)
            return self.default(request, failure)
        if inspect.isawaitable(result):
            return self._await_handler(request, result)
        if result is None:
            return self.default(request, exception)
        return result  # type: ignore[no-any-return]

    async def _await_handler(
        self, request: Any, result: Awaitable[Any]
    ) -> HTTPResponse:
        try:
            response = await result
        except Exception as failure:
            self.log(failure)
            return self.default(request, failure)
        if response is None:
            return self.default(
                request, ServerError("The exception handler returned no response")
            )
        return response  # type: ignore[no-any-return]

    def log(self, exception: BaseException) -> None:
        """Log an unexpected exception with its traceback."""
        error_logger.error(
            "Exception occurred while handling the request",
            exc_info=(type(exception), exception, exception.__traceback__),
        )

    def default(self, request: Any, exception: BaseException) -> HTTPResponse:
        """The built-in answer: status and message, in the format the client asks.

        Plain text (no ``Accept`` preference) is ``Error: <message>``; an exception
        that is not an HTTP error gives ``Error: Internal Server Error`` (followed
        by the traceback when debug is on).
        """
        if isinstance(exception, SanicException):
            status = exception.status_code
            message = str(exception) or _reason(status)
            headers = dict(getattr(exception, "headers", None) or {})
        else:
            self.log(exception)
            status, message, headers = 500, _reason(500), {}
        title = f"{status} — {_reason(status)}"
        details = ""
        if self.debug and not isinstance(exception, SanicException):
            details = "".join(
                traceback.format_exception(
                    type(exception), exception, exception.__traceback__
                )
            )
        kind = _wants(request)
        if kind == "json":
            payload: dict[str, Any] = {"status": status, "message": message}
            if details:
                payload["traceback"] = details
            return json_response(payload, status=status, headers=headers)
        if kind == "html":
            body = (
                f"<!DOCTYPE html><html><head><meta charset=utf-8>"
                f"<title>{html.escape(title)}</title></head><body>"
                f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>"
            )
            if details:
                body += f"<pre>{html.escape(details)}</pre>"
            return html_response(
                body + "</body></html>", status=status, headers=headers
            )
        body = error_text(message)
        if details:
            body = f"{body}\n\n{details}"
        return text_response(body, status=status, headers=headers)
