"""The optional libraries sanic-core uses, decided once at import.

Switches follow the one rule of ``sanic_request._compat.env_flag`` (``1``,
``true``, ``yes``, ``on`` set one; unset, ``0``, ``false``, ``no``, ``off`` do
not; anything else warns and counts as set):

* ``SANIC_NO_WATCHFILES``: :data:`watchfiles` is ``None`` and
  ``app.run(auto_reload=True)`` polls the source files' modification times
  instead of asking watchfiles for changes.

Only ``sanic._reload`` imports this module, so an app that does not reload never
imports watchfiles.
"""

from __future__ import annotations

from types import ModuleType

from sanic_request._compat import optional_module

__all__ = ["watchfiles"]

#: The watchfiles module (the ``reload`` extra), or ``None`` (switched off or
#: not installed).
watchfiles: ModuleType | None = optional_module("watchfiles", "SANIC_NO_WATCHFILES")
