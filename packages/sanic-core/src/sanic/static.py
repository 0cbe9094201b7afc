"""``sanic.static``: the module Sanic 0.4 code registers static files through.

``register(app, uri, file_or_directory, ...)`` is ``app.static(uri,
file_or_directory, ...)`` with the same arguments, for code that calls it
directly (a blueprint's ``static()`` reaches it this way in Sanic 0.4).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._registration import RegistrationMixin

__all__ = ["register"]


def register(
    app: RegistrationMixin,
    uri: str,
    file_or_directory: str | os.PathLike[str],
    *args: Any,
    **kwargs: Any,
) -> None:
    """Serve a file or a directory's files at ``uri`` on ``app`` (or a blueprint).

    The other arguments (``pattern``, ``use_modified_since``,
    ``use_content_range``, ``stream_large_files``, ``name``, ``host``,
    ``strict_slashes``, ``content_type``) are those of ``app.static``, in its
    order.
    """
    app.static(uri, file_or_directory, *args, **kwargs)
