"""The battery's app on Sanic 25.12 (run by the peer venv's interpreter).

``PORT=8000 SITE=dir python peer_sanic.py``: the routes and limits of
tests/integration/hardening/routes.py, which server.py serves on this framework.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sanic import Sanic

HARDENING = Path(__file__).resolve().parents[2] / "tests" / "integration" / "hardening"
sys.path.insert(0, str(HARDENING))

from routes import install  # noqa: E402  (found through the path set above)

app = Sanic("hardening_peer")
install(app, Path(os.environ["SITE"]))


if __name__ == "__main__":
    app.run(
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        single_process=True,
        access_log=False,
        motd=False,
    )
