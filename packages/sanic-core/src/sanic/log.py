"""``sanic.log``: the framework's loggers and their default configuration.

``sanic.root`` says what the server does (where it listens, how it stops),
``sanic.error`` records failures with tracebacks and ``sanic.access`` has one line
per request when the access log is on. ``log`` is the name Sanic 0.4 code imports
for the first of them. The logger objects are sanic-http's (``sanic_http.log``),
created once there.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from sanic_http.log import access_logger, error_logger, logger

__all__ = [
    "LOGGING_CONFIG_DEFAULTS",
    "access_logger",
    "configure_logging",
    "error_logger",
    "log",
    "logger",
]

log = logger

#: The ``logging.config.dictConfig`` schema the server applies when the program
#: has configured no logging of its own: every ``sanic.*`` logger goes to stderr
#: at INFO. Copy it, change it, and apply it yourself to log elsewhere.
LOGGING_CONFIG_DEFAULTS: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "generic": {
            "format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "sanic": {"level": "INFO", "handlers": ["console"]},
    },
}


def configure_logging(debug: bool = False) -> None:
    """Send the ``sanic.*`` logs to stderr as ``LOGGING_CONFIG_DEFAULTS`` says,
    unless the program configured logging itself.

    Only the ``sanic`` logger is touched (``dictConfig`` would close every other
    handler of the process).

    Args:
        debug: Log at DEBUG instead of INFO.
    """
    root = logging.getLogger("sanic")
    if root.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    formats = LOGGING_CONFIG_DEFAULTS["formatters"]
    handler.setFormatter(logging.Formatter(formats["generic"]["format"]))
    root.addHandler(handler)
    root.setLevel(
        logging.DEBUG if debug else LOGGING_CONFIG_DEFAULTS["loggers"]["sanic"]["level"]
    )
