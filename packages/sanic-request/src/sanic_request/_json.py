"""The JSON decoder, chosen once at import.

orjson is used when it is importable, because it decodes several times faster
than the standard library. Setting the environment variable ``SANIC_NO_ORJSON=1``
forces the standard-library decoder (for debugging or to compare behaviour); the
switch is read in ``_compat``, which sanic-http's encoder follows too.

Both decoders take the raw body bytes and agree on what they reject: invalid
UTF-8, a byte-order mark, ``NaN``/``Infinity`` (not JSON per RFC 8259 section 6)
and malformed documents all raise ``ValueError``; nesting beyond what the decoder
supports raises ``ValueError`` or ``RecursionError``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NoReturn

from . import _compat

__all__ = ["BACKEND", "loads", "stdlib_loads", "too_deep"]


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


# One decoder built at import: json.loads with keyword arguments would build a
# new JSONDecoder on every call.
_decoder = json.JSONDecoder(parse_constant=_reject_constant)


def stdlib_loads(data: bytes) -> Any:
    """Decode JSON with the standard library.

    Args:
        data: The body; must be UTF-8 (RFC 8259 section 8.1).

    Returns:
        The decoded value.
    """
    return _decoder.decode(data.decode("utf-8"))


loads: Callable[[bytes], Any]
BACKEND: str
"""``"orjson"`` or ``"json"``: the decoder behind ``loads`` (chosen once, at import)."""
if _compat.orjson is not None:
    loads, BACKEND = _compat.orjson.loads, "orjson"
else:
    loads, BACKEND = stdlib_loads, "json"


def too_deep(value: object, limit: int) -> bool:
    """Whether containers in ``value`` nest more than ``limit`` levels."""
    if not isinstance(value, (dict, list)):
        return False
    stack: list[tuple[dict[object, object] | list[object], int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        for child in children:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return False
