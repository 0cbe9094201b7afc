"""The guide's "Testing" section: its examples run as a user's suite, unchanged.

The examples are kept as text exactly as printed (quotes, unused names and all)
and run by pytest in a fresh process, as a user's own test file would be.
"""

from __future__ import annotations

import pytest

from sanic import Sanic
from sanic.response import json
from sanic.testing import HOST, PORT
from sanic_testing import SanicTestClient

EXTERNAL_SERVER = """
from sanic import Sanic
from sanic.response import text

app = Sanic(__name__)

@app.route("/", methods=["GET", "POST"])
async def index(request):
    return text("hello")
"""

GUIDE_TESTS = """
import json

# Import the Sanic app, usually created with Sanic(__name__)
from external_server import app

def test_index_returns_200():
    request, response = app.test_client.get('/')
    assert response.status == 200

def test_index_put_not_allowed():
    request, response = app.test_client.put('/')
    assert response.status == 405

def test_get_request_includes_data():
    params = {'key1': 'value1', 'key2': 'value2'}
    request, response = app.test_client.get('/', params=params)
    assert request.args.get('key1') == 'value1'

def test_post_json_request_includes_data():
    data = {'key1': 'value1', 'key2': 'value2'}
    request, response = app.test_client.post('/', data=json.dumps(data))
    assert request.json.get('key1') == 'value1'
"""

GUIDE_DEPRECATED = """
import pytest
from external_server import app
from sanic.utils import sanic_endpoint_test

@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_index_returns_200():
    request, response = sanic_endpoint_test(app)
    assert response.status == 200
"""


def test_the_guide_examples_pass_verbatim(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        external_server=EXTERNAL_SERVER,
        test_guide=GUIDE_TESTS,
        test_deprecated=GUIDE_DEPRECATED,
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=5)


@pytest.fixture
def app() -> Sanic:
    app = Sanic("guide")

    @app.route("/", methods=["GET", "POST"])
    async def index(request):
        return json({"args": request.args, "body": request.body.decode()})

    return app


def test_deprecated_sanic_endpoint_test_warns(app: Sanic) -> None:
    from sanic.utils import sanic_endpoint_test

    with pytest.warns(DeprecationWarning, match="test_client"):
        request, response = sanic_endpoint_test(app)
    assert response.status == 200
    assert request.path == "/"


def test_deprecated_sanic_endpoint_test_passes_every_argument(app: Sanic) -> None:
    from sanic.utils import sanic_endpoint_test

    with pytest.warns(DeprecationWarning):
        response = sanic_endpoint_test(
            app,
            "post",
            "/?a=1",
            False,
            False,
            {"access_log": False},
            data="payload",
        )
    assert response.status == 200
    assert response.json == {"args": {"a": ["1"]}, "body": "payload"}


def test_test_client_is_made_once_and_runs_on_the_documented_port(
    app: Sanic,
) -> None:
    client = app.test_client
    assert client is app.test_client
    assert isinstance(client, SanicTestClient)
    request, _ = client.get("/")
    assert (client.host, client.port) == (HOST, PORT) == ("127.0.0.1", 42101)
    # 42101 unless another test process holds it (pytest -n 2): then a free port.
    assert client.last_port == request.transport.get_extra_info("sockname")[1]


def test_the_18_12_names_construct_a_working_client(app: Sanic) -> None:
    from sanic.testing import HOST as host
    from sanic.testing import PORT as port
    from sanic.testing import SanicTestClient as Client

    client = Client(app, port=port)
    request, response = client.get("/", params={"q": "1"})
    assert response.status == 200
    assert request.args == {"q": ["1"]}
    # The port it really ran on: 42101, or a free one when that is busy.
    ran_on = request.transport.get_extra_info("sockname")[1]
    assert response.url.port == ran_on == client.last_port
    assert response.url.host == host


def test_the_0_4_name_test_client_is_the_same_client(app: Sanic) -> None:
    from sanic.testing import SanicTestClient as Client
    from sanic.testing import TestClient

    assert TestClient is Client is SanicTestClient
    _, response = TestClient(app).get("/")
    assert response.status == 200


def test_deprecated_sanic_endpoint_test_behaves_like_the_test_client(
    app: Sanic,
) -> None:
    from sanic.utils import sanic_endpoint_test

    @app.route("/fails")
    async def fails(request):
        raise RuntimeError("secret detail")

    with pytest.warns(DeprecationWarning):
        old_request, old = sanic_endpoint_test(app, "get", "/?x=1")
    new_request, new = app.test_client.get("/?x=1")
    assert (old.status, old.content_type, old.json) == (
        new.status,
        new.content_type,
        new.json,
    )
    assert old_request.args == new_request.args == {"x": ["1"]}
    assert old.url.path_qs == new.url.path_qs == "/?x=1"
    with pytest.warns(DeprecationWarning):
        quiet = sanic_endpoint_test(app, uri="/fails", gather_request=False)
    with pytest.warns(DeprecationWarning):
        loud = sanic_endpoint_test(app, uri="/fails", gather_request=False, debug=True)
    assert quiet.status == loud.status == 500
    assert "secret detail" not in quiet.text
    assert "secret detail" in loud.text
