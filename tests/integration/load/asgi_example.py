"""``uvicorn asgi_example:app``: a guide example's app, for an ASGI server.

The example (``examples/<SANIC_EXAMPLE>``) is imported with ``app.run`` replaced
by a recorder, as the ``example`` fixture imports it for the test clients (the
guide's Getting Started file calls ``app.run()`` unguarded); ``debug=True``
given to ``app.run`` becomes the ``DEBUG`` config key, which is how an ASGI
deployment sets it.
"""

import importlib.util
import os
import sys
from pathlib import Path

from sanic import Sanic

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
runs = []
original_run = Sanic.run


def record_run(self, *args, **kwargs):
    runs.append(kwargs)


Sanic.run = record_run
sys.path.insert(0, str(EXAMPLES))
try:
    script = os.environ["SANIC_EXAMPLE"]
    spec = importlib.util.spec_from_file_location(
        f"_asgi_{Path(script).stem}", EXAMPLES / script
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
finally:
    Sanic.run = original_run

app = module.app
if runs and runs[0].get("debug"):
    app.config.DEBUG = True
