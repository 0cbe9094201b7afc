"""The nine hardening promises, checked over raw sockets against a running app.

The checks live in ``hardening/`` (one module per group of promises, each group
citing its RFC rule) so that ``bench/hardening/run.py`` can run the very same
battery against Sanic 25.12 and uvicorn+Starlette. Here they run against this
framework's app in a subprocess, once on uvloop and once on plain asyncio.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hardening import PROMISES, Check, Target, checks, make_site


def _ids(check: Check) -> str:
    return check.__name__


def test_every_promise_has_checks() -> None:
    assert sorted(PROMISES) == list(range(1, 10))
    assert all(len(checks(promise)) >= 2 for promise in PROMISES)


@pytest.mark.parametrize("check", checks(1), ids=_ids)
def test_promise1_framing(target: Target, check: Check) -> None:
    check(target)


@pytest.mark.parametrize("check", checks(2), ids=_ids)
def test_promise2_header_syntax(target: Target, check: Check) -> None:
    check(target)


@pytest.mark.parametrize("check", checks(3), ids=_ids)
def test_promise3_chunked_bodies(target: Target, check: Check) -> None:
    check(target)


@pytest.mark.parametrize("check", checks(4), ids=_ids)
def test_promise4_limits(target: Target, check: Check) -> None:
    check(target)


@pytest.mark.parametrize("check", checks(5), ids=_ids)
def test_promise5_time(target: Target, check: Check) -> None:
    check(target)


@pytest.mark.parametrize("check", checks(6), ids=_ids)
def test_promise6_static_files(target: Target, check: Check) -> None:
    check(target)


@pytest.mark.parametrize("check", checks(7), ids=_ids)
def test_promise7_response_splitting(target: Target, check: Check) -> None:
    check(target)


@pytest.mark.parametrize("check", checks(8), ids=_ids)
def test_promise8_errors(target: Target, check: Check) -> None:
    check(target)


@pytest.mark.parametrize("check", checks(9), ids=_ids)
def test_promise9_nothing_lost(target: Target, check: Check) -> None:
    check(target)


def test_the_site_keeps_its_secrets_outside_the_root(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    public = (site / "public").resolve()
    assert (site / "public" / "link.txt").resolve().parent != public
    assert not (site / "secret.txt").resolve().is_relative_to(public)
