"""Routes that accept an upgrade: ``upgrade=`` reaches the server's check.

The app decides at startup which routes may switch protocols; the server calls
the check it gets (``ServerSettings.upgrade_check``) only for requests that ask
to upgrade. These tests call that check on built requests, and over a real
socket see a declared route hand its connection to a tiny echo protocol while
other routes answer as plain HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sanic_test_helpers import Client

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, UpgradeResponse, text
from sanic.server import UpgradedProtocol

Check = Callable[[Request], bool]
UPGRADE = b"Connection: Upgrade\r\nUpgrade: echo\r\n"


class Echo(UpgradedProtocol):
    """Sends back what it receives, upper-cased."""

    def data_received(self, data: bytes) -> None:
        self.transport.write(data.upper())


async def switch(request: Request) -> HTTPResponse:
    if request.headers.get("upgrade", "").lower() != "echo":
        return text("ask for Upgrade: echo", 426)
    return UpgradeResponse(Echo, "echo")


async def plain(request: Request) -> HTTPResponse:
    return text(f"plain {request.path}")


def upgrade_check_of(app: Sanic) -> Check:
    """The check the app hands its server, built as ``run()`` builds it."""
    check: Check = app._serve_arguments()["settings"].upgrade_check
    return check


def asking(path: str, protocol: str = "echo", method: str = "GET") -> Request:
    headers = [(b"Connection", b"Upgrade"), (b"Upgrade", protocol.encode())]
    return Request(path.encode(), headers, "1.1", method)


def app_with_routes(name: str) -> Sanic:
    app = Sanic(name)
    app.route("/echo", upgrade="Echo")(switch)
    app.add_route(switch, "/many", upgrade=["h2c", "echo"])
    app.get("/short", upgrade=("echo",))(switch)
    app.add_route(switch, "/undeclared")
    app.add_route(plain, "/plain")
    return app


# -- registration and the check ----------------------------------------------------


def test_the_check_accepts_declared_protocols_only() -> None:
    check = upgrade_check_of(app_with_routes("upgrade_check"))
    assert check(asking("/echo"))
    assert check(asking("/echo", "ECHO/1"))  # case-insensitive, by name
    assert check(asking("/echo", "h2c, echo"))
    assert not check(asking("/echo", "websocket"))
    assert check(asking("/many", "h2c")) and check(asking("/many"))
    assert check(asking("/short"))
    assert not check(asking("/undeclared"))
    assert not check(asking("/plain"))
    assert not check(asking("/nowhere"))  # 404: handle_request answers it
    assert not check(asking("/echo", method="POST"))  # 405 likewise


def test_the_check_remembers_the_match_so_the_request_is_routed_once() -> None:
    check = upgrade_check_of(app_with_routes("upgrade_match"))
    request = asking("/echo")
    assert check(request)
    assert request._route_match is not None
    assert request._route_match.route.path == "/echo"


def test_an_app_without_upgrade_routes_lets_no_handler_switch() -> None:
    app = Sanic("upgrade_none")
    app.add_route(switch, "/echo")
    check = upgrade_check_of(app)
    assert check is not None and not check(asking("/echo"))


def test_a_blueprint_keeps_the_protocols_under_its_prefix() -> None:
    bp = Blueprint("bp_upgrade", url_prefix="/bp")
    bp.route("/echo", upgrade="echo")(switch)
    app = Sanic("upgrade_blueprint")
    app.blueprint(bp)
    check = upgrade_check_of(app)
    assert check(asking("/bp/echo"))
    assert not check(asking("/echo"))


@pytest.mark.parametrize("bad", ["", "two words", "a/b/c", 42])
def test_upgrade_takes_protocol_names_only(bad: Any) -> None:
    app = Sanic("upgrade_bad")
    with pytest.raises(ValueError, match="upgrade="):
        app.add_route(switch, "/echo", upgrade=bad)


# -- over a real socket ---------------------------------------------------------------


def connect(server: Any) -> Client:
    return Client.connect(server.host, server.port)


def test_a_declared_route_hands_its_connection_on(serve: Any) -> None:
    app = app_with_routes("upgrade_live")
    seen: list[str] = []

    @app.middleware("request")
    async def before(request: Request) -> None:
        seen.append(request.path)  # request middleware runs before the 101

    bp = Blueprint("bp_upgrade_live", url_prefix="/bp")
    bp.route("/echo", upgrade="echo")(switch)
    app.blueprint(bp)
    with serve(app) as server:
        for path in (b"/echo", b"/bp/echo"):
            with connect(server) as client:
                client.send(b"GET %s HTTP/1.1\r\nHost: t\r\n%b\r\nhi" % (path, UPGRADE))
                response = client.response()
                assert response.status == 101
                assert response.headers["upgrade"] == "echo"
                assert client.read_exactly(2) == b"HI"
                client.send(b"again")
                assert client.read_exactly(5) == b"AGAIN"
        # The route's handler decides what a request without Upgrade gets.
        reply = server.get("/echo")
        assert (reply.status, reply.text) == (426, "ask for Upgrade: echo")
    assert seen == ["/echo", "/bp/echo", "/echo"]


def test_routes_that_do_not_declare_the_upgrade_answer_as_http(serve: Any) -> None:
    app = app_with_routes("upgrade_undeclared")
    with serve(app) as server:
        with connect(server) as client:
            # An ordinary handler: served as HTTP; the connection closes after.
            client.send(b"GET /plain HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\nhi")
            response = client.response()
            assert (response.status, response.body) == (200, b"plain /plain")
            assert response.headers["connection"] == "close"
            assert client.closed()
        with connect(server) as client:
            # A handler that tries to switch on a route that does not accept it.
            client.send(b"GET /undeclared HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\n")
            assert client.response().status == 500
            assert client.closed()
        with connect(server) as client:
            # A protocol the route does not accept.
            client.send(
                b"GET /echo HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\n"
                b"Upgrade: websocket\r\n\r\n"
            )
            response = client.response()
            assert (response.status, response.body) == (426, b"ask for Upgrade: echo")
            assert client.closed()


def test_a_declared_route_may_answer_without_switching(serve: Any) -> None:
    app = Sanic("upgrade_declined")

    @app.route("/maybe", upgrade="echo")
    async def maybe(request: Request) -> HTTPResponse:
        return text("not now", 403)

    with serve(app) as server, connect(server) as client:
        client.send(b"GET /maybe HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\nhi")
        response = client.response()
        assert (response.status, response.body) == (403, b"not now")
        assert response.headers["connection"] == "close"
        assert client.closed()
