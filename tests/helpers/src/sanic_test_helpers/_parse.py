"""Responses read back from bytes: by hand, and strictly with llhttp (httptools)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Response", "WireError", "check_strict", "parse_response", "split_response"]


class WireError(AssertionError):
    """What came back is not well-formed HTTP/1.1, or not all of it came."""


@dataclass
class Response:
    """One response as received.

    Attributes:
        status: The status code (0 for "no response", where a caller needs one).
        reason: The reason phrase.
        version: ``"1.1"`` or ``"1.0"``.
        fields: The header fields as received: ``(name, value)`` in order, optional
            whitespace around each value removed.
        body: The content, de-chunked.
        head: The raw status line and header section, blank line included.
        complete: Whether the whole message (by its framing) was received.
    """

    status: int = 0
    reason: str = ""
    version: str = "1.1"
    fields: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    head: bytes = b""
    complete: bool = True

    @property
    def headers(self) -> dict[str, str]:
        """Lower-case field name to value (the last one of a repeated field)."""
        return {name.lower(): value for name, value in self.fields}

    def get_all(self, name: str) -> list[str]:
        """Every value of the field ``name`` (any case), in order."""
        return [v for k, v in self.fields if k.lower() == name.lower()]

    def get(self, name: str) -> str | None:
        """The one value of ``name``, or ``None``; a repeated field fails."""
        values = self.get_all(name)
        if len(values) > 1:
            raise WireError(f"duplicate header {name}: {values}")
        return values[0] if values else None

    def header(self, name: str) -> str | None:
        """The first value of ``name``, or ``None``."""
        values = self.get_all(name)
        return values[0] if values else None

    @property
    def text(self) -> str:
        """The body as UTF-8 (undecodable bytes replaced)."""
        return self.body.decode("utf-8", "replace")


def _decode(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def parse_head(head: bytes) -> Response:
    """Split a status line and header section (blank line optional) by hand.

    Raises:
        WireError: The status line or a header line is malformed.
    """
    lines = _decode(head).removesuffix("\r\n\r\n").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise WireError(f"malformed status line {lines[0]!r}")
    fields = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip() or "\n" in line:
            raise WireError(f"malformed header line {line!r}")
        fields.append((name, value.strip(" \t")))
    reason = parts[2] if len(parts) > 2 else ""
    version = parts[0].removeprefix("HTTP/")
    return Response(int(parts[1]), reason, version, fields, b"", head)


def split_response(data: bytes) -> Response:
    """Split one response by hand: status line, header lines, the rest as body.

    Every header line must be ``name: value`` (one space after the colon, as this
    framework writes it).
    """
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        raise WireError(f"no blank line after the header section: {data[:200]!r}")
    parsed = parse_head(head + sep)
    for line in head.split(b"\r\n")[1:]:
        if b": " not in line:
            raise WireError(f"malformed header line {line!r}")
    parsed.body = body
    return parsed


class _Collector:
    def __init__(self) -> None:
        self.fields: list[tuple[str, str]] = []
        self.body = b""
        self.complete = False
        self.version = ""
        self.status = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        # Optional whitespace around a value is not part of it (RFC 9110 §5.5);
        # llhttp keeps trailing whitespace, so drop it as the hand parser does.
        self.fields.append((_decode(name), _decode(value).strip(" \t")))

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        self.complete = True


def check_strict(data: bytes, *, head: bool = False) -> _Collector:
    """Feed one response to llhttp; return its collector (fields, body, complete).

    Raises:
        WireError: llhttp refuses the bytes.
    """
    import httptools  # imported here: only the suites that parse responses need it

    collector = _Collector()
    parser = httptools.HttpResponseParser(collector)
    try:
        # A HEAD answer has no body whatever Content-Length says; stop at the head.
        parser.feed_data(data.partition(b"\r\n\r\n")[0] + b"\r\n\r\n" if head else data)
    except httptools.HttpParserUpgrade:
        pass  # a 101 (RFC 9110 §15.2.2): what follows its head is another protocol
    except httptools.HttpParserError as exc:
        raise WireError(f"malformed response ({exc}): {data[:300]!r}") from exc
    collector.version = parser.get_http_version()
    collector.status = parser.get_status_code()
    return collector


def parse_response(data: bytes, *, head: bool = False) -> Response:
    """Parse one serialised response with llhttp and cross-check it by hand.

    Args:
        data: The response's bytes.
        head: It answers a HEAD request (no body, whatever the framing says).
    """
    strict = check_strict(data, head=head)
    by_hand = split_response(data)
    if strict.fields != by_hand.fields:
        raise WireError(f"llhttp read {strict.fields}, by hand {by_hand.fields}")
    return Response(
        strict.status,
        by_hand.reason,
        strict.version,
        strict.fields,
        strict.body,
        by_hand.head,
        strict.complete,
    )
