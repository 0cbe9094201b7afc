"""A ``multipart/form-data`` parser for a body held in memory (RFC 7578, RFC 2046).

The body is scanned with ``bytes.find`` only, so the work is linear in its size
and every loop advances; each limit is checked before the data it guards is
copied.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from ._errors import RequestParseError
from ._headers import decode_ext_value, decode_value, parse_options_header
from ._params import File

__all__ = ["parse_multipart"]

_CRLF = b"\r\n"
_FOLD = re.compile(rb"\r\n[ \t]+")
# The header blocks every common client sends (Content-Type after or, as aiohttp
# writes it, before the disposition); anything else takes the general parser.
_DISPOSITION = (
    rb'content-disposition: form-data; name="([^"\\\r\n]*)"'
    rb'(?:; filename="([^"\\\r\n]*)")?'
)
_SIMPLE_BLOCK = re.compile(
    rb"(?:content-type: ([^\r\n]*)\r\n)?"
    + _DISPOSITION
    + rb"(?:\r\ncontent-type: ([^\r\n]*))?",
    re.IGNORECASE,
)
# RFC 7230 section 3.2: header-field = field-name ":" OWS field-value OWS.
_HEADER_LINE = re.compile(rb"([^:\r\n]*):[ \t]*([^\r\n]*)")


def _malformed(reason: str) -> RequestParseError:
    return RequestParseError(f"Malformed multipart/form-data body: {reason}")


def _percent_decode(value: str) -> str:
    # Browsers (HTML "multipart/form-data encoding algorithm") escape '"', CR
    # and LF as %22, %0D, %0A, and aiohttp percent-encodes whole names. Undo
    # it when the result is valid UTF-8, else keep the value as sent.
    if "%" not in value:
        return value
    try:
        return unquote(value, errors="strict")
    except UnicodeDecodeError:
        return value


def _part_headers(block: bytes) -> tuple[bytes | None, bytes | None]:
    """Return the raw Content-Disposition and Content-Type of one part."""
    if not block:
        return None, None
    if b"\r\n " in block or b"\r\n\t" in block:
        # obs-fold (RFC 7230 section 3.2.4): a line starting with whitespace
        # continues the header above it.
        block = _FOLD.sub(b" ", block)
    lines = _HEADER_LINE.findall(block)
    # Each line matches at most once, so a shortfall means a line without ":".
    if len(lines) != block.count(_CRLF) + 1:
        raise _malformed("part header line without a colon")
    disposition: bytes | None = None
    content_type: bytes | None = None
    for name, value in lines:
        key = name.strip().lower()
        if key == b"content-disposition":
            if disposition is None:
                disposition = value.rstrip()
        elif key == b"content-type" and content_type is None:
            content_type = value.rstrip()
    return disposition, content_type


def _decode_text(data: bytes, charset: str) -> str:
    try:
        return data.decode(charset, "replace")
    except (LookupError, ValueError) as err:
        # LookupError: not a text codec; ValueError: a codec (idna, ...) that
        # fails even with errors="replace".
        raise _malformed(f"cannot decode a field as {charset[:40]!r}") from err


def parse_multipart(
    body: bytes,
    boundary: str,
    *,
    max_parts: int,
    max_part_size: int,
    max_header_size: int,
) -> tuple[list[tuple[str, str]], list[tuple[str, File]]]:
    """Split a ``multipart/form-data`` body into form fields and files.

    Parts whose Content-Disposition has a ``filename`` or ``filename*`` become
    files; the others are text fields decoded with their own charset, else the
    ``_charset_`` field's value (RFC 7578 section 4.6), else UTF-8.

    Args:
        body: The whole request body.
        boundary: The ``boundary`` parameter of the request's Content-Type.
        max_parts: Most parts accepted (413 beyond).
        max_part_size: Most bytes in one part's content (413 beyond).
        max_header_size: Most bytes in one part's header block (400 beyond).

    Returns:
        ``(fields, files)``: ``(name, text)`` pairs and ``(name, File)`` pairs,
        each in the order received.

    Raises:
        RequestParseError: 400 when the body is malformed, 413 when a limit
            is exceeded.
    """
    # RFC 2046 section 5.1.1: 1 to 70 characters from a subset of ASCII; we
    # accept any visible ASCII up to 200 to tolerate sloppy clients.
    if not boundary or len(boundary) > 200 or not boundary.isascii():
        raise _malformed("missing or invalid boundary")
    dash_boundary = b"--" + boundary.encode("ascii")
    delimiter = _CRLF + dash_boundary
    if body.startswith(dash_boundary):
        pos = len(dash_boundary)
    else:  # skip the preamble
        found = body.find(delimiter)
        if found < 0:
            raise _malformed("boundary not found")
        pos = found + len(delimiter)

    raw_fields: list[tuple[str, bytes, str | None]] = []
    files: list[tuple[str, File]] = []
    delimiter_length = len(delimiter)
    header_window = max_header_size + 4
    parts = 0
    while not body.startswith(b"--", pos):  # "--" after a boundary closes the body
        line_end = body.find(_CRLF, pos)
        if line_end < 0:
            raise _malformed("truncated after a boundary")
        if body[pos:line_end].strip(b" \t"):  # only transport padding may follow
            raise _malformed("unexpected data after a boundary")
        pos = line_end + 2
        parts += 1
        if parts > max_parts:
            raise RequestParseError(f"More than {max_parts} parts", 413)
        if body.startswith(_CRLF, pos):  # a part without headers
            headers_end = pos
        else:
            headers_end = body.find(b"\r\n\r\n", pos, pos + header_window)
            if headers_end < 0:
                raise _malformed("part headers unterminated or too large")
        header_block = body[pos:headers_end]
        if delimiter in header_block:
            raise _malformed("part without a header/body separator")
        start = headers_end + (2 if headers_end == pos else 4)
        end = body.find(delimiter, start)
        if end < 0:
            raise _malformed("missing closing boundary")
        if end - start > max_part_size:
            raise RequestParseError(f"A part is larger than {max_part_size} bytes", 413)
        _add_part(header_block, body[start:end], raw_fields, files)
        pos = end + delimiter_length

    default_charset = "utf-8"
    for name, data, charset in raw_fields:
        if name == "_charset_" and charset is None:
            default_charset = data.decode("ascii", "replace").strip() or "utf-8"
    fields = [
        (name, _decode_text(data, charset or default_charset))
        for name, data, charset in raw_fields
    ]
    return fields, files


def _general_part(header_block: bytes) -> tuple[str, str | None, str | None]:
    """Name, filename and Content-Type of a part, for any header layout."""
    raw_disposition, raw_type = _part_headers(header_block)
    if raw_disposition is None:
        raise _malformed("part without Content-Disposition")
    content_type = decode_value(raw_type) if raw_type is not None else None
    params = parse_options_header(decode_value(raw_disposition))[1]
    if "name" not in params:
        raise _malformed("part without a name")
    filename = None
    if "filename*" in params:  # RFC 6266 section 4.3: filename* wins
        filename = decode_ext_value(params["filename*"])
    if filename is None and "filename" in params:
        filename = _percent_decode(params["filename"])
    return _percent_decode(params["name"]), filename, content_type


def _add_part(
    header_block: bytes,
    content: bytes,
    raw_fields: list[tuple[str, bytes, str | None]],
    files: list[tuple[str, File]],
) -> None:
    simple = _SIMPLE_BLOCK.fullmatch(header_block)
    if simple is not None:
        raw_type = simple[4] if simple[1] is None else simple[1]
        content_type = None
        if raw_type is not None:
            content_type = decode_value(raw_type.rstrip())
        name = _percent_decode(decode_value(simple[2]))
        raw_filename = simple[3]
        filename = None
        if raw_filename is not None:
            filename = _percent_decode(decode_value(raw_filename))
    else:
        name, filename, content_type = _general_part(header_block)
    if filename is not None:
        files.append((name, File(content_type or "text/plain", content, filename)))
        return
    charset = None
    if content_type is not None and ";" in content_type:
        charset = parse_options_header(content_type)[1].get("charset") or None
    raw_fields.append((name, content, charset))
