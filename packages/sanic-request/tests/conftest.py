"""Shared fixtures: a request factory and both JSON backends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sanic_request import Request, _json

MakeRequest = Callable[..., Request]


def _orjson_loads() -> Callable[[bytes], Any] | None:
    # Imported here, not through _compat: both decoders are tested even when
    # SANIC_NO_ORJSON keeps orjson out of the app.
    try:
        import orjson
    except ImportError:
        return None
    loads: Callable[[bytes], Any] = orjson.loads
    return loads


_BACKENDS = {"json": _json.stdlib_loads, "orjson": _orjson_loads()}


def build(
    url: bytes = b"/",
    headers: Any = (),
    body: bytes = b"",
    method: str = "GET",
    transport: Any = None,
    app: Any = None,
) -> Request:
    """Build a request the way a server does: construct, then assign the body."""
    request = Request(url, headers, "1.1", method, transport, app)
    request.body = body
    return request


@pytest.fixture
def make_request() -> MakeRequest:
    """The :func:`build` factory."""
    return build


@pytest.fixture(params=sorted(_BACKENDS))
def json_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run a test once with the stdlib decoder and once with orjson."""
    loads = _BACKENDS[request.param]
    if loads is None:
        pytest.skip("orjson is not installed")
    original = Request.__dict__["json_loads"]
    Request.json_loads = staticmethod(loads)  # type: ignore[assignment]
    try:
        yield request.param
    finally:
        Request.json_loads = original
