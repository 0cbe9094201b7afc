"""A server started without a listening socket, and its per-connection protocols.

``serve(run_async=True, listen=False)`` runs the lifecycle with no socket;
``HttpServer.make_protocol()`` builds a connection's protocol exactly as the
listening socket does (the seven keyword arguments, then ``settings``), which is
how sanic-testing's in-process client drives the real protocol.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from _live import App, Errors

from sanic_http import HttpProtocol, HttpServer, ServerSettings, serve


class Recording(HttpProtocol):
    """Remembers the keyword arguments it was built with."""

    built: list[dict[str, Any]] = []

    def __init__(self, **kwargs: Any) -> None:
        Recording.built.append(kwargs)
        super().__init__(**kwargs)


def test_listen_false_runs_the_lifecycle_without_a_socket() -> None:
    events: list[str] = []
    settings = ServerSettings(request_timeout=7.0, request_max_size=1234)

    async def main() -> tuple[HttpServer, asyncio.Protocol]:
        starting = serve(
            request_handler=App(),
            error_handler=Errors(),
            settings=settings,
            protocol=Recording,
            before_start=[lambda app, loop: events.append("before_start")],
            after_start=[lambda app, loop: events.append("after_start")],
            after_stop=[lambda app, loop: events.append("after_stop")],
            run_async=True,
            listen=False,
        )
        assert starting is not None
        server = await starting
        protocol = server.make_protocol()
        await server.stop()
        return server, protocol

    server, protocol = asyncio.run(main())
    assert events == ["before_start", "after_start", "after_stop"]
    assert server.server is None and server.sockets == ()
    assert isinstance(protocol, Recording)
    assert protocol.settings is settings  # type: ignore[attr-defined]
    # Exactly the documented constructor's keywords (test_public_surface_wire).
    assert set(Recording.built[-1]) == set(inspect.signature(HttpProtocol).parameters)
    assert Recording.built[-1]["request_max_size"] == 1234
    assert Recording.built[-1]["connections"] is server.connections


def test_listen_false_needs_run_async() -> None:
    with pytest.raises(ValueError, match="run_async"):
        serve(request_handler=App(), error_handler=Errors(), listen=False)
