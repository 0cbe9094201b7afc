"""Request Data (later chapter): ``request.endpoint`` holds the handler's name.

python examples/request_endpoint.py      # GET / answers "hello"
"""

import os

from sanic import Sanic
from sanic.response import text

app = Sanic(__name__)


@app.get("/")
def hello(request):
    return text(request.endpoint)


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
