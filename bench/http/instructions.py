"""Instructions per request, counted by valgrind: a yardstick that noise can't move.

Runs ``inprocess.py --once`` under ``valgrind --tool=callgrind`` twice per
endpoint, with a short and a long request loop; the difference in executed
instructions divided by the difference in requests is the cost of one request,
without interpreter start-up or imports. The count is the same from run to run
(within about 1%) whatever else the machine is doing, unlike wall-clock or CPU
time on a shared VM, so changes of a few percent in the hot path show up.

    python bench/http/instructions.py [--endpoint "GET /"] [--eager on|off]

Needs valgrind (Debian package ``valgrind``). About 10 s per endpoint.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from spec import ENDPOINTS

HERE = Path(__file__).resolve().parent
SHORT, LONG = 200, 1200
_REFS = re.compile(rb"I\s+refs:\s+([\d,]+)")


def count(endpoint: str, requests: int, extra: list[str]) -> int:
    """Instructions executed by one ``inprocess.py --once`` run."""
    command = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, str(HERE / "inprocess.py"), "--once",
        "--requests", str(requests), "--endpoint", endpoint, *extra,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, check=True, timeout=600)
    match = _REFS.search(result.stderr)
    if match is None:
        raise SystemExit(f"no instruction count from valgrind:\n{result.stderr!r}")
    return int(match.group(1).replace(b",", b""))


def per_request(endpoint: str, extra: list[str]) -> float:
    return (count(endpoint, LONG, extra) - count(endpoint, SHORT, extra)) / (
        LONG - SHORT
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", choices=list(ENDPOINTS), action="append")
    parser.add_argument("--eager", choices=["on", "off"])
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed: apt-get install -y valgrind")
    extra = ["--eager", args.eager] if args.eager else []
    version = ".".join(map(str, sys.version_info[:2]))
    print(f"Python {version}, instructions per request (callgrind)")
    for name in args.endpoint or ENDPOINTS:
        print(f"{name:34} {per_request(name, extra):9,.0f}", flush=True)


if __name__ == "__main__":
    main()
