"""``HTTPMethodView``: one class, one method per HTTP method it answers.

The class is read once, the first time it is used (normally by
:meth:`HTTPMethodView.as_view`, at startup): which of ``get``, ``post``, ``put``,
``patch``, ``delete``, ``head`` and ``options`` it defines becomes a table from method
name to function, so a request costs one dict lookup, one instantiation and one call.
Methods added to the class after that are not seen.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from types import FunctionType
from typing import Any, ClassVar

from ._http_methods import (
    HTTP_METHODS,
    RequestLike,
    method_not_allowed,
    with_head,
)
from ._stream import is_stream

# A view method taken from the class: called with the view instance first.
_Unbound = Callable[..., object]
# Takes the handler so far (typed loosely, so a decorator written for any handler
# type fits) and returns the handler that replaces it.
Decorator = Callable[[Callable[..., Any]], Callable[..., object]]

# Where a class keeps its scan, in its own ``__dict__`` so subclasses scan themselves.
_TABLE = "_views_method_table"


def _unbound(cls: type, name: str) -> _Unbound | None:
    """Return ``cls.<name>`` as a callable taking the instance first.

    A plain function is used as it is (the fast path). Anything else callable, such as a
    static method or a callable object, is looked up on the instance per call so that
    Python's own binding rules apply. A non-callable value, for example ``get = None``
    in a subclass, means the method is not handled.
    """
    raw = inspect.getattr_static(cls, name, None)
    if isinstance(raw, FunctionType):
        return raw
    if raw is None or not callable(getattr(cls, name, None)):
        return None

    def late_bound(self: object, *args: object, **kwargs: object) -> object:
        return getattr(self, name)(*args, **kwargs)

    return late_bound


def _label(
    handler: Callable[..., object],
    cls: type[HTTPMethodView],
    methods: frozenset[str],
) -> None:
    """Set the attributes routers and ``url_for`` read on a view handler."""
    values = {
        "view_class": cls,
        "view_methods": methods,
        "__name__": cls.__name__,
        "__qualname__": cls.__qualname__,
        "__module__": cls.__module__,
        "__doc__": cls.__doc__,
    }
    try:
        for attribute, value in values.items():
            setattr(handler, attribute, value)
    except (AttributeError, TypeError) as exc:
        raise TypeError(
            f"a decorator of {cls.__qualname__} returned {handler!r}, which does not "
            "accept attributes; decorators must return a function"
        ) from exc


class HTTPMethodView:
    """Base class of a class-based view.

    Define ``get``, ``post``, ``put``, ``patch``, ``delete``, ``head`` or ``options``,
    each sync or async, each taking the request and the route parameters as keyword
    arguments. ``HEAD`` is answered by ``get`` unless ``head`` is defined; any other
    method gets a 405 whose ``Allow`` header lists the methods defined.

    Attributes:
        decorators: Applied to the handler by :meth:`as_view` in list order, so the
            first decorator is the innermost (it runs closest to the view method)
            and the last is the outermost (it sees the request first).
    """

    decorators: ClassVar[Sequence[Decorator]] = ()

    @classmethod
    def _scanned(cls) -> dict[str, _Unbound]:
        """Return :meth:`_scan` of this class, scanning it on first use only."""
        found: dict[str, _Unbound] | None
        found = cls.__dict__.get(_TABLE)
        if found is None:
            found = cls._scan()
            setattr(cls, _TABLE, found)
        return found

    @classmethod
    def _scan(cls) -> dict[str, _Unbound]:
        """Read the class: the dispatch table, method name to view method."""
        table: dict[str, _Unbound] = {}
        for method in HTTP_METHODS:
            found = _unbound(cls, method.lower())
            if found is not None:
                table[method] = found
        return with_head(table)

    @classmethod
    def allowed_methods(cls) -> frozenset[str]:
        """Return the upper-case methods this view answers (what a route registers)."""
        return frozenset(cls._scanned())

    @classmethod
    def stream_methods(cls) -> frozenset[str]:
        """Return the methods whose view method is marked with :func:`stream`.

        ``HEAD`` follows ``get`` unless ``head`` is defined. Read once per route, by
        the framework at startup, to decide which requests get a streamed body.
        """
        marked = {
            method: is_stream(inspect.getattr_static(cls, method.lower(), None))
            for method in cls._scanned()
        }
        if "HEAD" in marked and _unbound(cls, "head") is None:
            marked["HEAD"] = marked["GET"]
        return frozenset(method for method, streams in marked.items() if streams)

    def dispatch_request(self, request: RequestLike, *args: Any, **kwargs: Any) -> Any:
        """Call the view method for ``request.method`` and return what it returns.

        :meth:`as_view` skips this method unless a subclass overrides it, so an
        override can wrap dispatch (and call ``super().dispatch_request``).

        Raises:
            MethodNotSupported: The class has no method for ``request.method``.
        """
        table = type(self)._scanned()
        func = table.get(request.method)
        if func is None:
            method_not_allowed(request, table)
        return func(self, request, *args, **kwargs)

    @classmethod
    def as_view(
        cls, *class_args: object, **class_kwargs: object
    ) -> Callable[..., object]:
        """Return the route handler for this view.

        The handler is a plain (not ``async``) function ``handler(request,
        **route_params)``. Per request it builds ``cls(*class_args, **class_kwargs)``
        and returns what the view method returns: a response, or the un-awaited
        coroutine of an ``async`` method, which the caller awaits.

        The handler carries ``view_class`` (this class), ``view_methods`` (as
        :meth:`allowed_methods`) and the class's ``__name__``, ``__qualname__``,
        ``__module__`` and ``__doc__``, set again after ``decorators`` are applied.

        Args:
            *class_args: Passed to the constructor on every request.
            **class_kwargs: Passed to the constructor on every request.

        Returns:
            The handler, decorated by ``cls.decorators`` (first one innermost).
        """
        table = cls._scanned()
        allowed = frozenset(table)
        lookup = table.get

        if cls.dispatch_request is not HTTPMethodView.dispatch_request:

            def view(request: RequestLike, *args: object, **kwargs: object) -> object:
                self = cls(*class_args, **class_kwargs)
                return self.dispatch_request(request, *args, **kwargs)

        else:

            def view(request: RequestLike, *args: object, **kwargs: object) -> object:
                func = lookup(request.method)
                if func is None:
                    method_not_allowed(request, allowed)
                return func(cls(*class_args, **class_kwargs), request, *args, **kwargs)

        handler: Callable[..., object] = view
        _label(handler, cls, allowed)
        for decorator in cls.decorators:
            handler = decorator(handler)
        _label(handler, cls, allowed)
        return handler
