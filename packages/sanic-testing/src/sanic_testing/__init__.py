"""sanic-testing: test clients for Sanic apps and a pytest plugin.

Three clients share one response type (:class:`SanicTestResponse`):

* :class:`SanicTestClient` is ``app.test_client``: every request really runs the
  app on ``127.0.0.1:42101`` and sends one request with aiohttp.
* :class:`ReusableClient` / :class:`AsyncReusableClient` start the server once
  for many requests.
* :class:`InProcessClient` / :class:`AsyncInProcessClient` drive the app with no
  socket at all.

Each also opens websockets: ``client.websocket(uri)`` (see ``_websocket``).
"""

from __future__ import annotations

from ._errors import SanicTestClientError
from ._inprocess import AsyncInProcessClient
from ._oneshot import SanicTestClient
from ._response import SanicTestResponse
from ._reusable import AsyncReusableClient
from ._sync import InProcessClient, ReusableClient
from ._websocket import (
    BlockingWebSocket,
    WebSocketClient,
    WebSocketConnect,
    WebSocketRefused,
)

__all__ = [
    "AsyncInProcessClient",
    "AsyncReusableClient",
    "BlockingWebSocket",
    "InProcessClient",
    "ReusableClient",
    "SanicTestClient",
    "SanicTestClientError",
    "SanicTestResponse",
    "WebSocketClient",
    "WebSocketConnect",
    "WebSocketRefused",
]
