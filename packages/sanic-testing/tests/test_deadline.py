from __future__ import annotations

import asyncio
import time

import pytest

from sanic_testing import _deadline
from sanic_testing._deadline import Deadline, within


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


def test_within_arms_no_timer_for_a_step_without_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    armed: list[float] = []

    class Recording(Deadline):
        def __enter__(self) -> Deadline:
            armed.append(self._seconds)
            return super().__enter__()

    monkeypatch.setattr(_deadline, "Deadline", Recording)

    async def quick() -> str:
        return "done"

    async def main() -> tuple[str, str]:
        first = await within(quick(), 5)
        return first, await within(asyncio.sleep(0, "slept"), 4)

    assert asyncio.run(main()) == ("done", "slept")
    assert armed == [4]


def test_within_passes_results_and_errors_through_suspensions() -> None:
    async def waits(future: asyncio.Future[int]) -> int:
        first = await future
        await asyncio.sleep(0)
        raise KeyError(first)

    async def main() -> None:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_soon(future.set_result, 7)
        with pytest.raises(KeyError, match="7"):
            await within(waits(future), 5)

    asyncio.run(asyncio.wait_for(main(), 5))


def test_within_raises_errors_of_the_first_step() -> None:
    async def fails() -> None:
        raise ValueError("at once")

    async def main() -> None:
        with pytest.raises(ValueError, match="at once"):
            await within(fails(), 5)

    asyncio.run(main())


def test_within_times_out_a_suspended_coroutine() -> None:
    async def main() -> bool:
        with pytest.raises(asyncio.TimeoutError):
            await within(asyncio.sleep(10), 0.01)
        await asyncio.sleep(0)
        return True

    assert asyncio.run(asyncio.wait_for(main(), 5))


def test_within_counts_from_the_start_not_from_the_first_suspension() -> None:
    async def blocks_then_waits() -> None:
        time.sleep(0.05)  # a synchronous first step longer than the limit
        # Counted from the suspension, 0.02 s would outlast this wait.
        await asyncio.sleep(0.01)

    async def main() -> None:
        with pytest.raises(asyncio.TimeoutError):
            await within(blocks_then_waits(), 0.02)

    asyncio.run(asyncio.wait_for(main(), 5))
