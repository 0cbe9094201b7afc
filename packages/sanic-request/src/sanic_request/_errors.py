"""The one error this package raises for input it cannot parse.

Hierarchy::

    ValueError
     └── RequestParseError   status 400 (malformed input) or 413 (a limit exceeded)

It subclasses ``ValueError`` because the guide documents that ``strict_parsing``
raises a ``ValueError``. A framework turns it into its own HTTP exception through
:meth:`sanic_request.Request.parse_error`; this package never imports one.
"""

from __future__ import annotations

__all__ = ["RequestParseError"]


class RequestParseError(ValueError):
    """Raised when part of a request (query, form, multipart, JSON) is unusable.

    Attributes:
        message: A human-readable explanation, safe to show to the client.
        status: The HTTP status the failure suggests: 400 for malformed input,
            413 when a size or count limit was exceeded.
    """

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __repr__(self) -> str:
        return f"RequestParseError({self.message!r}, status={self.status})"
