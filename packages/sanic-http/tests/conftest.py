"""Fixtures the wire tests share: each test runs on uvloop and on plain asyncio."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from _live import LOOPS, LoopFactory


@pytest.fixture(params=sorted(LOOPS))
def loop_factory(request: pytest.FixtureRequest) -> LoopFactory:
    """The event loop factory of this run: ``uvloop`` or ``asyncio``."""
    return LOOPS[request.param]


@pytest.fixture
def no_cycle_collector() -> Iterator[None]:
    """The cycle collector off for the test (after one collection), so whatever
    the test frees is freed by reference counting alone."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
