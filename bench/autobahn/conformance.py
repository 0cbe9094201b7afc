"""Autobahn|Testsuite conformance: the fuzzing client against a websocket echo app.

Starts each server (``echo_app.py``: this framework's ``@app.websocket`` echo;
``reference_echo.py``: the ``websockets`` library's own asyncio echo server, the
known-good peer that shows the harness itself works) on a free port, runs
``wstest -m fuzzingclient`` with cases 1-7, 9 and 10, plus 12-13 (RFC 7692
compression) unless ``--no-deflate``, reads the JSON report wstest writes and
counts each case's outcome per case group.

A case passes when its behaviour is ``OK``, ``NON-STRICT`` or ``INFORMATIONAL``.
Any other outcome (``FAILED``, ``UNIMPLEMENTED``, ...) fails the run, except the
deviations listed in ``KNOWN`` for that server, which are counted in their own
column with the reason (and reported if they start passing). The exit status is
1 when a case fails, so ``nox -s autobahn`` fails with it.

``autobahntestsuite`` is a Python 2.7 package; ``nox -s autobahn`` installs it
into a user base (``PYTHONUSERBASE``) and passes ``--wstest``::

    python bench/autobahn/conformance.py --wstest W     # writes RESULTS.md here
    python bench/autobahn/conformance.py --wstest W --quick        # 1-7 and 10, no file
    python bench/autobahn/conformance.py --wstest W --servers reference --cases 9.*
    python bench/autobahn/conformance.py --wstest W --cases 6.* --reports /tmp/ab

(Not named ``run.py``: ``nox -s bench`` runs every ``bench/*/run.py``, and this
is a conformance check that needs Python 2.7, not a benchmark.)
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/

from harness import (
    checkout,
    free_port,
    python_says,
    report_tail,
    start_session,
    stop_session,
    wait_ready,
)

HERE = Path(__file__).resolve().parent

GROUPS = {
    "1": "Framing",
    "2": "Pings/Pongs",
    "3": "Reserved bits",
    "4": "Opcodes",
    "5": "Fragmentation",
    "6": "UTF-8 handling",
    "7": "Close handling",
    "9": "Limits/performance",
    "10": "Miscellaneous",
    "12": "Compression (payloads)",
    "13": "Compression (parameters)",
}
BASE_CASES = ("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "9.*", "10.*")
DEFLATE_CASES = ("12.*", "13.*")
QUICK_CASES = ("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "10.*")
PASSING = ("OK", "NON-STRICT", "INFORMATIONAL")
KNOWN_COLUMN = "KNOWN"

# The largest message case 9 sends is 16 MiB (9.1.6, 9.2.6); every server is
# started with this WEBSOCKET_MAX_SIZE so that no case meets the size limit.
MAX_SIZE = 16 << 20

_CLOSE_MID_MESSAGE = (
    "a close frame in the middle of a fragmented message is answered with 1002 "
    "(protocol error: incomplete fragmented message) where the case expects 1000; "
    "the choice of the `websockets` library's Sans-I/O protocol "
    "(`websockets.protocol.Protocol.recv_frame`), which sanic-http overrides"
)
_TOO_MANY_FRAGMENTS = (
    "the `websockets` asyncio server refuses a message of more than its "
    "`max_queue` fragments with 1009 (too many fragments), a limit of that "
    "library's asyncio layer, not of the protocol"
)
# Outcomes outside PASSING that are understood and do not fail a run, per server.
KNOWN: dict[str, dict[str, str]] = {
    "ours": {},
    "reference": {
        "7.1.5": _CLOSE_MID_MESSAGE,
        **{f"9.{g}.{n}": _TOO_MANY_FRAGMENTS for g in (3, 4) for n in (1, 2, 3)},
    },
}


@dataclass(frozen=True)
class Server:
    """One server the fuzzing client runs against."""

    key: str
    label: str
    script: str


SERVERS = {
    "ours": Server("ours", "this framework (`echo_app.py`)", "echo_app.py"),
    "reference": Server(
        "reference",
        "`websockets` asyncio server (`reference_echo.py`)",
        "reference_echo.py",
    ),
}


@dataclass
class Outcome:
    """What wstest reported for one server."""

    server: Server
    cases: dict[str, tuple[str, str]]  # case id -> (behavior, behaviorClose)
    durations: dict[str, int]  # case id -> milliseconds, as wstest measured
    seconds: float
    log_tracebacks: int


def case_key(case: str) -> tuple[int, ...]:
    """Sort ``9.10.2`` after ``9.2.1``."""
    return tuple(int(part) for part in case.split("."))


class Running:
    """A started echo server (its own process group, stopped with SIGINT)."""

    def __init__(self, server: Server, args: argparse.Namespace, log: Path) -> None:
        self.port = free_port()
        argv = [args.python, str(HERE / server.script), "--port", str(self.port)]
        argv += ["--max-size", str(MAX_SIZE)]
        if args.no_deflate:
            argv.append("--no-deflate")
        env = dict(os.environ)
        if args.no_uvloop:
            env["SANIC_NO_UVLOOP"] = "1"
        self.log = log
        with log.open("ab") as out:
            self.process = start_session(argv, env, out)
        wait_ready(self.process, self._connect, self.tail)

    def _connect(self) -> None:
        socket.create_connection(("127.0.0.1", self.port), timeout=1).close()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        stop_session(self.process)


def run_wstest(
    args: argparse.Namespace, server: Server, cases: list[str], work: Path
) -> Outcome:
    """Start ``server``, run the fuzzing client against it, read its report."""
    log = work / f"{server.key}.log"
    outdir = work / "reports" / server.key
    running = Running(server, args, log)
    spec = {
        "outdir": str(outdir),
        "servers": [{"agent": server.key, "url": f"ws://127.0.0.1:{running.port}"}],
        "cases": cases,
        "exclude-cases": args.exclude,
        "exclude-agent-cases": {},
    }
    spec_file = work / f"{server.key}-spec.json"
    spec_file.write_text(json.dumps(spec, indent=2))
    began = time.monotonic()
    try:
        with (work / f"{server.key}-wstest.log").open("wb") as out:
            done = subprocess.run(
                [args.wstest, "-m", "fuzzingclient", "-s", str(spec_file)],
                cwd=work,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=args.timeout,
                check=False,
            )
    finally:
        seconds = time.monotonic() - began
        running.stop()
    index = outdir / "index.json"
    if done.returncode != 0 or not index.exists():
        wslog = (work / f"{server.key}-wstest.log").read_text(errors="replace")
        raise SystemExit(
            f"wstest failed against {server.key} (exit {done.returncode}):\n"
            f"{wslog[-3000:]}\nserver log:\n{running.tail()}"
        )
    report = json.loads(index.read_text())[server.key]
    results = {
        case: (str(entry["behavior"]), str(entry["behaviorClose"]))
        for case, entry in report.items()
    }
    durations = {case: int(entry.get("duration", 0)) for case, entry in report.items()}
    tracebacks = log.read_text(errors="replace").count("Traceback")
    return Outcome(server, results, durations, seconds, tracebacks)


def failures(outcome: Outcome) -> tuple[list[str], list[str], list[str]]:
    """Split the cases outside PASSING into failing, known and known-now-passing."""
    known = KNOWN.get(outcome.server.key, {})
    failing, expected = [], []
    for case in sorted(outcome.cases, key=case_key):
        if outcome.cases[case][0] in PASSING:
            continue
        (expected if case in known else failing).append(case)
    fixed = sorted(
        (c for c in known if c in outcome.cases and outcome.cases[c][0] in PASSING),
        key=case_key,
    )
    return failing, expected, fixed


def counts(outcome: Outcome) -> dict[str, Counter[str]]:
    """Outcomes per case group (the known deviations under KNOWN_COLUMN)."""
    known = KNOWN.get(outcome.server.key, {})
    table: dict[str, Counter[str]] = {}
    for case, (behavior, _) in outcome.cases.items():
        group = case.split(".")[0]
        column = KNOWN_COLUMN if behavior not in PASSING and case in known else behavior
        table.setdefault(group, Counter())[column] += 1
    return table


def versions(args: argparse.Namespace) -> dict[str, str]:
    meta = "import importlib.metadata as m; print(m.version({!r}))"
    wstest = subprocess.run(
        [args.wstest, "-a"], capture_output=True, text=True, check=False
    )
    lines = [line.strip() for line in wstest.stdout.splitlines() if line.strip()]
    return {
        "server python": python_says(
            args.python, "import platform; print(platform.python_version())"
        ),
        "this framework (sanic-core)": python_says(
            args.python, meta.format("sanic-core")
        ),
        "sanic-http": python_says(args.python, meta.format("sanic-http")),
        "websockets": python_says(args.python, meta.format("websockets")),
        "event loop": "asyncio" if args.no_uvloop else "uvloop (default install)",
        "wstest": ", ".join(lines) or "?",
        "checkout": checkout(),
        "kernel": platform.release(),
    }


def markdown(
    args: argparse.Namespace, outcomes: list[Outcome], info: dict[str, str]
) -> str:
    columns = [*PASSING, KNOWN_COLUMN]
    others = sorted(
        {b for o in outcomes for c in counts(o).values() for b in c} - set(columns)
    )
    columns += others
    invocation = " ".join(["python bench/autobahn/conformance.py", *args.argv])
    deflate = "off" if args.no_deflate else "on (RFC 7692 accepted when offered)"
    lines = [
        "# Autobahn|Testsuite results",
        "",
        f"Written by `{invocation}` on {datetime.date.today().isoformat()} "
        "(`nox -s autobahn`). The fuzzing client (`wstest -m fuzzingclient`) runs "
        f"cases {', '.join(args.cases)}"
        + (f" except {', '.join(args.exclude)}" if args.exclude else "")
        + f" against an echo app; per-message deflate {deflate}; "
        f"`WEBSOCKET_MAX_SIZE` {MAX_SIZE >> 20} MiB, keep-alive pings off. A case "
        "passes as OK, NON-STRICT or INFORMATIONAL; KNOWN counts the listed "
        "deviations, which do not fail the run; any other outcome does. Case "
        "time is the sum of wstest's own per-case durations (wstest, on Python "
        "2.7, is the slow side).",
        "",
    ]
    for outcome in outcomes:
        failing, expected, fixed = failures(outcome)
        table = counts(outcome)
        verdict = "PASS" if not failing else f"FAIL ({len(failing)} cases)"
        lines += [
            f"## {outcome.server.label}: {verdict}",
            "",
            f"{len(outcome.cases)} cases in {outcome.seconds:.0f} s; "
            f"{outcome.log_tracebacks} tracebacks in the server's log.",
            "",
            "| cases | group | " + " | ".join(columns) + " | total | case time s |",
            "|---|---|" + "---:|" * (len(columns) + 2),
        ]
        spent = Counter[str]()
        for case, ms in outcome.durations.items():
            spent[case.split(".")[0]] += ms
        for group in sorted(table, key=int):
            row = table[group]
            cells = " | ".join(str(row.get(c, 0)) for c in columns)
            name = GROUPS.get(group, "")
            lines.append(
                f"| {group}.* | {name} | {cells} | {sum(row.values())} "
                f"| {spent[group] / 1000:.1f} |"
            )
        total = Counter[str]()
        for row in table.values():
            total.update(row)
        cells = " | ".join(str(total.get(c, 0)) for c in columns)
        all_s = sum(spent.values()) / 1000
        lines += [f"| all | | {cells} | {sum(total.values())} | {all_s:.1f} |", ""]
        known = KNOWN.get(outcome.server.key, {})
        for case in expected:
            behavior, close = outcome.cases[case]
            lines.append(f"- {case} ({behavior}, close {close}): {known[case]}.")
        for case in failing:
            behavior, close = outcome.cases[case]
            lines.append(f"- {case}: **{behavior}** (close {close}).")
        for case in fixed:
            lines.append(f"- {case} now passes: take it out of `KNOWN`.")
        if expected or failing or fixed:
            lines.append("")
    lines += report_tail(
        HERE,
        info,
        [
            "nox -s autobahn              # installs wstest (Python 2.7), writes this",
            "nox -s autobahn -- --quick   # cases 1-7 and 10, writes nothing",
        ],
        "",
    )
    return "\n".join(lines)


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--wstest",
        default=shutil.which("wstest") or "",
        help="the wstest script (default: wstest on PATH)",
    )
    parser.add_argument(
        "--servers",
        default="ours",
        help=f"comma-separated, of {', '.join(SERVERS)} (default: ours)",
    )
    parser.add_argument("--python", default=sys.executable, help="runs the servers")
    parser.add_argument("--cases", default="", help="comma-separated case patterns")
    parser.add_argument("--exclude", default="", help="case patterns to leave out")
    parser.add_argument("--no-deflate", action="store_true", help="no cases 12-13")
    parser.add_argument("--no-uvloop", action="store_true", help="plain asyncio")
    parser.add_argument("--quick", action="store_true", help="cases 1-7 and 10")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds/server")
    parser.add_argument(
        "--reports",
        default="",
        help="keep wstest's reports (HTML and JSON per case) in this folder",
    )
    parser.add_argument(
        "--output",
        default=None,
        help="Markdown file (default bench/autobahn/RESULTS.md; none with --quick)",
    )
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if not args.wstest:
        parser.error("no wstest: pass --wstest (nox -s autobahn installs it)")
    args.wstest = os.path.abspath(args.wstest)  # wstest runs in a temporary folder
    unknown = set(args.servers.split(",")) - set(SERVERS)
    if unknown:
        parser.error(f"unknown servers: {', '.join(sorted(unknown))}")
    if args.cases:
        args.cases = args.cases.split(",")
    elif args.quick:
        args.cases = list(QUICK_CASES)
    else:
        args.cases = list(BASE_CASES) + ([] if args.no_deflate else list(DEFLATE_CASES))
    args.exclude = list(filter(None, args.exclude.split(",")))
    return args


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="autobahn-") as tmp:
        work = Path(args.reports).resolve() if args.reports else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for key in args.servers.split(","):
            outcome = run_wstest(args, SERVERS[key], args.cases, work)
            outcomes.append(outcome)
            failing, _, fixed = failures(outcome)
            table = counts(outcome)
            total = Counter[str]()
            for row in table.values():
                total.update(row)
            print(
                f"{key}: {len(outcome.cases)} cases in {outcome.seconds:.0f} s: "
                + ", ".join(f"{n} {b}" for b, n in sorted(total.items())),
                flush=True,
            )
            for case in failing:
                print(f"  {case}: {outcome.cases[case]}", flush=True)
            for case in fixed:
                print(f"  {case}: known deviation now passes", flush=True)
        output = args.output or (None if args.quick else str(HERE / "RESULTS.md"))
        if output:
            Path(output).write_text(markdown(args, outcomes, versions(args)))
            print(f"wrote {output}")
    failed = {o.server.key: failures(o)[0] for o in outcomes}
    if any(failed.values()):
        print(f"FAILED cases: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
