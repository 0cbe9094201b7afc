"""Middleware: printing, modifying the response, and responding early."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def middleware(example):
    return example("middleware.py")


@pytest.fixture(scope="module")
def middleware_process(launch):
    return launch("middleware.py")


def test_response_middleware_sets_headers_in_order(middleware):
    reply = middleware.get("/")
    assert reply.status == 200
    assert reply.text == "I am the handler"
    assert reply.header_list("Server") == ["Fake-Server"]
    assert reply.headers["x-xss-protection"] == "1; mode=block"


def test_response_middleware_also_runs_on_errors(middleware):
    reply = middleware.get("/missing")
    assert reply.status == 404
    assert reply.headers["Server"] == "Fake-Server"
    assert reply.headers["x-xss-protection"] == "1; mode=block"


def test_printing_middleware_prints_for_each_request(middleware_process):
    on_request = "I print when a request is received by the server"
    on_response = "I print when a response is returned by the server"
    before = middleware_process.output().count(on_response)
    middleware_process.get("/")
    out = middleware_process.wait_for_output(on_response, count=before + 1)
    assert out.count(on_response) == before + 1
    assert out.count(on_request) == before + 1
    assert out.rindex(on_request) < out.rindex(on_response)


@pytest.fixture(scope="module")
def early(launch):
    return launch("middleware_early.py")


def test_request_middleware_response_skips_handler_and_middleware(early):
    reply = early.get("/")
    assert (reply.status, reply.text) == (200, "I halted the request")
    # Unrouted paths are answered the same way: the middleware runs first.
    assert early.get("/nowhere").text == "I halted the request"
    assert "the handler ran" not in early.output()


@pytest.fixture(scope="module")
def halt_response(example):
    return example("middleware_halt_response.py")


def test_response_middleware_response_replaces_and_stops(halt_response):
    reply = halt_response.get("/")
    assert (reply.status, reply.text) == (200, "I halted the response")
    assert "x-xss-protection" not in reply.headers
