"""A bare ASGI application, the ceiling: ``uvicorn bare_app:app``.

No framework: the path picks one of two prepared answers (``GET /`` and ``GET
/json`` with the bodies of bench/http/spec.py), anything else is 404.
"""

from __future__ import annotations

import json
from typing import Any

from spec import JSON_BODY, TEXT_BODY

_TEXT = TEXT_BODY.encode()
_JSON = json.dumps(JSON_BODY, separators=(",", ":")).encode()
_ANSWERS = {
    "/": (b"text/plain; charset=utf-8", _TEXT),
    "/json": (b"application/json", _JSON),
}


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    answer = _ANSWERS.get(scope["path"])
    if answer is None:
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    content_type, body = answer
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
