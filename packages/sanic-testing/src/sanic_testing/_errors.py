"""The one error a test sees when a client cannot complete an exchange.

Whatever went wrong on the way (the connection refused or dropped, a timeout,
too many redirects, a streamed body that broke off), the test gets a
``SanicTestClientError`` naming the request, with the original exception as its
``__cause__``. An HTTP error status is not an exception: it is a response.
"""

from __future__ import annotations

__all__ = ["SanicTestClientError"]


class SanicTestClientError(RuntimeError):
    """A test request could not be completed.

    Args:
        method: The request method.
        url: The URL (or path) the request was sent to.
        reason: What went wrong, in a few words.

    Attributes:
        method: The request method.
        url: The URL (or path) the request was sent to.
    """

    def __init__(self, method: str, url: str, reason: str) -> None:
        super().__init__(f"{method} {url} failed: {reason}")
        self.method = method
        self.url = url
