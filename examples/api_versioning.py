"""Blueprints, "Use-case: API versioning": the guide's main.py for blueprints.py.

python examples/api_versioning.py      # GET /v1 and GET /v2
"""

import os

from blueprints import blueprint_v1, blueprint_v2

from sanic import Sanic

app = Sanic(__name__)
app.blueprint(blueprint_v1, url_prefix="/v1")
app.blueprint(blueprint_v2, url_prefix="/v2")

app.run(
    host=os.environ.get("HOST", "127.0.0.1"),
    port=int(os.environ.get("PORT", 8000)),
    debug=True,
)
