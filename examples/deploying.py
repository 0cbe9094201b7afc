"""Deploying: ``app.run`` keyword arguments, here ``sock`` and ``backlog``.

The app accepts connections from a socket the program binds itself (as a process
manager handing over a socket would); debug stays at its default, off.
python examples/deploying.py
"""

import os
import socket

from sanic import Sanic
from sanic.response import json

app = Sanic(__name__)


@app.route("/")
async def test(request):
    return json({"debug": request.app.config.DEBUG, "port": request.server_port})


sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind((os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", 8000))))

app.run(sock=sock, backlog=100)
