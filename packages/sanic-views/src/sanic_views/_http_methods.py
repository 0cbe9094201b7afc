"""The HTTP methods a view can answer, and the 405 raised for the others.

Both view kinds share one rule for which methods they allow: the ones the user wrote a
handler for, plus ``HEAD`` whenever ``GET`` is handled. RFC 9110 section 9.3.2 makes a
``HEAD`` response the ``GET`` response without its content, so a view that can answer
``GET`` can answer ``HEAD`` with the same handler; stripping the body is the server's
job. ``OPTIONS`` is allowed only when a handler for it exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import NoReturn, Protocol, TypeVar

from sanic_http import MethodNotSupported

#: The methods ``HTTPMethodView`` looks for, each as the lower-case method name a
#: subclass defines (``get``, ``post``, ...). The one definition: ``sanic.constants``
#: re-exports this tuple, in Sanic 0.4's order.
HTTP_METHODS: tuple[str, ...] = (
    "GET",
    "POST",
    "PUT",
    "HEAD",
    "OPTIONS",
    "PATCH",
    "DELETE",
)

_T = TypeVar("_T", bound=Callable[..., object])


class RequestLike(Protocol):
    """What a view reads from a request: the method and, for a 405, the path."""

    @property
    def method(self) -> str:
        """The request method, upper case as sent (``"GET"``)."""
        ...  # pragma: no cover - protocol

    @property
    def path(self) -> str:
        """The request path, used in the 405 message."""
        ...  # pragma: no cover - protocol


def with_head(table: Mapping[str, _T]) -> dict[str, _T]:
    """Return ``table`` plus ``HEAD`` answered by the ``GET`` handler if missing.

    Args:
        table: Upper-case method name to handler.

    Returns:
        A new dict; an explicit ``HEAD`` handler is kept as it is.
    """
    result = dict(table)
    if "GET" in result and "HEAD" not in result:
        result["HEAD"] = result["GET"]
    return result


def method_not_allowed(request: RequestLike, allowed: Iterable[str]) -> NoReturn:
    """Raise the 405 for a request whose method the view does not handle.

    Args:
        request: The request that arrived.
        allowed: The methods the view handles.

    Raises:
        MethodNotSupported: Always; its ``Allow`` header lists ``allowed``
            (RFC 9110 section 15.5.6 requires it on a 405).
    """
    method = request.method
    raise MethodNotSupported(
        f"Method {method} not allowed for URL {request.path}", method, allowed
    )
