"""The optional accelerators sanic-http uses, decided once at import.

Switches follow the one rule of ``sanic_request._compat.env_flag`` (``1``,
``true``, ``yes``, ``on`` set one; unset, ``0``, ``false``, ``no``, ``off`` do
not; anything else warns and counts as set):

* ``SANIC_NO_UVLOOP``: :data:`uvloop` is ``None`` and servers run on asyncio.
* ``SANIC_NO_ORJSON``: read by sanic-request, whose decision :data:`orjson` is,
  so the response encoder uses orjson exactly when the request decoder does.
"""

from __future__ import annotations

from types import ModuleType

from sanic_request._compat import env_flag, optional_module, orjson

__all__ = ["env_flag", "orjson", "uvloop"]

#: The uvloop module, or ``None`` (switched off, not installed, or unsupported).
uvloop: ModuleType | None = optional_module("uvloop", "SANIC_NO_UVLOOP")
