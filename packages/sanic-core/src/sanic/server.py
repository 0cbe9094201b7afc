"""``sanic.server``: the protocol and server functions, from sanic-http.

Subclass :class:`HttpProtocol` and pass it as ``app.run(protocol=...)`` to change
how responses are written (the guide's "Custom Protocols" section).
"""

from __future__ import annotations

from sanic_http import HttpProtocol, ServerSettings, Signal, serve, serve_multiple

__all__ = ["HttpProtocol", "ServerSettings", "Signal", "serve", "serve_multiple"]
