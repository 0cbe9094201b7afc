"""Class-Based Views: SimpleView, NameView and ViewWithDecorator.

The guide's ViewWithDecorator.get takes ``name`` but is routed at /url, which has
no parameter; here it is routed at /url/<name> so the method can be called.
``some_decorator_here`` is a real decorator: it adds an X-Decorated header.
python examples/class_views.py
"""

import os
from functools import wraps

from sanic import Sanic
from sanic.response import text
from sanic.views import HTTPMethodView

app = Sanic("some_name")


class SimpleView(HTTPMethodView):
    def get(self, request):
        return text("I am get method")

    def post(self, request):
        return text("I am post method")

    def put(self, request):
        return text("I am put method")

    def patch(self, request):
        return text("I am patch method")

    def delete(self, request):
        return text("I am delete method")


app.add_route(SimpleView.as_view(), "/")


class NameView(HTTPMethodView):
    def get(self, request, name):
        return text("Hello {}".format(name))


app.add_route(NameView.as_view(), "/<name>")


def some_decorator_here(handler):
    @wraps(handler)
    async def decorated(request, *args, **kwargs):
        response = handler(request, *args, **kwargs)
        if hasattr(response, "__await__"):
            response = await response
        response.headers["X-Decorated"] = "yes"
        return response

    return decorated


class ViewWithDecorator(HTTPMethodView):
    decorators = [some_decorator_here]

    def get(self, request, name):
        return text("Hello I have a decorator")


app.add_route(ViewWithDecorator.as_view(), "/url/<name>")

if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", 8000)),
    )
