"""Building URLs for routes (``url_for``): path, query string, fragment, origin."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode

from ._errors import BuildError
from ._route import Route
from ._table import SEGMENT_SAFE

__all__ = ["build_url"]

# RFC 3986 section 3.5: a fragment may also hold "/" and "?" unencoded.
_FRAGMENT_SAFE = SEGMENT_SAFE + "/?"


def build_url(
    route: Route,
    name: str,
    params: Mapping[str, object],
    anchor: str | None = None,
    external: bool = False,
    scheme: str | None = None,
    server: str | None = None,
) -> str:
    """Build a URL for a route from parameter values.

    Args:
        route: The route to build for.
        name: The name it was asked for by (only used in error messages).
        params: Values for the template's parameters; every other entry becomes
            a query-string argument (a list or tuple becomes a repeated key).
        anchor: The fragment, without ``#``.
        external: Prefix ``//server`` (or ``scheme://server``) when a server is
            known: ``server``, else the route's first host. Without one the URL
            stays relative, exactly as if ``external`` were False.
        scheme: The scheme for an external URL; only valid with ``external``.
        server: The authority (``host`` or ``host:port``) for an external URL,
            or ``scheme://host[:port]``, whose scheme applies unless ``scheme``
            is given.

    Returns:
        The URL, percent-encoded.

    Raises:
        BuildError: A parameter is missing or does not fit its converter, or a
            scheme is given without ``external``.
    """
    if scheme and not external:
        raise BuildError(
            f"url_for({name!r}): _scheme requires _external=True", name, None
        )
    parts = [_path(route, name, params)]
    query = [
        (key, item)
        for key, value in params.items()
        if key not in route.parameters
        for item in (value if isinstance(value, (list, tuple)) else (value,))
    ]
    if query:
        parts.append("?" + urlencode(query))
    if anchor is not None:
        parts.append("#" + quote(str(anchor), safe=_FRAGMENT_SAFE))
    if external:
        authority = server or (route.hosts[0] if route.hosts else None)
        if authority:
            # A server given with a scheme (http://example.com:8000) supplies it
            # unless _scheme says otherwise.
            given, sep, rest = authority.partition("://")
            if sep:
                scheme, authority = scheme or given, rest
            authority = authority.rstrip("/")
            parts.insert(0, f"{scheme}://{authority}" if scheme else f"//{authority}")
    return "".join(parts)


def _path(route: Route, name: str, params: Mapping[str, object]) -> str:
    pieces: list[str] = []
    for segment in route.segments:
        if isinstance(segment, str):
            pieces.append(quote(segment, safe=SEGMENT_SAFE))
            continue
        if segment.name not in params:
            raise BuildError(
                f"url_for({name!r}): missing parameter {segment.name!r}"
                f" for {route.path!r}",
                name,
                segment.name,
            )
        converter = segment.converter
        try:
            text = converter.to_url(params[segment.name])
        except ValueError as exc:
            raise BuildError(
                f"url_for({name!r}): parameter {segment.name!r} does not fit"
                f" <{segment.name}:{converter.name}>: {exc}",
                name,
                segment.name,
            ) from None
        if converter.slashes:
            encoded = quote(text, safe=SEGMENT_SAFE + "/")
            # A final "/" would read as a trailing slash, not as part of the value.
            if encoded.endswith("/"):
                encoded = encoded[:-1] + "%2F"
            pieces.append(encoded)
        else:
            pieces.append(quote(text, safe=SEGMENT_SAFE))
    path = "/" + "/".join(pieces)
    if route.trailing:
        path += "/"
    return path
