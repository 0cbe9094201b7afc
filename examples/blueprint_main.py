"""Blueprints, "Registering blueprints": the app that registers my_blueprint.py.

python examples/blueprint_main.py      # GET / -> {"my": "blueprint"}
"""

import os

from my_blueprint import bp

from sanic import Sanic

app = Sanic(__name__)
app.blueprint(bp)

app.run(
    host=os.environ.get("HOST", "127.0.0.1"),
    port=int(os.environ.get("PORT", 8000)),
    debug=True,
)
