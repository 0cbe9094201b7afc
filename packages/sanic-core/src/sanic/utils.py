"""``sanic.utils``: the deprecated ``sanic_endpoint_test`` of Sanic 0.3.

Use ``app.test_client`` instead; this wrapper calls it and warns.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import Sanic

__all__ = ["sanic_endpoint_test"]


def sanic_endpoint_test(
    app: Sanic,
    method: str = "get",
    uri: str = "/",
    gather_request: bool = True,
    debug: bool = False,
    server_kwargs: dict[str, Any] | None = None,
    *request_args: Any,
    **request_kwargs: Any,
) -> Any:
    """Run ``app`` and send one request, exactly like ``app.test_client.<method>``.

    .. deprecated:: 0.4
       Use ``app.test_client`` instead.
    """
    warnings.warn(
        "sanic_endpoint_test is deprecated; use app.test_client instead",
        DeprecationWarning,
        stacklevel=2,
    )
    send = getattr(app.test_client, method.lower())
    return send(
        uri,
        *request_args,
        gather_request=gather_request,
        debug=debug,
        server_kwargs=server_kwargs or {},
        **request_kwargs,
    )
