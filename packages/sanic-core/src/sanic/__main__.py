"""``sanic`` (and ``python -m sanic``): serve an app from the command line.

    sanic server:app --host=0.0.0.0 --port=1337 --workers=4
    sanic server.app                       # the same target, dotted
    sanic package.module:create_app --factory
    sanic server:app --unix /run/app.sock --pid-file /run/app.pid
    sanic --restart /run/app.pid           # SIGHUP: restart the workers

Errors are one line on stderr (``error: ...``; an error raised by the user's own
module adds a second line with its file and line), never a traceback; an address
that cannot be listened on is the line ``app.run()`` prints, without the prefix
(``cannot listen on 127.0.0.1:8000: address already in use``). Exit
status: 0 after a normal stop and for ``--version``/``--help``/``--restart``, 1
for every error this module reports (a target that cannot be loaded, a TLS
directory without certificates, an address in use, a missing pid file), 2 for a
command line argparse refuses (an unknown option, a missing target).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.metadata
import inspect
import os
import platform
import signal
import ssl as ssl_module
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any, NoReturn

from sanic_http import CONFIG_KEYS

from ._reload import RELOAD_CHILD
from ._running import DEFAULT_HOST, DEFAULT_PORT, RunMixin
from .app import Sanic
from .log import logger

__all__ = ["main"]

#: The distributions ``--version`` reports, sanic-core first.
DISTRIBUTIONS = (
    "sanic-core",
    "sanic-router",
    "sanic-request",
    "sanic-http",
    "sanic-views",
    "sanic-testing",
)
#: What ``--tls DIR`` looks for, in this order: (certificate chain, private key).
TLS_PAIRS = (("fullchain.pem", "privkey.pem"), ("cert.pem", "key.pem"))
#: Exit status of every error this module reports (argparse's own is 2).
EXIT_ERROR = 1
_ACCESS_LOG_DEFAULT = next(k.default for k in CONFIG_KEYS if k.key == "ACCESS_LOG")


class CliError(Exception):
    """A problem the command line reports in one line (two with a location)."""


class ListenError(CliError):
    """The server cannot listen: the line ``app.run()`` itself prints
    (``cannot listen on 127.0.0.1:8000: address already in use``), with no
    ``error: `` prefix, so it reads the same however the server was started."""


def _versions() -> str:
    lines = []
    for name in DISTRIBUTIONS:
        try:
            lines.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            lines.append(f"{name} (not installed)")
    lines.append(
        f"Python {platform.python_version()} ({platform.python_implementation()})"
    )
    return "\n".join(lines)


class _Version(argparse.Action):
    """``--version``: print the versions line by line and exit 0."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs
        )

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> NoReturn:
        print(_versions())
        parser.exit(0)


def _count(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0 to 65535, not {value}")
    return value


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Serve a Sanic app: TARGET is module:attribute or module.attribute "
        "(e.g. server:app), looked up from the current directory.",
        epilog="Exit status: 0 after a normal stop, 1 for an error reported in one "
        "line (a target that cannot be loaded, an address in use, ...), 2 for a "
        "bad command line.",
    )
    on_off = "off"
    parser.add_argument(
        "target",
        nargs="?",
        metavar="TARGET",
        help="the app to serve, e.g. server:app, server.app, pkg.sub:obj.app",
    )
    parser.add_argument(
        "--factory",
        action="store_true",
        help="TARGET is a function called with no arguments that returns the app "
        f"(default: {on_off})",
    )
    parser.add_argument(
        "--host", help=f"address to listen on (default: {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port", type=_port, help=f"port to listen on (default: {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--unix",
        metavar="PATH",
        help="listen on a unix socket at PATH instead of --host/--port "
        "(default: none, TCP)",
    )
    parser.add_argument(
        "--workers",
        type=_count,
        default=1,
        help="number of worker processes (default: 1)",
    )
    parser.add_argument(
        "--debug", action="store_true", help=f"debug mode (default: {on_off})"
    )
    parser.add_argument(
        "--reload",
        action="store_true",
        help=f"restart the workers when the app's source changes (default: {on_off})",
    )
    parser.add_argument(
        "--dev",
        action="store_true",
        help=f"development mode: --reload and --debug (default: {on_off})",
    )
    parser.add_argument(
        "--access-logs",
        action=argparse.BooleanOptionalAction,
        help="log one line per request (default: the app's ACCESS_LOG config, "
        f"{'on' if _ACCESS_LOG_DEFAULT else 'off'} unless the app changes it); "
        "--no-access-log also works",
    )
    parser.add_argument(
        "--no-access-log",
        dest="access_logs",
        action="store_const",
        const=False,
        help=argparse.SUPPRESS,
    )
    parser.add_argument(
        "--tls",
        metavar="DIR",
        help="serve HTTPS with DIR/fullchain.pem + DIR/privkey.pem, or "
        "DIR/cert.pem + DIR/key.pem (default: none, HTTP)",
    )
    parser.add_argument(
        "--cert",
        metavar="FILE",
        help="serve HTTPS with this certificate chain (PEM) (default: none, HTTP)",
    )
    parser.add_argument(
        "--key",
        metavar="FILE",
        help="the private key (PEM) for --cert (default: none, the key is in --cert)",
    )
    parser.add_argument(
        "--pid-file",
        metavar="PATH",
        help="write the server's process id to PATH, removed at exit, for "
        "--restart (default: none)",
    )
    parser.add_argument(
        "--restart",
        metavar="PID_FILE",
        help="send SIGHUP to the server whose --pid-file is PID_FILE (its workers "
        "restart one at a time) and exit; takes no TARGET (default: none)",
    )
    parser.add_argument(
        "--version",
        action=_Version,
        help="print the versions of sanic-core, its sibling packages and Python, "
        "and exit (default: off)",
    )
    return parser


# -- loading the target -----------------------------------------------------------


def _split(target: str) -> tuple[str, list[str]]:
    """``module:a.b`` or ``module.attribute`` -> (module, attribute path)."""
    if ":" in target:
        module, _, attributes = target.partition(":")
    else:
        module, _, attributes = target.rpartition(".")
    names = attributes.split(".")
    if not module or not all(name.isidentifier() for name in names):
        raise CliError(
            f"{target!r} is not module:attribute or module.attribute (e.g. server:app)"
        )
    return module, names


def _where(exc: BaseException) -> str | None:
    """``file:line`` of the innermost frame of the user's code in ``exc``."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}"
    here = os.path.abspath(__file__)
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if not frame.filename.startswith("<")
        and os.path.abspath(frame.filename) != here
        and os.sep + "importlib" + os.sep not in frame.filename
    ]
    if not frames:
        return None
    return f"{frames[-1].filename}:{frames[-1].lineno}"


def _failure(what: str, exc: BaseException) -> CliError:
    detail = exc.msg if isinstance(exc, SyntaxError) else str(exc)
    message = f"{what}: {type(exc).__name__}: {detail}"
    where = _where(exc)
    return CliError(message if where is None else f"{message}\n  at {where}")


def _import(module_name: str) -> ModuleType:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if module_name == missing or module_name.startswith(missing + "."):
            raise CliError(
                f"cannot import {module_name!r}: no module named {missing!r} "
                f"(looked in {os.getcwd()} and the installed packages)"
            ) from None
        raise _failure(f"importing {module_name!r} failed", exc) from None
    except Exception as exc:  # the module's own code failed
        raise _failure(f"importing {module_name!r} failed", exc) from None


def _kind(value: object) -> str:
    if inspect.isclass(value):
        return f"the class {value.__name__}"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiouAEIOU' else 'a'} {name}"


def _load(target: str, factory: bool) -> Sanic:
    """Import the target's module and return its app (called, with ``factory``)."""
    module_name, names = _split(target)
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    # A module that calls app.run() unguarded at import does not start a server.
    RunMixin._loading_for_cli = True
    try:
        found: object = _import(module_name)
        for depth, name in enumerate(names, 1):
            try:
                found = getattr(found, name)
            except AttributeError:
                raise CliError(
                    f"module {module_name!r} has no attribute "
                    f"{'.'.join(names[:depth])!r}"
                ) from None
        if isinstance(found, Sanic):
            return found
        if not factory:
            hint = "; if it returns one, add --factory" if callable(found) else ""
            raise CliError(f"{target!r} is {_kind(found)}, not a Sanic app{hint}")
        if not callable(found):
            raise CliError(
                f"--factory: {target!r} is {_kind(found)}, not a function returning "
                "a Sanic app"
            )
        try:
            app = found()
        except Exception as exc:
            raise _failure(f"--factory: {target}() failed", exc) from None
        if inspect.isawaitable(app):
            with contextlib.suppress(AttributeError):
                app.close()  # type: ignore[attr-defined]  # a coroutine never awaited
            raise CliError(
                f"--factory: {target}() returned an awaitable; the factory must be "
                "a plain function returning a Sanic app"
            )
        if not isinstance(app, Sanic):
            raise CliError(
                f"--factory: {target}() returned {_kind(app)}, not a Sanic app"
            )
        return app
    finally:
        RunMixin._loading_for_cli = False


# -- TLS, pid file, restart -------------------------------------------------------


def _tls(args: argparse.Namespace) -> ssl_module.SSLContext | None:
    if args.tls and (args.cert or args.key):
        raise CliError("--tls and --cert/--key: give one or the other")
    if args.key and not args.cert:
        raise CliError("--key needs --cert")
    if args.tls:
        directory = Path(args.tls)
        if not directory.is_dir():
            raise CliError(f"--tls {directory}: not a directory")
        for cert, key in TLS_PAIRS:
            if (directory / cert).is_file() and (directory / key).is_file():
                certfile, keyfile = str(directory / cert), str(directory / key)
                break
        else:
            pairs = " nor ".join(f"{c} + {k}" for c, k in TLS_PAIRS)
            raise CliError(f"--tls {directory}: holds neither {pairs}")
    elif args.cert:
        certfile, keyfile = args.cert, args.key
    else:
        return None
    context = ssl_module.create_default_context(ssl_module.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(certfile, keyfile=keyfile)
    except OSError as exc:  # ssl.SSLError is an OSError
        reason = exc.strerror or getattr(exc, "reason", None) or str(exc)
        loaded = certfile if keyfile is None else f"{certfile} with {keyfile}"
        raise CliError(f"cannot load the TLS certificate {loaded}: {reason}") from None
    return context


@contextlib.contextmanager
def _pid_file(path: str | None) -> Iterator[None]:
    """Write this process's id to ``path`` for the block; remove it after.

    Under ``--reload`` the file holds the reloader's pid (SIGHUP to it starts a
    new server): the server it runs, the same command again, leaves it alone.
    """
    if path is None or os.environ.get(RELOAD_CHILD):
        yield
        return
    pid = os.getpid()
    try:
        Path(path).write_text(f"{pid}\n")
    except OSError as exc:
        raise CliError(f"--pid-file {path}: {exc.strerror}") from None

    def no_supervisor(signum: int, frame: FrameType | None) -> None:
        # Replaced by the server's own handler where it restarts workers.
        logger.warning("SIGHUP ignored: no worker supervisor to restart workers")

    # Until the server installs its own handler, SIGHUP (from --restart) must not
    # end the process with its default action.
    previous = signal.signal(signal.SIGHUP, no_supervisor)
    try:
        yield
    finally:
        if os.getpid() == pid:
            signal.signal(signal.SIGHUP, previous)
            with contextlib.suppress(OSError, ValueError):
                if int(Path(path).read_text()) == pid:
                    os.unlink(path)


def _restart(path: str) -> None:
    try:
        text = Path(path).read_text()
    except FileNotFoundError:
        raise CliError(
            f"--restart {path}: no such pid file (start the server with "
            f"--pid-file {path})"
        ) from None
    except OSError as exc:
        raise CliError(f"--restart {path}: {exc.strerror}") from None
    try:
        pid = int(text.strip())
    except ValueError:
        pid = 0
    if pid <= 1:  # never 0 or -1: kill() would signal a whole group
        raise CliError(f"--restart {path}: holds no process id")
    try:
        os.kill(pid, signal.SIGHUP)
    except ProcessLookupError:
        raise CliError(
            f"--restart {path}: no process {pid} (stale pid file: the server is "
            "not running)"
        ) from None
    except PermissionError:
        raise CliError(
            f"--restart {path}: not allowed to signal process {pid}"
        ) from None
    print(f"sent SIGHUP to {pid}: its workers restart one at a time")


# -- main -------------------------------------------------------------------------


def _prog() -> str:
    return (
        "python -m sanic" if os.path.basename(sys.argv[0]) == "__main__.py" else "sanic"
    )


def _serve(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.target is None:
        parser.error("the TARGET to serve is missing (e.g. sanic server:app)")
    if args.unix and (args.host is not None or args.port is not None):
        parser.error("--unix serves on a socket file: drop --host/--port")
    ssl = _tls(args)
    app = _load(args.target, args.factory)
    run: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "workers": args.workers,
        "debug": args.debug or args.dev,
        "ssl": ssl,
        "access_log": args.access_logs,
    }
    if args.unix:
        run["unix"] = args.unix
    if args.reload or args.dev:
        run["auto_reload"] = True
    with _pid_file(args.pid_file):
        try:
            app.run(**run)
        except SystemExit as exc:
            # app.run's own one-line refusal (an address or unix path it cannot
            # bind): the same line, without the CLI's ``error: `` prefix.
            if isinstance(exc.code, str) and isinstance(exc.__cause__, OSError):
                raise ListenError(exc.code) from None
            raise


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and serve the app until it is stopped.

    Exits with status 1 and a one-line message for the errors described in this
    module's docstring.
    """
    parser = _parser(_prog())
    args = parser.parse_args(argv)
    try:
        if args.restart is not None:
            if args.target is not None:
                parser.error("--restart takes no TARGET")
            _restart(args.restart)
            return
        _serve(parser, args)
    except ListenError as problem:
        print(problem, file=sys.stderr)
        sys.exit(EXIT_ERROR)
    except CliError as problem:
        print(f"error: {problem}", file=sys.stderr)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":
    main()
