"""The in-process client: the app's request handling without a socket.

A request is encoded as aiohttp would send it (``_encode``), handed to
``app.handle_request`` exactly as the server's protocol hands it over, and the
response is serialised with the same ``output()``/``send()`` calls the server
makes, then read back (the status at once, headers and body when the test asks:
``_parse``). So headers, ``Set-Cookie``, chunked streaming and HEAD come out as
they would on the wire, at a fraction of the cost.

Listeners: ``before_server_start`` and ``after_server_start`` run on the first
request (or on ``start()``/entering the context manager), ``before_server_stop``
and ``after_server_stop`` on ``close()``/leaving it, all on the client's loop.
"""

from __future__ import annotations

import asyncio
from inspect import isawaitable
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from sanic.exceptions import ServerError, ServiceUnavailable, error_text
from sanic.response import StreamingHTTPResponse
from sanic.testing import HOST, PORT

from ._deadline import within
from ._encode import EncodedRequest, encode_request
from ._errors import SanicTestClientError
from ._listeners import run_listeners
from ._methods import DEFAULT_TIMEOUT, AsyncMethods
from ._parse import parse_response
from ._response import SanicTestResponse
from ._wire import describe

if TYPE_CHECKING:
    from sanic import Sanic
    from sanic.request import Request

__all__ = ["AsyncInProcessClient"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Written when even the error handler cannot produce a response: what the server
# writes then (the default error text with the reason phrase).
_LAST_RESORT_BODY = error_text("Internal Server Error").encode()
_LAST_RESORT = (
    b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; "
    b"charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%b"
    % (len(_LAST_RESORT_BODY), _LAST_RESORT_BODY)
)


def _origin(target: str, default: str) -> str:
    """``scheme://authority`` of an absolute ``target``, else ``default``."""
    if target.startswith(("http://", "https://")):
        parts = urlsplit(target)
        return f"{parts.scheme}://{parts.netloc}"
    return default


class _LocalTransport(asyncio.BaseTransport):
    """Stands in for the socket so ``request.ip`` and friends have answers
    (``get_extra_info`` is ``BaseTransport``'s, over the ``extra`` given)."""

    __slots__ = ()

    def __init__(self, host: str, port: int) -> None:
        # The peer is the local test client; it has no real port, so 0.
        super().__init__({"peername": (HOST, 0), "sockname": (host, port)})

    def is_closing(self) -> bool:
        return False


class AsyncInProcessClient(AsyncMethods):
    """Drive the app in the running event loop, with no server and no socket.

    Use ``async with AsyncInProcessClient(app) as client`` (or call
    :meth:`close` yourself) so the stop listeners run.

    Args:
        app: The ``Sanic`` app.
        host: The address requests appear to be sent to (``Host`` header).
        port: The port requests appear to be sent to.
        timeout: Seconds one exchange may take before the test fails.
        debug: Debug mode, as ``app.run(debug=True)`` sets it.
    """

    def __init__(
        self,
        app: Sanic,
        host: str = HOST,
        port: int = PORT,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        debug: bool = False,
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.timeout = timeout
        self.debug = debug
        self._host_header = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        # A response's url: where the request appears to go (no socket, no port
        # of its own), as aiohttp would have sent it.
        self._origin = f"http://{self._host_header}"
        self._transport = _LocalTransport(host, port)
        self._started = False

    async def __aenter__(self) -> AsyncInProcessClient:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Prepare the app as ``app.run`` would and run the start listeners."""
        if self._started:
            return
        app = self.app
        if self.debug:
            app.config.DEBUG = True
        app.error_handler.debug = bool(app.config.DEBUG)
        if not app.router.finalized:
            app.router.finalize()
        config = app.config
        self._keep_alive = bool(config.KEEP_ALIVE)
        self._keep_alive_header = int(config.KEEP_ALIVE_TIMEOUT) or None
        self._response_timeout = float(config.RESPONSE_TIMEOUT)
        self._started = True
        await run_listeners(app, "before_server_start", "after_server_start")

    async def close(self) -> None:
        """Run the stop listeners (once, and only after a start)."""
        if not self._started:
            return
        self._started = False
        await run_listeners(self.app, "before_server_stop", "after_server_stop")

    async def request(
        self,
        method: str,
        uri: str = "/",
        *request_args: object,
        gather_request: bool = True,
        **request_kwargs: Any,
    ) -> Any:
        """Handle one request in-process; redirects are followed like aiohttp.

        Args:
            method: The HTTP method.
            uri: The path (with an optional query) or an absolute URL.
            *request_args: Not supported (aiohttp takes none either).
            gather_request: Return ``(request, response)`` or only the response.
            **request_kwargs: As for aiohttp's ``ClientSession.request``:
                ``params``, ``data``, ``json``, ``headers``, ``cookies``,
                ``auth``, ``skip_auto_headers``, ``allow_redirects``,
                ``max_redirects``, ``raise_for_status`` and ``timeout``.

        Returns:
            ``(request, response)``, or the ``SanicTestResponse`` alone.

        Raises:
            SanicTestClientError: Timed out, too many redirects, a streamed body
                broke off, or an error status with ``raise_for_status``.
            TypeError: An argument this client cannot honour.
        """
        if request_args:
            raise TypeError("the in-process client takes no positional arguments")
        if not self._started:
            await self.start()
        kwargs = request_kwargs
        timeout = kwargs.pop("timeout", None)
        total = float(getattr(timeout, "total", timeout) or self.timeout)
        allow = kwargs.pop("allow_redirects", True)
        remaining = kwargs.pop("max_redirects", 10)
        raise_for_status = kwargs.pop("raise_for_status", False)
        method = method.upper()
        target = uri
        origin = _origin(uri, self._origin)
        history: list[SanicTestResponse] | None = None
        # Redirects are followed here rather than in a helper coroutine: one
        # coroutine less per request.
        while True:
            encoded = await encode_request(method, target, self._host_header, kwargs)
            try:
                request, data = await self._dispatch(encoded, total)
            except asyncio.TimeoutError as exc:
                raise SanicTestClientError(method, uri, describe(exc)) from exc
            response = parse_response(data)
            response._location = origin + encoded.target.decode("utf-8")
            # The status first: most responses need no header mapping at all.
            if not allow or response.status not in _REDIRECTS:
                break
            location = response.headers.get("Location")
            if location is None:
                break
            if remaining <= 0:
                raise SanicTestClientError(method, uri, "too many redirects")
            remaining -= 1
            # As aiohttp's history: the redirect without its body.
            history = history or []
            history.append(
                SanicTestResponse(
                    response.status,
                    response.headers,
                    b"",
                    response.reason,
                    url=response._location,
                )
            )
            # As aiohttp (and browsers) do: 303 becomes GET, and so does a POST
            # answered with 301/302 (RFC 9110 section 15.4).
            if (response.status == 303 and method != "HEAD") or (
                response.status in (301, 302) and method == "POST"
            ):
                method = "GET"
                kwargs.pop("data", None)
                kwargs.pop("json", None)
            # Against the whole URL, so a redirect keeps an absolute URI's host.
            target = urljoin(str(response._location), location)
            origin = _origin(target, origin)
        if history:
            response.history = tuple(history)
        if raise_for_status and response.status >= 400:
            reason = f"{response.status} {response.reason}".strip()
            raise SanicTestClientError(method, uri, reason)
        return (request, response) if gather_request else response

    async def _dispatch(
        self, encoded: EncodedRequest, timeout: float
    ) -> tuple[Request, bytes]:
        """Run the app on one request; return it and the serialised response.

        One timer covers both limits: the app's response timeout (the server
        answers 503) and the client's ``timeout`` (the test fails), whichever
        is shorter.

        Raises:
            asyncio.TimeoutError: The client's timeout passed first.
        """
        app = self.app
        request = app.request_class(
            encoded.target,
            encoded.headers,
            "1.1",
            encoded.method,
            transport=self._transport,
        )
        request.body = encoded.body
        written: list[object] = []
        server_first = self._response_timeout <= timeout
        try:
            await within(
                app.handle_request(request, written.append),
                self._response_timeout if server_first else timeout,
            )
        except asyncio.TimeoutError:
            if not server_first:
                raise
            return request, await self._error(
                request, ServiceUnavailable("Response Timeout")
            )
        except Exception:
            written.clear()
        response = written[0] if written else None
        include_body = encoded.method != "HEAD"
        keep_alive = self._keep_alive and (
            encoded.headers.get("Connection", "").lower() != "close"
        )
        if isinstance(response, StreamingHTTPResponse):
            streamed = await within(
                self._stream(request, response, keep_alive), timeout
            )
            return request, streamed
        output = getattr(response, "output", None)
        try:
            if output is None:
                raise TypeError(f"not a response: {response!r}")
            data = output(
                "1.1", keep_alive, self._keep_alive_header, include_body=include_body
            )
        except Exception:
            # Not a response, or an unsafe header: the server answers 500.
            return request, await self._error(request, ServerError("Server Error"))
        return request, bytes(data)

    async def _stream(
        self, request: Request, response: StreamingHTTPResponse, keep_alive: bool
    ) -> bytes:
        chunks: list[bytes] = []
        try:
            await response.send(
                chunks.append,
                "1.1",
                keep_alive,
                self._keep_alive_header,
                None,
                include_body=request.method != "HEAD",
            )
        except Exception as exc:
            if not chunks:
                return await self._error(request, ServerError("Server Error"))
            # The head went out: on the wire the connection would just close.
            raise SanicTestClientError(
                request.method, request.path, f"streamed response broke off: {exc!r}"
            ) from exc
        return b"".join(chunks)

    async def _error(self, request: Request, exception: Exception) -> bytes:
        """The error handler's response to ``exception``, as the server sends it."""
        try:
            response = self.app.error_handler.response(request, exception)
            if isawaitable(response):
                response = await response
            return bytes(
                response.output(
                    "1.1", False, None, include_body=request.method != "HEAD"
                )
            )
        except Exception:
            return _LAST_RESORT
