"""Using CompositionView: handlers added per method, a lambda included.

python examples/composition_view.py      # GET, POST and PUT on /
"""

import os

from sanic import Sanic
from sanic.response import text
from sanic.views import CompositionView

app = Sanic(__name__)


def get_handler(request):
    return text("I am a get method")


view = CompositionView()
view.add(["GET"], get_handler)
view.add(["POST", "PUT"], lambda request: text("I am a post/put method"))

# Use the new view to handle requests to the base URL
app.add_route(view, "/")

if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
