"""The seven documented methods, written once for every client.

Each client implements ``request(method, uri, *request_args, **kwargs)``; these
mixins give it ``get``, ``post``, ``put``, ``delete``, ``patch``, ``head`` and
``options`` with the guide's signature (``uri`` first, default ``"/"``).

Arguments are passed through untouched: positional ones are ``object``; keyword
ones stay ``Any``, as each client takes its own (aiohttp's
``ClientSession.request`` options, ``debug``...). For a type checker the seven
methods are :class:`SyncMethod` / :class:`AsyncMethod`, whose overloads follow
``gather_request``: ``(request, response)`` by default, the response alone with
``gather_request=False``. At run time they are the plain methods below.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, overload

if TYPE_CHECKING:
    from sanic.request import Request

    from ._response import SanicTestResponse

    #: What a client returns by default: the server-side request (``None``
    #: when the server answered without building one) and the response.
    Gathered = tuple[Request | None, SanicTestResponse]

__all__ = ["DEFAULT_TIMEOUT", "AsyncMethods", "SyncMethods"]

#: Seconds a test client waits for one exchange before the test fails.
DEFAULT_TIMEOUT: Final = 30.0


class SyncMethod(Protocol):
    """``client.get`` and the others of a blocking client, as typed."""

    @overload
    def __call__(
        self,
        uri: str = ...,
        *args: object,
        gather_request: Literal[True] = ...,
        **kwargs: Any,
    ) -> Gathered: ...

    @overload
    def __call__(
        self,
        uri: str = ...,
        *args: object,
        gather_request: Literal[False],
        **kwargs: Any,
    ) -> SanicTestResponse: ...

    @overload
    def __call__(
        self, uri: str = ..., *args: object, gather_request: bool, **kwargs: Any
    ) -> Gathered | SanicTestResponse: ...


class AsyncMethod(Protocol):
    """``client.get`` and the others of an async client, as typed."""

    @overload
    def __call__(
        self,
        uri: str = ...,
        *args: object,
        gather_request: Literal[True] = ...,
        **kwargs: Any,
    ) -> Awaitable[Gathered]: ...

    @overload
    def __call__(
        self,
        uri: str = ...,
        *args: object,
        gather_request: Literal[False],
        **kwargs: Any,
    ) -> Awaitable[SanicTestResponse]: ...

    @overload
    def __call__(
        self, uri: str = ..., *args: object, gather_request: bool, **kwargs: Any
    ) -> Awaitable[Gathered | SanicTestResponse]: ...


class SyncMethods:
    """``get`` ... ``options`` for a client whose ``request`` blocks."""

    def request(self, method: str, uri: str = "/", *args: object, **kwargs: Any) -> Any:
        """Send one request; implemented by each client."""
        raise NotImplementedError

    if TYPE_CHECKING:
        get: SyncMethod
        post: SyncMethod
        put: SyncMethod
        delete: SyncMethod
        patch: SyncMethod
        head: SyncMethod
        options: SyncMethod
    else:

        def get(self, uri: str = "/", *args: object, **kwargs: Any) -> object:
            """Send a GET request; see ``request``."""
            return self.request("GET", uri, *args, **kwargs)

        def post(self, uri: str = "/", *args: object, **kwargs: Any) -> object:
            """Send a POST request; see ``request``."""
            return self.request("POST", uri, *args, **kwargs)

        def put(self, uri: str = "/", *args: object, **kwargs: Any) -> object:
            """Send a PUT request; see ``request``."""
            return self.request("PUT", uri, *args, **kwargs)

        def delete(self, uri: str = "/", *args: object, **kwargs: Any) -> object:
            """Send a DELETE request; see ``request``."""
            return self.request("DELETE", uri, *args, **kwargs)

        def patch(self, uri: str = "/", *args: object, **kwargs: Any) -> object:
            """Send a PATCH request; see ``request``."""
            return self.request("PATCH", uri, *args, **kwargs)

        def head(self, uri: str = "/", *args: object, **kwargs: Any) -> object:
            """Send a HEAD request; see ``request``."""
            return self.request("HEAD", uri, *args, **kwargs)

        def options(self, uri: str = "/", *args: object, **kwargs: Any) -> object:
            """Send an OPTIONS request; see ``request``."""
            return self.request("OPTIONS", uri, *args, **kwargs)


class AsyncMethods:
    """``get`` ... ``options`` for a client whose ``request`` is a coroutine."""

    async def request(
        self, method: str, uri: str = "/", *args: object, **kwargs: Any
    ) -> Any:
        """Send one request; implemented by each client."""
        raise NotImplementedError

    if TYPE_CHECKING:
        get: AsyncMethod
        post: AsyncMethod
        put: AsyncMethod
        delete: AsyncMethod
        patch: AsyncMethod
        head: AsyncMethod
        options: AsyncMethod
    else:

        def get(
            self, uri: str = "/", *args: object, **kwargs: Any
        ) -> Awaitable[object]:
            """Send a GET request; see ``request``."""
            return self.request("GET", uri, *args, **kwargs)

        def post(
            self, uri: str = "/", *args: object, **kwargs: Any
        ) -> Awaitable[object]:
            """Send a POST request; see ``request``."""
            return self.request("POST", uri, *args, **kwargs)

        def put(
            self, uri: str = "/", *args: object, **kwargs: Any
        ) -> Awaitable[object]:
            """Send a PUT request; see ``request``."""
            return self.request("PUT", uri, *args, **kwargs)

        def delete(
            self, uri: str = "/", *args: object, **kwargs: Any
        ) -> Awaitable[object]:
            """Send a DELETE request; see ``request``."""
            return self.request("DELETE", uri, *args, **kwargs)

        def patch(
            self, uri: str = "/", *args: object, **kwargs: Any
        ) -> Awaitable[object]:
            """Send a PATCH request; see ``request``."""
            return self.request("PATCH", uri, *args, **kwargs)

        def head(
            self, uri: str = "/", *args: object, **kwargs: Any
        ) -> Awaitable[object]:
            """Send a HEAD request; see ``request``."""
            return self.request("HEAD", uri, *args, **kwargs)

        def options(
            self, uri: str = "/", *args: object, **kwargs: Any
        ) -> Awaitable[object]:
            """Send an OPTIONS request; see ``request``."""
            return self.request("OPTIONS", uri, *args, **kwargs)
