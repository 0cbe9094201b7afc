"""The framework's loggers, created here once and shared by every package above.

``logger`` (``sanic.root``) says what the server does (where it listens, how it
stops), ``error_logger`` (``sanic.error``) records failures with tracebacks and
``access_logger`` (``sanic.access``) has one line per request when the access log is
on. ``sanic.log`` re-exports these objects; configure them through the standard
``logging`` module by name.
"""

from __future__ import annotations

import logging

__all__ = ["access_logger", "error_logger", "logger"]

logger = logging.getLogger("sanic.root")
error_logger = logging.getLogger("sanic.error")
access_logger = logging.getLogger("sanic.access")
