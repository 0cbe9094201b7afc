"""Reloading while developing: ``app.run(auto_reload=True)``.

The process that calls ``app.run(auto_reload=True)`` becomes the reloader. It
serves nothing: it starts the server in a child process by running the same
command again (``sys.executable`` and ``sys.orig_argv[1:]``, with
:data:`RELOAD_CHILD` in the child's environment), so the child imports the
current code, and it watches the app's source files. That covers
``python app.py``, ``python -m sanic mod.app`` and the ``sanic`` script alike;
in the child, ``app.run`` serves as usual (with its own workers when
``workers=N``).

On a change the reloader compiles every changed file first (no import). A
syntax error is printed as ``file:line: message`` and the old child keeps
serving; otherwise the child is stopped gracefully (SIGTERM, SIGKILL after
``GRACEFUL_SHUTDOWN_TIMEOUT`` plus a few seconds) and a new one is started. A
child that exits by itself with an error (a ``NameError`` while importing the
new code, say) is reported, and the next change starts a new one; one that
exits cleanly (``app.stop()``) ends the reloader too. SIGINT and SIGTERM to the
reloader are passed on to the child, which stops gracefully, then the reloader
returns; SIGHUP starts a new child as a change would (unless a changed file
still does not compile). On Linux the child also receives SIGTERM if the
reloader dies.

Watched: the ``.py`` files of each directory a module of the app was loaded
from (modules under the current directory or the script's directory, outside
the standard library and site-packages), and every ``.py`` file under the
``reload_dir`` directories. watchfiles reports the changes when it is installed
(the ``reload`` extra) and ``SANIC_NO_WATCHFILES`` is not set (``_compat``);
otherwise the files' modification times are polled every
:data:`POLL_INTERVAL` seconds.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import site
import subprocess
import sys
import sysconfig
import threading
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING

from . import _compat
from .log import logger

if TYPE_CHECKING:
    import socket

    from .config import Config

__all__ = ["POLL_INTERVAL", "RELOAD_CHILD", "ReloadDirs", "reload_or_follow"]

#: The environment variable that tells a process it is the reloader's child
#: (its value is the reloader's pid).
RELOAD_CHILD = "SANIC_RELOAD_CHILD"
#: Seconds between two scans of the watched files without watchfiles; also how
#: often the reloader checks on its child.
POLL_INTERVAL = 0.5
#: Seconds the reloader waits for a stopping child beyond its grace period.
_EXTRA_WAIT = 5.0
#: Directories never descended into under a ``reload_dir``.
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})
#: prctl(2): the signal the kernel sends the child when its parent dies.
_PR_SET_PDEATHSIG = 1

#: What ``reload_dir`` accepts: one directory or several.
ReloadDirs = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def reload_or_follow(
    config: Config, sock: socket.socket | None, reload_dir: ReloadDirs | None
) -> bool:
    """Run the reloader for ``app.run(auto_reload=True)``, or follow one.

    Args:
        config: The app's config (``GRACEFUL_SHUTDOWN_TIMEOUT``).
        sock: The socket given to ``run()``: the child binds its own, so the
            reloader closes it.
        reload_dir: More directories whose ``.py`` files are watched.

    Returns:
        ``True`` when the reloader ran (the server has stopped); ``False`` when
        this process should serve: it is the reloader's child, or reloading is
        not possible here (logged).
    """
    parent = os.environ.pop(RELOAD_CHILD, "")
    if parent.isdigit():
        _follow(int(parent))
        return False
    if threading.current_thread() is not threading.main_thread():
        logger.warning(
            "auto_reload=True: the reloader needs the main thread; serving "
            "without reloading"
        )
        return False
    if len(sys.orig_argv) < 2:
        logger.warning(
            "auto_reload=True: no command to run again (interactive session); "
            "serving without reloading"
        )
        return False
    if sock is not None:
        sock.close()
    watched = _Watched(_app_dirs(), _trees(reload_dir))
    grace = float(config.GRACEFUL_SHUTDOWN_TIMEOUT)
    _Reloader([sys.executable, *sys.orig_argv[1:]], watched, grace).run()
    return True


def _follow(parent: int) -> None:
    """In the child: stop (SIGTERM) when the reloader dies (Linux)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(0)  # the reloader is already gone


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(
        path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots
    )


def _skipped(folder: str) -> bool:
    """A directory under a ``reload_dir`` that is not watched."""
    return folder in _SKIPPED_DIRS or folder.startswith(".")


def _app_dirs() -> frozenset[str]:
    """The directories the app's modules were loaded from."""
    roots = {os.path.realpath(os.getcwd())}
    main = sys.modules.get("__main__")
    main_file = getattr(main, "__file__", None)
    # A script, not ``python -m``: its directory is the app's too.
    if isinstance(main_file, str) and getattr(main, "__spec__", None) is None:
        roots.add(os.path.dirname(os.path.realpath(main_file)))
    paths = sysconfig.get_paths()
    excluded = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    with contextlib.suppress(AttributeError):  # old virtualenvs lack it
        excluded.update(site.getsitepackages())
    excluded.add(site.getusersitepackages())
    excluded = {os.path.realpath(path) for path in excluded}
    dirs: set[str] = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if not isinstance(file, str) or not file.endswith(".py"):
            continue
        path = os.path.realpath(file)
        if _under(path, roots) and not _under(path, excluded):
            dirs.add(os.path.dirname(path))
    return frozenset(dirs)


def _trees(reload_dir: ReloadDirs | None) -> tuple[str, ...]:
    if reload_dir is None:
        return ()
    if isinstance(reload_dir, (str, os.PathLike)):
        reload_dir = [reload_dir]
    trees: list[str] = []
    for entry in reload_dir:
        path = os.path.realpath(os.fspath(entry))
        if not os.path.isdir(path):
            logger.warning("Reloader: reload_dir %s is not a directory", path)
        elif path not in trees:
            trees.append(path)
    return tuple(trees)


@dataclass(frozen=True)
class _Watched:
    """Which ``.py`` files the reloader watches."""

    #: Directories whose own ``.py`` files are watched (not their subdirectories).
    dirs: frozenset[str]
    #: Directories whose ``.py`` files are watched at any depth.
    trees: tuple[str, ...]

    def wants(self, path: str) -> bool:
        """Whether a change to ``path`` matters (not hidden files such as an
        editor's ``.#app.py`` lock)."""
        if not path.endswith(".py") or os.path.basename(path).startswith("."):
            return False
        folder = os.path.dirname(path)
        if folder in self.dirs:
            return True
        for tree in self.trees:
            if _under(folder, (tree,)):
                parts = os.path.relpath(folder, tree).split(os.sep)
                return not any(_skipped(part) for part in parts if part != ".")
        return False

    def files(self) -> Iterator[str]:
        """Every watched file that exists now."""
        for directory in self.dirs:
            with contextlib.suppress(OSError), os.scandir(directory) as entries:
                for entry in entries:
                    if self.wants(entry.path) and entry.is_file():
                        yield entry.path
        for tree in self.trees:
            for folder, subdirs, names in os.walk(tree):
                subdirs[:] = [name for name in subdirs if not _skipped(name)]
                for name in names:
                    if name.endswith(".py") and not name.startswith("."):
                        yield os.path.join(folder, name)


def _polling(watched: _Watched, stop: threading.Event) -> Iterator[set[str]]:
    """Changed files every ``POLL_INTERVAL`` seconds (often none) until ``stop``."""

    def scan() -> dict[str, tuple[int, int, int]]:
        stamps: dict[str, tuple[int, int, int]] = {}
        for path in watched.files():
            with contextlib.suppress(OSError):
                stat = os.stat(path)
                stamps[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        return stamps

    before = scan()
    while not stop.wait(POLL_INTERVAL):
        now = scan()
        yield {
            path
            for path in before.keys() | now.keys()
            if before.get(path) != now.get(path)
        }
        before = now


def _watchfiles(watched: _Watched, stop: threading.Event) -> Iterator[set[str]]:
    """Changed files as watchfiles reports them; an empty set at least every
    ``POLL_INTERVAL`` seconds, until ``stop``."""
    assert _compat.watchfiles is not None
    batches = _compat.watchfiles.watch(
        *sorted(watched.dirs | set(watched.trees)),
        watch_filter=lambda change, path: watched.wants(path),
        stop_event=stop,
        rust_timeout=int(POLL_INTERVAL * 1000),
        yield_on_timeout=True,
        raise_interrupt=False,
        # The app's directories alone need no recursion (a virtualenv inside
        # the project is not walked); reload_dir trees do.
        recursive=bool(watched.trees),
    )
    for batch in batches:
        yield {path for _change, path in batch}


def _syntax_error(path: str) -> str | None:
    """``file:line: message`` when ``path`` does not compile, else ``None``."""
    try:
        with open(path, "rb") as file:
            source = file.read()
    except OSError:
        return None  # removed: nothing to compile (the child will say if it matters)
    try:
        # Warnings (an invalid escape, say) are the server's to print when it
        # compiles the file itself.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        where = f"{exc.filename or path}:{exc.lineno}" if exc.lineno else path
        return f"{where}: {exc.msg}"
    except ValueError as exc:  # null bytes, before Python 3.12
        return f"{path}: {exc}"
    return None


class _Reloader:
    """Runs the server in a child process and starts a new one on changes."""

    def __init__(self, command: list[str], watched: _Watched, grace: float) -> None:
        self.command = command
        self.watched = watched
        self.grace = grace
        self.stop = threading.Event()
        #: Set by SIGHUP: start a new server even though nothing changed.
        self.hangup = threading.Event()
        self.signals: list[int] = []
        #: Files whose latest version does not compile.
        self.broken: set[str] = set()
        #: The server's process (the latest started).
        self.child: subprocess.Popen[bytes] | None = None

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.signals.append(signum)
        self.stop.set()

    def _on_hangup(self, signum: int, frame: FrameType | None) -> None:
        self.hangup.set()

    def run(self) -> None:
        # The handlers first: a stop signal from now on ends the reloader
        # cleanly (one before the first child starts means none is started).
        handlers = {signal.SIGINT: self._on_signal, signal.SIGTERM: self._on_signal}
        if hasattr(signal, "SIGHUP"):  # POSIX: a restart on demand
            handlers[signal.SIGHUP] = self._on_hangup
        previous = {
            signum: signal.signal(signum, handler)
            for signum, handler in handlers.items()
        }
        try:
            self._watch()
        finally:
            if self.child is not None:
                self._stop_child(
                    self.child, self.signals[0] if self.signals else signal.SIGTERM
                )
            # Put back only now: a second Ctrl-C while the child drains is one
            # more stop request, not a KeyboardInterrupt here.
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        logger.info("Reloader stopped")

    def _watch(self) -> None:
        """Start the child, then start a new one on each change, until stopped."""
        using = "watchfiles" if _compat.watchfiles is not None else None
        changes = (_watchfiles if using else _polling)(self.watched, self.stop)
        logger.info(
            "Reloader: watching the .py files of %d director%s (%s); the server "
            "runs in a child process",
            len(self.watched.dirs) + len(self.watched.trees),
            "y" if len(self.watched.dirs) + len(self.watched.trees) == 1 else "ies",
            using or f"polling every {POLL_INTERVAL:g} s",
        )
        if self.stop.is_set():
            return
        child = self.child = self._start()
        reported = False
        for changed in changes:
            if self.stop.is_set():
                break
            code = child.poll()
            if code == 0:
                logger.info("Reloader: the server stopped; stopping too")
                break
            if code is not None and not reported:
                reported = True
                logger.error(
                    "Reloader: the server exited with code %d; it starts "
                    "again on the next change",
                    code,
                )
            reason = None
            if changed and self._compiles(changed):
                names = sorted(os.path.relpath(path) for path in changed)
                reason = f"{', '.join(names)} changed"
            elif self.hangup.is_set() and not changed and self._compiles(set()):
                reason = "SIGHUP"
            self.hangup.clear()
            if reason is not None:
                logger.info("Reloader: %s; restarting the server", reason)
                self._stop_child(child, signal.SIGTERM)
                if self.stop.is_set():
                    break
                child = self.child = self._start()
                reported = False

    def _compiles(self, changed: set[str]) -> bool:
        """Whether every changed (and still broken) file compiles; print why not."""
        errors = []
        for path in sorted(self.broken | changed):
            error = _syntax_error(path)
            if error is None:
                self.broken.discard(path)
            else:
                self.broken.add(path)
                errors.append(error)
        for error in errors:
            logger.error(
                "Reloader: %s (not restarting: the server keeps running the "
                "code it has)",
                error,
            )
        return not errors

    def _start(self) -> subprocess.Popen[bytes]:
        env = {**os.environ, RELOAD_CHILD: str(os.getpid())}
        return subprocess.Popen(self.command, env=env)

    def _stop_child(self, child: subprocess.Popen[bytes], signum: int) -> None:
        """Ask the child to stop, wait (bounded), then kill it."""
        if child.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signum)
        try:
            child.wait(self.grace + _EXTRA_WAIT)
        except subprocess.TimeoutExpired:
            logger.warning("Reloader: the server did not stop in time; killing it")
            child.kill()
            child.wait()
