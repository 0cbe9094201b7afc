"""The seven documented methods, written once for every client.

Each client implements ``request(method, uri, *request_args, **kwargs)``; these
mixins give it ``get``, ``post``, ``put``, ``delete``, ``patch``, ``head`` and
``options`` with the guide's signature (``uri`` first, default ``"/"``).

Arguments are passed through untouched: positional ones are ``object``; keyword
ones stay ``Any``, as each client takes its own (``gather_request``, aiohttp's
``ClientSession.request`` options, ``debug``...). The result stays ``Any``: it is
``(request, response)`` or the response alone, chosen by ``gather_request`` at
call time, and tests unpack it.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

__all__ = ["AsyncMethods", "SyncMethods"]


class SyncMethods:
    """``get`` ... ``options`` for a client whose ``request`` blocks."""

    def request(self, method: str, uri: str = "/", *args: object, **kwargs: Any) -> Any:
        """Send one request; implemented by each client."""
        raise NotImplementedError

    def get(self, uri: str = "/", *args: object, **kwargs: Any) -> Any:
        """Send a GET request; see ``request``."""
        return self.request("GET", uri, *args, **kwargs)

    def post(self, uri: str = "/", *args: object, **kwargs: Any) -> Any:
        """Send a POST request; see ``request``."""
        return self.request("POST", uri, *args, **kwargs)

    def put(self, uri: str = "/", *args: object, **kwargs: Any) -> Any:
        """Send a PUT request; see ``request``."""
        return self.request("PUT", uri, *args, **kwargs)

    def delete(self, uri: str = "/", *args: object, **kwargs: Any) -> Any:
        """Send a DELETE request; see ``request``."""
        return self.request("DELETE", uri, *args, **kwargs)

    def patch(self, uri: str = "/", *args: object, **kwargs: Any) -> Any:
        """Send a PATCH request; see ``request``."""
        return self.request("PATCH", uri, *args, **kwargs)

    def head(self, uri: str = "/", *args: object, **kwargs: Any) -> Any:
        """Send a HEAD request; see ``request``."""
        return self.request("HEAD", uri, *args, **kwargs)

    def options(self, uri: str = "/", *args: object, **kwargs: Any) -> Any:
        """Send an OPTIONS request; see ``request``."""
        return self.request("OPTIONS", uri, *args, **kwargs)


class AsyncMethods:
    """``get`` ... ``options`` for a client whose ``request`` is a coroutine."""

    async def request(
        self, method: str, uri: str = "/", *args: object, **kwargs: Any
    ) -> Any:
        """Send one request; implemented by each client."""
        raise NotImplementedError

    def get(self, uri: str = "/", *args: object, **kwargs: Any) -> Awaitable[Any]:
        """Send a GET request; see ``request``."""
        return self.request("GET", uri, *args, **kwargs)

    def post(self, uri: str = "/", *args: object, **kwargs: Any) -> Awaitable[Any]:
        """Send a POST request; see ``request``."""
        return self.request("POST", uri, *args, **kwargs)

    def put(self, uri: str = "/", *args: object, **kwargs: Any) -> Awaitable[Any]:
        """Send a PUT request; see ``request``."""
        return self.request("PUT", uri, *args, **kwargs)

    def delete(self, uri: str = "/", *args: object, **kwargs: Any) -> Awaitable[Any]:
        """Send a DELETE request; see ``request``."""
        return self.request("DELETE", uri, *args, **kwargs)

    def patch(self, uri: str = "/", *args: object, **kwargs: Any) -> Awaitable[Any]:
        """Send a PATCH request; see ``request``."""
        return self.request("PATCH", uri, *args, **kwargs)

    def head(self, uri: str = "/", *args: object, **kwargs: Any) -> Awaitable[Any]:
        """Send a HEAD request; see ``request``."""
        return self.request("HEAD", uri, *args, **kwargs)

    def options(self, uri: str = "/", *args: object, **kwargs: Any) -> Awaitable[Any]:
        """Send an OPTIONS request; see ``request``."""
        return self.request("OPTIONS", uri, *args, **kwargs)
