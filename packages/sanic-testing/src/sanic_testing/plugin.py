"""The pytest plugin (entry point ``pytest11``): fixtures for an app's clients.

Installed with sanic-testing, it needs no configuration. Factories take an app
(and the client's keyword arguments) and close every client they made when the
test ends::

    def test_many(sanic_reusable_client):
        client = sanic_reusable_client(app)
        for _ in range(100):
            assert client.get("/").status == 200

Define an ``app`` fixture and ``reusable_client`` / ``inprocess_client`` /
``test_client`` are the clients of that app, ready to use; ``sanic_client`` is
each of the three in turn, so one test body runs on all of them::

    def test_index(sanic_client):
        request, response = sanic_client.get("/")
        assert response.status == 200

``sanic_websocket`` opens websockets to the ``app`` fixture (one server for all
of a test's websockets, so they can talk to each other), closed after the test::

    def test_echo(sanic_websocket):
        ws = sanic_websocket("/echo")
        ws.send("hi")
        assert ws.receive() == "hi"

``open_client(kind, app)`` opens one client of a kind named in ``CLIENT_KINDS``
(for fixtures of your own, such as a module-scoped one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final, TypeVar

import pytest

from ._oneshot import SanicTestClient
from ._sync import InProcessClient, ReusableClient
from ._websocket import BlockingWebSocket

if TYPE_CHECKING:
    from sanic import Sanic

__all__ = [
    "CLIENT_KINDS",
    "inprocess_client",
    "open_client",
    "reusable_client",
    "sanic_client",
    "sanic_inprocess_client",
    "sanic_reusable_client",
    "sanic_websocket",
    "test_client",
]


Client = TypeVar("Client", ReusableClient, InProcessClient)
#: Any of the three clients: the same methods, arguments and results.
AnyClient = SanicTestClient | ReusableClient | InProcessClient

#: The clients ``sanic_client`` runs a test on, by the ids the tests get: the
#: one-shot ``app.test_client`` (a real server and socket per request), the
#: reusable client (one real server) and the in-process client (the server's
#: protocol over memory).
CLIENT_KINDS: Final = ("one-shot", "reusable", "in-process")


@contextmanager
def open_client(kind: str, app: Sanic, **kwargs: Any) -> Iterator[AnyClient]:
    """Open the client of ``kind`` (one of ``CLIENT_KINDS``) for ``app``.

    Args:
        kind: ``"one-shot"``, ``"reusable"`` or ``"in-process"``.
        app: The app under test.
        **kwargs: The client's constructor arguments (``debug``,
            ``server_kwargs``... for the reusable and in-process clients;
            ``port``, ``host``, ``timeout`` for a one-shot ``SanicTestClient``,
            which without them is ``app.test_client``).

    Yields:
        The client, started; the reusable and in-process ones are closed
        (stop listeners run) when the block ends.

    Raises:
        ValueError: ``kind`` is not one of ``CLIENT_KINDS``.
    """
    if kind == "one-shot":
        yield SanicTestClient(app, **kwargs) if kwargs else app.test_client
        return
    kinds: dict[str, type[ReusableClient | InProcessClient]] = {
        "reusable": ReusableClient,
        "in-process": InProcessClient,
    }
    if kind not in kinds:
        raise ValueError(f"unknown client kind {kind!r}; one of {CLIENT_KINDS}")
    with kinds[kind](app, **kwargs) as client:
        yield client


def _factory(kind: type[Client]) -> Iterator[Callable[..., Client]]:
    """Yield ``make(app, **kwargs)`` for ``kind``; close what it made afterwards."""
    made: list[Client] = []

    def make(app: Sanic, **kwargs: Any) -> Client:
        client = kind(app, **kwargs)
        made.append(client)
        client.start()
        return client

    yield make
    for client in reversed(made):
        client.close()


@pytest.fixture
def sanic_reusable_client() -> Iterator[Callable[..., ReusableClient]]:
    """A factory of started ``ReusableClient``s, stopped after the test."""
    yield from _factory(ReusableClient)


@pytest.fixture
def sanic_inprocess_client() -> Iterator[Callable[..., InProcessClient]]:
    """A factory of started ``InProcessClient``s, closed after the test."""
    yield from _factory(InProcessClient)


@pytest.fixture
def reusable_client(
    app: Sanic, sanic_reusable_client: Callable[..., ReusableClient]
) -> ReusableClient:
    """A started ``ReusableClient`` for the ``app`` fixture."""
    return sanic_reusable_client(app)


@pytest.fixture
def inprocess_client(
    app: Sanic, sanic_inprocess_client: Callable[..., InProcessClient]
) -> InProcessClient:
    """A started ``InProcessClient`` for the ``app`` fixture."""
    return sanic_inprocess_client(app)


@pytest.fixture(params=CLIENT_KINDS)
def sanic_client(request: pytest.FixtureRequest, app: Sanic) -> Iterator[AnyClient]:
    """The ``app`` fixture's client, once per kind in ``CLIENT_KINDS``: a test
    using it runs on the one-shot, the reusable and the in-process client."""
    with open_client(request.param, app) as client:
        yield client


@pytest.fixture
def test_client(app: Sanic) -> SanicTestClient:
    """The one-shot client of the ``app`` fixture (``app.test_client``)."""
    client: SanicTestClient = app.test_client
    return client


@pytest.fixture
def sanic_websocket(
    reusable_client: ReusableClient,
) -> Iterator[Callable[..., BlockingWebSocket]]:
    """``open(uri, **kwargs)``: a websocket to the ``app`` fixture, connected.

    Every websocket goes to one server (the ``reusable_client`` fixture's) and
    is closed after the test; ``kwargs`` are those of ``client.websocket``.
    """
    opened: list[BlockingWebSocket] = []

    def open_websocket(uri: str = "/", **kwargs: Any) -> BlockingWebSocket:
        ws = reusable_client.websocket(uri, **kwargs)
        opened.append(ws)
        return ws

    yield open_websocket
    for ws in reversed(opened):
        ws.close()
