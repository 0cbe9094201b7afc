"""Static files: content types, HEAD, 304, ranges, the 0.4.1/18.12 keywords and no
way out of the root."""

from __future__ import annotations

import os
from email.utils import formatdate

import pytest

from sanic import Sanic

WHOLE = bytes(range(256)) * 1024
# Above sanic-http's 256 KiB threshold, so file() streams it.
BIG = bytes(range(251)) * 1500


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (root / "index.html").write_text("<h1>home</h1>")
    (root / "data.bin").write_bytes(WHOLE)
    (root / "big.bin").write_bytes(BIG)
    (root / "sub").mkdir()
    (root / "sub" / "style.css").write_text("body{}")
    (tmp_path / "secret.txt").write_text("top secret")
    (tmp_path / "static-evil").mkdir()
    (tmp_path / "static-evil" / "x.txt").write_text("sibling")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    return tmp_path


@pytest.fixture
def app(tree) -> Sanic:
    app = Sanic(__name__)
    app.static("/static", str(tree / "static"))
    app.static("/the_best.png", str(tree / "static" / "sub" / "style.css"))
    app.static("/ranged", tree / "static", use_content_range=True, name="ranged")
    app.static(
        "/plain",
        tree / "static",
        use_modified_since=False,
        content_type="text/plain",
        name="plain",
    )
    app.static("/css-only", tree / "static", pattern=r".+\.css", name="css")
    app.static("/sub-only", tree / "static", pattern=r"/sub/.*", name="sub")
    return app


def test_files_and_types(serve, app):
    with serve(app) as server:
        page = server.get("/static/index.html")
        css = server.get("/static/sub/style.css")
        single = server.get("/the_best.png")
        data = server.get("/static/data.bin")
    assert page.text == "<h1>home</h1>"
    assert page.headers["Content-Type"].startswith("text/html")
    assert css.headers["Content-Type"].startswith("text/css")
    assert single.text == "body{}"
    assert data.body == bytes(range(256)) * 1024
    assert data.headers["Content-Type"] == "application/octet-stream"


def test_head_and_missing(serve, app):
    with serve(app) as server:
        head = server.request("HEAD", "/static/index.html")
        missing = server.get("/static/nope.txt")
        directory = server.get("/static/sub")
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == str(len("<h1>home</h1>"))
    assert missing.status == 404
    assert directory.status == 404


def test_if_modified_since(serve, app, tree):
    later = formatdate(
        os.stat(tree / "static" / "index.html").st_mtime + 10, usegmt=True
    )
    with serve(app) as server:
        first = server.get("/static/index.html")
        again = server.get(
            "/static/index.html",
            headers={"If-Modified-Since": first.headers["Last-Modified"]},
        )
        future = server.get("/static/index.html", headers={"If-Modified-Since": later})
    assert again.status == 304 and again.body == b""
    assert future.status == 304


@pytest.mark.parametrize(
    ("path", "whole"), [("/ranged/data.bin", WHOLE), ("/ranged/big.bin", BIG)]
)
@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=250-", 250, None),
        ("bytes=-6", -6, None),
        ("bytes=5-999999999", 5, None),
    ],
)
def test_use_content_range_answers_ranges_with_206(
    serve, app, path, whole, header, first, last
):
    start = first % len(whole)
    end = len(whole) - 1 if last is None else last
    with serve(app) as server:
        reply = server.get(path, headers={"Range": header})
    assert reply.status == 206
    assert reply.body == whole[start : end + 1]
    assert reply.headers["Content-Length"] == str(end + 1 - start)
    assert reply.headers["Content-Range"] == f"bytes {start}-{end}/{len(whole)}"
    assert reply.headers["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=-0"])
def test_use_content_range_refuses_unsatisfiable_ranges_with_416(serve, app, header):
    with serve(app) as server:
        reply = server.get("/ranged/data.bin", headers={"Range": header})
    assert reply.status == 416
    assert reply.headers["Content-Range"] == f"bytes */{len(WHOLE)}"
    assert b"Traceback" not in reply.body


@pytest.mark.parametrize("path", ["/ranged/data.bin", "/ranged/big.bin"])
def test_use_content_range_without_range_is_a_full_200(serve, app, path):
    whole = WHOLE if path.endswith("data.bin") else BIG
    with serve(app) as server:
        reply = server.get(path)
        unusable = server.get(path, headers={"Range": "items=0-1"})
    for answer in (reply, unusable):
        assert answer.status == 200
        assert answer.body == whole
        assert answer.headers["Content-Length"] == str(len(whole))
        assert answer.headers["Accept-Ranges"] == "bytes"
        assert "Content-Range" not in answer.headers


@pytest.mark.parametrize("path", ["/static/data.bin", "/static/big.bin"])
def test_ranges_are_ignored_by_default(serve, app, path):
    # Sanic 0.4.1's default: use_content_range=False.
    whole = WHOLE if path.endswith("data.bin") else BIG
    with serve(app) as server:
        reply = server.get(path, headers={"Range": "bytes=0-9"})
        beyond = server.get(path, headers={"Range": "bytes=999999999-"})
    for answer in (reply, beyond):
        assert answer.status == 200
        assert answer.body == whole
        assert answer.headers["Content-Length"] == str(len(whole))
        assert "Content-Range" not in answer.headers
        assert "Accept-Ranges" not in answer.headers


def test_use_modified_since_false_sends_no_last_modified_and_no_304(serve, app, tree):
    later = formatdate(
        os.stat(tree / "static" / "index.html").st_mtime + 10, usegmt=True
    )
    with serve(app) as server:
        plain = server.get("/plain/index.html", headers={"If-Modified-Since": later})
        default = server.get("/static/index.html")
    assert plain.status == 200
    assert plain.text == "<h1>home</h1>"
    assert "Last-Modified" not in plain.headers
    assert "Last-Modified" in default.headers


def test_content_type_overrides_the_guess(serve, app):
    with serve(app) as server:
        reply = server.get("/plain/data.bin")
    assert reply.headers["Content-Type"] == "text/plain"
    assert reply.body == WHOLE


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/css-only/sub/style.css", 200),
        ("/css-only/index.html", 404),
        ("/css-only/data.bin", 404),
        ("/sub-only/sub/style.css", 200),
        ("/sub-only/index.html", 404),
    ],
)
def test_pattern_restricts_the_files_served(serve, app, path, status):
    with serve(app) as server:
        reply = server.get(path)
    assert reply.status == status
    if status == 200:
        assert reply.text == "body{}"


def test_a_bad_pattern_is_refused_at_registration(tree):
    app = Sanic(__name__)
    with pytest.raises(ValueError, match="not a regular expression"):
        app.static("/x", tree / "static", pattern="(")


def test_keywords_may_be_given_by_position_as_in_0_4_1(serve, tree):
    app = Sanic(__name__)
    app.static("/pos", str(tree / "static"), r"/?.+", False, True)
    with serve(app) as server:
        reply = server.get("/pos/data.bin", headers={"Range": "bytes=1-2"})
    assert reply.status == 206 and reply.body == WHOLE[1:3]
    assert "Last-Modified" not in reply.headers


@pytest.mark.parametrize("stream_large_files", [True, False, 1024, 10**9])
def test_stream_large_files_is_accepted(serve, tree, stream_large_files):
    app = Sanic(__name__)
    app.static("/s", tree / "static", stream_large_files=stream_large_files)
    with serve(app) as server:
        big = server.get("/s/big.bin")
        small = server.get("/s/index.html")
    assert big.body == BIG and big.headers["Content-Length"] == str(len(BIG))
    assert small.text == "<h1>home</h1>"


HEAD_HEADERS = (
    "Content-Type",
    "Content-Length",
    "Content-Range",
    "Accept-Ranges",
    "Last-Modified",
)


def _raw_head(server, path: str, extra: str = "") -> tuple[str, bytes]:
    """HEAD over a raw socket: the head as text and every byte after it."""
    reply = server.raw(
        f"HEAD {path} HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n".encode()
    )
    head, _, rest = reply.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


def _header(head: str, name: str) -> str | None:
    for line in head.split("\r\n")[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None


@pytest.mark.parametrize(
    ("path", "extra", "status", "length", "content_range"),
    [
        ("/ranged/data.bin", "", 200, len(WHOLE), None),
        ("/ranged/big.bin", "", 200, len(BIG), None),
        ("/ranged/data.bin", "Range: bytes=0-9\r\n", 206, 10, "bytes 0-9/262144"),
        (
            "/ranged/big.bin",
            "Range: bytes=-100\r\n",
            206,
            100,
            f"bytes {len(BIG) - 100}-{len(BIG) - 1}/{len(BIG)}",
        ),
        ("/static/data.bin", "Range: bytes=0-9\r\n", 200, len(WHOLE), None),
    ],
)
def test_head_carries_the_get_headers_and_no_body(
    serve, app, path, extra, status, length, content_range
):
    with serve(app) as server:
        head, rest = _raw_head(server, path, extra)
        get = server.get(
            path, headers=dict([extra.strip().split(": ")]) if extra else {}
        )
    assert head.startswith(f"HTTP/1.1 {status} ")
    assert rest == b""
    assert _header(head, "Content-Length") == str(length)
    assert _header(head, "Content-Range") == content_range
    assert get.status == status
    for name in HEAD_HEADERS:
        assert _header(head, name) == get.headers.get(name)


def test_head_unsatisfiable_and_not_modified(serve, app):
    with serve(app) as server:
        modified = server.get("/static/index.html").headers["Last-Modified"]
        refused, refused_rest = _raw_head(
            server, "/ranged/data.bin", "Range: bytes=999999-\r\n"
        )
        fresh, fresh_rest = _raw_head(
            server, "/static/index.html", f"If-Modified-Since: {modified}\r\n"
        )
    assert refused.startswith("HTTP/1.1 416 ") and refused_rest == b""
    assert _header(refused, "Content-Range") == f"bytes */{len(WHOLE)}"
    assert fresh.startswith("HTTP/1.1 304 ") and fresh_rest == b""


@pytest.mark.parametrize(
    "path",
    [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E%2Fsecret.txt",
        "/static/..%2fsecret.txt",
        "/static/%252e%252e/secret.txt",
        "/static/sub/..%5c..%5csecret.txt",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/link.txt",
        "/static/../static-evil/x.txt",
        "/static/index.html%00.txt",
        "/static/%c0%ae%c0%ae/secret.txt",
    ],
)
def test_no_way_out(serve, app, path):
    with serve(app) as server:
        reply = server.raw(
            f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
        )
    status = int(reply.split(b" ", 2)[1])
    assert 400 <= status < 500
    assert b"top secret" not in reply
    assert b"sibling" not in reply
    assert b"root:" not in reply
