"""The shared test helpers (tests/helpers) fail on what they exist to catch."""

from __future__ import annotations

import socket
import types
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sanic_test_helpers import (
    Client,
    WireError,
    assert_public_surface,
    parse_response,
)


@contextmanager
def _client_receiving(data: bytes, *, close: bool = True) -> Iterator[Client]:
    """A client whose "server" sent ``data``, then closed (unless ``close=False``)."""
    ours, theirs = socket.socketpair()
    with theirs, Client(ours, timeout=0.5) as client:
        theirs.sendall(data)
        if close:
            theirs.shutdown(socket.SHUT_WR)
        yield client


def test_responses_are_read_by_length_by_chunks_and_until_the_close() -> None:
    with _client_receiving(
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab"
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"1\r\nc\r\n2\r\nde\r\n0\r\n\r\n"
        b"HTTP/1.0 404 Not Found\r\nX-A: 1\r\n\r\nrest"
    ) as client:
        assert client.response().body == b"ab"
        assert client.response().body == b"cde"
        last = client.response()
        assert (last.version, last.status, last.reason) == ("1.0", 404, "Not Found")
        assert (last.headers, last.body) == ({"x-a": "1"}, b"rest")
        assert client.reply() is None and client.closed()


def test_a_truncated_response_is_none_and_garbage_fails() -> None:
    truncated = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab"
    with _client_receiving(truncated) as client:
        assert client.reply() is None
        with pytest.raises(WireError, match="closed"):
            client.response()
    for garbage in (b"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", b"SSH-2.0-no\r\n\r\n"):
        with _client_receiving(garbage) as client, pytest.raises(WireError):
            client.reply()


def test_a_silent_server_times_out_without_closing() -> None:
    with _client_receiving(b"", close=False) as client:
        assert client.reply(timeout=0.05) is None
        assert not client.eof


def test_parse_response_is_strict() -> None:
    good = parse_response(b"HTTP/1.1 204 No Content\r\nA: 1\r\nA: 2\r\n\r\n")
    assert good.get_all("a") == ["1", "2"] and good.header("A") == "1"
    with pytest.raises(WireError, match="duplicate"):
        good.get("a")
    with pytest.raises(WireError):
        parse_response(b"HTTP/1.1 200 OK\r\nA:1\r\n\r\n")  # not "name: value"
    with pytest.raises(WireError):
        parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n")


def test_assert_public_surface_fails_on_an_undeclared_name() -> None:
    module = types.ModuleType("demo")
    vars(module).update(__all__=["a"], a=1)
    assert_public_surface(module, ["a"])
    with pytest.raises(AssertionError):
        assert_public_surface(module, ["a", "b"])
    vars(module)["helper"] = 2
    with pytest.raises(AssertionError, match="helper"):
        assert_public_surface(module, ["a"])
