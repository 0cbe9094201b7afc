"""JSON encoding on both paths: orjson and the standard library."""

from __future__ import annotations

import dataclasses
import enum
import importlib
import json as stdlib_json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanic_http import _compat, _json
from sanic_request import RequestParameters


@pytest.fixture(params=["orjson", "stdlib"])
def encoder(request: pytest.FixtureRequest) -> Iterator[ModuleType]:
    """The ``_json`` module loaded once with each encoder choice."""
    fast = pytest.importorskip("orjson") if request.param == "orjson" else None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_compat, "orjson", fast)
        module = importlib.reload(_json)
    assert module.USING_ORJSON is (request.param == "orjson")
    yield module
    importlib.reload(_json)


class Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Point:
    x: int
    y: int


def test_compact_output(encoder: ModuleType) -> None:
    assert encoder.json_dumps({"a": [1, 2], "b": None}) == '{"a":[1,2],"b":null}'
    assert encoder.json_dumps_bytes({"é": "ü"}) == '{"é":"ü"}'.encode()


def test_default_hook_covers_the_guide_examples(encoder: ModuleType) -> None:
    args = RequestParameters({"titles": ["Post 1", "Post 2"]})
    value = {
        "args": args,
        "bytes": b"caf\xc3\xa9 \xff",
        "keys": {"a": 1}.keys(),
        "values": {"a": 1}.values(),
        "items": {"a": 1}.items(),
        "set": {1},
        "frozenset": frozenset({2}),
        "tuple": (1, 2),
        "generator": (n * 2 for n in range(3)),
        "when": datetime(2017, 3, 5, 8, 9, 10),
        "day": date(2017, 3, 5),
        "id": uuid.UUID(int=1),
        "enum": Colour.RED,
        "point": Point(1, 2),
        1: "int key",
    }
    decoded = stdlib_json.loads(encoder.json_dumps(value))
    assert decoded == {
        "args": {"titles": ["Post 1", "Post 2"]},
        "bytes": "café \ufffd",
        "keys": ["a"],
        "values": [1],
        "items": [["a", 1]],
        "set": [1],
        "frozenset": [2],
        "tuple": [1, 2],
        "generator": [0, 2, 4],
        "when": "2017-03-05T08:09:10",
        "day": "2017-03-05",
        "id": "00000000-0000-0000-0000-000000000001",
        "enum": "red",
        "point": {"x": 1, "y": 2},
        "1": "int key",
    }


def test_big_integers_fall_back_to_stdlib(encoder: ModuleType) -> None:
    assert encoder.json_dumps(2**70) == str(2**70)


def test_unserialisable_raises_type_error(encoder: ModuleType) -> None:
    with pytest.raises(TypeError):
        encoder.json_dumps(object())


def test_kwargs_use_stdlib_options(encoder: ModuleType) -> None:
    assert encoder.json_dumps({"b": 1, "a": {1}}, sort_keys=True) == '{"a":[1],"b":1}'
    assert encoder.json_dumps([1], indent=1) == "[\n 1\n]"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values)
def test_both_paths_round_trip(value: object) -> None:
    for dumps in (_json._stdlib_dumps_bytes, _json.json_dumps_bytes):
        assert stdlib_json.loads(dumps(value)) == value


def test_env_var_forces_stdlib_in_a_fresh_process() -> None:
    code = "import sanic_http._json as j; print(j.USING_ORJSON)"
    env = {"SANIC_NO_ORJSON": "1", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.stdout.strip() == "False"


def test_generators_survive_a_retry(encoder: ModuleType) -> None:
    # A generator read before what sends the fast encoder to a slower attempt
    # (a non-str key, an integer past 64 bits) is still sent in full.
    for late, text in ((1, '"1":"x"'), ("big", f'"big":{2**70}')):
        value = {"g": (n for n in range(3)), late: "x" if late == 1 else 2**70}
        assert encoder.json_dumps(value) == '{"g":[0,1,2],' + text + "}"


def test_non_str_keys_everywhere(encoder: ModuleType) -> None:
    value = {"a": {2: [{None: 1, 1.5: True}]}, "b": [{"c": {3}}]}
    assert stdlib_json.loads(encoder.json_dumps_bytes(value)) == {
        "a": {"2": [{"null": 1, "1.5": True}]},
        "b": [{"c": [3]}],
    }


def test_json_default_reads_iterables_once() -> None:
    assert _json.json_default(n for n in range(2)) == [0, 1]
    with pytest.raises(TypeError):
        _json.json_default(object())
