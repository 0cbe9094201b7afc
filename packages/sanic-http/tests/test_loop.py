"""The loop implementation is chosen once, and SANIC_NO_UVLOOP forces asyncio."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = (
    "import asyncio, sanic_http as h; loop = h.new_event_loop(); "
    "print(h.LOOP_IMPLEMENTATION, type(loop).__module__.split('.')[0]); loop.close()"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", "uvloop uvloop"), ("0", "uvloop uvloop"), ("1", "asyncio asyncio")],
)
def test_environment_variable_picks_the_loop(value: str, expected: str) -> None:
    env = dict(os.environ, SANIC_NO_UVLOOP=value)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert result.stdout.strip() == expected
