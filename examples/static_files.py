"""Static Files: a directory and a single file served with ``app.static``.

./static is relative to the working directory; the single file is the guide's
/home/ubuntu/test.png unless BEST_PNG names another file.
cd examples && python static_files.py      # GET /static/hello.txt
"""

import os

from sanic import Sanic

app = Sanic(__name__)

# Serves files from the static folder to the URL /static
app.static("/static", "./static")

# Serves the file /home/ubuntu/test.png when the URL /the_best.png
# is requested
app.static("/the_best.png", os.environ.get("BEST_PNG", "/home/ubuntu/test.png"))

app.run(
    host=os.environ.get("HOST", "127.0.0.1"),
    port=int(os.environ.get("PORT", 8000)),
)
