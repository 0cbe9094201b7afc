from __future__ import annotations

import socket

import pytest

from sanic_testing._sockets import bind_socket


def test_the_preferred_port_when_free() -> None:
    with bind_socket("127.0.0.1", 0) as probe:
        free = probe.getsockname()[1]
    with bind_socket("127.0.0.1", free) as sock:
        assert sock.getsockname()[1] == free


def test_a_busy_port_falls_back() -> None:
    with bind_socket("127.0.0.1", None) as first:
        busy = first.getsockname()[1]
        with bind_socket("127.0.0.1", busy) as second:
            assert second.getsockname()[1] not in (0, busy)


def test_the_socket_is_listening() -> None:
    with bind_socket("127.0.0.1", 0) as sock:
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
        sock.settimeout(2)
        with socket.create_connection(sock.getsockname(), timeout=2) as client:
            accepted, peer = sock.accept()
            with accepted:
                assert peer == client.getsockname()


def test_an_unusable_host_raises() -> None:
    with pytest.raises(OSError):
        bind_socket("192.0.2.1", 0)


def test_the_socket_is_the_servers_own_kind() -> None:
    # One bind_socket (sanic-http's, through sanic.server): a TCP socket whose
    # accepted connections get TCP_NODELAY, as the real server's do.
    with bind_socket("127.0.0.1", None) as sock:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)
