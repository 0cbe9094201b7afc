"""200 requests in a test: one-shot vs reusable vs in-process client.

Each client sends the same 200 requests (a mix of GET with query parameters and
POST with a JSON body) to the same small app and checks every answer, as a test
suite would; the async in-process client runs the same requests from one
coroutine, as a pytest-asyncio test would. The time per client is the best of
``--rounds`` runs. Run from the repository root with sanic-core and
sanic-testing installed:

    python bench/testing/run.py [--requests 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from sanic import Sanic
from sanic.response import json
from sanic_testing import AsyncInProcessClient, InProcessClient, ReusableClient


def make_app() -> Sanic:
    app = Sanic("bench")

    @app.route("/items/<item:int>", methods=["GET", "POST"])
    async def item(request: Any, item: int) -> Any:
        data = request.json if request.body else {}
        return json({"item": item, "q": request.args.get("q"), "data": data})

    return app


def workload(client: Any, count: int) -> None:
    for number in range(count):
        if number % 2:
            _, response = client.post(f"/items/{number}", json={"n": number})
            assert response.json["data"] == {"n": number}
        else:
            _, response = client.get(f"/items/{number}", params={"q": "x"})
            assert response.json["q"] == "x"
        assert response.status == 200


async def async_workload(client: Any, count: int) -> None:
    """``workload`` for an async client, as a pytest-asyncio test would run it."""
    for number in range(count):
        if number % 2:
            _, response = await client.post(f"/items/{number}", json={"n": number})
            assert response.json["data"] == {"n": number}
        else:
            _, response = await client.get(f"/items/{number}", params={"q": "x"})
            assert response.json["q"] == "x"
        assert response.status == 200


def interleaved(rounds: int, runs: dict[str, Callable[[], None]]) -> dict[str, float]:
    """The best time of each run; rounds alternate between the runs, so a burst
    of load on the machine does not favour one of them."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return {name: min(taken) for name, taken in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    # The one-shot client logs a start and a stop line per request.
    logging.disable(logging.INFO)
    count = options.requests

    def one_shot() -> None:
        workload(make_app().test_client, count)

    def reusable() -> None:
        with ReusableClient(make_app()) as client:
            workload(client, count)

    def in_process() -> None:
        with InProcessClient(make_app()) as client:
            workload(client, count)

    def in_process_async() -> None:
        async def main() -> None:
            async with AsyncInProcessClient(make_app()) as client:
                await async_workload(client, count)

        asyncio.run(main())

    results = interleaved(
        options.rounds,
        {
            "one-shot": one_shot,
            "reusable": reusable,
            "in-process": in_process,
            "async in-process": in_process_async,
        },
    )
    base = results["one-shot"]
    print(f"{count} requests, best of {options.rounds} rounds")
    print(f"{'client':<18}{'total s':>10}{'per request':>14}{'vs one-shot':>14}")
    for name, seconds in results.items():
        per = seconds / count * 1e6
        print(f"{name:<18}{seconds:>10.3f}{per:>11.0f} us{base / seconds:>13.1f}x")


if __name__ == "__main__":
    main()
