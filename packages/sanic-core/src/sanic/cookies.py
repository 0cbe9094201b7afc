"""``sanic.cookies``: response cookies, from sanic-http, and ``MultiHeader``."""

from __future__ import annotations

from sanic_http import Cookie, CookieJar

__all__ = ["Cookie", "CookieJar", "MultiHeader"]


class MultiHeader(str):
    """A header name that may appear more than once in a ``dict`` of headers.

    A plain dictionary holds one value per key, so it cannot give a response two
    ``Link`` or ``Set-Cookie`` fields. Each ``MultiHeader`` is a key of its own
    (equal only to itself), and every one becomes its own header line::

        headers = {MultiHeader("Link"): "</a.css>", MultiHeader("Link"): "</b.js>"}
        return text("two links", headers=headers)

    It is the name itself everywhere else: a ``str``, whose ``encode()`` gives the
    name as bytes (Sanic 0.4 used it as the key of repeated headers). The
    response's ``headers`` mapping takes repeated fields directly
    (``response.headers.add(name, value)``).
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    __hash__ = object.__hash__
