"""The ``websockets`` library's own asyncio echo server: the harness's known-good peer.

``python reference_echo.py --port P [--max-size N] [--no-deflate]`` serves
``ws://127.0.0.1:P/`` and sends every message back as it came (text as text,
binary as binary). ``conformance.py --servers reference`` runs the
Autobahn cases against it, which shows the harness works whatever state this
framework's websockets are in. Needs only ``websockets`` (13 or later).
"""

from __future__ import annotations

import argparse
import asyncio

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed


async def echo(ws: ServerConnection) -> None:
    """Send every message back until the peer closes."""
    try:
        async for message in ws:
            await ws.send(message)
    except ConnectionClosed:
        pass


async def main(args: argparse.Namespace) -> None:
    async with serve(
        echo,
        "127.0.0.1",
        args.port,
        max_size=args.max_size,
        ping_interval=None,
        compression=None if args.no_deflate else "deflate",
    ):
        await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--max-size", type=int, default=16 << 20)
    parser.add_argument("--no-deflate", action="store_true")
    asyncio.run(main(parser.parse_args()))
