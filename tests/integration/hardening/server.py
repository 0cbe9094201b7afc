"""The battery's app on this framework: ``PORT=8000 SITE=dir python server.py``.

``SANIC_NO_UVLOOP=1`` selects plain asyncio. The routes and limits are in
``routes.py``, which bench/hardening/peer_sanic.py serves on Sanic 25.12.
"""

from __future__ import annotations

import os
from pathlib import Path

from routes import install

from sanic import Sanic

app = Sanic("hardening", load_env=False)
install(app, Path(os.environ["SITE"]))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]))
