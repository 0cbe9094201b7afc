"""Request Data (later chapter): ``request.args`` versus ``request.query_args``.

python examples/request_args.py
curl 'http://127.0.0.1:8000/test_request_args?key1=value1&key2=value2&key1=value3'
"""

import os

from sanic import Sanic
from sanic.response import json

app = Sanic(__name__)


@app.route("/test_request_args")
async def test_request_args(request):
    return json(
        {
            "parsed": True,
            "url": request.url,
            "query_string": request.query_string,
            "args": request.args,
            "query_args": request.query_args,
        }
    )


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
