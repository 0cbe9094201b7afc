"""``sanic.cookies``: response cookies, from sanic-http."""

from __future__ import annotations

from sanic_http import Cookie, CookieJar

__all__ = ["Cookie", "CookieJar"]
