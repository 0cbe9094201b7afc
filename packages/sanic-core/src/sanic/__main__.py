"""``python -m sanic module.app``: serve an app without calling ``app.run()``.

python -m sanic server.app --host=0.0.0.0 --port=1337 --workers=4
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from ._running import RunMixin
from .app import Sanic

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sanic",
        description="Serve a Sanic app given as module.attribute.",
    )
    parser.add_argument("target", help="the app to serve, e.g. server.app")
    parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="default: 8000")
    parser.add_argument("--workers", type=int, default=1, help="default: 1")
    parser.add_argument("--debug", action="store_true", help="debug mode")
    parser.add_argument("--cert", help="TLS certificate (PEM) to serve HTTPS")
    parser.add_argument("--key", help="TLS private key (PEM) for --cert")
    parser.add_argument(
        "--no-access-log", action="store_true", help="do not log every request"
    )
    return parser


def _load(target: str) -> Sanic:
    module_name, _, attribute = target.rpartition(".")
    if not module_name:
        raise SystemExit(f"error: {target!r} is not module.attribute (e.g. server.app)")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    RunMixin._loading_for_cli = True
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SystemExit(f"error: cannot import {module_name!r}: {exc}") from exc
    finally:
        RunMixin._loading_for_cli = False
    app = getattr(module, attribute, None)
    if not isinstance(app, Sanic):
        raise SystemExit(
            f"error: {target!r} is {type(app).__name__}, not a Sanic app"
            if app is not None
            else f"error: module {module_name!r} has no attribute {attribute!r}"
        )
    return app


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and run the app until interrupted."""
    args = _parser().parse_args(argv)
    app = _load(args.target)
    ssl = None
    if args.cert:
        import ssl as ssl_module

        ssl = ssl_module.create_default_context(ssl_module.Purpose.CLIENT_AUTH)
        ssl.load_cert_chain(args.cert, keyfile=args.key)
    app.run(
        host=args.host,
        port=args.port,
        workers=args.workers,
        debug=args.debug,
        ssl=ssl,
        access_log=False if args.no_access_log else None,
    )


if __name__ == "__main__":
    main()
