"""One table of configuration keys: the config, the server and the request agree."""

from __future__ import annotations

import pytest
from conftest import running

from sanic import Sanic
from sanic.config import DEFAULT_CONFIG
from sanic.request import Request
from sanic.response import text
from sanic.server import ServerSettings

# Written out here (not read from the table) so the test can catch the table, the
# config and the server settings drifting apart.
SERVER_FIELD_OF = {
    "DEBUG": "debug",
    "REQUEST_MAX_SIZE": "request_max_size",
    "REQUEST_TIMEOUT": "request_timeout",
    "RESPONSE_TIMEOUT": "response_timeout",
    "KEEP_ALIVE": "keep_alive",
    "KEEP_ALIVE_TIMEOUT": "keep_alive_timeout",
    "GRACEFUL_SHUTDOWN_TIMEOUT": "graceful_shutdown_timeout",
    "REQUEST_MAX_HEADER_SIZE": "max_header_size",
    "REQUEST_MAX_HEADERS": "max_header_count",
    "REQUEST_MAX_URL_SIZE": "max_url_size",
    "REQUEST_STREAM_HIGH_WATER": "stream_high_water",
    "REQUEST_CANCEL_ON_DISCONNECT": "cancel_on_disconnect",
    "ACCESS_LOG": "access_log",
}


@pytest.mark.parametrize("key", sorted(SERVER_FIELD_OF))
def test_server_settings_default_is_the_config_default(key: str) -> None:
    assert getattr(ServerSettings(), SERVER_FIELD_OF[key]) == DEFAULT_CONFIG[key]


def test_form_field_limit_default_is_the_request_default() -> None:
    assert DEFAULT_CONFIG["REQUEST_MAX_FORM_FIELDS"] == Request.max_fields


def test_access_log_is_on_by_default_in_both() -> None:
    assert DEFAULT_CONFIG["ACCESS_LOG"] is True
    assert ServerSettings().access_log is True


def test_a_bad_config_value_stops_the_start_naming_the_key() -> None:
    app = Sanic("bad_config")
    app.config.REQUEST_TIMEOUT = "soon"

    @app.get("/")
    async def index(request):
        return text("never")

    with pytest.raises(ValueError, match="REQUEST_TIMEOUT='soon'"), running(app):
        pass


def test_config_limits_reach_the_wire() -> None:
    app = Sanic("small_urls")
    app.config.REQUEST_MAX_URL_SIZE = 64

    @app.get("/<name>")
    async def index(request, name):
        return text(name)

    with running(app) as server:
        assert server.request("GET", "/" + "a" * 40).status == 200
        assert server.request("GET", "/" + "a" * 100).status == 414


def _whoami_app(name: str) -> Sanic:
    app = Sanic(name)

    @app.get("/")
    async def index(request):
        return text(f"{request.remote_addr}|{request.ip}|{request.scheme}")

    return app


def test_proxy_settings_reach_the_requests_over_the_wire() -> None:
    app = _whoami_app("behind_a_proxy")
    app.config.PROXIES_COUNT = 1
    app.config.TRUST_FORWARDED_HEADERS = False
    headers = {"X-Forwarded-For": "6.6.6.6, 203.0.113.7", "X-Forwarded-Proto": "https"}
    with running(app) as server:
        reply = server.request("GET", "/", headers=headers)
    assert reply.body == b"203.0.113.7|127.0.0.1|http"


def test_by_default_no_proxy_header_gives_the_client_address() -> None:
    app = _whoami_app("no_proxy")
    headers = {"X-Forwarded-For": "203.0.113.7", "X-Real-IP": "203.0.113.7"}
    with running(app) as server:
        reply = server.request("GET", "/", headers=headers)
    assert reply.body == b"|127.0.0.1|http"
    assert Request.proxies_count == 0  # the app's settings stay its own


def test_a_negative_proxies_count_stops_the_start() -> None:
    app = _whoami_app("negative_proxies")
    app.config.PROXIES_COUNT = -1
    with pytest.raises(ValueError, match="PROXIES_COUNT=-1"), running(app):
        pass
