"""``sanic.log``: the framework's loggers.

``sanic.root`` says what the server does (where it listens, how it stops),
``sanic.error`` records failures with tracebacks and ``sanic.access`` has one line
per request when the access log is on.
"""

from __future__ import annotations

import logging
import sys

__all__ = ["access_logger", "configure_logging", "error_logger", "logger"]

logger = logging.getLogger("sanic.root")
error_logger = logging.getLogger("sanic.error")
access_logger = logging.getLogger("sanic.access")


def configure_logging(debug: bool = False) -> None:
    """Send the framework's logs to stderr unless the user configured logging."""
    root = logging.getLogger("sanic")
    if root.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
