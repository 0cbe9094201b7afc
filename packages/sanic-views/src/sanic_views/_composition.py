"""``CompositionView``: a view assembled from separate handler functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sanic_http import InvalidUsage

from ._http_methods import HTTP_METHODS, RequestLike, method_not_allowed, with_head
from ._stream import is_stream
from ._stream import stream as mark_stream


class CompositionView:
    """A view built by adding one handler per HTTP method.

    Example::

        view = CompositionView()
        view.add(["GET"], get_handler)
        view.add(["POST", "PUT"], lambda request: text("I am a post/put method"))
        app.add_route(view, "/", name="things")

    The view itself is the route handler: ``view(request, *args, **kwargs)`` calls the
    handler for ``request.method`` with the same arguments and returns what it returns
    (a response, or the un-awaited coroutine of an ``async`` handler). ``HEAD`` is
    answered by the ``GET`` handler unless one was added for ``HEAD``.

    Attributes:
        handlers: Upper-case method name to the handler added for it, exactly as
            added (no implicit ``HEAD``).
    """

    def __init__(self) -> None:
        """Create an empty view; it answers 405 until a handler is added."""
        self.handlers: dict[str, Callable[..., object]] = {}

    def add(
        self,
        methods: Iterable[str],
        handler: Callable[..., object],
        stream: bool = False,
    ) -> None:
        """Route ``methods`` to ``handler``.

        Either every method is added or, on error, none is.

        Args:
            methods: Names from ``HTTP_METHODS`` such as ``["GET", "POST"]``; case
                is ignored.
            handler: Called as ``handler(request, *args, **kwargs)``; sync or async.
            stream: Mark ``handler`` with :func:`~sanic_views.stream`, as the
                decorator would (Sanic 18.12's keyword).

        Raises:
            TypeError: ``methods`` is a single string (write ``["GET"]``), or
                ``handler`` is not callable.
            InvalidUsage: A method is not one of ``HTTP_METHODS``, ``methods`` is
                empty, or a method already has a handler in this view (a 400
                ``SanicException``, as in Sanic 0.4).
        """
        if isinstance(methods, (str, bytes)):
            raise TypeError(f"methods must be a list of names, not {methods!r}")
        if not callable(handler):
            raise TypeError(f"handler must be callable, not {handler!r}")
        names: list[str] = []
        for method in methods:
            name = method.upper() if isinstance(method, str) else method
            if name not in HTTP_METHODS:
                raise InvalidUsage(f"{method!r} is not a valid HTTP method")
            if name in self.handlers or name in names:
                raise InvalidUsage(f"Method {name} is already registered")
            names.append(name)
        if not names:
            raise InvalidUsage("add() needs at least one method")
        if stream:
            mark_stream(handler)
        for name in names:
            self.handlers[name] = handler

    #: The name the guide's prose uses for :meth:`add`.
    add_method = add

    def allowed_methods(self) -> frozenset[str]:
        """Return the upper-case methods this view answers (what a route registers)."""
        return frozenset(with_head(self.handlers))

    def stream_methods(self) -> frozenset[str]:
        """Return the methods whose handler is marked with :func:`stream`.

        ``HEAD`` follows the ``GET`` handler unless one was added for ``HEAD``.
        Read once per route, by the framework at startup.
        """
        handlers = with_head(self.handlers)
        return frozenset(name for name, func in handlers.items() if is_stream(func))

    @property
    def view_methods(self) -> frozenset[str]:
        """As :meth:`allowed_methods`; named as on ``HTTPMethodView`` handlers."""
        return self.allowed_methods()

    def __call__(self, request: RequestLike, *args: object, **kwargs: object) -> object:
        """Call the handler for ``request.method`` and return what it returns.

        Raises:
            MethodNotSupported: No handler for the method; ``Allow`` lists those added.
        """
        handler = self.handlers.get(request.method)
        if handler is None:
            # The rare path: implicit HEAD, or a 405.
            handlers = with_head(self.handlers)
            handler = handlers.get(request.method)
            if handler is None:
                method_not_allowed(request, handlers)
        return handler(request, *args, **kwargs)

    def __repr__(self) -> str:
        return f"<CompositionView {sorted(self.handlers)}>"
