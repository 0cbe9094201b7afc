"""Class-Based Views, "URL Building": the class name is the endpoint name.

python examples/class_view_url_for.py      # GET / redirects to /special_class_view
"""

import os

from sanic import Sanic
from sanic.response import redirect, text
from sanic.views import HTTPMethodView

app = Sanic(__name__)


@app.route("/")
def index(request):
    url = app.url_for("SpecialClassView")
    return redirect(url)


class SpecialClassView(HTTPMethodView):
    def get(self, request):
        return text("Hello from the Special Class View!")


app.add_route(SpecialClassView.as_view(), "/special_class_view")

if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
