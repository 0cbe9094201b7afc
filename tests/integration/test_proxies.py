"""The native server (``app.run``) behind a real nginx: client addresses and more.

nginx serves the site docs/deploying.md shows ("Behind a proxy"), started by the
test on a free port (``nginx_in_front`` in conftest.py; skipped with the reason
when nginx is not installed), in front of load/proxy_app.py run with each way of
trusting a proxy: ``PROXIES_COUNT=1`` (``X-Forwarded-For``), ``REAL_IP_HEADER``
(``X-Real-IP``) and ``FORWARDED_SECRET`` (the ``Forwarded`` line the page shows).
Through it: the client address (a spoofed ``X-Forwarded-For`` from the client is
ignored), scheme and host, keep-alive to the upstream, a streamed upload and a
websocket.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from conftest import (
    HOST,
    NGINX,
    NGINX_MISSING,
    REQUEST_TIMEOUT,
    ROOT,
    Example,
    Launch,
    documented_nginx_site,
    nginx_in_front,
    upload_digest,
)

PROXY_APP = Path(__file__).with_name("load") / "proxy_app.py"
SECRET = "change-me"


def documented_forwarded_line() -> str:
    """The ``proxy_set_header Forwarded`` line docs/deploying.md shows."""
    text = (ROOT / "docs" / "deploying.md").read_text()
    lines = re.findall(r"^proxy_set_header Forwarded .*;$", text, re.M)
    assert len(lines) == 1 and f"secret={SECRET}" in lines[0]
    return str(lines[0])


#: The app's environment and the site's one change, per way of trusting nginx.
TRUST = {
    "x-forwarded-for": {"SANIC_PROXIES_COUNT": "1"},
    "x-real-ip": {"SANIC_REAL_IP_HEADER": "X-Real-IP"},
    "forwarded": {"SANIC_FORWARDED_SECRET": SECRET},
}


@pytest.fixture(scope="module", params=sorted(TRUST))
def proxied(
    request: pytest.FixtureRequest,
    launch: Launch,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Example]:
    """nginx in front of proxy_app.py, trusting it the parametrised way."""
    if NGINX is None:
        pytest.skip(NGINX_MISSING)
    app = launch(None, args=(str(PROXY_APP),), env=TRUST[request.param])
    site = documented_nginx_site()
    if request.param == "forwarded":
        anchor = "proxy_set_header X-Real-IP"
        site = site.replace(anchor, f"{documented_forwarded_line()}\n        {anchor}")
    with nginx_in_front(tmp_path_factory.mktemp("nginx"), app.port, site) as proxy:
        yield proxy


def test_the_client_address_comes_through_the_proxy(proxied: Example) -> None:
    seen = proxied.get("/whoami").json()
    assert isinstance(seen, dict)
    assert seen["remote_addr"] == "127.0.0.1"
    assert seen["ip"] == "127.0.0.1"  # the peer: nginx, on the same machine


def test_a_spoofed_client_address_is_ignored(proxied: Example) -> None:
    spoofed = {
        "X-Forwarded-For": "6.6.6.6",
        "X-Real-IP": "6.6.6.6",
        "Forwarded": "for=6.6.6.6;proto=https;host=evil;secret=guess, for=7.7.7.7",
    }
    seen = proxied.get("/whoami", headers=spoofed).json()
    assert isinstance(seen, dict)
    assert seen["remote_addr"] == "127.0.0.1"
    assert (seen["scheme"], seen["server_name"]) == ("http", HOST)


def test_scheme_and_host_are_the_clients(proxied: Example) -> None:
    seen = proxied.get("/whoami").json()
    assert isinstance(seen, dict)
    address = f"{HOST}:{proxied.port}"
    assert seen["scheme"] == "http"
    assert seen["host"] == address
    assert (seen["server_name"], seen["server_port"]) == (HOST, proxied.port)
    assert seen["url"] == f"http://{address}/whoami"


def test_nginx_keeps_its_connection_to_the_app_alive(proxied: Example) -> None:
    # Each request on a new client connection; nginx's one worker takes the
    # same idle upstream connection from its keepalive pool every time.
    ports = set()
    for _ in range(5):
        seen = proxied.get("/whoami").json()
        assert isinstance(seen, dict)
        ports.add(seen["port"])
    assert len(ports) == 1, ports


def test_a_streamed_upload_passes_through(proxied: Example) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    reply = upload_digest(proxied, data, chunked=True)
    assert reply == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_a_websocket_passes_through(proxied: Example) -> None:
    async def talk() -> list[str]:
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.ws_connect(f"ws://{HOST}:{proxied.port}/echo") as ws,
        ):
            heard = [await ws.receive_str()]
            for message in ("one", "two"):
                await ws.send_str(message)
                heard.append(await ws.receive_str())
            return heard

    heard = asyncio.run(asyncio.wait_for(talk(), REQUEST_TIMEOUT))
    assert heard == ["hello 127.0.0.1", "one", "two"]
