"""What the socket clients share: URLs, the aiohttp exchange, request capture.

The one-shot and the reusable client both send a real request with aiohttp and
learn which ``Request`` the server built for it through a request middleware
placed first in the app's chain, so it sees every request the app handles.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import aiohttp
from multidict import CIMultiDict

from ._errors import SanicTestClientError
from ._response import SanicTestResponse

if TYPE_CHECKING:
    from sanic import Sanic
    from sanic.request import Request

__all__ = ["TAG_HEADER", "RequestCapture", "absolute_url", "exchange"]

#: Names the request a reusable client is waiting for; removed by the capture
#: middleware before any other middleware or the handler sees the request.
TAG_HEADER = "X-Sanic-Testing-Tag"


def absolute_url(host: str, port: int, uri: str) -> str:
    """Return ``uri`` on ``http://host:port`` (an absolute ``uri`` is kept).

    Args:
        host: The server's address.
        port: The server's port.
        uri: A path with an optional query, or an absolute URL.

    Returns:
        The absolute URL to request.
    """
    if uri.startswith(("http://", "https://")):
        return uri
    shown = f"[{host}]" if ":" in host else host
    if not uri.startswith("/"):
        uri = "/" + uri
    return f"http://{shown}:{port}{uri}"


def describe(exc: BaseException) -> str:
    """A short reason for ``exc``, naming timeouts plainly."""
    if isinstance(exc, asyncio.TimeoutError):
        return "timed out waiting for the response"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def exchange(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    timeout: float,
    args: tuple[object, ...],
    kwargs: dict[str, Any],
) -> SanicTestResponse:
    """Send one request with ``session`` and read the whole response.

    Args:
        session: The aiohttp session to send with.
        method: The request method.
        url: The absolute URL.
        timeout: Seconds for the whole exchange, unless ``kwargs`` has a
            ``timeout`` of its own.
        args: Extra positional arguments for ``ClientSession.request``.
        kwargs: Keyword arguments for ``ClientSession.request``.

    Returns:
        The response, body read.

    Raises:
        SanicTestClientError: The request failed or timed out.
        TypeError: ``kwargs`` holds an argument aiohttp does not take.
    """
    kwargs.setdefault("timeout", aiohttp.ClientTimeout(total=timeout))
    try:
        async with session.request(method, url, *args, **kwargs) as answer:
            body = await answer.read()
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
        raise SanicTestClientError(method, url, describe(exc)) from exc
    history = tuple(
        # aiohttp does not read the body of a redirect it follows.
        SanicTestResponse(
            earlier.status,
            CIMultiDict(earlier.headers),
            b"",
            earlier.reason or "",
            url=earlier.url,
        )
        for earlier in answer.history
    )
    return SanicTestResponse(
        answer.status,
        CIMultiDict(answer.headers),
        body,
        answer.reason or "",
        url=answer.url,
        history=history,
    )


class RequestCapture:
    """A request middleware remembering the requests the server handled.

    Untagged requests (the one-shot client sends one at a time) are kept under
    ``None``; a request carrying ``TAG_HEADER`` is kept under its tag and the
    header is removed, so the app never sees it. After a redirect the same tag
    comes back, and the latest request wins, matching the final response.

    Attributes:
        seen: The latest request per tag.
        transports: The server-side transports tagged requests came in on, so
            a reusable client can make sure every connection is closed.
    """

    def __init__(self) -> None:
        self.seen: dict[str | None, Request] = {}
        self.transports: set[asyncio.Transport] = set()

    def __call__(self, request: Request) -> None:
        """Record ``request``; returns ``None`` so the chain continues."""
        headers = request.headers
        tag = None
        if TAG_HEADER in headers:
            tag = headers.popone(TAG_HEADER)
            if request.transport is not None:
                self.transports.add(request.transport)
        self.seen[tag] = request

    def install(self, app: Sanic) -> None:
        """Put this middleware first in ``app``'s request middleware."""
        app.request_middleware.insert(0, self)

    def remove(self, app: Sanic) -> None:
        """Take this middleware out of ``app`` again (idempotent)."""
        chain = app.request_middleware
        while self in chain:
            chain.remove(self)
