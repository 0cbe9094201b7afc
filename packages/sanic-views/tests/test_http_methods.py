from __future__ import annotations

from typing import Any

import pytest

from sanic_http import MethodNotSupported
from sanic_views._http_methods import method_not_allowed, with_head


def test_with_head_borrows_get() -> None:
    def get() -> None: ...

    assert with_head({"GET": get}) == {"GET": get, "HEAD": get}


def test_with_head_keeps_an_explicit_head_and_copies() -> None:
    def get() -> None: ...
    def head() -> None: ...

    table = {"GET": get, "HEAD": head}
    result = with_head(table)
    assert result == table
    assert result is not table


def test_with_head_without_get_adds_nothing() -> None:
    def post() -> None: ...

    assert with_head({"POST": post}) == {"POST": post}


def test_method_not_allowed_raises_405_with_allow(make_request: Any) -> None:
    with pytest.raises(MethodNotSupported) as info:
        method_not_allowed(make_request("DELETE", "/x"), {"POST", "GET"})
    exc = info.value
    assert exc.status_code == 405
    assert exc.headers["Allow"] == "GET, POST"
    assert "DELETE" in str(exc)
    assert "/x" in str(exc)
