"""Request Data (later chapter): changing the parsing rules with ``get_args``.

python examples/request_get_args.py
curl 'http://127.0.0.1:8000/query_string?test1=value1&test2=&test3=value3'
"""

import os

from sanic import Sanic
from sanic.response import json

app = Sanic(__name__)


@app.route("/query_string")
def query_string(request):
    args_with_blank_values = request.get_args(keep_blank_values=True)
    return json(
        {
            "parsed": True,
            "url": request.url,
            "args_with_blank_values": args_with_blank_values,
            "query_string": request.query_string,
        }
    )


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
