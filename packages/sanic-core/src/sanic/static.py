"""``sanic.static``: the module Sanic 0.4 code registers static files through.

``register(app, uri, file_or_directory, ...)`` is ``app.static(uri,
file_or_directory, ...)`` with the same arguments, for code that calls it
directly (a blueprint's ``static()`` reaches it this way in Sanic 0.4).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._static import DEFAULT_PATTERN

if TYPE_CHECKING:
    from ._registration import RegistrationMixin

__all__ = ["register"]


def register(
    app: RegistrationMixin,
    uri: str,
    file_or_directory: str | os.PathLike[str],
    pattern: str = DEFAULT_PATTERN,
    use_modified_since: bool = True,
    use_content_range: bool = False,
    stream_large_files: bool | int = False,
    name: str = "static",
    host: str | Sequence[str] | None = None,
    strict_slashes: bool | None = None,
    content_type: str | None = None,
) -> None:
    """Serve a file or a directory's files at ``uri`` on ``app`` (or a blueprint).

    Every argument is as for ``app.static``.
    """
    app.static(
        uri,
        file_or_directory,
        pattern=pattern,
        use_modified_since=use_modified_since,
        use_content_range=use_content_range,
        stream_large_files=stream_large_files,
        name=name,
        host=host,
        strict_slashes=strict_slashes,
        content_type=content_type,
    )
