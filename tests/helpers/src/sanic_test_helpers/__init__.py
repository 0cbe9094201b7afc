"""Test helpers shared by every package's tests (development only, never published)."""

from __future__ import annotations

from ._certs import self_signed
from ._client import WAIT, Client, exchange, free_port, read_all, request_bytes
from ._parse import Response, WireError, parse_response, split_response
from ._paths import short_tmp_dir
from ._surface import assert_public_surface

__all__ = [
    "WAIT",
    "Client",
    "Response",
    "WireError",
    "assert_public_surface",
    "exchange",
    "free_port",
    "parse_response",
    "read_all",
    "request_bytes",
    "self_signed",
    "short_tmp_dir",
    "split_response",
]
