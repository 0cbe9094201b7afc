"""The configuration table and ServerSettings.from_config, over a real socket."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable

import pytest
from _live import LOOPS, LiveServer

from sanic_http import CONFIG_KEYS, ServerSettings
from sanic_request import Request

LoopFactory = Callable[[], asyncio.AbstractEventLoop]


def test_every_settings_field_defaults_to_its_config_key() -> None:
    defaults = ServerSettings()
    rows = {row.field: row for row in CONFIG_KEYS if row.field is not None}
    fields = {f.name for f in dataclasses.fields(ServerSettings)}
    assert fields - set(rows) == {
        "request_class",
        "app",
        "stream_check",
        "upgrade_check",
    }
    for field, row in rows.items():
        value = getattr(defaults, field)
        assert (value, type(value)) == (row.default, row.kind), row.key


def test_the_form_field_limit_is_the_request_parsers_own() -> None:
    (row,) = [row for row in CONFIG_KEYS if row.key == "REQUEST_MAX_FORM_FIELDS"]
    assert row.default == Request.max_fields


def test_keys_are_unique_and_documented() -> None:
    keys = [row.key for row in CONFIG_KEYS]
    assert len(keys) == len(set(keys))
    assert all(row.key.isupper() and row.doc for row in CONFIG_KEYS)
    assert all(
        isinstance(row.default, row.kind) or row.default is None for row in CONFIG_KEYS
    )


def test_from_config_converts_each_key_to_its_type() -> None:
    settings = ServerSettings.from_config(
        {
            "REQUEST_TIMEOUT": "2.5",
            "KEEP_ALIVE_TIMEOUT": 3,
            "REQUEST_MAX_SIZE": "1000",
            "KEEP_ALIVE": "off",
            "ACCESS_LOG": 0,
            "DEBUG": True,
            "SERVER_NAME": "example.com",  # app-only: ignored here
        },
        app="the-app",
    )
    assert settings.request_timeout == 2.5
    assert (settings.keep_alive_timeout, type(settings.keep_alive_timeout)) == (
        3.0,
        float,
    )
    assert settings.request_max_size == 1000
    assert (settings.keep_alive, settings.access_log, settings.debug) == (
        False,
        False,
        True,
    )
    assert settings.app == "the-app"
    assert settings.request_class is Request  # REQUEST_MAX_FORM_FIELDS absent


def test_a_key_converts_a_string_to_its_own_type_only() -> None:
    rows = {row.key: row for row in CONFIG_KEYS}
    assert rows["FORWARDED_SECRET"].convert("12345") == "12345"
    assert rows["FORWARDED_SECRET"].convert("None") is None  # optional: off
    assert rows["REQUEST_MAX_SIZE"].convert(" 12345 ") == 12345
    assert rows["REQUEST_TIMEOUT"].convert("2") == 2.0
    assert rows["KEEP_ALIVE"].convert("ON") is True
    with pytest.raises(ValueError, match=r"^config KEEP_ALIVE='2' is not a valid bool"):
        rows["KEEP_ALIVE"].convert("2")
    with pytest.raises(ValueError, match=r"^config FORWARDED_SECRET=12345 is not"):
        rows["FORWARDED_SECRET"].convert(12345)


def test_streaming_keys_and_their_defaults() -> None:
    defaults = ServerSettings()
    assert (defaults.stream_high_water, defaults.cancel_on_disconnect) == (65536, True)
    assert defaults.stream_check is None
    settings = ServerSettings.from_config(
        {"REQUEST_STREAM_HIGH_WATER": "1024", "REQUEST_CANCEL_ON_DISCONNECT": "no"}
    )
    assert (settings.stream_high_water, settings.cancel_on_disconnect) == (1024, False)


def test_a_negative_stream_high_water_stops_the_start() -> None:
    with pytest.raises(ValueError, match="REQUEST_STREAM_HIGH_WATER"):
        ServerSettings.from_config({"REQUEST_STREAM_HIGH_WATER": "-1"})
    with pytest.raises(ValueError, match="stream_high_water"):
        ServerSettings(stream_high_water=-1)
    assert ServerSettings(stream_high_water=0).stream_high_water == 0


def test_from_config_passes_the_stream_check_on() -> None:
    def check(request: Request) -> bool:
        return request.method == "POST"

    settings = ServerSettings.from_config({}, stream_check=check)
    assert settings.stream_check is check
    assert ServerSettings.from_config({}).stream_check is None


def test_from_config_of_the_defaults_is_the_default() -> None:
    config = {row.key: row.default for row in CONFIG_KEYS}
    assert ServerSettings.from_config(config) == ServerSettings()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("REQUEST_TIMEOUT", "soon"),
        ("REQUEST_MAX_SIZE", 1.5),
        ("REQUEST_MAX_SIZE", True),
        ("KEEP_ALIVE", "maybe"),
        ("REQUEST_MAX_FORM_FIELDS", "many"),
    ],
)
def test_from_config_names_the_key_of_a_bad_value(key: str, value: object) -> None:
    with pytest.raises(ValueError, match=key) as raised:
        ServerSettings.from_config({key: value})
    assert repr(value) in str(raised.value)


def test_from_config_gives_a_request_class_with_the_form_field_limit() -> None:
    settings = ServerSettings.from_config({"REQUEST_MAX_FORM_FIELDS": "2"})
    limited = settings.request_class
    assert issubclass(limited, Request) and limited is not Request
    assert (limited.max_fields, Request.max_fields) == (2, 1000)
    assert limited.__name__ == "Request"


def test_every_request_attribute_key_defaults_to_the_request_classs_own() -> None:
    rows = [row for row in CONFIG_KEYS if row.request_attribute is not None]
    assert {row.key for row in rows} >= {
        "REQUEST_MAX_FORM_FIELDS",
        "TRUST_FORWARDED_HEADERS",
        "FORWARDED_SECRET",
        "REAL_IP_HEADER",
        "PROXIES_COUNT",
        "FORWARDED_FOR_HEADER",
    }
    for row in rows:
        assert row.default == getattr(Request, row.request_attribute or ""), row.key
    defaults = {row.key: row.default for row in CONFIG_KEYS}
    assert ServerSettings.from_config(defaults).request_class is Request


def test_from_config_gives_a_request_class_with_the_proxy_settings() -> None:
    config = {
        "PROXIES_COUNT": "2",
        "REAL_IP_HEADER": "X-Real-IP",
        "FORWARDED_SECRET": "s",
        "FORWARDED_FOR_HEADER": "X-Chain",
        "TRUST_FORWARDED_HEADERS": "off",
    }
    proxied = ServerSettings.from_config(config).request_class
    assert proxied is not Request
    assert (
        proxied.proxies_count,
        proxied.real_ip_header,
        proxied.forwarded_secret,
        proxied.forwarded_for_header,
        proxied.trust_forwarded_headers,
    ) == (2, "X-Real-IP", "s", "X-Chain", False)
    assert (Request.proxies_count, Request.forwarded_secret) == (0, None)
    request = proxied(b"/", {"X-Chain": "6.6.6.6, 1.2.3.4, 10.0.0.2"}, "1.1", "GET")
    assert request.remote_addr == "1.2.3.4"


def test_a_negative_proxies_count_stops_the_start() -> None:
    with pytest.raises(ValueError, match="PROXIES_COUNT=-1"):
        ServerSettings.from_config({"PROXIES_COUNT": -1})


@pytest.mark.parametrize("loop_name", sorted(LOOPS))
def test_limits_from_a_config_reach_the_wire(loop_name: str) -> None:
    settings = ServerSettings.from_config({"REQUEST_MAX_URL_SIZE": "64"})
    with LiveServer(LOOPS[loop_name], settings=settings) as live:
        with live.client() as client:
            assert client.get("/" + "a" * 40).status == 200
        with live.client() as client:
            assert client.get("/" + "a" * 100).status == 414


def test_websocket_keys_and_their_defaults() -> None:
    defaults = ServerSettings()
    assert defaults.websocket_max_size == 1_048_576
    assert defaults.websocket_max_queue == 32
    assert defaults.websocket_ping_interval == defaults.websocket_ping_timeout == 20.0
    assert defaults.websocket_per_message_deflate is True
    settings = ServerSettings.from_config(
        {
            "WEBSOCKET_MAX_SIZE": "2048",
            "WEBSOCKET_MAX_QUEUE": 4.0,
            "WEBSOCKET_PING_INTERVAL": None,  # None turns the pings off
            "WEBSOCKET_PING_TIMEOUT": "none",  # as an environment variable says it
            "WEBSOCKET_PER_MESSAGE_DEFLATE": "off",
        }
    )
    assert (settings.websocket_max_size, settings.websocket_max_queue) == (2048, 4)
    assert settings.websocket_ping_interval is None
    assert settings.websocket_ping_timeout is None
    assert settings.websocket_per_message_deflate is False
    with pytest.raises(ValueError, match="WEBSOCKET_MAX_SIZE"):
        ServerSettings.from_config({"WEBSOCKET_MAX_SIZE": None})
    with pytest.raises(ValueError, match="WEBSOCKET_PING_TIMEOUT"):
        ServerSettings(websocket_ping_timeout=0)
    with pytest.raises(ValueError, match="WEBSOCKET_MAX_QUEUE"):
        ServerSettings(websocket_max_queue=-1)
