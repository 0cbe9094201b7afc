"""The hardening battery: raw-socket checks of the nine promises of issue 11.

Each check is ``check(target)`` and raises :class:`Failure` when the server
breaks the promise. ``tests/integration/test_hardening_*.py`` run them against
this framework (on uvloop and on asyncio); ``bench/hardening/run.py`` runs the
same checks against Sanic 25.12 and uvicorn+Starlette.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import app_level, framing, limits, lost
from ._target import ServerProcess, Target, make_site
from ._wire import REGISTRY, Check, Failure

__all__ = [
    "PROMISES",
    "Check",
    "Failure",
    "ServerProcess",
    "Target",
    "checks",
    "launch_ours",
    "make_site",
    "ours",
]

#: Promise number -> short title (the test group's name).
PROMISES = {
    1: "framing",
    2: "header syntax",
    3: "chunked bodies",
    4: "limits",
    5: "time",
    6: "static files",
    7: "response splitting",
    8: "errors",
    9: "nothing lost",
}
_MODULES = (framing, limits, app_level, lost)  # imported for their checks
SERVER = Path(__file__).with_name("server.py")


def checks(promise: int) -> list[Check]:
    """The checks of one promise, in definition order."""
    return list(REGISTRY[promise])


def launch_ours(site: Path, loop: str) -> ServerProcess:
    """Start this framework's battery app on ``loop`` ("uvloop" or "asyncio")."""
    env = {"SITE": str(site), "SANIC_NO_UVLOOP": "1" if loop == "asyncio" else ""}
    return ServerProcess([sys.executable, str(SERVER)], env)


@contextmanager
def ours(loop: str, root: Path) -> Iterator[Target]:
    """This framework's battery app on ``loop``, with its site made in ``root``.

    Fails at the end unless the server survived and stops cleanly (exit 0).
    """
    site = make_site(root)
    process = launch_ours(site, loop)
    yield Target(f"ours-{loop}", process, site, lambda: launch_ours(site, loop))
    assert process.alive(), "the server died during the battery"
    assert process.stop() == 0, "the server did not stop cleanly"
