"""Fixtures the wire tests share: each test runs on uvloop and on plain asyncio."""

from __future__ import annotations

import pytest
from _live import LOOPS, LoopFactory


@pytest.fixture(params=sorted(LOOPS))
def loop_factory(request: pytest.FixtureRequest) -> LoopFactory:
    """The event loop factory of this run: ``uvloop`` or ``asyncio``."""
    return LOOPS[request.param]
