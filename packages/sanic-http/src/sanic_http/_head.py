"""The head of a response on the wire: status line and header section.

Every header is checked here, once, on its way out: a name must be an RFC 9110 token
and a value must hold no CR, LF, NUL or other control character but HTAB, or
``InvalidHeaderError`` is raised and nothing is written (RFC 9110 §5.5 forbids those
characters; letting them through would allow response splitting). What can be
computed once is, in bounded ``functools.lru_cache`` caches: the status lines, the
check of each header name and content type, the connection lines and the whole head
of a response without headers of its own; the ``Date`` line once a second.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from functools import lru_cache

from multidict import CIMultiDict

from ._cookies import CookieJar, format_http_date
from ._exceptions import STATUS_CODES
from ._syntax import TOKEN as _TOKEN

__all__ = [
    "NO_BODY_STATUSES",
    "InvalidHeaderError",
    "build_head",
    "plain_response",
    "upgrade_head",
]


class InvalidHeaderError(ValueError):
    """A response header name or value cannot be written safely."""


# RFC 9110 §5.5: CR, LF and NUL are never valid in a field value, and other controls
# (all but HTAB) are invalid too; strict parsers such as llhttp reject them.
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# Framing and connection headers belong to the server (RFC 9112 §6, §9.6).
_SERVER_OWNED = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive"}
)
# RFC 9110 §15.2, §15.3.5, §15.4.5: no content in 1xx, 204 and 304 responses.
NO_BODY_STATUSES = frozenset({*range(100, 200), 204, 304})

# What build_head() needs to know about a header name: these bits, or 0 for an
# ordinary header.
_TYPE, _DATE, _OWNED = 1, 2, 4
# The caches below are keyed by what handlers choose (header names, content
# types, statuses), so each is bounded: hostile code cannot grow them forever.
_CACHE_MAX = 4096


@lru_cache(maxsize=_CACHE_MAX)
def _status_line(version: str, status: int) -> bytes:
    if not 100 <= status <= 999:
        # Out-of-range statuses are a programming error.
        raise InvalidHeaderError(f"invalid status code: {status!r}")
    # Anything but 1.0 is answered as 1.1 (RFC 9110 §6.2: the highest minor
    # version we support).
    version = "1.0" if version == "1.0" else "1.1"
    reason = STATUS_CODES.get(status, b"")
    return b"HTTP/%s %d %s\r\n" % (version.encode(), status, reason)


def http_date(seconds: float) -> str:
    """``seconds`` since the epoch as an IMF-fixdate (RFC 9110 §5.6.7), in any
    locale, as ``email.utils.formatdate(usegmt=True)`` (not imported: startup)."""
    return format_http_date(datetime.fromtimestamp(seconds, timezone.utc))


class _DateLine:
    """The ``Date`` line (RFC 9110 §6.6.1), formatted at most once a second:
    formatting a date costs microseconds."""

    __slots__ = ("expires", "raw", "text")

    def __init__(self) -> None:
        self.expires = 0.0  # the second after the formatted one
        self.text = ""  # "Date: ...\r\n"
        self.raw = b""  # the same, as bytes

    def refresh(self) -> None:
        now = time.time()
        if now >= self.expires:
            second = int(now)
            self.text = f"Date: {http_date(second)}\r\n"
            self.raw = self.text.encode("ascii")
            self.expires = second + 1


_DATE_LINE = _DateLine()


@lru_cache(maxsize=_CACHE_MAX)
def _name_kind(name: str) -> int:
    if not isinstance(name, str) or not _TOKEN.fullmatch(name):
        raise InvalidHeaderError(f"invalid response header name: {name!r}")
    lowered = name.lower()
    if lowered == "content-type":
        return _TYPE
    if lowered == "date":
        return _DATE
    return _OWNED if lowered in _SERVER_OWNED else 0


def _refuse_value(name: str) -> InvalidHeaderError:
    return InvalidHeaderError(
        f"control character (CR, LF, NUL, ...) in response header {name!r}"
    )


def _header_block(headers: CIMultiDict[object]) -> tuple[str, int]:
    """Return the header lines and the bits of the special names seen.

    Raises:
        InvalidHeaderError: If a name is not a token or a value has a control
            character.
    """
    lines = []
    seen = 0
    for name, value in headers.items():
        kind = _name_kind(name)
        if kind:
            if kind == _OWNED:
                continue
            seen |= kind
        text = value if type(value) is str else str(value)
        # isprintable() is a fast C check that passes almost every real value; the
        # regex then tells real controls from harmless non-printable Unicode.
        if not text.isprintable() and _BAD_VALUE.search(text):
            raise _refuse_value(name)
        lines.append(f"{name}: {text}\r\n")
    return "".join(lines), seen


@lru_cache(maxsize=_CACHE_MAX)
def _content_type_line(content_type: str) -> str:
    if _BAD_VALUE.search(content_type):
        raise _refuse_value("Content-Type")
    return f"Content-Type: {content_type}\r\n"


@lru_cache(maxsize=_CACHE_MAX)
def _connection_lines(keep_alive: bool, keep_alive_timeout: int | None) -> str:
    if not keep_alive:
        return "Connection: close\r\n"
    if keep_alive_timeout:
        timeout = int(keep_alive_timeout)
        return f"Connection: keep-alive\r\nKeep-Alive: timeout={timeout}\r\n"
    return "Connection: keep-alive\r\n"


def build_head(
    version: str,
    status: int,
    headers: CIMultiDict[object] | None,
    content_type: str,
    cookies: CookieJar | None,
    framing: str,
    keep_alive: bool,
    keep_alive_timeout: int | None,
) -> bytes:
    """Return the status line and header section, ending with the blank line.

    Args:
        version: The request's HTTP version; anything but 1.0 is answered as 1.1.
        status: The status code.
        headers: The handler's headers; server-owned ones are skipped.
        content_type: Written unless ``headers`` has one or the status has no body.
        cookies: One ``Set-Cookie`` line per cookie.
        framing: The ``Content-Length`` or ``Transfer-Encoding`` line, or "".
        keep_alive: Whether the connection stays open afterwards.
        keep_alive_timeout: Advertised in ``Keep-Alive: timeout=N`` when given.

    Raises:
        InvalidHeaderError: If a header name or value is unsafe to write.
    """
    if headers:
        block, seen = _header_block(headers)
    else:
        block, seen = "", 0
    if not seen & _TYPE and content_type and status not in NO_BODY_STATUSES:
        block += _content_type_line(content_type)
    if not seen & _DATE:
        _DATE_LINE.refresh()
        block += _DATE_LINE.text
    if cookies:
        block += cookies.header_lines()
    block += framing + _connection_lines(keep_alive, keep_alive_timeout) + "\r\n"
    return _status_line(version, status) + block.encode("utf-8")


def upgrade_head(
    version: str, headers: CIMultiDict[object] | None, cookies: CookieJar | None
) -> bytes:
    """Return the head of a ``101 Switching Protocols`` (RFC 9110 §15.2.2).

    The handler's headers (its ``Upgrade`` among them) and cookies, the ``Date``
    and ``Connection: upgrade`` (RFC 9110 §7.8); no framing: what follows the head
    is the new protocol's.

    Raises:
        InvalidHeaderError: If a header name or value is unsafe to write.
    """
    if headers:
        block, seen = _header_block(headers)
    else:
        block, seen = "", 0
    if not seen & _DATE:
        _DATE_LINE.refresh()
        block += _DATE_LINE.text
    if cookies:
        block += cookies.header_lines()
    block += "Connection: upgrade\r\n\r\n"
    return _status_line(version, 101) + block.encode("utf-8")


# The usual response has no headers of its own and no cookies: all of it but the
# date, the length and the body is then known from a handful of values, and is
# formatted once into a template (RFC 9110 §6.6.1 Date, RFC 9112 §6.3 framing).
@lru_cache(maxsize=_CACHE_MAX)
def _plain_template(
    version: str,
    status: int,
    content_type: str,
    keep_alive: bool,
    keep_alive_timeout: int | None,
) -> bytes:
    head = _status_line(version, status)
    if content_type:
        head += _content_type_line(content_type).encode("utf-8")
    head = head.replace(b"%", b"%%") + b"%sContent-Length: %d\r\n"
    tail = _connection_lines(keep_alive, keep_alive_timeout).encode("ascii")
    return head + tail + b"\r\n%s"


def plain_response(
    version: str,
    status: int,
    content_type: str,
    keep_alive: bool,
    keep_alive_timeout: int | None,
    body: bytes,
    include_body: bool,
) -> bytes:
    """Return a whole response without handler headers or cookies.

    The same bytes ``build_head`` and the body would give, from a cached
    template. Only for statuses that have a body (not 1xx, 204 or 304).

    Raises:
        InvalidHeaderError: If the content type is unsafe to write.
    """
    template = _plain_template(
        version, status, content_type, keep_alive, keep_alive_timeout
    )
    date = _DATE_LINE
    if time.time() >= date.expires:
        date.refresh()
    return template % (date.raw, len(body), body if include_body else b"")
