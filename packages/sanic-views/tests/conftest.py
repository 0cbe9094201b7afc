"""Shared fixtures: a stand-in request carrying only what a view reads."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class FakeRequest:
    """The two attributes a view reads from a request."""

    method: str
    path: str = "/thing"


@pytest.fixture
def make_request() -> type[FakeRequest]:
    """Return the request factory: ``make_request("GET")``."""
    return FakeRequest
