"""Path parameter converters: one registry used both to match and to build URLs.

Every converter knows how to recognise a (percent-decoded) path segment, how to
turn it into a Python value, and how to turn a value back into a segment. Matching
and ``url_for`` share these objects, so they cannot disagree about what a
parameter looks like.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

__all__ = ["CONVERTERS", "Converter", "regex_converter"]

# A checker answers "may this whole segment fit?" with a truthy value; None
# means "any non-empty text", which the matcher tests without a function call.
Checker = Callable[[str], object]


class Converter:
    """How one kind of path parameter is matched, parsed and formatted.

    Args:
        name: The name used in templates, such as ``int`` in ``<id:int>``.
        pattern: A regular expression a segment must match as a whole, or None to
            accept any non-empty segment.
        parse: Turns the matched, percent-decoded text into the handler's value.
        format: Turns a value given to ``url_for`` into text; raises ``TypeError``
            or ``ValueError`` for a value of the wrong type.
        priority: Lower numbers are tried first where several dynamic routes
            could match the same segment (more specific converters win).
        spans_segments: True if a value may contain ``/`` and so stretch over
            several segments (the ``path`` converter); such a parameter is tried
            after every one-segment parameter.
        slashes: True if a value may contain ``/`` although the parameter is
            tried as one segment first (a pattern such as ``.+\\.txt``): it also
            stretches over several segments where nothing else matched. Defaults
            to ``spans_segments``.
        check: A cheaper stand-in for the pattern test on the matching hot path;
            ``parse`` must raise ``ValueError`` for any text it lets through
            that the pattern would refuse. Defaults to the pattern itself.
    """

    __slots__ = (
        "_fullmatch",
        "check",
        "format",
        "name",
        "parse",
        "pattern",
        "priority",
        "slashes",
        "spans",
    )

    def __init__(
        self,
        name: str,
        pattern: str | None,
        parse: Callable[[str], object] = str,
        format: Callable[[Any], str] | None = None,
        priority: int = 50,
        spans_segments: bool = False,
        check: Checker | None = None,
        slashes: bool | None = None,
    ) -> None:
        self.name = name
        self.pattern = pattern
        self.parse = parse
        self.format = format if format is not None else _format_text
        self.priority = priority
        self.spans = spans_segments
        self.slashes = spans_segments or bool(slashes)
        self._fullmatch: Checker | None = (
            re.compile(pattern).fullmatch if pattern is not None else None
        )
        self.check = check if check is not None else self._fullmatch

    @property
    def key(self) -> tuple[str, str | None]:
        """Identity for the matching tree: two converters with the same key match
        the same segments, so routes using them share a tree node."""
        return (self.name, self.pattern)

    def accepts(self, text: str) -> bool:
        """Tell whether a percent-decoded segment fits this converter.

        Args:
            text: The decoded segment (or span of segments for ``path``).

        Returns:
            True if the route would match it.
        """
        if not text:
            return False
        return self._fullmatch is None or self._fullmatch(text) is not None

    def to_url(self, value: object) -> str:
        """Format a ``url_for`` value, refusing one this converter would not match.

        Args:
            value: The value passed to ``url_for``.

        Returns:
            The decoded segment text (still to be percent-encoded).

        Raises:
            ValueError: The value is of the wrong type or does not fit.
        """
        try:
            text = self.format(value)
        except TypeError as exc:
            raise ValueError(str(exc)) from None
        if not self.accepts(text):
            raise ValueError(f"{text!r} does not match <:{self.name}>")
        return text

    def __repr__(self) -> str:
        return f"Converter({self.name!r}, {self.pattern!r})"


def _format_text(value: object) -> str:
    if isinstance(value, (str, int, float, uuid.UUID)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected text, got {type(value).__name__}")


def _format_int(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"expected an int, got {type(value).__name__}")


def _format_number(value: object) -> str:
    if isinstance(value, bool):
        raise TypeError("expected a number, got bool")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError(f"expected a finite number, got {value!r}")
        # repr() is the shortest text that float() turns back into the same value.
        return repr(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _format_uuid(value: object) -> str:
    if isinstance(value, (uuid.UUID, str)):
        return str(value)
    raise TypeError(f"expected a UUID, got {type(value).__name__}")


# ASCII classes on purpose: Python's \d also matches digits such as "²" that
# int() refuses, and a match must always parse.
_INT = r"-?[0-9]+"
_NUMBER = r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_UUID = r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"

_STRING = Converter("string", None, priority=90)
_NUMBER_CONV = Converter("number", _NUMBER, float, _format_number, priority=20)

CONVERTERS: Mapping[str, Converter] = MappingProxyType(
    {
        "string": _STRING,
        "str": _STRING,
        # Text of digits and "-" only is an int exactly when int() accepts it,
        # and a set test is cheaper than the regex on every request.
        "int": Converter(
            "int",
            _INT,
            int,
            _format_int,
            priority=10,
            check=frozenset("0123456789-").issuperset,
        ),
        "number": _NUMBER_CONV,
        "float": _NUMBER_CONV,
        "uuid": Converter("uuid", _UUID, uuid.UUID, _format_uuid, priority=30),
        "alpha": Converter("alpha", r"[A-Za-z]+", priority=40),
        "path": Converter("path", None, priority=100, spans_segments=True),
    }
)
"""The built-in converters by template name (``str`` and ``float`` are aliases)."""

# Custom patterns rank after the built-in typed converters and before plain text.
_REGEX_PRIORITY = 50


def regex_converter(pattern: str) -> Converter:
    """Build the converter for a custom pattern such as ``[A-z0-9]{0,4}``.

    A pattern that may match a ``/`` spans segments, like ``path``: one that
    matches a lone ``/`` (``.+``, ``[^.]+``) or mentions ``/`` anywhere but in a
    negated class (``[A-Za-z0-9/]+``, ``\\d+/\\d+``). Another pattern with a piece
    that can match ``/`` (``.``, a class admitting it, ``\\S``: ``.+\\.txt``,
    ``[^/].*``) is tried as one segment in its place, and over several segments
    after everything else (``slashes``). Any other pattern matches one whole
    segment (``[^/]+`` is one segment).

    Args:
        pattern: A regular expression the whole value must match.

    Returns:
        A converter whose values are the matched text.

    Raises:
        re.error: The pattern does not compile.
    """
    spans = re.compile(pattern).fullmatch("/") is not None or _mentions_slash(pattern)
    return Converter(
        "regex",
        pattern,
        priority=_REGEX_PRIORITY,
        spans_segments=spans,
        slashes=spans or _may_match_slash(pattern),
    )


def _may_match_slash(pattern: str) -> bool:
    """Tell whether a piece of a pattern can match ``/``: ``.``, a ``/``, a class
    that admits it (``[^.]``, ``[!-~]``) or an escape such as ``\\S`` or ``\\x2f``.
    """
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            kind = pattern[i + 1 : i + 2]
            end = i + {"x": 4, "u": 6, "U": 10}.get(kind, 2)
            if kind == "N":
                end = pattern.find("}", i) + 1 or n
            elif kind.isdigit():
                while end < min(i + 4, n) and pattern[end] in "01234567":
                    end += 1
            if _admits_slash(pattern[i:end]):
                return True
            i = end
        elif char == "[":
            end = i + 1
            end += pattern[end : end + 1] == "^"
            end += pattern[end : end + 1] == "]"  # a "]" first in a class is literal
            while end < n and pattern[end] != "]":
                end += 2 if pattern[end] == "\\" else 1
            if _admits_slash(pattern[i : end + 1]):
                return True
            i = end + 1
        elif char in "./":
            return True
        else:
            i += 1
    return False


def _admits_slash(piece: str) -> bool:
    try:
        return re.fullmatch(piece, "/") is not None
    except re.error:
        return False


def _mentions_slash(pattern: str) -> bool:
    """Tell whether ``/`` occurs in a pattern other than inside a ``[^...]``."""
    negated = False  # inside a negated class
    in_class = False
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            if pattern[i + 1 : i + 2] == "/" and not negated:
                return True
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = negated = False
            elif char == "/" and not negated:
                return True
        elif char == "[":
            in_class = True
            i += 1
            if pattern[i : i + 1] == "^":
                negated = True
                i += 1
            if pattern[i : i + 1] == "]":  # a "]" first in a class is literal
                i += 1
            continue
        elif char == "/":
            return True
        i += 1
    return False
