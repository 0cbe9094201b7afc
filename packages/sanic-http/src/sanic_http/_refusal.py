"""How the protocol refuses a request when nothing better is available.

Parser callbacks raise :class:`Refused` to stop parsing with an HTTP error; the
protocol answers that error through the application's error handler, and falls
back to :func:`error_bytes` when the error handler itself fails.
"""

from __future__ import annotations

from ._exceptions import STATUS_CODES, SanicException, error_text

__all__ = ["Refused", "error_bytes"]


class Refused(Exception):
    """Raised inside a parser callback to refuse the request.

    Args:
        exception: The HTTP error to answer with.
    """

    def __init__(self, exception: SanicException) -> None:
        super().__init__(exception)
        self.exception = exception


def error_bytes(exception: BaseException, *, include_body: bool = True) -> bytes:
    """Return a minimal plain-text response for ``exception`` that closes.

    Used only when the error handler fails, so it depends on nothing but the
    status code: no templates, no headers from the exception. The body is the
    default error text with the reason phrase, ``Error: Bad Request``.

    Args:
        exception: The error; its ``status_code`` is used when it has one.
        include_body: ``False`` for a HEAD request.

    Returns:
        The bytes of an HTTP/1.1 response with ``Connection: close``.
    """
    status = getattr(exception, "status_code", 500)
    if not isinstance(status, int) or not 100 <= status <= 599:
        status = 500
    reason = STATUS_CODES.get(status, b"Error")
    body = error_text(reason.decode("latin-1")).encode("latin-1")
    head = (
        b"HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % (status, reason, len(body))
    )
    return head + body if include_body else head
