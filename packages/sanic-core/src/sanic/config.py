"""Application configuration: a dict that also allows attribute access.

Only UPPERCASE names count as settings, the convention the loaders below rely on:
``from_object`` and ``from_pyfile`` copy the uppercase attributes they find, and
``load_environment_vars`` reads ``SANIC_``-prefixed environment variables.
"""

from __future__ import annotations

import os
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sanic_http import CONFIG_KEYS

__all__ = ["DEFAULT_CONFIG", "SANIC_PREFIX", "Config"]

SANIC_PREFIX = "SANIC_"

#: Every setting the framework reads, with its default: built from sanic-http's
#: table of configuration keys (``sanic_http.CONFIG_KEYS``), which docs/ lists.
DEFAULT_CONFIG: dict[str, Any] = {row.key: row.default for row in CONFIG_KEYS}
#: The framework's keys by name: an environment value for one of them is read
#: as its declared type (``ConfigKey.convert``).
_KEYS = {row.key: row for row in CONFIG_KEYS}


class PyFileError(Exception):
    """A configuration file exists but fails to run (``sanic.exceptions``' name).

    Raised by :meth:`Config.from_pyfile` for a syntax error or an exception inside
    the file, chained from that error (``__cause__``).

    Args:
        file: The file's path.

    Attributes:
        file: The file's path.
    """

    def __init__(self, file: str) -> None:
        super().__init__(f"Could not execute configuration file {file}")
        self.file = file


def _cast(value: str) -> Any:
    """Turn an environment string for a key the framework does not know into
    int, float or bool where it clearly is one."""
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    lowered = value.lower()
    if lowered in ("true", "yes", "on"):
        return True
    if lowered in ("false", "no", "off"):
        return False
    return value


class Config(dict[str, Any]):
    """Settings of one app: ``config["DEBUG"]`` and ``config.DEBUG`` are the same.

    Args:
        defaults: Settings to start from instead of :data:`DEFAULT_CONFIG`.
        load_env: Read ``SANIC_``-prefixed environment variables (``True``), a
            different prefix (a string), or none (``False``).
    """

    def __init__(
        self, defaults: Mapping[str, Any] | None = None, load_env: bool | str = True
    ) -> None:
        super().__init__(DEFAULT_CONFIG if defaults is None else defaults)
        if load_env:
            prefix = SANIC_PREFIX if load_env is True else str(load_env)
            self.load_environment_vars(prefix)

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"Config has no setting {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError:
            raise AttributeError(f"Config has no setting {name!r}") from None

    def from_object(self, obj: object | str) -> None:
        """Copy the uppercase attributes of an object, a class or a module.

        Args:
            obj: The object, or an import path such as ``"myapp.settings"``.
        """
        if isinstance(obj, str):
            import importlib

            obj = importlib.import_module(obj)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_pyfile(self, filename: str | os.PathLike[str]) -> bool:
        """Execute a Python file and copy its uppercase names.

        The file is read as Python source (UTF-8 unless it declares another
        encoding, PEP 263).

        Raises:
            OSError: The file cannot be read (the message names it).
            PyFileError: The file fails to run: a syntax error, or an exception
                raised inside it (chained as ``__cause__``).
        """
        path = Path(filename)
        module = types.ModuleType("config")
        module.__file__ = str(path)
        try:
            source = path.read_bytes()
        except OSError as exc:
            exc.strerror = f"Unable to load configuration file ({exc.strerror})"
            raise
        try:
            exec(compile(source, str(path), "exec"), module.__dict__)
        except Exception as exc:
            raise PyFileError(str(path)) from exc
        self.from_object(module)
        return True

    def from_envvar(self, variable_name: str) -> bool:
        """Load the Python file named by an environment variable.

        Raises:
            RuntimeError: The variable is not set.
        """
        config_file = os.environ.get(variable_name)
        if not config_file:
            raise RuntimeError(
                f"The environment variable {variable_name!r} is not set and "
                "thus configuration could not be loaded."
            )
        return self.from_pyfile(config_file)

    def load_environment_vars(self, prefix: str = SANIC_PREFIX) -> None:
        """Copy ``PREFIX_NAME=value`` variables as ``NAME``.

        A key the framework reads (``sanic_http.CONFIG_KEYS``) gets its declared
        type: ``SANIC_FORWARDED_SECRET=12345`` stays the string ``"12345"``,
        ``SANIC_REQUEST_TIMEOUT=30`` is ``30.0``, ``SANIC_KEEP_ALIVE=off`` is
        ``False``. Any other value is an int, a float or a bool where it clearly
        is one (``true``/``yes``/``on``, ``false``/``no``/``off``), else a string.

        Raises:
            ValueError: A framework key's value is not of its type (the message
                names the key, the variable and the default).
        """
        for variable, value in os.environ.items():
            if not variable.startswith(prefix) or len(variable) <= len(prefix):
                continue
            key = variable[len(prefix) :]
            row = _KEYS.get(key)
            if row is None:
                self[key] = _cast(value)
                continue
            try:
                self[key] = row.convert(value)
            except ValueError as exc:
                raise ValueError(
                    f"{exc}; set by the environment variable {variable}"
                ) from None
