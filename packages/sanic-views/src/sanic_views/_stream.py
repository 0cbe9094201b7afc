"""The ``stream`` marker: a handler asks for the raw, streamed request body.

:func:`stream` records the wish on the function and returns it unchanged, so the mark
costs nothing per request. The framework reads it once, at startup, through
:func:`is_stream` and the views' ``stream_methods()``: a request for a marked method
then gets ``request.stream`` (the body chunk by chunk) instead of a ready
``request.body``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

_F = TypeVar("_F", bound=Callable[..., object])

#: The attribute :func:`stream` sets. Part of the contract with the server.
STREAM_ATTRIBUTE = "is_stream"


def stream(func: _F) -> _F:
    """Mark a view method or handler as wanting the streamed request body.

    Use it on an ``HTTPMethodView`` method or on a function given to
    ``CompositionView.add``::

        class Upload(HTTPMethodView):
            @stream
            async def post(self, request):
                ...

    Args:
        func: The handler. It is returned unchanged apart from ``is_stream = True``.

    Returns:
        ``func`` itself, so the marker costs nothing per request.
    """
    setattr(func, STREAM_ATTRIBUTE, True)
    return func


def is_stream(func: object) -> bool:
    """Return whether ``func`` was marked with :func:`stream`.

    Static and class methods are looked through, so the mark survives whichever
    decorator order the user chose.
    """
    inner = getattr(func, "__func__", func)
    return bool(getattr(func, STREAM_ATTRIBUTE, False)) or bool(
        getattr(inner, STREAM_ATTRIBUTE, False)
    )
