from __future__ import annotations

import asyncio

import pytest

from sanic_testing._deadline import Deadline


def test_a_block_past_its_deadline_times_out() -> None:
    async def main() -> bool:
        with pytest.raises(asyncio.TimeoutError), Deadline(0.01):
            await asyncio.sleep(10)
        # The task is usable afterwards: the cancellation was ours and is gone.
        await asyncio.sleep(0)
        return True

    assert asyncio.run(asyncio.wait_for(main(), 5))


def test_a_block_within_its_deadline_is_untouched() -> None:
    async def main() -> str:
        with Deadline(5):
            await asyncio.sleep(0)
            return "done"

    assert asyncio.run(main()) == "done"


def test_a_foreign_cancel_stays_a_cancel() -> None:
    async def main() -> None:
        task = asyncio.current_task()
        assert task is not None
        asyncio.get_running_loop().call_soon(task.cancel)
        with Deadline(5):
            await asyncio.sleep(1)

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(main())


def test_outside_a_task_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="running task"):
        Deadline(1).__enter__()
