"""Custom Protocols and the SSL Example."""

from __future__ import annotations

import http.client
import shutil
import socket
import ssl
import subprocess
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def protocol(launch):
    return launch("custom_protocol.py")


def test_custom_protocol_turns_a_string_into_a_response(protocol):
    reply = protocol.get("/")
    assert (reply.status, reply.text) == (200, "string")
    assert reply.headers["Content-Type"].startswith("text/plain")


def test_custom_protocol_writes_responses_unchanged(protocol):
    reply = protocol.get("/1")
    assert (reply.status, reply.text) == (200, "response")


def test_custom_protocol_closes_after_each_response(protocol):
    # The guide's write_response closes the transport: the server ends the
    # connection even though HTTP/1.1 would keep it alive.
    with socket.create_connection(("127.0.0.1", protocol.port), timeout=10) as sock:
        sock.sendall(b"GET /1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert body == b"response"


def make_self_signed(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 (CLI openssl, else cryptography)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    openssl = shutil.which("openssl")
    if openssl:
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip
        return cert, key
    return _cryptography_self_signed(cert, key)


def _cryptography_self_signed(cert: Path, key: Path) -> tuple[Path, Path]:
    import datetime
    import ipaddress

    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key


@pytest.fixture(scope="module")
def https(launch, tmp_path_factory):
    cert, key = make_self_signed(tmp_path_factory.mktemp("tls"))
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
