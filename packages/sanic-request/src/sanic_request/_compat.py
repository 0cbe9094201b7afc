"""Environment switches and optional accelerators, decided once at import.

Every ``SANIC_NO_*`` switch of every sanic-* package is read by :func:`env_flag`,
so they all follow one rule. The value is stripped and lower-cased, then:

* ``1``, ``true``, ``yes``, ``on``: the switch is set (the pure-Python path is
  forced);
* unset, empty, ``0``, ``false``, ``no``, ``off``: the switch is not set;
* anything else: a ``RuntimeWarning`` naming the variable, and the switch counts
  as set, since the variables only exist to force the pure path, which is always
  correct (only slower).

sanic-request reads ``SANIC_NO_ORJSON``: :data:`orjson` is the orjson module
when it is importable and the switch is not set, otherwise ``None``. sanic-http
imports this module's decision for its encoder, so the request decoder and the
response encoder always agree.
"""

from __future__ import annotations

import importlib
import os
import warnings
from types import ModuleType

__all__ = ["env_flag", "optional_module", "orjson"]

_SET = frozenset({"1", "true", "yes", "on"})
_UNSET = frozenset({"", "0", "false", "no", "off"})


def env_flag(name: str) -> bool:
    """Read an on/off environment switch with the rule in the module docstring.

    Args:
        name: The environment variable, such as ``"SANIC_NO_ORJSON"``.

    Returns:
        Whether the switch is set.
    """
    raw = os.environ.get(name, "")
    value = raw.strip().lower()
    if value in _SET:
        return True
    if value in _UNSET:
        return False
    warnings.warn(
        f"{name}={raw!r} is not one of 1/true/yes/on or 0/false/no/off; "
        f"treating {name} as set",
        RuntimeWarning,
        stacklevel=2,
    )
    return True


def optional_module(name: str, switch: str) -> ModuleType | None:
    """Import an optional accelerator unless its switch is set.

    Args:
        name: The module to import, such as ``"orjson"``.
        switch: The environment variable that turns it off (see :func:`env_flag`).

    Returns:
        The module, or ``None`` when the switch is set or it is not installed.
    """
    if env_flag(switch):
        return None
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


#: The fast JSON library for the decoder and the encoder, or ``None``.
orjson: ModuleType | None = optional_module("orjson", "SANIC_NO_ORJSON")
