"""Find the optional sanic-testing package without importing it by name.

sanic-testing sits above sanic-core in the dependency graph, so core must not
import it. It announces itself instead, through the ``sanic.plugins`` entry-point
group, and core looks it up there when ``app.test_client`` is first used.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from ._install import TESTING, hint

__all__ = ["PluginMissing", "load_plugin"]

GROUP = "sanic.plugins"


class PluginMissing(ImportError):
    """The optional package providing a feature is not installed."""


def load_plugin(name: str) -> Any:
    """Load the object registered under ``name`` in the ``sanic.plugins`` group.

    Raises:
        PluginMissing: Nothing provides it (the message says what to install).
    """
    for entry in entry_points(group=GROUP, name=name):
        return entry.load()
    raise PluginMissing(
        f"{name} needs the sanic-testing package, which is not installed: "
        f"{hint(TESTING)}"
    )
