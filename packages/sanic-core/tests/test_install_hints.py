"""A missing optional package is named with the line that installs it from this
repository's wheelhouse (never a bare name, which a package index resolves to
another project). tests/integration/test_install_lines.py runs the lines."""

from __future__ import annotations

import importlib
import sys

import pytest

WHEELHOUSE = "pip install --no-index --find-links dist"


def test_the_missing_test_client_names_the_line_that_installs_it(monkeypatch):
    import sanic._plugins as plugins
    from sanic import Sanic

    monkeypatch.setattr(plugins, "entry_points", lambda **_: [])
    with pytest.raises(ImportError) as raised:
        Sanic("hints").test_client
    message = str(raised.value)
    assert message == (
        "test_client needs the sanic-testing package, which is not installed: in a "
        "checkout of the sanic-* repository, run `nox -s wheels`, then "
        f"`{WHEELHOUSE} sanic-testing` (from its root; from elsewhere, give "
        "--find-links the path of its dist folder)"
    )
    assert "\n" not in message


def test_the_gunicorn_worker_without_gunicorn_names_the_extra(monkeypatch):
    monkeypatch.delitem(sys.modules, "sanic.worker", raising=False)
    monkeypatch.setitem(sys.modules, "gunicorn", None)
    with pytest.raises(ModuleNotFoundError) as raised:
        importlib.import_module("sanic.worker")
    assert raised.value.name == "gunicorn"
    assert str(raised.value).startswith(
        "sanic.worker needs gunicorn, which is not installed: in a checkout of the "
        f"sanic-* repository, run `nox -s wheels`, then `{WHEELHOUSE} "
        '"sanic-core[gunicorn]"` (from its root;'
    )
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
