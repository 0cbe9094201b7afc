"""file(), file_stream() and byte ranges."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path
from typing import BinaryIO

import pytest
from sanic_test_helpers import parse_response as parse

from sanic_http import (
    ByteRange,
    ContentRangeError,
    FileNotFound,
    HTTPResponse,
    InvalidRangeType,
    StreamingHTTPResponse,
    _file,
    file,
    file_stream,
    parse_range,
)


async def _wire(response: HTTPResponse, **kwargs: object) -> bytes:
    pieces: list[bytes] = []
    await response.send(pieces.append, **kwargs)  # type: ignore[arg-type]
    return b"".join(pieces)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_bytes(b"<h1>hello</h1>")
    return path


@pytest.fixture
def big(tmp_path: Path) -> Path:
    path = tmp_path / "blob.bin"
    path.write_bytes(os.urandom(300_000))
    return path


def test_small_file_is_read_whole_with_guessed_type(small: Path) -> None:
    response = asyncio.run(file(small))
    assert type(response) is HTTPResponse
    parsed = parse(response.output())
    assert parsed.get("Content-Type") == "text/html"
    assert parsed.body == b"<h1>hello</h1>"


def test_unknown_extension_and_explicit_mime(tmp_path: Path) -> None:
    path = tmp_path / "data.weird-ext"
    path.write_bytes(b"x")
    assert asyncio.run(file(path)).content_type == "application/octet-stream"
    assert asyncio.run(file(path, mime_type="text/x")).content_type == "text/x"
    assert asyncio.run(file(str(path), headers={"X-A": "1"})).headers["X-A"] == "1"


def test_big_file_is_streamed_with_a_length(big: Path) -> None:
    response = asyncio.run(file(big))
    assert isinstance(response, StreamingHTTPResponse)
    assert response.content_length == 300_000
    parsed = parse(asyncio.run(_wire(response)))
    assert parsed.get("Content-Length") == "300000"
    assert parsed.get("Transfer-Encoding") is None
    assert parsed.body == big.read_bytes()


def test_stream_threshold_is_configurable(small: Path) -> None:
    response = asyncio.run(file(small, stream_threshold=4))
    assert isinstance(response, StreamingHTTPResponse)
    assert parse(asyncio.run(_wire(response))).body == b"<h1>hello</h1>"


def test_file_stream_chunks(big: Path) -> None:
    sizes: list[int] = []

    async def main() -> bytes:
        response = await file_stream(big, chunk_size=100_000)
        pieces: list[bytes] = []

        def write(data: bytes) -> None:
            pieces.append(data)
            sizes.append(len(data))

        await response.send(write)
        return b"".join(pieces)

    parsed = parse(asyncio.run(main()))
    assert parsed.body == big.read_bytes()
    assert sizes[1:] == [100_000, 100_000, 100_000]


def test_filename_sets_content_disposition(small: Path) -> None:
    response = asyncio.run(file(small, filename='ré"port.html'))
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"r__port.html\"; filename*=UTF-8''r%C3%A9%22port.html"
    )
    parse(response.output())


def test_range_of_small_and_big_files(small: Path, big: Path) -> None:
    response = asyncio.run(file(small, _range=ByteRange(4, 8, 14)))
    parsed = parse(response.output())
    assert parsed.status == 206
    assert parsed.get("Content-Range") == "bytes 4-8/14"
    assert parsed.body == b"hello"
    response = asyncio.run(file_stream(big, _range=ByteRange(1000, 299_999, 300_000)))
    parsed = parse(asyncio.run(_wire(response)))
    assert (parsed.status, parsed.get("Content-Length")) == (206, "299000")
    assert parsed.body == big.read_bytes()[1000:]


def test_range_end_is_clamped_and_bad_range_refused(small: Path) -> None:
    response = asyncio.run(file(small, _range=ByteRange(10, 99, 14)))
    assert response.body == b"/h1>"
    with pytest.raises(ContentRangeError) as caught:
        asyncio.run(file(small, _range=ByteRange(20, 30, 14)))
    assert caught.value.headers == {"Content-Range": "bytes */14"}


def test_missing_file_and_directory_are_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFound):
        asyncio.run(file(tmp_path / "nope.txt"))
    with pytest.raises(FileNotFound):
        asyncio.run(file_stream(tmp_path))
    with pytest.raises(FileNotFound):
        asyncio.run(file(tmp_path / "nope" / "deeper.txt"))


def test_file_shrinking_while_streamed_is_reported(big: Path) -> None:
    async def main() -> None:
        response = await file_stream(big)
        big.write_bytes(b"short")
        await response.send(lambda data: None)

    with pytest.raises(RuntimeError):
        asyncio.run(main())


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", (0, 99)),
        ("bytes=10-", (10, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=990-2000", (990, 999)),
        ("BYTES = 5-5", (5, 5)),
    ],
)
def test_parse_range(header: str, expected: tuple[int, int]) -> None:
    parsed = parse_range(header, 1000)
    assert parsed is not None
    assert (parsed.start, parsed.end, parsed.total) == (*expected, 1000)
    assert parsed.size == expected[1] - expected[0] + 1
    assert parsed.content_range() == f"bytes {expected[0]}-{expected[1]}/1000"


def test_multiple_ranges_are_ignored() -> None:
    assert parse_range("bytes=0-1,5-6", 1000) is None


@pytest.mark.parametrize(
    "header", ["items=0-1", "bytes", "bytes=-", "bytes=a-b", "bytes=5-1"]
)
def test_malformed_range(header: str) -> None:
    with pytest.raises(InvalidRangeType):
        parse_range(header, 1000)


@pytest.mark.parametrize(
    ("header", "total"), [("bytes=1000-", 1000), ("bytes=-0", 10), ("bytes=-5", 0)]
)
def test_unsatisfiable_range(header: str, total: int) -> None:
    with pytest.raises(ContentRangeError) as caught:
        parse_range(header, total)
    assert caught.value.status_code == 416
    assert caught.value.headers == {"Content-Range": f"bytes */{total}"}


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-", "bytes=5000-6000"])
def test_a_start_past_the_end_is_unsatisfiable_not_malformed(header: str) -> None:
    with pytest.raises(ContentRangeError) as caught:
        parse_range(header, 1000)
    assert not isinstance(caught.value, InvalidRangeType)


def test_a_stream_cancelled_while_opening_closes_the_file(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client gone (or a shutdown) while the worker thread opens the file."""
    entered, release = threading.Event(), threading.Event()
    opened: list[BinaryIO] = []
    real_open_at = _file._open_at

    def slow_open_at(path: str, start: int) -> BinaryIO:
        entered.set()
        release.wait(10)
        handle = real_open_at(path, start)
        opened.append(handle)
        return handle

    monkeypatch.setattr(_file, "_open_at", slow_open_at)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        response = await file_stream(big)
        sending = asyncio.ensure_future(response.send(lambda data: None))
        assert await loop.run_in_executor(None, entered.wait, 10)
        sending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sending
        release.set()
        for _ in range(1000):  # bounded: the thread finishes, then its callback runs
            if opened and opened[0].closed:
                return
            await asyncio.sleep(0.005)

    asyncio.run(main())
    assert len(opened) == 1 and opened[0].closed
