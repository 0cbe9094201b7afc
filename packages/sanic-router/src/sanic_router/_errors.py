"""The router's errors: plain data about routing decisions, never HTTP.

The whole hierarchy::

    RouterError                  base; also raised for invalid templates and misuse
    ├── ParameterNameConflicts   a template repeats a parameter name
    ├── NotFound                 no route matches the path (for this host)
    ├── MethodNotAllowed         the path matches, the method does not (.allowed)
    ├── RouteExists              a (host, path, method) is registered twice
    ├── RouteDoesNotExist        remove() found no route with that template
    └── BuildError               url_for cannot build a URL (.name, .parameter)

A web framework translates these into its own HTTP exceptions (404, 405, 500);
the router itself knows nothing about status codes or responses.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "BuildError",
    "MethodNotAllowed",
    "NotFound",
    "ParameterNameConflicts",
    "RouteDoesNotExist",
    "RouteExists",
    "RouterError",
]


class RouterError(Exception):
    """Base class of every error the router raises.

    Also raised directly for an invalid route template (a parameter that does not
    fill its segment, an invalid pattern) and for misuse such as ``add()`` after
    ``finalize()``.

    Attributes:
        message: The human-readable explanation.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self._message = message

    @property
    def message(self) -> str:
        """The human-readable explanation."""
        return self._message

    def __str__(self) -> str:
        return self.message


class ParameterNameConflicts(RouterError):
    """A route template names the same parameter twice.

    Attributes:
        path: The template.
        name: The repeated parameter name.
    """

    def __init__(self, path: str, name: str) -> None:
        super().__init__(f"in {path!r}: parameter {name!r} repeats")
        self.path = path
        self.name = name


class NotFound(RouterError):
    """No route matches the requested path.

    Attributes:
        path: The request path as given to ``Router.get``.
        method: The request method.
        host: The Host header value as given, or None.
    """

    def __init__(self, path: str, method: str, host: str | None = None) -> None:
        # Misses are common (scanners, typos): the message is built only if read.
        self.path = path
        self.method = method
        self.host = host

    @property
    def message(self) -> str:
        """The human-readable explanation."""
        return f"no route matches {self.path!r}"


class MethodNotAllowed(RouterError):
    """The path matches at least one route, but none accepts the method.

    Attributes:
        path: The request path as given to ``Router.get``.
        method: The request method that was refused.
        host: The Host header value as given, or None.
        allowed: Every method the matching routes accept (HEAD included wherever
            GET is), ready for an ``Allow`` header (RFC 9110, section 15.5.6).
    """

    def __init__(
        self,
        path: str,
        method: str,
        allowed: frozenset[str],
        host: str | None = None,
    ) -> None:
        super().__init__(
            f"method {method!r} not allowed for {path!r};"
            f" allowed: {', '.join(sorted(allowed))}"
        )
        self.path = path
        self.method = method
        self.allowed = allowed
        self.host = host


class RouteExists(RouterError):
    """A route with the same host, path shape and method is already registered.

    Attributes:
        path: The template being registered.
        method: The method both routes claim.
        host: The host both routes are bound to, or None for the default.
    """

    def __init__(self, path: str, method: str, host: str | None) -> None:
        where = f" on host {host!r}" if host is not None else ""
        super().__init__(f"route already registered: {method} {path}{where}")
        self.path = path
        self.method = method
        self.host = host


class RouteDoesNotExist(RouterError):
    """``Router.remove`` found no route with the template (on that host).

    Attributes:
        path: The template given to ``remove``.
        host: The host given, or None for the default routes.
    """

    def __init__(self, path: str, host: str | Sequence[str] | None = None) -> None:
        where = f" on host {host!r}" if host is not None else ""
        super().__init__(f"no route registered for {path}{where}")
        self.path = path
        self.host = host


class BuildError(RouterError):
    """``url_for`` could not build a URL.

    Attributes:
        name: The route name asked for.
        parameter: The missing or mistyped parameter, or None when the problem is
            not about one parameter (an unknown name, ``_scheme`` without
            ``_external``).
    """

    def __init__(self, message: str, name: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.parameter = parameter
