"""The command line shared by the benchmarks that race a peer server.

``bench/http/run.py`` and ``bench/stream/run.py`` both run this framework against
servers in a second virtualenv (``--peer-python``, default ``$BENCH_PEER_PYTHON``;
``nox -s bench_http`` and ``nox -s bench_stream`` build it), take turns over
``--rounds``, may be limited to some servers with ``--only``, and write a Markdown
report (``--output``) except in a ``--quick`` smoke run. Each script puts this
folder on ``sys.path`` and imports the module by name.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from typing import Protocol, TypeVar

__all__ = ["parse_peer_options", "peer_parser", "selected"]


def peer_parser(
    description: str, *, quick: str, report: str
) -> argparse.ArgumentParser:
    """A parser with the options every peer benchmark takes.

    Args:
        description: The script's one-line description.
        quick: What ``--quick`` runs (its help text).
        report: The default report file, relative to the repository.

    Returns:
        The parser; the script adds its own options before parsing.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help=quick)
    parser.add_argument("--only", default="", help="comma-separated server keys")
    parser.add_argument("--ours-python", default=sys.executable)
    parser.add_argument(
        "--peer-python", default=os.environ.get("BENCH_PEER_PYTHON", "")
    )
    parser.add_argument(
        "--output",
        default=None,
        help=f"Markdown file (default {report}; none with --quick)",
    )
    return parser


def parse_peer_options(
    parser: argparse.ArgumentParser, argv: list[str] | None
) -> argparse.Namespace:
    """Parse ``argv``; exit with a usage error when no peer interpreter is given."""
    args = parser.parse_args(argv)
    if not args.peer_python:
        parser.error("--peer-python (or BENCH_PEER_PYTHON) is required")
    return args


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


S = TypeVar("S", bound=_Keyed)


def selected(servers: Iterable[S], only: str) -> tuple[S, ...]:
    """The servers ``--only`` names (comma-separated keys); all when it is empty."""
    wanted = set(filter(None, only.split(",")))
    return tuple(server for server in servers if not wanted or server.key in wanted)
