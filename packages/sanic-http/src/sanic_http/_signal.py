"""The shutdown flag shared by a server and its connections."""

from __future__ import annotations

__all__ = ["Signal"]


class Signal:
    """Tells connections that the server is shutting down.

    ``serve()`` sets ``stopped`` to ``True`` on SIGINT or SIGTERM (or when its loop
    stops); connections then stop keeping themselves alive after their current
    response, as the guide's "Custom Protocols" section describes.

    Attributes:
        stopped: ``True`` once shutdown has begun.
    """

    __slots__ = ("stopped",)

    def __init__(self) -> None:
        self.stopped = False

    def __repr__(self) -> str:
        return f"Signal(stopped={self.stopped})"
