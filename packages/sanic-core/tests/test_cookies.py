"""``sanic.cookies``: the response cookies and ``MultiHeader``."""

from __future__ import annotations

from sanic import Sanic
from sanic.cookies import Cookie, MultiHeader
from sanic.response import text


def test_multiheader_keys_each_become_a_header_line(serve):
    app = Sanic("multiheader")

    @app.route("/")
    async def links(request):
        headers = {
            MultiHeader("Link"): "</a.css>; rel=preload",
            MultiHeader("Link"): "</b.js>; rel=preload",
            "X-Single": "1",
        }
        return text("two links", headers=headers)

    with serve(app) as server:
        reply = server.get("/")
    assert reply.text == "two links"
    assert [value for name, value in reply.header_list if name == "Link"] == [
        "</a.css>; rel=preload",
        "</b.js>; rel=preload",
    ]
    assert reply.headers["X-Single"] == "1"


def test_multiheader_is_its_name_and_equal_only_to_itself():
    name = MultiHeader("Set-Cookie")
    assert name.encode() == b"Set-Cookie"
    assert isinstance(name, str) and str(name) == "Set-Cookie"
    assert name == name
    assert name != MultiHeader("Set-Cookie")
    assert name != "Set-Cookie"
    assert len({name, MultiHeader("Set-Cookie")}) == 2


def test_cookie_encode_is_the_set_cookie_value():
    cookie = Cookie("test", "It worked!")
    cookie["httponly"] = True
    assert cookie.encode("utf-8") == b'test="It worked!"; Path=/; HttpOnly'
