"""Value types for parsed request data and the urlencoded parser.

``RequestParameters`` is a plain ``dict`` subclass, so any JSON encoder writes it
exactly as the guide prints it; ``File`` is a ``NamedTuple``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final, NamedTuple, TypeVar
from urllib.parse import unquote, unquote_to_bytes

from ._errors import RequestParseError

__all__ = ["File", "RequestParameters", "group_pairs", "parse_urlencoded"]

_MISSING: Final = object()
_T = TypeVar("_T")

# A "%" not followed by two hex digits (RFC 3986 section 2.1 pct-encoded).
_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
# Charsets in which every ASCII byte stands for the same ASCII character.
_ASCII_SUPERSETS = frozenset(
    ("utf-8", "utf8", "ascii", "us-ascii", "latin-1", "latin1", "iso-8859-1")
)


class File(NamedTuple):
    """An uploaded file from a ``multipart/form-data`` body.

    Attributes:
        type: The part's Content-Type as sent (``text/plain`` when absent, the
            default of RFC 7578 section 4.4).
        body: The file's bytes, exactly as received.
        name: The file name, from ``filename*`` (RFC 5987) when present, else
            from ``filename``.
    """

    type: str
    body: bytes
    name: str


class RequestParameters(dict[str, Any]):
    """A dict mapping each name to the list of its values.

    ``get`` returns the first value and ``getlist`` the whole list. When a name's
    only value is the empty string the dict stores ``""`` instead of ``[""]``
    (which is what the guide prints for ``keep_blank_values=True``); ``get`` and
    ``getlist`` hide that difference.
    """

    def get(self, key: str, default: object = None) -> Any:
        """Return the first value for ``key``, or ``default`` when absent.

        Args:
            key: The parameter name.
            default: Returned when the name is absent or has no values.

        Returns:
            The first value.
        """
        value = dict.get(self, key, _MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, list):
            return value[0] if value else default
        return value

    def getlist(self, key: str, default: object = None) -> Any:
        """Return every value for ``key`` as a list, or ``default`` when absent.

        Args:
            key: The parameter name.
            default: Returned when the name is absent.

        Returns:
            The list of values.
        """
        value = dict.get(self, key, _MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, list):
            return value
        return [value]


def group_pairs(pairs: Iterable[tuple[str, _T]]) -> RequestParameters:
    """Group ``(name, value)`` pairs into a :class:`RequestParameters`.

    Args:
        pairs: The pairs in the order they were received.

    Returns:
        Names mapped to lists of values, a lone ``""`` stored as ``""``.
    """
    grouped: dict[str, list[_T]] = {}
    blank = False
    for key, value in pairs:
        if value == "":
            blank = True
        values = grouped.get(key)
        if values is None:
            grouped[key] = [value]
        else:
            values.append(value)
    params = RequestParameters(grouped)
    if blank:
        for key, values in grouped.items():
            if len(values) == 1 and values[0] == "":
                params[key] = ""
    return params


def _decode_raw(piece: str, encoding: str, errors: str) -> str:
    # piece holds the raw bytes as Latin-1 characters: restore them, resolve
    # %-escapes, then apply the charset to the whole byte string.
    return unquote_to_bytes(piece.encode("latin-1")).decode(encoding, errors)


def parse_urlencoded(
    data: bytes,
    *,
    keep_blank_values: bool = False,
    strict_parsing: bool = False,
    encoding: str = "utf-8",
    errors: str = "replace",
    max_fields: int | None = None,
    limit_status: int = 413,
) -> list[tuple[str, str]]:
    """Parse ``application/x-www-form-urlencoded`` data (a query or a form body).

    The options mean what they mean for :func:`urllib.parse.parse_qsl`;
    ``strict_parsing`` additionally rejects malformed percent-escapes.

    Args:
        data: The raw bytes.
        keep_blank_values: Keep ``name=`` and bare ``name`` as ``(name, "")``.
        strict_parsing: Reject empty fields, fields without ``=`` and bad
            percent-escapes instead of skipping or keeping them.
        encoding: Charset of the percent-decoded bytes.
        errors: How to handle bytes ``encoding`` cannot decode, as for
            :meth:`bytes.decode`.
        max_fields: Most ``&``-separated fields accepted; None for no limit.
        limit_status: Status hint when ``max_fields`` is exceeded.

    Returns:
        The ``(name, value)`` pairs in order.

    Raises:
        RequestParseError: On too many fields, or malformed data under
            ``strict_parsing``, or undecodable data with ``errors="strict"``.
    """
    if not data:
        return []
    if max_fields is not None and data.count(b"&") >= max_fields:
        raise RequestParseError(f"More than {max_fields} fields", limit_status)
    if strict_parsing and _BAD_PERCENT.search(data):
        raise RequestParseError("Bad percent-encoding")
    # application/x-www-form-urlencoded (WHATWG URL standard, section 5.1): "+"
    # is a space, then percent-decoding, then the charset. Latin-1 maps each
    # byte to one character, so splitting the text splits the bytes.
    text = data.decode("latin-1")
    if "+" in text:
        text = text.replace("+", " ")
    # ASCII input in an ASCII-compatible charset: only %-escapes need decoding,
    # which urllib's C-accelerated unquote does per run of escapes.
    fast = data.isascii() and encoding.lower() in _ASCII_SUPERSETS
    pairs: list[tuple[str, str]] = []
    append = pairs.append
    try:
        for field in text.split("&"):
            if not field:
                if strict_parsing:
                    raise RequestParseError("Empty field")
                continue
            name, eq, value = field.partition("=")
            if not eq and strict_parsing:
                raise RequestParseError(f"Bad field: {field[:50]!r}")
            if not value and not keep_blank_values:
                continue
            if fast:
                if "%" in name:
                    name = unquote(name, encoding, errors)
                if "%" in value:
                    value = unquote(value, encoding, errors)
            else:
                name = _decode_raw(name, encoding, errors)
                value = _decode_raw(value, encoding, errors)
            append((name, value))
    except (LookupError, ValueError) as err:
        if isinstance(err, RequestParseError):
            raise
        # LookupError: a charset named by the client that Python does not know;
        # ValueError covers UnicodeDecodeError with errors="strict".
        raise RequestParseError(f"Cannot decode fields as {encoding}: {err}") from err
    return pairs
