"""Parse serialised responses back, with httptools and by hand, for assertions."""

from __future__ import annotations

from dataclasses import dataclass, field

import httptools


@dataclass
class Parsed:
    """A response read back from bytes."""

    version: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    complete: bool = False
    chunks: list[bytes] = field(default_factory=list)

    def get_all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def get(self, name: str) -> str | None:
        values = self.get_all(name)
        assert len(values) <= 1, f"duplicate header {name}: {values}"
        return values[0] if values else None


def split(data: bytes) -> Parsed:
    """Split a response by hand: status line, header lines, body."""
    head, sep, body = data.partition(b"\r\n\r\n")
    assert sep, "no blank line after the header section"
    lines = head.decode("utf-8").split("\r\n")
    version, status, reason = lines[0].split(" ", 2)
    headers = []
    for line in lines[1:]:
        assert "\n" not in line and "\r" not in line
        name, colon, value = line.partition(": ")
        assert colon, f"malformed header line {line!r}"
        headers.append((name, value.strip(" \t")))
    return Parsed(version, int(status), reason, headers, body)


class _Collector:
    def __init__(self) -> None:
        self.headers: list[tuple[str, str]] = []
        self.body = b""
        self.complete = False

    def on_header(self, name: bytes, value: bytes) -> None:
        # Optional whitespace around a value is not part of it (RFC 9110 §5.5);
        # llhttp keeps trailing whitespace, so drop it as the hand parser does.
        self.headers.append((name.decode(), value.decode().strip(" \t")))

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        self.complete = True


def parse(data: bytes, *, head: bool = False) -> Parsed:
    """Parse with httptools (a strict llhttp parser) and cross-check by hand."""
    collector = _Collector()
    parser = httptools.HttpResponseParser(collector)
    if head:
        # A HEAD answer has no body whatever Content-Length says; stop at the head.
        parser.feed_data(data.partition(b"\r\n\r\n")[0] + b"\r\n\r\n")
    else:
        parser.feed_data(data)
    by_hand = split(data)
    assert collector.headers == by_hand.headers
    return Parsed(
        parser.get_http_version(),
        parser.get_status_code(),
        by_hand.reason,
        collector.headers,
        collector.body,
        collector.complete,
    )
