from __future__ import annotations

import pytest

from sanic_request import RequestParseError


def test_defaults_to_400_and_keeps_the_message() -> None:
    err = RequestParseError("bad thing")
    assert err.status == 400
    assert err.message == "bad thing"
    assert str(err) == "bad thing"
    assert repr(err) == "RequestParseError('bad thing', status=400)"


def test_carries_a_413_hint() -> None:
    assert RequestParseError("too big", 413).status == 413


def test_is_a_value_error_as_the_guide_documents_for_strict_parsing() -> None:
    with pytest.raises(ValueError, match="nope"):
        raise RequestParseError("nope")
