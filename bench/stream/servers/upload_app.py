"""The streamed-upload route every server of bench/stream serves (Sanic's API).

Standard library only: both server scripts import it from their own virtualenvs
(a script's own folder is on ``sys.path``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_SIZE", "add_upload_routes"]

# Far above any upload the benchmark sends: the body-size limit never answers 413.
MAX_SIZE = 1 << 40


def add_upload_routes(app: Any, text: Any) -> None:
    """Register ``GET /`` (readiness) and the streaming ``POST /upload``.

    The upload handler reads the body chunk by chunk as it arrives and answers
    the number of bytes it counted; it never holds more than one chunk.

    Args:
        app: The application (this framework's or Sanic 25.12's).
        text: Its ``response.text``.
    """
    app.config.REQUEST_MAX_SIZE = MAX_SIZE

    async def index(request: Any) -> Any:
        return text("ok")

    async def upload(request: Any) -> Any:
        size = 0
        while (chunk := await request.stream.read()) is not None:
            size += len(chunk)
        return text(str(size))

    app.add_route(index, "/", methods=["GET"])
    app.add_route(upload, "/upload", methods=["POST"], stream=True)
