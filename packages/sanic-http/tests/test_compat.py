"""The switches sanic-http reads follow sanic-request's one rule, and the JSON
encoder follows the request decoder."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

import sanic_http
import sanic_request
from sanic_http import _json

HAVE_ORJSON = importlib.util.find_spec("orjson") is not None
HAVE_UVLOOP = importlib.util.find_spec("uvloop") is not None
SET = ["1", "true", "yes", "on", " On ", "TRUE"]
UNSET = [None, "", "0", "false", "no", "off", "OFF", " 0 "]
PROBE = (
    "import sanic_request, sanic_http, sanic_http._json as j; "
    "print(sanic_request.JSON_BACKEND, j.USING_ORJSON, sanic_http.LOOP_IMPLEMENTATION)"
)


def _probe(**switches: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in switches}
    env.update({k: v for k, v in switches.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )


@pytest.mark.parametrize("value", SET + UNSET)
def test_request_decoder_and_response_encoder_agree(value: str | None) -> None:
    fast = HAVE_ORJSON and value in UNSET
    result = _probe(SANIC_NO_ORJSON=value)
    decoder, encoder_is_orjson, _ = result.stdout.split()
    assert (decoder, encoder_is_orjson) == ("orjson" if fast else "json", str(fast))
    assert result.stderr == ""


@pytest.mark.parametrize("value", SET + UNSET)
def test_sanic_no_uvloop_follows_the_same_rule(value: str | None) -> None:
    fast = HAVE_UVLOOP and value in UNSET
    result = _probe(SANIC_NO_UVLOOP=value)
    assert result.stdout.split()[2] == ("uvloop" if fast else "asyncio")
    assert result.stderr == ""


def test_an_unknown_value_warns_naming_the_variable() -> None:
    result = _probe(SANIC_NO_UVLOOP="nope", SANIC_NO_ORJSON=None)
    assert result.stdout.split()[2] == "asyncio"
    assert "SANIC_NO_UVLOOP='nope'" in result.stderr


def _forced(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in UNSET


def test_this_process_uses_what_its_environment_asks_for() -> None:
    """Run once as is and once with SANIC_NO_ORJSON=1 SANIC_NO_UVLOOP=1 (nox)."""
    fast_json = HAVE_ORJSON and not _forced("SANIC_NO_ORJSON")
    assert ("orjson" if fast_json else "json") == sanic_request.JSON_BACKEND
    assert _json.USING_ORJSON is fast_json
    fast_loop = HAVE_UVLOOP and not _forced("SANIC_NO_UVLOOP")
    assert ("uvloop" if fast_loop else "asyncio") == sanic_http.LOOP_IMPLEMENTATION
    loop = sanic_http.new_event_loop()
    try:
        assert type(loop).__module__.split(".")[0] == sanic_http.LOOP_IMPLEMENTATION
    finally:
        loop.close()
