"""The guide's first pages: "Sanic aspires to be simple" and "Getting Started"."""

from __future__ import annotations

import signal

import pytest


@pytest.fixture(scope="module")
def hello(example):
    return example("hello.py")


@pytest.fixture(scope="module")
def getting_started(launch):
    return launch("getting_started.py")


def test_hello_world_answers_json(hello):
    reply = hello.get("/")
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.json() == {"hello": "world"}


@pytest.fixture(scope="module")
def getting_started_app(example):
    return example("getting_started.py")


def test_getting_started_says_hello_world(getting_started_app):
    reply = getting_started_app.get("/")
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/plain")
    assert reply.text == "Hello world!"


def test_getting_started_logs_where_it_listens_in_debug(getting_started):
    out = getting_started.output()
    assert f"http://127.0.0.1:{getting_started.port}" in out
    assert "(1 worker, debug)" in out


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_getting_started_stops_cleanly(launch, sig):
    example = launch("getting_started.py")
    assert example.get("/").text == "Hello world!"
    assert example.stop(sig) == 0
    assert "Server stopped" in example.output()
