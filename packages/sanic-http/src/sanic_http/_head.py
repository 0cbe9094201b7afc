"""The head of a response on the wire: status line and header section.

Every header is checked here, once, on its way out: a name must be an RFC 9110 token
and a value must hold no CR, LF, NUL or other control character but HTAB, or
``InvalidHeaderError`` is raised and nothing is written (RFC 9110 §5.5 forbids those
characters; letting them through would allow response splitting). What can be
computed once is: status lines for every known code, the checks of each header name
and content type, the connection lines and, once a second, the ``Date`` line.
"""

from __future__ import annotations

import re
import time
from email.utils import formatdate
from typing import Any

from multidict import CIMultiDict

from ._cookies import CookieJar
from ._exceptions import STATUS_CODES
from ._syntax import TOKEN as _TOKEN

__all__ = ["NO_BODY_STATUSES", "InvalidHeaderError", "build_head", "plain_response"]


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

# What output() needs to know about a header name, learned once per name: the bits
# below, or 0 for an ordinary header. Bounded so hostile code cannot grow it forever.
_TYPE, _DATE, _OWNED = 1, 2, 4
_NAME_KINDS: dict[str, int] = {}
_CACHE_MAX = 4096
_CONTENT_TYPE_LINES: dict[str, str] = {}


def _status_line(version: str, status: int) -> bytes:
    key = (version, status)
    line = _STATUS_LINES.get(key)
    if line is None:
        if version not in ("1.0", "1.1") or not 100 <= status <= 999:
            # Anything else is answered as 1.1 (RFC 9110 §6.2: the highest minor
            # version we support); out-of-range statuses are a programming error.
            if not 100 <= status <= 999:
                raise InvalidHeaderError(f"invalid status code: {status!r}")
            return _status_line("1.1", status)
        reason = STATUS_CODES.get(status, b"")
        line = b"HTTP/%s %d %s\r\n" % (version.encode(), status, reason)
        _STATUS_LINES[key] = line
    return line


_STATUS_LINES: dict[tuple[str, int], bytes] = {}
for _version in ("1.0", "1.1"):
    for _code in STATUS_CODES:
        _status_line(_version, _code)

# (the second after the cached one, "Date: ...\r\n" as text, the same as bytes)
_date_cache: list[Any] = [0.0, "", b""]


def _refresh_date() -> None:
    # Formatting a date costs microseconds; once a second is plenty.
    now = time.time()
    if now >= _date_cache[0]:
        second = int(now)
        line = f"Date: {formatdate(second, usegmt=True)}\r\n"
        _date_cache[:] = second + 1, line, line.encode("ascii")


def _date_line() -> str:
    _refresh_date()
    line: str = _date_cache[1]
    return line


def _name_kind(name: str) -> int:
    if not isinstance(name, str) or not _TOKEN.fullmatch(name):
        raise InvalidHeaderError(f"invalid response header name: {name!r}")
    lowered = name.lower()
    kind = (
        _TYPE
        if lowered == "content-type"
        else _DATE
        if lowered == "date"
        else _OWNED
        if lowered in _SERVER_OWNED
        else 0
    )
    if len(_NAME_KINDS) < _CACHE_MAX:
        _NAME_KINDS[name] = kind
    return kind


def _refuse_value(name: str) -> InvalidHeaderError:
    return InvalidHeaderError(
        f"control character (CR, LF, NUL, ...) in response header {name!r}"
    )


def _header_block(headers: CIMultiDict[Any]) -> tuple[str, int]:
    """Return the header lines and the bits of the special names seen.

    Raises:
        InvalidHeaderError: If a name is not a token or a value has a control
            character.
    """
    lines = []
    seen = 0
    kinds = _NAME_KINDS
    for name, value in headers.items():
        kind = kinds.get(name)
        if kind is None:
            kind = _name_kind(name)
        if kind:
            if kind == _OWNED:
                continue
            seen |= kind
        if value.__class__ is not str:
            value = str(value)
        # isprintable() is a fast C check that passes almost every real value; the
        # regex then tells real controls from harmless non-printable Unicode.
        if not value.isprintable() and _BAD_VALUE.search(value):
            raise _refuse_value(name)
        lines.append(f"{name}: {value}\r\n")
    return "".join(lines), seen


def _content_type_line(content_type: str) -> str:
    line = _CONTENT_TYPE_LINES.get(content_type)
    if line is None:
        if _BAD_VALUE.search(content_type):
            raise _refuse_value("Content-Type")
        line = f"Content-Type: {content_type}\r\n"
        if len(_CONTENT_TYPE_LINES) < _CACHE_MAX:
            _CONTENT_TYPE_LINES[content_type] = line
    return line


_CONNECTION_LINES: dict[tuple[bool, int | None], str] = {}


def _connection_lines(keep_alive: bool, keep_alive_timeout: int | None) -> str:
    key = (keep_alive, keep_alive_timeout)
    line = _CONNECTION_LINES.get(key)
    if line is None:
        if not keep_alive:
            line = "Connection: close\r\n"
        elif keep_alive_timeout:
            timeout = int(keep_alive_timeout)
            line = f"Connection: keep-alive\r\nKeep-Alive: timeout={timeout}\r\n"
        else:
            line = "Connection: keep-alive\r\n"
        if len(_CONNECTION_LINES) < _CACHE_MAX:
            _CONNECTION_LINES[key] = line
    return line


def build_head(
    version: str,
    status: int,
    headers: CIMultiDict[Any] | None,
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
        block += _date_line()
    if cookies:
        block += cookies.header_lines()
    block += framing + _connection_lines(keep_alive, keep_alive_timeout) + "\r\n"
    return _status_line(version, status) + block.encode("utf-8")


# The usual response has no headers of its own and no cookies: all of it but the
# date, the length and the body is then known from a handful of values, and is
# formatted once into a template (RFC 9110 §6.6.1 Date, RFC 9112 §6.3 framing).
_PlainKey = tuple[str, int, str, bool, "int | None"]
_PLAIN_TEMPLATES: dict[_PlainKey, bytes] = {}


def _plain_template(key: _PlainKey) -> bytes:
    version, status, content_type, keep_alive, keep_alive_timeout = key
    head = _status_line(version, status)
    if content_type:
        head += _content_type_line(content_type).encode("utf-8")
    head = head.replace(b"%", b"%%") + b"%sContent-Length: %d\r\n"
    tail = _connection_lines(keep_alive, keep_alive_timeout).encode("ascii")
    template = head + tail + b"\r\n%s"
    if len(_PLAIN_TEMPLATES) < _CACHE_MAX:
        _PLAIN_TEMPLATES[key] = template
    return template


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
    key = (version, status, content_type, keep_alive, keep_alive_timeout)
    template = _PLAIN_TEMPLATES.get(key)
    if template is None:
        template = _plain_template(key)
    if time.time() >= _date_cache[0]:
        _refresh_date()
    return template % (_date_cache[2], len(body), body if include_body else b"")
