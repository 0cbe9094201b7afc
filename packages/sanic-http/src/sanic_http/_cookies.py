"""Response cookies: ``response.cookies[name] = value`` and its attributes.

Each cookie becomes its own ``Set-Cookie`` header line (RFC 6265 §4.1). Names must be
tokens; values outside the RFC's cookie-octet set are sent quoted with backslash
escapes (the form ``http.cookies`` reads back), so no control character, CR or LF can
ever reach the wire. Attribute values are checked when set, not when sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone

from ._syntax import TOKEN as _TOKEN

__all__ = ["Cookie", "CookieJar", "format_http_date"]

# RFC 6265 §4.1.1 cookie-octet: what a value may contain without quoting.
_COOKIE_OCTETS = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*")
# Characters escaped inside a quoted value: DQUOTE and backslash get a backslash,
# controls, comma and semicolon an octal escape (what ``http.cookies`` unquotes).
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f",;\\]')
# Attribute values are free text in RFC 6265, but must not end the attribute (;) or
# the header line (CR, LF, other controls).
_BAD_ATTRIBUTE = re.compile(r"[\x00-\x1f\x7f;]")

_FLAGS = frozenset({"secure", "httponly", "partitioned"})
# Attribute key -> the name written on the wire, in output order.
_ATTRIBUTES = {
    "path": "Path",
    "domain": "Domain",
    "max-age": "Max-Age",
    "expires": "Expires",
    "secure": "Secure",
    "httponly": "HttpOnly",
    "samesite": "SameSite",
    "partitioned": "Partitioned",
    "comment": "Comment",
}
_SAMESITE = {"strict": "Strict", "lax": "Lax", "none": "None"}

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def format_http_date(moment: datetime) -> str:
    """Format a datetime as an RFC 9110 §5.6.7 IMF-fixdate in GMT.

    Independent of the process locale (``strftime`` is not). A naive datetime is
    taken to be UTC.

    Args:
        moment: The time to format.

    Returns:
        For example ``"Sun, 06 Nov 1994 08:49:37 GMT"``.
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return (
        f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} "
        f"{moment.year:04d} {moment.hour:02d}:{moment.minute:02d}:"
        f"{moment.second:02d} GMT"
    )


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in '"\\':
        return "\\" + char
    return f"\\{ord(char):03o}"


def _quote(value: str) -> str:
    if _COOKIE_OCTETS.fullmatch(value):
        return value
    return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'


class Cookie:
    """One response cookie: a name, a value and its attributes.

    Attributes are set like dictionary items with the guide's keys: ``expires``
    (datetime), ``path`` (defaults to ``/``), ``comment``, ``domain``, ``max-age``
    (seconds), ``secure``, ``httponly``, ``samesite`` (``Strict``/``Lax``/``None``)
    and ``partitioned``. Any other key raises ``KeyError``.

    Args:
        key: The cookie name (an RFC 9110 token).
        value: The cookie value; quoted on output when it needs to be.

    Raises:
        ValueError: If the name is not a token.
    """

    __slots__ = ("_attributes", "key", "value")

    def __init__(self, key: str, value: str) -> None:
        if not isinstance(key, str) or not _TOKEN.fullmatch(key):
            raise ValueError(f"invalid cookie name: {key!r}")
        self.key = key
        self.value = str(value)
        self._attributes: dict[str, object] = {"path": "/"}

    def __getitem__(self, key: str) -> object:
        return self._attributes[self._check_key(key)]

    def __setitem__(self, key: str, value: object) -> None:
        key = self._check_key(key)
        self._attributes[key] = self._check_value(key, value)

    def __delitem__(self, key: str) -> None:
        del self._attributes[self._check_key(key)]

    def __contains__(self, key: object) -> bool:
        return key in self._attributes

    def __iter__(self) -> Iterator[str]:
        return iter(self._attributes)

    def __len__(self) -> int:
        return len(self._attributes)

    def get(self, key: str, default: object = None) -> object:
        """Return an attribute, or ``default`` when it is not set."""
        return self._attributes.get(self._check_key(key), default)

    def __repr__(self) -> str:
        return f"<Cookie {self.output()!r}>"

    @staticmethod
    def _check_key(key: str) -> str:
        lowered = key.lower() if isinstance(key, str) else key
        if lowered not in _ATTRIBUTES:
            raise KeyError(f"unknown cookie attribute: {key!r}")
        return lowered

    @staticmethod
    def _check_value(key: str, value: object) -> object:
        if key in _FLAGS:
            return bool(value)
        if key == "max-age":
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                raise TypeError("max-age must be an integer number of seconds")
            # RFC 6265 §5.2.2: an optional minus sign and digits.
            if isinstance(value, str) and not re.fullmatch(r"-?[0-9]+", value):
                raise ValueError(f"max-age must be an integer: {value!r}")
            return int(value)
        if key == "expires":
            if isinstance(value, datetime):
                return value
            if not isinstance(value, str):
                raise TypeError("expires must be a datetime")
        if value is None or value is False:
            return None
        text = str(value)
        if key == "samesite":
            if text.lower() not in _SAMESITE:
                raise ValueError(f"samesite must be Strict, Lax or None: {text!r}")
            return _SAMESITE[text.lower()]
        if _BAD_ATTRIBUTE.search(text):
            raise ValueError(f"invalid character in cookie {key}: {text!r}")
        return text

    def output(self) -> str:
        """Return the ``Set-Cookie`` field value for this cookie."""
        parts = [f"{self.key}={_quote(self.value)}"]
        attributes = self._attributes
        for key, name in _ATTRIBUTES.items():
            value = attributes.get(key)
            if value is None or value is False:
                continue
            if value is True:
                parts.append(name)
            elif isinstance(value, datetime):
                parts.append(f"{name}={format_http_date(value)}")
            else:
                parts.append(f"{name}={value}")
        return "; ".join(parts)

    def encode(self, encoding: str = "utf-8") -> bytes:
        """Return the ``Set-Cookie`` field value as bytes (Sanic 0.4's name).

        Args:
            encoding: The character encoding; UTF-8, as the response head is
                written, by default.

        Raises:
            UnicodeEncodeError: If the value has a character ``encoding`` lacks.
        """
        return self.output().encode(encoding)


class CookieJar:
    """The cookies a response sets, by name.

    ``jar[name] = value`` sets (or replaces the value of) a cookie and returns it for
    attribute edits through ``jar[name]``. ``del jar[name]`` follows the guide:

    - for a cookie set earlier on this response, it undoes that: no ``Set-Cookie``
      is sent for the name, ``jar[name]`` raises ``KeyError``, and the browser's
      cookie remains unchanged;
    - for a name this response has not set, it sends a deletion: an empty value with
      ``Max-Age=0`` (RFC 6265 §5.2.2) and ``Path=/``. ``jar[name]`` is that deletion,
      so its ``path``, ``domain``, ``secure``, ... can be set to match the cookie
      the browser has.

    Setting a name again after ``del`` starts a fresh cookie.
    """

    __slots__ = ("_cookies", "_deleted")

    def __init__(self) -> None:
        self._cookies: dict[str, Cookie] = {}
        self._deleted: set[str] = set()

    def __setitem__(self, name: str, value: str) -> None:
        cookie = self._cookies.get(name)
        if cookie is None or name in self._deleted:
            self._cookies[name] = Cookie(name, value)
            self._deleted.discard(name)
        else:
            cookie.value = str(value)

    def __getitem__(self, name: str) -> Cookie:
        return self._cookies[name]

    def __delitem__(self, name: str) -> None:
        deleted = self._deleted
        if name in deleted:
            return  # already a deletion
        if name in self._cookies:
            # Set earlier on this response: forget it, the browser keeps its own.
            del self._cookies[name]
            return
        cookie = self._cookies[name] = Cookie(name, "")
        cookie["max-age"] = 0
        deleted.add(name)

    def __contains__(self, name: object) -> bool:
        return name in self._cookies

    def __iter__(self) -> Iterator[str]:
        return iter(self._cookies)

    def __len__(self) -> int:
        return len(self._cookies)

    def __bool__(self) -> bool:
        return bool(self._cookies)

    def get(self, name: str, default: Cookie | None = None) -> Cookie | None:
        """Return the cookie called ``name``, or ``default``."""
        return self._cookies.get(name, default)

    def values(self) -> list[Cookie]:
        """Return the cookies in the order they were first set."""
        return list(self._cookies.values())

    def header_lines(self) -> str:
        """Return one ``Set-Cookie: ...\\r\\n`` line per cookie, joined."""
        return "".join(
            f"Set-Cookie: {cookie.output()}\r\n" for cookie in self._cookies.values()
        )
