"""``sanic.constants``: names code written for Sanic 0.4 imports."""

from __future__ import annotations

__all__ = ["HTTP_METHODS"]

HTTP_METHODS = ("GET", "POST", "PUT", "HEAD", "OPTIONS", "PATCH", "DELETE")
