"""Short paths for unix sockets."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def short_tmp_dir() -> Iterator[Path]:
    """A fresh directory under ``/tmp``, removed afterwards.

    A unix socket's path holds about 100 bytes (108 on Linux, 104 on macOS),
    and pytest's ``tmp_path`` inside a nox session of a deep checkout can be
    longer than that: sockets go here instead.
    """
    with tempfile.TemporaryDirectory(prefix="sanic-", dir="/tmp") as name:
        yield Path(name)
