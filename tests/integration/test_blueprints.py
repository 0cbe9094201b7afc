"""Blueprints: registering, middleware, exceptions, static files, listeners,
API versioning and url_for."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def first(example):
    return example("blueprint_main.py")


def test_first_blueprint_serves_its_root(first):
    reply = first.get("/")
    assert reply.status == 200
    assert reply.json() == {"my": "blueprint"}


@pytest.fixture(scope="module")
def middleware(launch):
    return launch("blueprint_middleware.py")


@pytest.mark.parametrize("path", ["/bp/", "/app", "/unrouted"])
def test_blueprint_middleware_applies_to_the_whole_app(middleware, path):
    before = middleware.output().count("I am a spy")
    reply = middleware.get(path)
    assert (reply.status, reply.text) == (200, "I halted the request")
    assert (
        middleware.wait_for_output("I am a spy", count=before + 1).count("I am a spy")
        == before + 1
    )


@pytest.fixture(scope="module")
def served_file(tmp_path_factory):
    served = tmp_path_factory.mktemp("bp") / "served.txt"
    served.write_text("served by a blueprint")
    return served


@pytest.fixture(scope="module")
def features(example, served_file):
    return example("blueprint_features.py", env={"BP_STATIC": str(served_file)})


@pytest.fixture(scope="module")
def features_process(launch, served_file):
    return launch("blueprint_features.py", env={"BP_STATIC": str(served_file)})


def test_blueprint_exception_handler_is_global(features):
    reply = features.get("/nowhere")
    assert reply.status == 200
    assert reply.text == (
        f"Yep, I totally found the page: http://127.0.0.1:{features.port}/nowhere"
    )


def test_blueprint_static_file(features):
    reply = features.get("/folder/to/serve")
    assert (reply.status, reply.text) == (200, "served by a blueprint")
    assert reply.headers["Content-Type"].startswith("text/plain")


def test_before_server_start_listener_ran(features, features_process):
    assert features.get("/database").json() == {"host": "127.0.0.1", "closed": False}
    assert features_process.get("/database").json()["closed"] is False
    assert "database connected to 127.0.0.1" in features_process.output()


def test_after_server_stop_listener_runs_on_shutdown(launch, tmp_path):
    served = tmp_path / "served.txt"
    served.write_text("x")
    example = launch("blueprint_features.py", env={"BP_STATIC": str(served)})
    assert example.get("/database").json()["closed"] is False
    assert "database closed" not in example.output()
    assert example.stop() == 0
    out = example.output()
    assert out.index("database connected") < out.index("database closed")


@pytest.fixture(scope="module")
def versions(example):
    return example("api_versioning.py")


@pytest.mark.parametrize("version", ["1", "2"])
@pytest.mark.parametrize("slash", ["", "/"])
def test_api_versions_are_sub_sites(versions, version, slash):
    reply = versions.get(f"/v{version}{slash}")
    assert reply.status == 200
    assert reply.text == f"Welcome to version {version} of our documentation"


def test_no_route_outside_the_prefixes(versions):
    assert versions.get("/").status == 404
    assert versions.get("/v3").status == 404


@pytest.fixture(scope="module")
def url_for(example):
    return example("blueprint_url_for.py")


def test_blueprint_url_for_names_blueprint_dot_handler(url_for):
    reply = url_for.get("/v1")
    assert reply.status == 302
    assert reply.headers["Location"] == "/v1/post/5"
    assert url_for.get("/v1/post/5").text == "Post 5 in Blueprint V1"
