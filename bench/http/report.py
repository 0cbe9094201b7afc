"""The Markdown report of bench/http/run.py: tables, ratios and targets."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spec import ENDPOINTS

__all__ = ["Run", "Sample", "write_report"]

# Issue 10's targets for the three GET endpoints; issue 16 raised POST /echo's
# from 1.4x to the same 2x (with each framework installed by its default command).
GET_TARGET = 2.0
ECHO_TARGET = 2.0


@dataclass
class Sample:
    """One wrk run."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int = 0
    socket_errors: str = ""
    rss_kib: int = 0


@dataclass
class Summary:
    """The rounds of one server on one endpoint: medians, and the largest RSS."""

    rps: float
    p50_ms: float
    p99_ms: float
    rss_kib: int
    errors: int
    rounds: int


class Run:
    """Every sample of a benchmark run, by server and endpoint."""

    def __init__(self) -> None:
        self.samples: dict[tuple[str, str], list[Sample]] = defaultdict(list)

    def add(self, server: str, endpoint: str, sample: Sample) -> None:
        self.samples[server, endpoint].append(sample)

    def summary(self, server: str, endpoint: str) -> Summary | None:
        samples = self.samples.get((server, endpoint))
        if not samples:
            return None
        return Summary(
            rps=statistics.median(s.rps for s in samples),
            p50_ms=statistics.median(s.p50_ms for s in samples),
            p99_ms=statistics.median(s.p99_ms for s in samples),
            rss_kib=max(s.rss_kib for s in samples),
            errors=sum(s.errors for s in samples),
            rounds=len(samples),
        )

    def rss_kib(self, server: str) -> int:
        return max(
            (
                s.rss_kib
                for (key, _), ss in self.samples.items()
                if key == server
                for s in ss
            ),
            default=0,
        )


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if a and b else "n/a"


def _met(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**yes**" if ok else "**NO**")


def _endpoint_table(
    run: Run, endpoint: str, servers: list[tuple[str, str, int]]
) -> list[str]:
    sanic = run.summary("sanic", endpoint)
    aiohttp = run.summary("aiohttp", endpoint)
    raw = run.summary("raw", endpoint)
    lines = [
        f"### `{endpoint}`",
        "",
        "| server | req/s | p50 ms | p99 ms | RSS MiB | vs Sanic | vs aiohttp "
        "| of ceiling |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label, workers in servers:
        row = run.summary(key, endpoint)
        if row is None or workers != 1:
            continue
        note = f" ({row.errors} non-2xx)" if row.errors else ""
        lines.append(
            f"| {label}{note} | {row.rps:,.0f} | {row.p50_ms:.2f} | {row.p99_ms:.2f} "
            f"| {row.rss_kib / 1024:.1f} "
            f"| {_ratio(row.rps, sanic.rps if sanic else 0)} "
            f"| {_ratio(row.rps, aiohttp.rps if aiohttp else 0)} "
            f"| {_ratio(row.rps, raw.rps if raw else 0)} |"
        )
    return [*lines, ""]


def _targets(run: Run, startup: dict[str, tuple[float, float]]) -> list[str]:
    lines = [
        "| target | measured | met |",
        "|---|---:|:---:|",
    ]
    for endpoint in ENDPOINTS:
        ours = run.summary("ours", endpoint)
        sanic = run.summary("sanic", endpoint)
        aiohttp = run.summary("aiohttp", endpoint)
        raw = run.summary("raw", endpoint)
        if ours is None:
            continue
        need = ECHO_TARGET if endpoint == "POST /echo" else GET_TARGET
        if sanic:
            ratio = ours.rps / sanic.rps
            lines.append(
                f"| `{endpoint}` req/s >= {need}x Sanic | {ratio:.2f}x "
                f"| {_met(ratio >= need)} |"
            )
            half = ours.p99_ms / sanic.p99_ms if sanic.p99_ms else 0.0
            lines.append(
                f"| `{endpoint}` p99 <= 0.5x Sanic's | {half:.2f}x "
                f"({ours.p99_ms:.2f} vs {sanic.p99_ms:.2f} ms) | {_met(half <= 0.5)} |"
            )
        if aiohttp and endpoint != "POST /echo":
            ratio = ours.rps / aiohttp.rps
            lines.append(
                f"| `{endpoint}` req/s ahead of aiohttp.web | {ratio:.2f}x "
                f"| {_met(ratio > 1)} |"
            )
        if raw and endpoint != "POST /echo":
            ratio = ours.rps / raw.rps
            lines.append(
                f"| `{endpoint}` stretch: >= 0.5x raw ceiling | {ratio:.2f}x "
                f"| {_met(ratio >= 0.5)} |"
            )
    ours_rss, sanic_rss = run.rss_kib("ours"), run.rss_kib("sanic")
    if ours_rss and sanic_rss:
        lines.append(
            f"| RSS of one worker <= Sanic's | {ours_rss / 1024:.1f} vs "
            f"{sanic_rss / 1024:.1f} MiB | {_met(ours_rss <= sanic_rss)} |"
        )
    if "ours" in startup and "sanic" in startup:
        ratio = startup["ours"][0] / startup["sanic"][0]
        lines.append(
            f"| startup (import + 100-route app) <= 0.5x Sanic's | {ratio:.2f}x "
            f"| {_met(ratio <= 0.5)} |"
        )
    return [*lines, ""]


def _workers_table(run: Run, servers: list[tuple[str, str, int]]) -> list[str]:
    rows = [(label, run.summary(key, "GET /")) for key, label, w in servers if w > 1]
    rows = [(label, row) for label, row in rows if row is not None]
    if not rows:
        return []
    ours = run.summary("ours4", "GET /")
    sanic = run.summary("sanic4", "GET /")
    lines = [
        "### `GET /` with 4 workers",
        "",
        "Both cores are shared with wrk here: read it as a ratio only.",
        "",
        "| server | req/s | p50 ms | p99 ms |",
        "|---|---:|---:|---:|",
    ]
    for label, row in rows:
        lines.append(
            f"| {label} | {row.rps:,.0f} | {row.p50_ms:.2f} | {row.p99_ms:.2f} |"
        )
    if ours and sanic:
        lines += [
            "",
            f"This framework / Sanic with 4 workers: {_ratio(ours.rps, sanic.rps)}.",
        ]
    return [*lines, ""]


def _bullets(items: Iterable[tuple[str, Any]]) -> list[str]:
    return [f"- {name}: {value}" for name, value in items]


def write_report(
    path: Path,
    run: Run,
    startup: dict[str, tuple[float, float]],
    *,
    servers: list[tuple[str, str, int]],
    versions: dict[str, str],
    settings: dict[str, Any],
    commands: list[str],
) -> None:
    """Write the whole Markdown report to ``path``."""
    lines = [
        "# HTTP benchmark results",
        "",
        f"Written by `{settings['invocation'].strip()}` on {settings['date']}. "
        f"Median of {settings['rounds']} rounds of {settings['duration']} s per "
        f"server and endpoint ({settings['warmup']} s untimed warm-up before each), "
        "the servers taking turns on each endpoint (in reverse order every other "
        "round). Each single-worker server is "
        "pinned to core 1, wrk to core 0. RSS is the server process's resident "
        "memory after its run (largest over the rounds).",
        "",
        "## Targets (issues 10 and 16)",
        "",
        *_targets(run, startup),
        "## Results",
        "",
    ]
    for endpoint in ENDPOINTS:
        lines += _endpoint_table(run, endpoint, servers)
    lines += _workers_table(run, servers)
    lines += [
        "### Streamed uploads",
        "",
        "Upload throughput (MB/s) and peak RSS on a streaming route against "
        "Sanic 25.12's: [RESULTS-stream.md](RESULTS-stream.md), written by "
        "`nox -s bench_stream` (`bench/stream/run.py`).",
        "",
    ]
    if startup:
        lines += [
            "### Startup: `import sanic` and building a 100-route app",
            "",
            "Median over fresh processes; in-process time from before the import "
            "to the built app, and the whole interpreter run.",
            "",
            "| framework | in-process ms | whole process ms |",
            "|---|---:|---:|",
        ]
        for key, (inner, outer) in startup.items():
            label = "this framework" if key == "ours" else "Sanic 25.12"
            lines.append(f"| {label} | {inner * 1000:.1f} | {outer * 1000:.1f} |")
        lines.append("")
    notes = Path(__file__).with_name("NOTES.md")
    if notes.exists():
        lines += [notes.read_text().rstrip(), ""]
    lines += [
        "## Environment",
        "",
        *_bullets(versions.items()),
        f"- wrk connections: {settings['connections']}, one thread",
        "",
        "## Commands",
        "",
        "```",
        "nox -s bench_http            # or: python bench/http/run.py --peer-python P",
        *commands,
        "```",
        "",
        "Servers: `bench/http/servers/*.py` (`taskset -c 1 python <script> --port "
        "PORT --workers N`); endpoints and the 100 filler routes: "
        "`bench/http/spec.py`.",
        "",
    ]
    path.write_text("\n".join(lines))
