"""One rule for every SANIC_NO_* switch, and the decoder it picks."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

import sanic_request
from sanic_request import _compat

HAVE_ORJSON = importlib.util.find_spec("orjson") is not None
SET = ["1", "true", "yes", "on", " On ", "TRUE"]
UNSET = [None, "", "0", "false", "no", "off", "OFF", " 0 "]


@pytest.mark.parametrize("value", SET + UNSET)
def test_env_flag_follows_the_documented_rule(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("SANIC_TEST_SWITCH", raising=False)
    else:
        monkeypatch.setenv("SANIC_TEST_SWITCH", value)
    assert _compat.env_flag("SANIC_TEST_SWITCH") is (value in SET)


def test_an_unknown_value_warns_naming_the_variable_and_counts_as_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SANIC_TEST_SWITCH", "maybe")
    with pytest.warns(RuntimeWarning, match="SANIC_TEST_SWITCH='maybe'"):
        assert _compat.env_flag("SANIC_TEST_SWITCH") is True


def _backend(value: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SANIC_NO_ORJSON"}
    if value is not None:
        env["SANIC_NO_ORJSON"] = value
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sanic_request; print(sanic_request.JSON_BACKEND)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )


@pytest.mark.parametrize("value", SET + UNSET)
def test_sanic_no_orjson_picks_the_decoder_in_a_fresh_process(
    value: str | None,
) -> None:
    expected = "orjson" if HAVE_ORJSON and value in UNSET else "json"
    result = _backend(value)
    assert (result.stdout.strip(), result.stderr) == (expected, "")


def test_an_unknown_sanic_no_orjson_warns_on_stderr() -> None:
    result = _backend("disabled")
    assert result.stdout.strip() == "json"
    assert "SANIC_NO_ORJSON='disabled'" in result.stderr


def test_json_backend_is_the_one_this_environment_asks_for() -> None:
    forced = os.environ.get("SANIC_NO_ORJSON", "").strip().lower() not in UNSET
    expected = "orjson" if HAVE_ORJSON and not forced else "json"
    assert expected == sanic_request.JSON_BACKEND
