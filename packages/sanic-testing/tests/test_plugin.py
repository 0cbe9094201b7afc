"""The pytest plugin's fixtures, exercised in a fresh pytest run."""

from __future__ import annotations

import pytest

APP = """
import pytest
from sanic import Sanic
from sanic.response import text

def make_app():
    app = Sanic("plugin")
    app.events = []

    @app.listener("after_server_stop")
    def stopped(app, loop):
        app.events.append("stopped")

    @app.route("/")
    async def index(request):
        return text("hi")

    return app
"""

TESTS = """
import pytest
from sanic_testing import InProcessClient, ReusableClient, SanicTestClient
from app_module import make_app

@pytest.fixture
def app():
    return make_app()

def test_reusable(reusable_client):
    assert isinstance(reusable_client, ReusableClient)
    assert reusable_client.get("/", gather_request=False).text == "hi"

def test_inprocess(inprocess_client):
    assert isinstance(inprocess_client, InProcessClient)
    assert inprocess_client.get("/")[1].text == "hi"

def test_one_shot(test_client, app):
    assert test_client is app.test_client
    assert isinstance(test_client, SanicTestClient)
    assert test_client.get("/")[1].text == "hi"

APPS = []

def test_factories(sanic_reusable_client, sanic_inprocess_client):
    for factory in (sanic_reusable_client, sanic_inprocess_client):
        app = make_app()
        APPS.append(app)
        assert factory(app).get("/")[1].status == 200

KINDS_SEEN = []

def test_every_client(sanic_client, request):
    KINDS_SEEN.append(request.node.callspec.id)
    assert sanic_client.get("/", gather_request=False).text == "hi"

def test_every_client_ran():
    assert KINDS_SEEN == ["one-shot", "reusable", "in-process"]

def test_factories_closed_their_clients():
    assert [app.events for app in APPS] == [["stopped"], ["stopped"]]
"""

PARALLEL = """
from sanic import Sanic
from sanic.response import text

app = Sanic("parallel_{n}")

@app.route("/")
async def index(request):
    return text("{n}")

def test_many_one_shot_requests():
    for _ in range(25):
        request, response = app.test_client.get("/")
        assert response.text == "{n}"
"""


def test_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(app_module=APP, test_fixtures=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=9)


def test_two_files_in_parallel_do_not_clash(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_first=PARALLEL.format(n=1), test_second=PARALLEL.format(n=2)
    )
    result = pytester.runpytest_subprocess(
        "-n", "2", "-p", "no:cacheprovider", "-W", "error"
    )
    result.assert_outcomes(passed=2)
