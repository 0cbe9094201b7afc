"""The error handler: user exception handlers first, then a default answer.

``@app.exception(NotFound)`` registers a handler for ``NotFound`` and its subclasses;
``SanicException`` catches every HTTP error. An exception no handler claims gets the
default answer: its status and message for HTTP errors, a bare 500 for anything else
(with the traceback only when debug is on), formatted as JSON, HTML or plain text
according to the request's ``Accept`` header. The plain text is ``Error: <message>``
(``sanic_http.error_text``), whatever raised the error: the router, a view, the
server's limits or a handler.

The format is chosen per route: a route's ``error_format`` (``@app.route(...,
error_format="json")``), else its blueprint's (``Blueprint(...,
error_format="json")``), else the config's ``FALLBACK_ERROR_FORMAT``: ``"auto"``
(by ``Accept``, as above), ``"json"``, ``"html"`` or ``"text"``. Errors met before
a route is chosen (404, 405, the server's 400/408/413/414/431) use the config's.
The app resolves each route's format when the server starts (``route_formats``),
so a request that succeeds does no work for it.

Errors the server detects before any handler runs (400, 408, 413, 414, 431) reach
``response`` too, so ``@app.exception(PayloadTooLarge)`` answers them. Their
``request`` is ``None`` when the request line and headers never completed (a
malformed, too long or too slow head), else the request as far as it was read
(its body is not there yet).

The HTML answers are built from ``str.format`` templates defined here (and
re-exported by ``sanic.exceptions``); every value put into them is HTML-escaped:

- ``INTERNAL_SERVER_ERROR_HTML``: the whole page of an unexpected error when debug
  is off (no fields);
- ``TRACEBACK_WRAPPER_HTML``: the whole debug page of an unexpected error, fields
  ``{style}`` (``TRACEBACK_STYLE``, a ``<style>`` element), ``{title}`` (status and
  reason), ``{exc_name}`` and ``{exc_value}`` (the exception raised) and
  ``{tracebacks}`` (the blocks below);
- ``TRACEBACK_WRAPPER_INNER_HTML``: one exception of the chain, fields
  ``{exc_name}``, ``{exc_value}`` and ``{frames}``; the chain is shown oldest
  first, as Python prints it, each link a ``TRACEBACK_BORDER`` (field ``{note}``:
  whether the next exception was caused by this one or raised while handling it);
- ``TRACEBACK_LINE_HTML``: one frame, most recent call last, fields ``{path}``,
  ``{line}`` (the line number), ``{name}`` (the function) and ``{code}`` (the
  source line).

``ContentRangeHandler`` is the byte range a request asks of a file, for
``file(..., _range=...)``.
"""

from __future__ import annotations

import inspect
import os
import traceback
from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from sanic_http import (
    STATUS_CODES,
    ByteRange,
    HeaderNotFound,
    HTTPResponse,
    SanicException,
    ServerError,
    URLBuildError,
    error_text,
    parse_range,
)
from sanic_http import html as html_response
from sanic_http import json as json_response
from sanic_http import text as text_response

from .log import error_logger

if TYPE_CHECKING:
    from sanic_request import Request

__all__ = ["ERROR_FORMATS", "ContentRangeHandler", "ErrorHandler", "ExceptionHandler"]

#: The values of ``FALLBACK_ERROR_FORMAT``; every one but ``"auto"`` is also an
#: ``error_format=`` of a route or blueprint.
ERROR_FORMATS = ("auto", "json", "html", "text")

#: ``handler(request, exception)``: returns a response, an awaitable of one, or
#: ``None`` for the default answer. ``request`` is ``None`` for a request the
#: server refused before it was complete.
ExceptionHandler = Callable[["Request | None", BaseException], object]

# The page of an HTTP error (and the base of the plain 500 page): {title}, {message}.
_ERROR_PAGE_HTML = (
    "<!DOCTYPE html><html><head><meta charset=utf-8><title>{title}</title>"
    "</head><body><h1>{title}</h1><p>{message}</p></body></html>"
)

#: The page of an unexpected error when debug is off: no details at all.
INTERNAL_SERVER_ERROR_HTML = _ERROR_PAGE_HTML.format(
    title="500 — Internal Server Error",
    message="The server met an unexpected error and could not answer the request.",
)

#: The debug page's ``<style>`` element (a value for ``{style}``, not a template).
TRACEBACK_STYLE = """<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
.summary { font-size: 1.1em; }
.exception h2 { font-size: 1.1em; margin: 1em 0 .5em; }
.frame { margin: .4em 0; padding: .3em .8em; background: #f4f4f4;
         border-left: 3px solid #b33; }
.frame code { display: block; margin-top: .2em; white-space: pre-wrap; }
.link { margin: 1.5em 0; padding-top: .5em; border-top: 1px dashed #888;
        font-style: italic; }
</style>"""

#: The debug page: {style}, {title}, {exc_name}, {exc_value}, {tracebacks}.
TRACEBACK_WRAPPER_HTML = (
    "<!DOCTYPE html><html><head><meta charset=utf-8><title>{title}</title>"
    "{style}</head><body><h1>{title}</h1>"
    "<p class=summary><b>{exc_name}</b>: {exc_value}</p>{tracebacks}</body></html>"
)

#: One exception of the chain: {exc_name}, {exc_value}, {frames}.
TRACEBACK_WRAPPER_INNER_HTML = (
    "<div class=exception><h2>{exc_name}: {exc_value}</h2>"
    "<p>Traceback, most recent call last:</p>{frames}</div>"
)

#: Between two exceptions of the chain: {note}.
TRACEBACK_BORDER = "<p class=link>{note}</p>"

#: One traceback frame: {path}, {line}, {name}, {code}.
TRACEBACK_LINE_HTML = (
    "<div class=frame>File <b>{path}</b>, line <b>{line}</b>, in <b>{name}</b>"
    "<code>{code}</code></div>"
)

_CAUSE_NOTE = "The exception above was the direct cause of the one below."
_CONTEXT_NOTE = "The exception below was raised while handling the one above."


#: HTTP errors that are mistakes of the app's code rather than answers to the
#: request: answered, logged and shown (debug only) as unexpected errors.
_APP_ERRORS: tuple[type[SanicException], ...] = (URLBuildError,)


def _reason(status: int) -> str:
    phrase = STATUS_CODES.get(status, b"Error")
    return phrase.decode("latin-1") if isinstance(phrase, bytes) else str(phrase)


def _escape(text: str) -> str:
    """``html.escape(text)``; the module is loaded by the first HTML error page,
    not at import (startup time)."""
    from html import escape

    return escape(text)


def _message(exception: BaseException) -> str:
    try:
        return str(exception)
    except Exception:
        return "<the message could not be shown>"


def _exception_html(exception: BaseException) -> str:
    frames = "".join(
        TRACEBACK_LINE_HTML.format(
            path=_escape(frame.filename),
            line=frame.lineno,
            name=_escape(frame.name),
            code=_escape(frame.line or ""),
        )
        for frame in traceback.extract_tb(exception.__traceback__)
    )
    return TRACEBACK_WRAPPER_INNER_HTML.format(
        exc_name=_escape(type(exception).__name__),
        exc_value=_escape(_message(exception)),
        frames=frames,
    )


def _debug_page(status: int, exception: BaseException) -> str:
    """The HTML debug page of ``exception``: its chain of tracebacks, oldest first."""
    blocks = [_exception_html(exception)]
    seen = {id(exception)}
    current: BaseException | None = exception
    while current is not None:
        if current.__cause__ is not None:
            current, note = current.__cause__, _CAUSE_NOTE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, note = current.__context__, _CONTEXT_NOTE
        else:
            break
        if id(current) in seen:
            break
        seen.add(id(current))
        blocks += [TRACEBACK_BORDER.format(note=_escape(note))]
        blocks += [_exception_html(current)]
    return TRACEBACK_WRAPPER_HTML.format(
        style=TRACEBACK_STYLE,
        title=_escape(f"{status} — {_reason(status)}"),
        exc_name=_escape(type(exception).__name__),
        exc_value=_escape(_message(exception)),
        tracebacks="".join(reversed(blocks)),
    )


def check_error_format(value: object, where: str) -> str:
    """``value`` (any case) as one of :data:`ERROR_FORMATS`.

    Args:
        value: The format asked for.
        where: What set it, shown before the value (``"error_format="``,
            ``"config FALLBACK_ERROR_FORMAT="``).

    Raises:
        ValueError: ``value`` is not a format.
    """
    chosen = value.lower() if isinstance(value, str) else value
    if chosen not in ERROR_FORMATS:
        choices = ", ".join(repr(choice) for choice in ERROR_FORMATS)
        raise ValueError(f"{where}{value!r} is not one of {choices}")
    return str(chosen)


def _wants(request: Request | None) -> str:
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

    Attributes:
        handlers: The ``(exception class, handler)`` pairs in registration order.
        cached_handlers: What ``lookup`` found for each exception class seen so
            far (``None``: no handler, the default answer); emptied by ``add``.
        fallback_format: The format of a default answer for a request without a
            route format (``FALLBACK_ERROR_FORMAT``; set by the app at startup).
        route_formats: The format of each route that sets one, keyed by
            ``(request.endpoint, request.uri_template)`` (set at startup).
    """

    fallback_format: str = "auto"
    route_formats: Mapping[tuple[str | None, str | None], str] = MappingProxyType({})

    def __init__(self, debug: bool = False) -> None:
        self.debug = debug
        self.handlers: list[tuple[type[BaseException], ExceptionHandler]] = []
        self.cached_handlers: dict[type[BaseException], ExceptionHandler | None] = {}

    def add(self, exception: type[BaseException], handler: ExceptionHandler) -> None:
        """Register ``handler`` for ``exception`` and its subclasses."""
        self.handlers.append((exception, handler))
        self.cached_handlers.clear()

    def lookup(self, exception: BaseException) -> ExceptionHandler | None:
        """Return the handler for the closest registered class in the MRO."""
        kind = type(exception)
        try:
            return self.cached_handlers[kind]
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
        self.cached_handlers[kind] = found
        return found

    def response(
        self, request: Request | None, exception: BaseException
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
        return cast(HTTPResponse, result)

    async def _await_handler(
        self, request: Request | None, result: Awaitable[object]
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
        return cast(HTTPResponse, response)

    def log(self, exception: BaseException) -> None:
        """Log an unexpected exception with its traceback."""
        error_logger.error(
            "Exception occurred while handling the request",
            exc_info=(type(exception), exception, exception.__traceback__),
        )

    def format_for(self, request: Request | None) -> str:
        """``"json"``, ``"html"`` or ``"text"``: the format of ``request``'s
        default error answer (its route's, else ``fallback_format``)."""
        formats = self.route_formats
        if formats and request is not None:
            key = (
                getattr(request, "endpoint", None),
                getattr(request, "uri_template", None),
            )
            chosen = formats.get(key)
            if chosen is not None:
                return _wants(request) if chosen == "auto" else chosen
        fallback = self.fallback_format
        return _wants(request) if fallback == "auto" else fallback

    def default(
        self, request: Request | None, exception: BaseException
    ) -> HTTPResponse:
        """The built-in answer: status and message, in the route's format or the
        one the client asks (:meth:`format_for`).

        Plain text is ``Error: <message>``; an exception that is not an HTTP
        error gives ``Error: Internal Server Error`` (followed by the traceback
        when debug is on), and so does a ``URLBuildError``: a mistake in the
        app's code whose message (route names, parameters) is for its
        developer, logged like any unexpected error. In HTML that is
        ``INTERNAL_SERVER_ERROR_HTML``, or with debug on the page of
        ``TRACEBACK_WRAPPER_HTML``.
        """
        # The app's own mistakes are answered as unexpected errors.
        http_error = False
        if isinstance(exception, SanicException) and not isinstance(
            exception, _APP_ERRORS
        ):
            http_error = True
            status = exception.status_code
            message = str(exception) or _reason(status)
            headers = dict(getattr(exception, "headers", None) or {})
        else:
            self.log(exception)
            status, message, headers = 500, _reason(500), {}
        show_traceback = self.debug and not http_error
        kind = self.format_for(request)
        if kind == "html":
            if show_traceback:
                page = _debug_page(status, exception)
            elif http_error:
                page = _ERROR_PAGE_HTML.format(
                    title=_escape(f"{status} — {_reason(status)}"),
                    message=_escape(message),
                )
            else:
                page = INTERNAL_SERVER_ERROR_HTML
            return html_response(page, status=status, headers=headers)
        details = ""
        if show_traceback:
            details = "".join(
                traceback.format_exception(
                    type(exception), exception, exception.__traceback__
                )
            )
        if kind == "json":
            payload: dict[str, Any] = {"status": status, "message": message}
            if details:
                payload["traceback"] = details
            return json_response(payload, status=status, headers=headers)
        body = error_text(message)
        if details:
            body = f"{body}\n\n{details}"
        return text_response(body, status=status, headers=headers)


class ContentRangeHandler(ByteRange):
    """The single byte range a request's ``Range`` header asks of a file.

    Sanic 0.4's name, a thin layer over sanic-http's ``parse_range``: pass it to
    ``file(path, _range=...)`` for a 206 answer with that part of the file::

        try:
            byte_range = ContentRangeHandler(request, os.stat(path))
        except HeaderNotFound:
            byte_range = None  # no range to honour: the whole file, 200
        return await file(path, _range=byte_range)

    Args:
        request: The request; its ``Range`` header is read.
        stats: The file's ``os.stat`` result (``st_size`` is used).

    Attributes:
        start: The first byte offset.
        end: The last byte offset, inclusive.
        size: The number of bytes in the range.
        total: The size of the file.
        headers: ``{"Content-Range": "bytes start-end/total"}`` for the answer.

    Raises:
        HeaderNotFound: The request has no ``Range`` header, or one listing
            several ranges (only single ranges are served; send the whole file).
        InvalidRangeType: The unit is not ``bytes`` or the header is malformed
            (416).
        ContentRangeError: The range lies outside the file (416).
    """

    def __init__(self, request: Request, stats: os.stat_result) -> None:
        header = request.headers.get("range")
        if not header:
            raise HeaderNotFound("Range header not found")
        byte_range = parse_range(header, stats.st_size)
        if byte_range is None:
            raise HeaderNotFound("Only a single byte range is served")
        super().__init__(byte_range.start, byte_range.end, byte_range.total)

    @property
    def headers(self) -> dict[str, str]:
        """The ``Content-Range`` header of a 206 answer with this range."""
        return {"Content-Range": self.content_range()}
