"""Request Data: the other properties of the request, as the later chapter lists.

GET /posts/1/?foo=bar answers with headers, method, ip, port, socket, url, scheme,
host, server_name, server_port, path, query_string, uri_template, token and
request.url_for('post') as JSON. python examples/request_properties.py
"""

import os

from sanic import Sanic
from sanic.response import json

app = Sanic(__name__)


@app.route("/posts/<id>/")
async def post(request, id):
    return json(
        {
            "id": id,
            "user_agent": request.headers.get("user-agent"),
            "method": request.method,
            "ip": request.ip,
            "port": request.port,
            "socket": request.socket,
            "url": request.url,
            "scheme": request.scheme,
            "host": request.host,
            "server_name": request.server_name,
            "server_port": request.server_port,
            "path": request.path,
            "query_string": request.query_string,
            "uri_template": request.uri_template,
            "token": request.token,
            "url_for": request.url_for("post", id=2),
        }
    )


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
