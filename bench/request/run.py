"""Request-parsing micro-benchmark: sanic-request against Sanic 25.12's Request.

Four workloads, each constructing a request from raw parts as a server would and
then reading what a handler typically reads:

* headers:    12 request headers; read Host, Content-Type, cookies and token
* query:      a 5-field query string; read ``args`` and ``query_args``
* urlencoded: an 8-field ``application/x-www-form-urlencoded`` body; read ``form``
* multipart:  a 3-part ``multipart/form-data`` body (2 fields, one 1 KiB file);
              read ``form`` and ``files``

The same workload code runs twice in one invocation: in this interpreter against
``sanic_request``, and in a child process whose interpreter has Sanic 25.12
installed (only there; it is never imported here). Create that environment once::

    python -m venv /tmp/sanicbench
    /tmp/sanicbench/bin/pip install "sanic==25.12.*"

Usage::

    python bench/request/run.py [--sanic-python /tmp/sanicbench/bin/python]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import timeit
from collections.abc import Callable
from typing import Any

DEFAULT_SANIC_PYTHON = os.environ.get(
    "SANIC_BENCH_PYTHON", "/tmp/sanicbench/bin/python"
)

HEADERS = [
    ("Host", "example.com:8000"),
    ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101"),
    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    ("Accept-Language", "en-US,en;q=0.5"),
    ("Accept-Encoding", "gzip, deflate, br"),
    ("Connection", "keep-alive"),
    ("Cookie", "session=abc123; theme=dark; lang=en"),
    ("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"),
    ("Cache-Control", "no-cache"),
    ("Pragma", "no-cache"),
    ("X-Request-Id", "8f14e45f-ceea-4e7a-9c2b-9d2f6c1a0b7e"),
    ("Content-Type", "text/plain"),
]
QUERY_URL = b"/search?key1=value1&key2=value2&key1=value3&page=2&sort=desc%20order"
FORM_BODY = (
    b"name=J%C3%BCrgen+M&email=j%40example.com&age=42&city=Berlin"
    b"&tags=a&tags=b&agree=on&comment=Hello+world%21"
)
BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
MULTIPART_BODY = (
    (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\n'
        "My holiday pictures\r\n"
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="description"\r\n\r\n'
        "Sun, sea and sand.\r\n"
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="photo"; filename="beach.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    + bytes(range(256)) * 4
    + f"\r\n--{BOUNDARY}--\r\n".encode()
)


def workloads(
    make: Callable[[bytes, list[tuple[str, str]], str, bytes], Any],
) -> dict[str, Callable[[], Any]]:
    """Build the workload callables around ``make(url, headers, method, body)``."""
    form_type = ("Content-Type", "application/x-www-form-urlencoded")
    multi_type = ("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    form_headers = [*HEADERS[:-1], form_type]
    multi_headers = [*HEADERS[:-1], multi_type]

    def headers() -> Any:
        request = make(b"/", HEADERS, "GET", b"")
        return (
            request.host,
            request.content_type,
            request.cookies["session"],
            request.token,
        )

    def query() -> Any:
        request = make(QUERY_URL, HEADERS, "GET", b"")
        return request.args["key1"], request.query_args

    def urlencoded() -> Any:
        request = make(b"/form", form_headers, "POST", FORM_BODY)
        return request.form["tags"]

    def multipart() -> Any:
        request = make(b"/upload", multi_headers, "POST", MULTIPART_BODY)
        return request.form["title"], request.files["photo"][0].body

    return {
        "headers": headers,
        "query": query,
        "urlencoded": urlencoded,
        "multipart": multipart,
    }


def ours() -> Callable[[bytes, list[tuple[str, str]], str, bytes], Any]:
    from multidict import CIMultiDict

    from sanic_request import Request

    def make(
        url: bytes, headers: list[tuple[str, str]], method: str, body: bytes
    ) -> Any:
        request = Request(url, CIMultiDict(headers), "1.1", method)
        request.body = body
        return request

    return make


def sanic() -> Callable[[bytes, list[tuple[str, str]], str, bytes], Any]:
    from sanic import Sanic
    from sanic.compat import Header
    from sanic.request import Request

    app = Sanic("bench")

    def make(
        url: bytes, headers: list[tuple[str, str]], method: str, body: bytes
    ) -> Any:
        request = Request(url, Header(headers), "1.1", method, None, app)  # type: ignore[arg-type]
        request.body = body
        return request

    return make


def measure(make: Callable[..., Any]) -> dict[str, float]:
    """Microseconds per call, best of 7 repeats, for each workload."""
    results = {}
    for name, work in workloads(make).items():
        work()  # warm up (imports, caches)
        number = 5000
        best = min(timeit.repeat(work, number=number, repeat=7))
        results[name] = best / number * 1e6
    return results


def _best(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {name: min(a.get(name, value), value) for name, value in b.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sanic-python", default=DEFAULT_SANIC_PYTHON)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--impl", choices=["ours", "sanic"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.impl:  # child mode: print one implementation's numbers as JSON
        print(json.dumps(measure(ours() if args.impl == "ours" else sanic())))
        return

    # Other processes share the machine: alternate the two implementations
    # over several rounds and keep each workload's best time.
    mine: dict[str, float] = {}
    theirs: dict[str, float] | None = None
    have_sanic = os.path.exists(args.sanic_python)
    if not have_sanic:
        print(f"(no Sanic interpreter at {args.sanic_python}; see the docstring)\n")
    for _ in range(args.rounds):
        mine = _best(mine, measure(ours()))
        if have_sanic:
            child = subprocess.run(
                [args.sanic_python, __file__, "--impl", "sanic"],
                capture_output=True,
                text=True,
                timeout=600,
                check=True,
            )
            theirs = _best(theirs or {}, json.loads(child.stdout))

    print(f"Python {sys.version.split()[0]}, microseconds per request, best of")
    print(f"{args.rounds} rounds x 7 repeats x 5000 calls\n")
    print(f"{'workload':<12}{'sanic-request':>15}{'Sanic 25.12':>13}{'speed-up':>10}")
    for name, value in mine.items():
        if theirs is None:
            print(f"{name:<12}{value:>15.2f}")
            continue
        other = theirs[name]
        print(f"{name:<12}{value:>15.2f}{other:>13.2f}{other / value:>9.2f}x")


if __name__ == "__main__":
    main()
