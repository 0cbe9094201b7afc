"""SSL Example: serve HTTPS with an ``SSLContext``.

The certificate and key paths come from SSL_CERT and SSL_KEY, e.g. a self-signed
pair made with:
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
      -addext subjectAltName=IP:127.0.0.1 -keyout key.pem -out cert.pem
SSL_CERT=cert.pem SSL_KEY=key.pem python examples/ssl_example.py
"""

import os
import ssl

from sanic import Sanic
from sanic.response import json

app = Sanic(__name__)


@app.route("/")
async def test(request):
    return json({"hello": "world", "scheme": request.scheme})


context = ssl.create_default_context(purpose=ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(
    os.environ.get("SSL_CERT", "/path/to/cert"),
    keyfile=os.environ.get("SSL_KEY", "/path/to/keyfile"),
)

app.run(
    host=os.environ.get("HOST", "127.0.0.1"),
    port=int(os.environ.get("PORT", 8443)),
    ssl=context,
)
