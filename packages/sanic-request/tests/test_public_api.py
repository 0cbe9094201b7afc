from __future__ import annotations

from sanic_test_helpers import assert_public_surface

import sanic_request


def test_public_surface_is_exactly_this() -> None:
    assert_public_surface(
        sanic_request,
        [
            "DEFAULT_HTTP_CONTENT_TYPE",
            "File",
            "JSON_BACKEND",
            "Request",
            "RequestParameters",
            "RequestParseError",
            "RequestStream",
            "parse_multipart_form",
        ],
    )
