"""Pieces of HTTP syntax that more than one module checks against, defined once."""

from __future__ import annotations

import re

__all__ = ["TOKEN"]

#: RFC 9110 §5.6.2 ``token`` (one or more ``tchar``): what a header field name and a
#: cookie name may be. Use ``TOKEN.fullmatch(name)``.
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
