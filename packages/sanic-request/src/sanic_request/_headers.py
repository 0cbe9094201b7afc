"""Parsers for single header values: parameters, cookies and host names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote_to_bytes

from multidict import CIMultiDict

__all__ = [
    "HeadersInput",
    "decode_ext_value",
    "decode_header_pairs",
    "decode_value",
    "parse_cookie_header",
    "parse_options_header",
    "parse_port",
    "split_host_port",
    "stored_headers",
]

# RFC 7231 section 3.1.1.1: parameter = token "=" ( token / quoted-string ).
# Unquoted values are taken up to the next ";" to tolerate sloppy clients.
_PARAM = re.compile(r';\s*([^\s;=]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;]*))?')
# RFC 7230 section 3.2.6 quoted-pair. Only the two characters a sender must
# escape, '"' and '\', are unescaped: browsers and urllib3 send other
# backslashes raw (a name "a\0", a Windows path), which must survive.
_QUOTED_PAIR = re.compile(r'\\(["\\])')


def decode_header_pairs(pairs: list[tuple[bytes, bytes]]) -> CIMultiDict[str]:
    """Decode header fields as received into a ``CIMultiDict``.

    Args:
        pairs: ``(name, value)`` byte pairs in the order received.

    Returns:
        Names decoded as Latin-1 (they are tokens, RFC 9110 section 5.1), values
        as UTF-8 where they are valid UTF-8, else as Latin-1 (RFC 9110 section
        5.5 leaves non-ASCII octets opaque; no value is ever refused here).
    """
    try:
        return CIMultiDict([(n.decode("latin-1"), v.decode()) for n, v in pairs])
    except UnicodeDecodeError:
        return CIMultiDict([(n.decode("latin-1"), decode_value(v)) for n, v in pairs])


def decode_value(value: bytes) -> str:
    """Decode one header value (or multipart header parameter) as received.

    UTF-8 where it is valid UTF-8 (what browsers send for names and filenames,
    RFC 7578 section 5.1), else Latin-1, which decodes any byte.
    """
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def parse_options_header(value: str) -> tuple[str, dict[str, str]]:
    """Split a header such as Content-Type or Content-Disposition.

    Args:
        value: For example ``'multipart/form-data; boundary="abc"'``.

    Returns:
        The lower-cased main value and its parameters (names lower-cased,
        quotes and quoted-pairs removed, the first of duplicate names kept).
    """
    main, sep, rest = value.partition(";")
    if not sep:
        return main.strip().lower(), {}
    params: dict[str, str] = {}
    for name, raw in _PARAM.findall(sep + rest):
        name = name.lower()
        if name in params:
            continue
        if raw[:1] == '"' and raw[-1:] == '"' and len(raw) > 1:
            raw = raw[1:-1]
            if "\\" in raw:
                raw = _QUOTED_PAIR.sub(r"\1", raw)
        else:
            raw = raw.strip()
        params[name] = raw
    return main.strip().lower(), params


def decode_ext_value(value: str) -> str | None:
    """Decode an RFC 5987 ``ext-value`` such as ``UTF-8''na%C3%AFve.txt``.

    Args:
        value: The parameter value of ``filename*`` (or any ``name*``).

    Returns:
        The decoded text, or None when the value is malformed or its charset
        unknown (the caller then falls back to the plain parameter).
    """
    charset, sep, rest = value.partition("'")
    _language, sep2, encoded = rest.partition("'")
    if not sep or not sep2:
        return None
    try:
        return unquote_to_bytes(encoded).decode(charset or "utf-8")
    except (LookupError, ValueError):
        return None


def parse_cookie_header(value: str) -> dict[str, str]:
    """Parse a Cookie request header (RFC 6265 section 4.2.1).

    Args:
        value: ``"name=value; name2=value2"``; several Cookie headers may be
            joined with ``"; "``.

    Returns:
        Names mapped to values. Double quotes around a value are removed; pairs
        without ``=`` are skipped; for a repeated name the first wins (browsers
        send the most specific cookie first, RFC 6265 section 5.4).
    """
    cookies: dict[str, str] = {}
    for item in value.split(";"):
        name, eq, val = item.partition("=")
        if not eq:
            continue
        name = name.strip()
        if not name or name in cookies:
            continue
        val = val.strip()
        if len(val) > 1 and val[0] == '"' and val[-1] == '"':
            val = val[1:-1]
        cookies[name] = val
    return cookies


def split_host_port(host: str) -> tuple[str, int | None]:
    """Split ``"example.com:8000"`` or ``"[::1]:8000"`` into name and port.

    Args:
        host: A Host-style value (RFC 7230 section 5.4: uri-host [":" port]).

    Returns:
        The name (IPv6 literals keep their brackets) and the port, or None when
        absent or not a number.
    """
    if host.startswith("["):
        end = host.find("]")
        if end >= 0:
            rest = host[end + 1 :]
            return host[: end + 1], parse_port(rest[1:]) if rest[:1] == ":" else None
    name, sep, port = host.rpartition(":")
    if sep and ":" not in name:
        return name, parse_port(port)
    return host, None


def parse_port(value: str) -> int | None:
    """Return ``value`` as a TCP port number, or None when it is not one."""
    value = value.strip()
    if 0 < len(value) <= 5 and value.isascii() and value.isdigit():
        port = int(value)
        if 0 < port <= 65535:
            return port
    return None


#: What a caller may give as a request's headers.
HeadersInput = (
    CIMultiDict[str]
    | Mapping[str, str]
    | Iterable[tuple[str, str]]
    | list[tuple[bytes, bytes]]
)


def stored_headers(headers: Any) -> Any:
    """What ``Request._headers`` holds: a list as given, else a ``CIMultiDict``.

    A list of byte pairs (what a server parsed) is decoded when first read.
    """
    if headers.__class__ is list or isinstance(headers, CIMultiDict):
        return headers
    return CIMultiDict(headers)
