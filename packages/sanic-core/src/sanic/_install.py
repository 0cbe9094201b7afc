"""The install lines that sanic-core's messages print: one home for each.

The sanic-* packages are installed from the wheelhouse that ``nox -s wheels``
builds in a checkout of their repository (dist/: every package and its
dependencies), never by name from a package index: there, ``sanic-testing`` and
``sanic-router`` are other projects, which pip would prefer (higher versions).
``--no-index`` keeps it to dist/. tests/integration/test_install_lines.py runs
every line below, as every install line of the READMEs and docs, in a fresh
virtualenv.
"""

from __future__ import annotations

__all__ = ["GUNICORN", "TESTING", "hint"]

#: The test client (``app.test_client``); it brings sanic-core and aiohttp.
TESTING = "pip install --no-index --find-links dist sanic-testing"
#: ``sanic.worker.GunicornWorker``'s optional dependency.
GUNICORN = 'pip install --no-index --find-links dist "sanic-core[gunicorn]"'


def hint(line: str) -> str:
    """How to run ``line``: where, and after what (one sentence, no newline)."""
    return (
        "in a checkout of the sanic-* repository, run `nox -s wheels`, then "
        f"`{line}` (from its root; from elsewhere, give --find-links the path of "
        "its dist folder)"
    )
