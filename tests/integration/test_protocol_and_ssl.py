"""Custom Protocols and the SSL Example."""

from __future__ import annotations

import http.client
import ssl

import pytest
from sanic_test_helpers import Client, self_signed


@pytest.fixture(scope="module")
def protocol(launch):
    return launch("custom_protocol.py")


@pytest.fixture(scope="module")
def custom(example):
    return example("custom_protocol.py")


def test_custom_protocol_turns_a_string_into_a_response(custom):
    reply = custom.get("/")
    assert (reply.status, reply.text) == (200, "string")
    assert reply.headers["Content-Type"].startswith("text/plain")


def test_custom_protocol_writes_responses_unchanged(custom):
    reply = custom.get("/1")
    assert (reply.status, reply.text) == (200, "response")


def test_custom_protocol_closes_after_each_response(protocol):
    # The guide's write_response closes the transport: the server ends the
    # connection even though HTTP/1.1 would keep it alive.
    with Client.connect("127.0.0.1", protocol.port, timeout=10) as client:
        client.send(b"GET /1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        response = client.response()
        assert (response.status, response.body) == (200, b"response")
        assert client.closes()


@pytest.fixture(scope="module")
def https(launch, tmp_path_factory):
    cert, key = self_signed(tmp_path_factory.mktemp("tls"))
    client = ssl.create_default_context(cafile=str(cert))
    return launch(
        "ssl_example.py",
        env={"SSL_CERT": str(cert), "SSL_KEY": str(key)},
        scheme="https",
        ssl_context=client,
    )


def test_https_answers_over_the_self_signed_certificate(https):
    reply = https.get("/")
    assert reply.status == 200
    assert reply.json() == {"hello": "world", "scheme": "https"}


def test_the_certificate_is_verified(https):
    conn = https.connection()
    try:
        conn.connect()
        peer = conn.sock.getpeercert()
        assert ("IP Address", "127.0.0.1") in peer["subjectAltName"]
    finally:
        conn.close()


def test_plain_http_is_not_served_on_the_tls_port(https):
    conn = http.client.HTTPConnection("127.0.0.1", https.port, timeout=5)
    try:
        with pytest.raises((http.client.HTTPException, ConnectionError)):
            conn.request("GET", "/")
            response = conn.getresponse()
            response.read()
            if response.status >= 400:
                raise http.client.HTTPException(response.status)
    finally:
        conn.close()
