"""Promise 9: nothing lost (RFC 9112 §9.3.2 pipelining, §9.6 graceful close)."""

from __future__ import annotations

import asyncio
import signal

import httptools

from ._target import Target
from ._wire import Connection, Failure, check, request

CONNECTIONS = 50
REQUESTS = 2000
DEPTH = 4
# Responses to pipelined requests come in request order (§9.3.2); every request
# gets its own answer. On SIGTERM a server stops accepting, answers what is in
# flight, then exits (§9.6 lets it close idle connections at any time).


class _Bodies:
    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.body = b""
        self.parser = httptools.HttpResponseParser(self)

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        if self.parser.get_status_code() != 200:
            self.body = b"status %d" % self.parser.get_status_code()
        self.bodies.append(self.body)
        self.body = b""


async def _client(host: str, port: int, ids: list[int]) -> list[bytes]:
    reader, writer = await asyncio.open_connection(host, port)
    bodies = _Bodies()
    try:
        for start in range(0, len(ids), DEPTH):
            batch = ids[start : start + DEPTH]
            writer.write(b"".join(request(f"/id/{i}") for i in batch))
            want = start + len(batch)
            while len(bodies.bodies) < want:
                data = await reader.read(65536)
                if not data:
                    raise Failure(f"closed after {len(bodies.bodies)} responses")
                bodies.parser.feed_data(data)
    finally:
        writer.close()
    return bodies.bodies


async def _all(host: str, port: int) -> list[list[bytes]]:
    per = REQUESTS // CONNECTIONS
    plans = [list(range(c * per, (c + 1) * per)) for c in range(CONNECTIONS)]
    runs = [_client(host, port, plan) for plan in plans]
    results = await asyncio.wait_for(asyncio.gather(*runs), 30)
    for plan, bodies in zip(plans, results, strict=True):
        expected = [b"id %d" % i for i in plan]
        if bodies != expected:
            wrong = next(
                i
                for i, (a, b) in enumerate(zip(bodies, expected, strict=False))
                if a != b
            )
            raise Failure(
                f"response {wrong}: {bodies[wrong]!r}, not {expected[wrong]!r}"
            )
    return results


@check(9)
def pipelined_keep_alive_requests_all_answered_in_order(target: Target) -> None:
    asyncio.run(_all(target.host, target.port))


@check(9)
def sigterm_answers_the_request_in_flight(target: Target) -> None:
    with target.fresh() as server:
        with Connection(target.host, server.port, timeout=10) as conn:
            conn.send(request("/slow?s=1"))
            if not server.wait_for("SLOW-STARTED", 10):
                raise Failure("the slow handler never started")
            server.signal(signal.SIGTERM)
            reply = conn.reply()
            if reply is None or reply.status != 200 or reply.body != b"slow done":
                got = reply and (reply.status, reply.body)
                raise Failure(f"in-flight request lost on SIGTERM: {got}")
        if not server.exits(10):
            raise Failure("the server did not exit after SIGTERM")
