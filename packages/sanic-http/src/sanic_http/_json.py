"""JSON encoding for responses, with the fast encoder chosen once at import.

orjson is used exactly when sanic-request decodes request bodies with it (it is
importable and ``SANIC_NO_ORJSON`` is not set; see ``_compat``), so a request's
decoder and its response's encoder are chosen once, together; otherwise the
standard library. Both produce compact output (no spaces after
separators) and share one ``default`` hook, so the values the guide's examples return
serialise the same way on either path: bytes become UTF-8 text, sets, tuples,
dictionary views and generators become lists.
"""

from __future__ import annotations

import dataclasses
import enum
import json as _stdlib_json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, time
from typing import Any

from ._compat import orjson as _orjson

__all__ = ["USING_ORJSON", "json_default", "json_dumps", "json_dumps_bytes"]


def json_default(value: Any) -> Any:
    """Turn a value JSON does not know into one it does.

    Args:
        value: The object the encoder could not serialise.

    Returns:
        A JSON-ready replacement.

    Raises:
        TypeError: If the value has no sensible JSON form.
    """
    return _convert(value, list)


def _convert(value: Any, listed: Callable[[Iterable[Any]], list[Any]]) -> Any:
    """``json_default`` with the step that reads other iterables given."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, Iterable):
        # Sets, tuples, dictionary views, generators and other iterables.
        return listed(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_COMPACT = (",", ":")


def _stdlib_dumps(value: Any, default: Callable[[Any], Any] = json_default) -> str:
    return _stdlib_json.dumps(
        value, separators=_COMPACT, ensure_ascii=False, default=default
    )


def _stdlib_dumps_bytes(value: Any) -> bytes:
    return _stdlib_dumps(value).encode("utf-8")


def _read_once(iterable: Iterable[Any]) -> list[Any]:
    """``json_default``'s last step in a first attempt that may be retried: an
    iterator (a generator, say) is refused, as the retry could not read it again."""
    if isinstance(iterable, Iterator):
        raise TypeError("an iterator is read once: left to the retry")
    return list(iterable)


def _first_default(value: Any) -> Any:
    return _convert(value, _read_once)


def _retry_default() -> Callable[[Any], Any]:
    """A ``json_default`` for one value's retries: each iterator in it is read
    once, and every later attempt gets the same list."""
    seen: dict[int, tuple[Iterable[Any], list[Any]]] = {}

    def listed(iterable: Iterable[Any]) -> list[Any]:
        entry = seen.get(id(iterable))
        if entry is None:
            # The iterable is kept beside its list, so its id stays its own.
            entry = seen[id(iterable)] = (iterable, list(iterable))
        return entry[1]

    def default(value: Any) -> Any:
        return _convert(value, listed)

    return default


#: Whether the fast encoder is in use (decided once, at import).
USING_ORJSON: bool = _orjson is not None

#: Serialise a value to compact UTF-8 JSON bytes with the fast encoder (what
#: ``json()`` sends when given no encoder options).
json_dumps_bytes: Callable[[Any], bytes]
if _orjson is not None:
    _orjson_dumps = _orjson.dumps
    # Non-str keys as text, as the standard library does; subclasses of dict (such
    # as RequestParameters) stay dicts, which is orjson's default. The option
    # makes orjson check every key's type (about 40% more instructions for a
    # 1 KiB document), so it is only asked for when the plain call fails.
    _OPTIONS: int = _orjson.OPT_NON_STR_KEYS

    def _orjson_dumps_bytes(value: Any) -> bytes:
        try:
            result: bytes = _orjson_dumps(value, default=_first_default)
            return result
        except TypeError:
            pass
        # A non-str key, an iterator, or what orjson refuses and the standard
        # library accepts (integers past 64 bits, for one).
        default = _retry_default()
        try:
            result = _orjson_dumps(value, default=default, option=_OPTIONS)
            return result
        except TypeError:
            return _stdlib_dumps(value, default).encode("utf-8")

    json_dumps_bytes = _orjson_dumps_bytes
else:
    json_dumps_bytes = _stdlib_dumps_bytes


def json_dumps(value: Any, **kwargs: Any) -> str:
    """Serialise ``value`` to compact JSON text.

    Without keyword arguments the fast encoder is used. With them (``indent``,
    ``sort_keys``, ...) the standard library's ``json.dumps`` is called with the same
    compact separators and default hook unless overridden.

    Args:
        value: The object to serialise.
        **kwargs: Options for ``json.dumps``.

    Returns:
        The encoded document.
    """
    if not kwargs:
        return json_dumps_bytes(value).decode("utf-8")
    kwargs.setdefault("default", json_default)
    kwargs.setdefault("ensure_ascii", False)
    if "indent" not in kwargs:
        kwargs.setdefault("separators", _COMPACT)
    return _stdlib_json.dumps(value, **kwargs)
