"""The pytest plugin (entry point ``pytest11``): fixtures for an app's clients.

Installed with sanic-testing, it needs no configuration. Factories take an app
(and the client's keyword arguments) and close every client they made when the
test ends::

    def test_many(sanic_reusable_client):
        client = sanic_reusable_client(app)
        for _ in range(100):
            assert client.get("/").status == 200

Define an ``app`` fixture and ``reusable_client`` / ``inprocess_client`` /
``test_client`` are the clients of that app, ready to use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

from ._oneshot import SanicTestClient
from ._sync import InProcessClient, ReusableClient

if TYPE_CHECKING:
    from sanic import Sanic

__all__ = [
    "inprocess_client",
    "reusable_client",
    "sanic_inprocess_client",
    "sanic_reusable_client",
    "test_client",
]


Client = TypeVar("Client", ReusableClient, InProcessClient)


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


@pytest.fixture
def test_client(app: Sanic) -> SanicTestClient:
    """The one-shot client of the ``app`` fixture (``app.test_client``)."""
    client: SanicTestClient = app.test_client
    return client
