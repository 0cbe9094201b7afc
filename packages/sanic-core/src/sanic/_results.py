"""A handler that returns something other than a response: the error that says so.

The guide's handlers return a response (``return text(...)``, ``return await
file(...)``). Anything else (a dict, a string, ``None``, a coroutine that was
never awaited, the ``HTTPResponse`` class itself) is the handler's mistake: the
app answers it like any other unexpected error, with a ``TypeError`` whose
message names the route, the handler (``module:qualname`` and ``file:line``),
what it returned and what to return instead. Everything here runs on that
error path only: a handler that returns a response costs nothing more.
"""

from __future__ import annotations

import inspect
import reprlib
from contextlib import suppress
from types import CoroutineType
from typing import Any

from sanic_router import Route

__all__ = ["not_a_response"]

_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40

#: What to return instead of a value of these types.
_FIXES: dict[type, str] = {
    dict: "return json(...) instead",
    list: "return json(...) instead",
    tuple: "return json(...) instead",
    int: "return json(...) or text(...) instead",
    float: "return json(...) or text(...) instead",
    bool: "return json(...) instead",
    str: "return text(...) (or html(...)) instead",
    bytes: "return raw(...) instead",
}

_ANY = "return a response such as text(...) or json(...)"


def not_a_response(route: Route, method: str, value: object) -> TypeError:
    """The error for ``value``, returned by the handler of ``route`` for a
    ``method`` request instead of a response.

    A coroutine is closed here (it will never run), so Python does not warn
    that it was never awaited.

    Returns:
        The ``TypeError`` to answer as a 500 and to log.
    """
    if isinstance(value, CoroutineType):
        name = getattr(value, "__qualname__", "the coroutine")
        value.close()
        what = f"an un-awaited coroutine {name}(...)"
        fix = f"await it: return await {name}(...)"
    elif inspect.isawaitable(value):
        what = f"an awaitable that was not awaited ({_short.repr(value)})"
        fix = "await it: return await ..."
    elif isinstance(value, type):
        what = f"the class {value.__qualname__} itself"
        fix = f"return an instance such as {value.__qualname__}(...), text(...)"
    elif value is None:
        what = "None"
        fix = f"{_ANY} (is a return statement missing?)"
    else:
        kind = type(value).__qualname__
        what = f"{_article(kind)} {kind} ({_short.repr(value)})"
        fix = next(
            (text for base, text in _FIXES.items() if isinstance(value, base)), _ANY
        )
    return TypeError(
        f"{method} {route.path}: the handler {_describe(route.handler, method)}"
        f" returned {what}, not a response; {fix}"
    )


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _describe(handler: object, method: str) -> str:
    """``module:qualname (file:line)`` of the function that answered ``method``:
    a class-based view's method rather than the route's dispatcher."""
    target = _answering(handler, method)
    if callable(target):
        with suppress(ValueError):  # a __wrapped__ cycle
            target = inspect.unwrap(target)
    module = getattr(target, "__module__", None) or "?"
    qualname = getattr(target, "__qualname__", None) or type(target).__qualname__
    where = _source(target)
    return f"{module}:{qualname}" + (f" ({where})" if where else "")


def _answering(handler: object, method: str) -> object:
    view_class = getattr(handler, "view_class", None)
    if isinstance(view_class, type):
        for name in (method.lower(), "get" if method == "HEAD" else ""):
            found = getattr(view_class, name, None) if name else None
            if callable(found):
                return found
    handlers = getattr(handler, "handlers", None)  # a CompositionView
    if isinstance(handlers, dict):
        found = handlers.get(method) or (
            handlers.get("GET") if method == "HEAD" else None
        )
        if found is not None:
            return _answering(found, method)
    return handler


def _source(target: object) -> str | None:
    """``file:line`` where ``target`` is defined, when Python knows."""
    code: Any = getattr(target, "__code__", None)
    if code is None:
        func = getattr(target, "func", None)  # functools.partial
        method = inspect.getattr_static(target, "__call__", None)  # of an instance
        code = getattr(func, "__code__", None) or getattr(method, "__code__", None)
    if code is None:
        return None
    return f"{code.co_filename}:{code.co_firstlineno}"
