"""Static files: content types, HEAD, 304, ranges and no way out of the root."""

from __future__ import annotations

import os
from email.utils import formatdate

import pytest

from sanic import Sanic


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (root / "index.html").write_text("<h1>home</h1>")
    (root / "data.bin").write_bytes(bytes(range(256)) * 1024)
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
    ("header", "status", "piece"),
    [
        ("bytes=0-9", 206, slice(0, 10)),
        ("bytes=250-", 206, slice(250, None)),
        ("bytes=-6", 206, slice(-6, None)),
        ("bytes=999999-", 416, None),
    ],
)
def test_ranges(serve, app, header, status, piece):
    whole = bytes(range(256)) * 1024
    with serve(app) as server:
        reply = server.get("/static/data.bin", headers={"Range": header})
    assert reply.status == status
    if piece is not None:
        assert reply.body == whole[piece]
        assert reply.headers["Content-Range"].endswith(f"/{len(whole)}")


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
