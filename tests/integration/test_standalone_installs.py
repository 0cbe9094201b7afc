"""Each package installs on its own and brings only what ARCHITECTURE.md allows.

Every case builds a fresh virtualenv, installs from this checkout by path (the
siblings a package needs are named in the same command, so nothing is looked up on
an index under our names) and compares the installed distributions.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
TIMEOUT = 300

pytestmark = pytest.mark.skipif(
    not Path(UV).exists(), reason="uv is needed to build throwaway virtualenvs"
)

# The distributions each install may add (normalised names), besides the package.
EXPECTED = {
    "sanic-router": ({"sanic-router"}, set()),
    "sanic-request": ({"sanic-request"}, {"multidict", "typing-extensions"}),
    "sanic-http": (
        {"sanic-request", "sanic-http"},
        {"multidict", "typing-extensions", "httptools", "uvloop", "websockets"},
    ),
    "sanic-views": (
        {"sanic-request", "sanic-http", "sanic-views"},
        {"multidict", "typing-extensions", "httptools", "uvloop", "websockets"},
    ),
}
# The framework, which also brings the fast JSON library (the libraries alone do not).
CORE = ["sanic-router", "sanic-request", "sanic-http", "sanic-views", "sanic-core"]
CORE_THIRD_PARTY = {
    "multidict",
    "typing-extensions",
    "httptools",
    "uvloop",
    "orjson",
    "websockets",
}


def _venv(tmp_path: Path) -> Path:
    subprocess.run(
        [UV, "venv", "-q", "--python", sys.executable, str(tmp_path / "venv")],
        check=True,
        timeout=TIMEOUT,
    )
    return tmp_path / "venv" / "bin" / "python"


def _install(python: Path, *dists: str) -> set[str]:
    paths = [str(ROOT / "packages" / dist) for dist in dists]
    refresh = [arg for dist in dists for arg in ("--reinstall-package", dist)]
    subprocess.run(
        [UV, "pip", "install", "-q", "--python", str(python), *paths, *refresh],
        check=True,
        timeout=TIMEOUT,
    )
    listed = subprocess.run(
        [UV, "pip", "list", "--python", str(python), "--format", "json"],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )
    names = (item["name"] for item in json.loads(listed.stdout))
    return {name.lower().replace("_", "-") for name in names}


@pytest.mark.parametrize("dist", sorted(EXPECTED))
def test_installs_only_what_it_declares(tmp_path, dist):
    ours, third_party = EXPECTED[dist]
    python = _venv(tmp_path)
    installed = _install(python, *sorted(ours))
    assert ours <= installed
    assert installed - ours <= third_party, installed - ours
    assert "orjson" not in installed
    assert not {name for name in installed if name.startswith("sanic")} - ours


def test_router_example_runs_with_nothing_else(tmp_path):
    python = _venv(tmp_path)
    assert _install(python, "sanic-router") == {"sanic-router"}
    code = (
        "from sanic_router import Router\n"
        "r = Router()\n"
        "r.add('/user/<id:int>', ['GET'], 'user')\n"
        "r.finalize()\n"
        "m = r.get('/user/5', 'GET')\n"
        "print(m.route.handler, m.params)\n"
    )
    out = subprocess.run(
        [str(python), "-c", code], check=True, capture_output=True, timeout=TIMEOUT
    )
    assert out.stdout.decode().strip() == "user {'id': 5}"


def test_core_gives_a_working_app(tmp_path):
    python = _venv(tmp_path)
    installed = _install(python, *CORE)
    assert "orjson" in installed
    assert installed - set(CORE) <= CORE_THIRD_PARTY, installed - set(CORE)
    code = (
        "from sanic import Sanic\n"
        "from sanic.response import json\n"
        "app = Sanic(__name__)\n"
        "@app.route('/')\n"
        "async def test(request):\n"
        "    return json({'hello': 'world'})\n"
        "app.router.finalize()\n"
        "print(app.router.get('/', 'GET').route.handler.__name__)\n"
        "import sanic_request, sanic_http._json as j\n"
        "print(sanic_request.JSON_BACKEND, j.USING_ORJSON)\n"
        "try:\n"
        "    app.test_client\n"
        "except ImportError as exc:\n"
        "    print('sanic-testing' in str(exc))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANIC_NO_")}
    out = subprocess.run(
        [str(python), "-c", code],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
        env=env,
    )
    # A default install decodes and encodes JSON with orjson (CPython).
    assert out.stdout.decode().split() == ["test", "orjson", "True", "True"]
