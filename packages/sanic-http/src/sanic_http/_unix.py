"""``unix_socket()``: a listening unix domain socket that cleans up after itself.

Serving on a unix socket is ``serve(sock=...)`` (or ``serve_multiple`` with the
socket in its settings) with a socket from here. The socket file is the part
that needs care: a file left by a server that died is replaced, a file that is
not a socket or a socket some server still listens on is never touched, and at
exit the file is removed only by the process that created it and only while it
is still the file it created (a forked worker exiting, or a newer server that
took the path over, leave it alone).
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import stat
from collections.abc import Iterator

from ._server import DEFAULT_BACKLOG

__all__ = ["DEFAULT_UNIX_MODE", "unix_socket"]

#: Permissions of the socket file: any local user may connect, as anyone on the
#: machine can connect to a server listening on 127.0.0.1. Pass ``mode=0o660``
#: (and share a group with the proxy) to restrict it.
DEFAULT_UNIX_MODE = 0o666


def _clear_stale(path: str) -> None:
    """Remove ``path`` when it is a socket nobody listens on any more."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(found.st_mode):
        raise FileExistsError(
            errno.EEXIST, "the path exists and is not a socket (not removed)", path
        )
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.setblocking(False)
    try:
        probe.connect(path)
    except ConnectionRefusedError:
        # Left by a server that is gone: take the path over.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        return
    except FileNotFoundError:
        return
    except BlockingIOError:
        pass  # a full backlog: someone listens
    finally:
        probe.close()
    raise OSError(errno.EADDRINUSE, "a server already listens on this socket", path)


@contextlib.contextmanager
def unix_socket(
    path: str | os.PathLike[str],
    *,
    backlog: int = DEFAULT_BACKLOG,
    mode: int = DEFAULT_UNIX_MODE,
) -> Iterator[socket.socket]:
    """Bind and listen on a unix socket at ``path``; remove it when the block ends.

    A socket file left at ``path`` by a server that is gone is replaced first.
    On leaving the block the socket is closed and its file removed, by the
    process that entered the block only (forked workers sharing the socket do
    not remove it), and only if ``path`` still is the file bound here.

    Args:
        path: Where the socket file goes.
        backlog: The listen queue length.
        mode: The socket file's permissions (default ``0o666``).

    Yields:
        The listening socket, for ``serve(sock=...)``.

    Raises:
        FileExistsError: ``path`` exists and is not a socket.
        OSError: A server already listens at ``path`` (``EADDRINUSE``), the
            path is longer than a unix socket address holds (``ENAMETOOLONG``;
            about 100 bytes), or it cannot be bound.
    """
    name = os.fspath(path)
    _clear_stale(name)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    bound: os.stat_result | None = None
    owner = os.getpid()
    try:
        try:
            sock.bind(name)
        except OSError as exc:
            if exc.errno is not None:
                raise
            # The socket module's "AF_UNIX path too long" carries no errno.
            size = len(os.fsencode(name))
            raise OSError(
                errno.ENAMETOOLONG,
                f"the path is too long for a unix socket ({size} bytes)",
                name,
            ) from exc
        bound = os.stat(name)
        os.chmod(name, mode)
        sock.listen(backlog)
        yield sock
    finally:
        sock.close()
        if bound is not None and os.getpid() == owner:
            with contextlib.suppress(OSError):
                now = os.lstat(name)
                if (now.st_dev, now.st_ino) == (bound.st_dev, bound.st_ino):
                    os.unlink(name)
