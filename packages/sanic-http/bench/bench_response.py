"""Time building and serialising responses (the per-request value-type work).

Run: ``.venv/bin/python packages/sanic-http/bench/bench_response.py``
"""

from __future__ import annotations

import timeit
from collections.abc import Callable

from sanic_http import json, text


def _text() -> bytes:
    return text("Hello, world!").output("1.1", True, 5)


def _text_with_headers() -> bytes:
    response = text("Hello, world!", headers={"X-Request-Id": "abc"})
    response.headers["Server"] = "Fake-Server"
    response.headers["x-xss-protection"] = "1; mode=block"
    return response.output("1.1", True, 5)


def _json() -> bytes:
    return json({"hello": "world", "numbers": [1, 2, 3]}).output("1.1", True, 5)


def _cookie() -> bytes:
    response = text("x")
    response.cookies["session"] = "abc123"
    response.cookies["session"]["httponly"] = True
    return response.output("1.1", True, 5)


CASES: dict[str, Callable[[], bytes]] = {
    "text().output()": _text,
    "text() + 3 headers .output()": _text_with_headers,
    "json().output()": _json,
    "text() + cookie .output()": _cookie,
}


def main() -> None:
    for name, case in CASES.items():
        number = 100_000
        best = min(timeit.repeat(case, number=number, repeat=5))
        print(f"{name:32s} {best / number * 1e9:8.0f} ns")


if __name__ == "__main__":
    main()
