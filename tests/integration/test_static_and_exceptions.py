"""Static Files and Exceptions."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# The smallest valid PNG: signature, IHDR (1x1 greyscale), IDAT, IEND.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a49444154789c63600000000200015e2fe2e80000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def static(launch, tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    (site / "static" / "css").mkdir(parents=True)
    (site / "static" / "index.html").write_text("<h1>static</h1>")
    (site / "static" / "css" / "site.css").write_text("body { color: red }")
    (site / "secret.txt").write_text("outside the static folder")
    best = site / "test.png"
    best.write_bytes(PNG)
    # ./static is relative to the working directory, as the guide's comment says.
    return launch("static_files.py", cwd=site, env={"BEST_PNG": str(best)})


def test_directory_files_are_served_with_their_type(static):
    reply = static.get("/static/index.html")
    assert (reply.status, reply.text) == (200, "<h1>static</h1>")
    assert reply.headers["Content-Type"].startswith("text/html")
    reply = static.get("/static/css/site.css")
    assert reply.text == "body { color: red }"
    assert reply.headers["Content-Type"].startswith("text/css")


def test_single_file_is_served_at_its_url(static):
    reply = static.get("/the_best.png")
    assert reply.status == 200
    assert reply.body == PNG
    assert reply.headers["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "path",
    ["/static/missing.txt", "/static/../secret.txt", "/static/%2e%2e/secret.txt"],
)
def test_missing_and_escaping_paths_are_404(static, path):
    reply = static.get(path)
    assert reply.status == 404
    assert b"outside the static folder" not in reply.body


def test_examples_static_folder_serves_from_the_examples_directory(launch):
    example = launch("static_files.py", cwd=EXAMPLES)
    reply = example.get("/static/hello.txt")
    assert (reply.status, reply.text) == (200, "Hello from a static file.\n")


@pytest.fixture(scope="module")
def exceptions(example):
    return example("exceptions.py")


def test_thrown_server_error_is_a_500_with_its_message(exceptions):
    reply = exceptions.get("/killme")
    assert reply.status == 500
    assert "Something bad happened" in reply.text


def test_not_found_handler_replaces_the_404(exceptions):
    reply = exceptions.get("/nowhere?x=1")
    assert reply.status == 200
    assert reply.text == (
        f"Yep, I totally found the page: http://127.0.0.1:{exceptions.port}/nowhere?x=1"
    )
