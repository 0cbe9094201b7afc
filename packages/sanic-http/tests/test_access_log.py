"""The access log line ends with the request's id (``request.id``), which a
server with the access log off never computes."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from _live import App, LiveServer, LoopFactory

from sanic_http import ServerSettings


class Recording(App):
    """The test app, keeping every request it answered."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[Any] = []

    async def respond(self, request: Any) -> Any:
        self.requests.append(request)
        return await super().respond(request)


def _access_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "sanic.access"]


def test_the_line_ends_with_the_x_request_id_or_a_generated_id(
    loop_factory: LoopFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.INFO, "sanic.access"),
        LiveServer(loop_factory) as live,
        live.client() as client,
    ):
        client.get("/given", "X-Request-ID: trace-42\r\n")
        client.get("/made")
        client.get("/bad", "X-Request-ID: two words\r\n")
    given, made, bad = _access_records(caplog)
    assert re.fullmatch(
        r"127\.0\.0\.1:\d+ - GET /given 200 \d+ trace-42", given.getMessage()
    )
    assert given.request_id == "trace-42"  # type: ignore[attr-defined]
    for record in (made, bad):
        generated = record.request_id  # type: ignore[attr-defined]
        assert re.fullmatch(r"[0-9a-f]{32}", generated)
        assert record.getMessage().endswith(f" 200 {record.byte} {generated}")  # type: ignore[attr-defined]
    assert made.request_id != bad.request_id  # type: ignore[attr-defined]


def test_without_the_access_log_no_id_is_made(loop_factory: LoopFactory) -> None:
    app = Recording()
    settings = ServerSettings(access_log=False)
    with (
        LiveServer(loop_factory, handler=app, settings=settings) as live,
        live.client() as client,
    ):
        assert client.get("/quiet", "X-Request-ID: abc\r\n").status == 200
    assert len(app.requests) == 1
    assert "id" not in vars(app.requests[0])


def test_behind_a_trusted_proxy_the_line_starts_with_the_client_address(
    loop_factory: LoopFactory, caplog: pytest.LogCaptureFixture
) -> None:
    app = Recording()
    settings = ServerSettings.from_config({"PROXIES_COUNT": 1})
    with (
        caplog.at_level(logging.INFO, "sanic.access"),
        LiveServer(loop_factory, handler=app, settings=settings) as live,
        live.client() as client,
    ):
        client.get("/proxied", "X-Forwarded-For: 6.6.6.6, 203.0.113.7\r\n")
        client.get("/v6", "X-Forwarded-For: [2001:db8::1]:443\r\n")
        client.get("/direct")  # no header: the peer, with its port
    proxied, v6, direct = _access_records(caplog)
    assert proxied.getMessage().startswith("203.0.113.7 - GET /proxied 200 ")
    assert proxied.host == "203.0.113.7"  # type: ignore[attr-defined]
    assert v6.getMessage().startswith("2001:db8::1 - GET /v6 200 ")
    assert re.fullmatch(r"127\.0\.0\.1:\d+ - GET /direct 200 .*", direct.getMessage())


def test_without_the_access_log_no_client_address_is_sought(
    loop_factory: LoopFactory,
) -> None:
    app = Recording()
    settings = ServerSettings.from_config({"PROXIES_COUNT": 1, "ACCESS_LOG": False})
    with (
        LiveServer(loop_factory, handler=app, settings=settings) as live,
        live.client() as client,
    ):
        client.get("/quiet", "X-Forwarded-For: 203.0.113.7\r\n")
    assert "_remote_addr" not in vars(app.requests[0])
