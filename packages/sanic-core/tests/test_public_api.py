"""The public surface: the module paths the guide and Sanic 0.4 code import."""

from __future__ import annotations

import importlib

import pytest
from sanic_test_helpers import assert_public_surface

SURFACE = {
    "sanic": [
        "Blueprint", "HTTPResponse", "Request", "Sanic", "__version__", "empty",
        "file", "html", "json", "raw", "redirect", "text",
    ],
    "sanic.blueprints": [
        "Blueprint", "FutureException", "FutureListener", "FutureMiddleware",
        "FutureRoute", "FutureStatic",
    ],
    "sanic.response": [
        "ALL_STATUS_CODES", "BaseHTTPResponse", "COMMON_STATUS_CODES",
        "HTTPResponse", "StreamingHTTPResponse", "UpgradeResponse", "empty", "file",
        "file_stream", "html",
        "json", "json_dumps", "raw", "redirect", "stream", "text",
    ],
    "sanic.request": [
        "DEFAULT_HTTP_CONTENT_TYPE", "File", "Request", "RequestParameters",
        "RequestStream", "parse_multipart_form",
    ],
    "sanic.views": ["CompositionView", "HTTPMethodView", "stream"],
    "sanic.server": [
        "CIDict", "DEFAULT_BACKLOG", "HttpProtocol", "ServerSettings", "Signal",
        "UpgradedProtocol", "bind_socket",
        "current_time", "serve", "serve_multiple", "trigger_events",
        "update_current_time",
    ],
    "sanic.router": [
        "BuildError", "ParameterNameConflicts", "REGEX_TYPES", "Route",
        "RouteDoesNotExist", "RouteExists", "Router", "RouterError",
    ],
    "sanic.constants": ["HTTP_METHODS"],
    "sanic.cookies": ["Cookie", "CookieJar", "MultiHeader"],
    "sanic.testing": ["HOST", "PORT", "SanicTestClient", "TestClient"],
    "sanic.static": ["register"],
    "sanic.utils": ["sanic_endpoint_test"],
    "sanic.log": [
        "LOGGING_CONFIG_DEFAULTS", "access_logger", "configure_logging",
        "error_logger", "log", "logger",
    ],
    "sanic.config": ["DEFAULT_CONFIG", "SANIC_PREFIX", "Config"],
    "sanic.handlers": [
        "ERROR_FORMATS", "ContentRangeHandler", "ErrorHandler", "ExceptionHandler",
    ],
    "sanic.exceptions": [
        "INTERNAL_SERVER_ERROR_HTML", "STATUS_CODES", "TRACEBACK_BORDER",
        "TRACEBACK_LINE_HTML", "TRACEBACK_STYLE", "TRACEBACK_WRAPPER_HTML",
        "TRACEBACK_WRAPPER_INNER_HTML", "ContentRangeError", "FileNotFound",
        "Forbidden", "Handler", "HeaderNotFound", "HeaderTooLarge",
        "InvalidRangeType", "InvalidUsage", "MethodNotSupported", "NotFound",
        "PayloadTooLarge", "PyFileError", "RequestTimeout", "SanicException",
        "ServerError", "ServiceUnavailable", "URITooLong", "URLBuildError",
        "Unauthorized", "WebSocketConnectionClosed", "abort", "add_status_code",
        "error_text",
    ],
}  # fmt: skip


@pytest.mark.parametrize(("module", "names"), SURFACE.items())
def test_surface(module, names):
    # The package itself declares everything it offers; the compatibility modules
    # share their namespace with what they import (Any, Callable, ...).
    if module == "sanic.testing" and not _has_test_client():
        # Without sanic-testing the client names are declared but not loadable
        # (the next test checks what they say instead).
        testing = importlib.import_module(module)
        assert sorted(testing.__all__) == names
        assert (testing.HOST, testing.PORT) == ("127.0.0.1", 42101)
        return
    assert_public_surface(
        importlib.import_module(module), names, complete=module == "sanic"
    )


def _has_test_client() -> bool:
    from sanic._plugins import PluginMissing, load_plugin

    try:
        load_plugin("test_client")
    except PluginMissing:
        return False
    return True


def test_test_client_names_without_sanic_testing_say_what_to_install(monkeypatch):
    import sanic._plugins as plugins

    monkeypatch.setattr(plugins, "entry_points", lambda **_: [])
    with pytest.raises(ImportError, match="sanic-testing"):
        from sanic.testing import SanicTestClient  # noqa: F401


def test_exceptions_module_has_the_guide_names():
    exceptions = importlib.import_module("sanic.exceptions")
    for name in [
        "NotFound",
        "ServerError",
        "SanicException",
        "InvalidUsage",
        "Handler",
    ]:
        assert name in exceptions.__all__
    assert exceptions.ServerError("x", status_code=500).status_code == 500


def test_request_parameters_as_in_the_guide():
    from sanic.request import RequestParameters

    args = RequestParameters()
    args["titles"] = ["Post 1", "Post 2"]
    assert args.get("titles") == "Post 1"
    assert args.getlist("titles") == ["Post 1", "Post 2"]


def test_log_names_of_sanic_0_4_and_18_12(capfd):
    import logging

    from sanic.log import LOGGING_CONFIG_DEFAULTS, configure_logging, log, logger

    assert log is logger
    assert LOGGING_CONFIG_DEFAULTS["version"] == 1
    sanic_logger = logging.getLogger("sanic")
    saved = sanic_logger.handlers[:], sanic_logger.level
    root_saved = logging.getLogger().handlers[:]
    logging.getLogger().handlers[:] = []
    sanic_logger.handlers[:] = []
    try:
        configure_logging()
        log.info("hello from the 0.4 name")
        assert sanic_logger.level == logging.INFO
    finally:
        sanic_logger.handlers[:], level = saved
        sanic_logger.setLevel(level)
        logging.getLogger().handlers[:] = root_saved
    assert "[INFO] hello from the 0.4 name" in capfd.readouterr().err


def test_response_names_of_sanic_0_4_and_18_12():
    from sanic.response import (
        ALL_STATUS_CODES,
        COMMON_STATUS_CODES,
        BaseHTTPResponse,
        StreamingHTTPResponse,
        stream,
        text,
    )

    assert COMMON_STATUS_CODES[404] == b"Not Found"
    assert ALL_STATUS_CODES[418] == b"I'm a teapot"
    assert set(COMMON_STATUS_CODES) < set(ALL_STATUS_CODES)
    assert isinstance(text("x"), BaseHTTPResponse)

    async def body(response):
        await response.write("x")

    streamed = stream(body)
    assert isinstance(streamed, StreamingHTTPResponse)
    assert isinstance(streamed, BaseHTTPResponse)


def test_server_names_of_sanic_0_4():
    import asyncio
    import time

    import sanic.server
    from sanic.server import CIDict, trigger_events, update_current_time

    headers = CIDict({"Content-Type": "text/plain"})
    headers["x-one"] = "1"
    assert headers["content-type"] == "text/plain"
    assert headers.get("X-ONE") == "1" and headers.get("nope", 7) == 7
    assert "CONTENT-TYPE" in headers and "other" not in headers
    headers["CONTENT-TYPE"] = "text/html"
    assert dict(headers) == {"Content-Type": "text/html", "x-one": "1"}
    del headers["Content-type"]
    assert "content-type" not in headers and list(headers) == ["x-one"]

    seen = []

    async def later(loop):
        await asyncio.sleep(0)
        seen.append(("async", loop))

    loop = asyncio.new_event_loop()
    try:
        trigger_events([lambda loop: seen.append(("sync", loop)), later], loop)
        assert seen == [("sync", loop), ("async", loop)]
        sanic.server.current_time = 0
        update_current_time(loop)
        assert abs(sanic.server.current_time - time.time()) <= 1
    finally:
        loop.close()


def test_static_register_of_sanic_0_4(tmp_path, serve):
    from sanic import Blueprint, Sanic
    from sanic.static import register

    (tmp_path / "a.txt").write_text("from a")
    (tmp_path / "b.txt").write_text("from b")
    app = Sanic("static_register")
    register(app, "/a", str(tmp_path / "a.txt"), use_content_range=True)
    bp = Blueprint("bp", url_prefix="/bp")
    register(bp, "/files", str(tmp_path), name="files")
    app.blueprint(bp)
    with serve(app) as server:
        response = server.get("/a", headers={"Range": "bytes=0-3"})
        assert (response.status, response.text) == (206, "from")
        response = server.get("/bp/files/b.txt")
        assert (response.status, response.text) == (200, "from b")


def test_http_methods_has_one_home_in_sanic_views():
    import sanic_views
    from sanic.constants import HTTP_METHODS

    # One tuple in one order: the routes (methods=None) and the views agree.
    assert HTTP_METHODS is sanic_views.HTTP_METHODS
    assert HTTP_METHODS == ("GET", "POST", "PUT", "HEAD", "OPTIONS", "PATCH", "DELETE")


def test_sanic_log_re_exports_the_loggers_of_sanic_http():
    import sanic.handlers
    import sanic.log
    import sanic_http.log

    assert sanic.log.logger is sanic_http.log.logger
    assert sanic.log.error_logger is sanic_http.log.error_logger
    assert sanic.log.access_logger is sanic_http.log.access_logger
    assert sanic.handlers.error_logger is sanic_http.log.error_logger
