"""The app under gunicorn: ``sanic.worker.GunicornWorker`` and uvicorn's worker.

Each test starts ``python -m gunicorn`` on a free port (``launch_gunicorn`` in
conftest.py) serving tests/integration/load/gunicorn_app.py and talks to it over
sockets: a streamed upload, a streamed response, the listeners in every worker,
``TERM`` with a request in flight, ``HUP`` under a steady load, a worker killed
with ``SIGKILL``, ``--max-requests``, ``--timeout`` against a blocked loop, TLS
from ``--certfile``, the access log, the commands docs/deploying.md shows, and
its nginx site in front (when nginx is installed).
The guide examples run under the native worker through the ``example``
fixture's "gunicorn" kind.
"""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import os
import re
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import (
    GUNICORN_ASGI,
    GUNICORN_NATIVE,
    HOST,
    NGINX,
    NGINX_MISSING,
    REQUEST_TIMEOUT,
    ROOT,
    WORKERS_DEADLINE,
    Example,
    Launch,
    Load,
    answering_pids,
    get_json,
    gunicorn_command,
    launch_gunicorn,
    nginx_in_front,
    start_example,
    steady_load,
    streamed_count,
    upload_digest,
    worker_lines,
)
from sanic_test_helpers import free_port, self_signed

from sanic_http import LOOP_IMPLEMENTATION

TARGET = "gunicorn_app:app"
WORKERS = {"native": GUNICORN_NATIVE, "uvicorn": GUNICORN_ASGI}


@pytest.fixture(scope="module", params=sorted(WORKERS))
def worker(request: pytest.FixtureRequest) -> str:
    return WORKERS[request.param]


@pytest.fixture(scope="module")
def served(worker: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Example]:
    """Two workers with the access log on, stopped with ``TERM`` (what process
    managers send; uvicorn's worker does not stop on the arbiter's ``QUIT``)."""
    tmp_dir = tmp_path_factory.mktemp("gunicorn")
    example = launch_gunicorn(
        lambda script, **options: start_example(tmp_dir, script, **options),
        TARGET,
        worker,
        workers=2,
        args=("--access-logfile", "-"),
    )
    yield example
    assert example.stop(signal.SIGTERM) == 0, example.output()


# -- only sanic.worker imports gunicorn ----------------------------------------


def test_only_sanic_worker_imports_gunicorn() -> None:
    source = ROOT / "packages"
    importers = sorted(
        str(path.relative_to(source))
        for path in source.glob("*/src/**/*.py")
        if re.search(r"^\s*(from|import) gunicorn", path.read_text(), re.M)
    )
    assert importers == ["sanic-core/src/sanic/worker.py"]
    code = (
        "import sys, pkgutil, importlib, sanic\n"
        "for info in pkgutil.iter_modules(sanic.__path__, 'sanic.'):\n"
        "    if info.name != 'sanic.worker':\n"
        "        importlib.import_module(info.name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'gunicorn'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


# -- what a request sees --------------------------------------------------------


@pytest.mark.parametrize("framing", ["chunked", "content-length"])
def test_streamed_upload(served: Example, framing: str) -> None:
    data = os.urandom(8 * 1024 * 1024)
    reply = upload_digest(served, data, chunked=framing == "chunked")
    assert reply == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_streamed_response(served: Example) -> None:
    framing, body = streamed_count(served, 2000)
    assert framing == "chunked"
    assert body == "".join(f"{n}\n" for n in range(2000)).encode()


def test_the_access_log_goes_to_gunicorns(served: Example) -> None:
    assert served.get("/count?n=1").status == 200
    out = served.wait_for_output("GET /count")
    assert re.search(r"^127\.0\.0\.1:\d+ - .*GET /count.* 200", out, re.M), out


def test_native_worker_runs_uvloop_unless_switched_off(launch_own: Launch) -> None:
    default = launch_gunicorn(launch_own, TARGET)
    off = launch_gunicorn(launch_own, TARGET, env={"SANIC_NO_UVLOOP": "1"})
    # uvloop where it is installed (not on PyPy), as for app.run.
    assert get_json(default, "/pid")["loop"] == LOOP_IMPLEMENTATION
    assert get_json(off, "/pid")["loop"] == "asyncio"
    for example in (default, off):
        assert example.stop(signal.SIGTERM) == 0, example.output()


# -- the arbiter's side ----------------------------------------------------------


def test_listeners_run_in_every_worker(worker: str, launch_own: Launch) -> None:
    example = launch_gunicorn(launch_own, TARGET, worker, workers=2)
    pids = answering_pids(example, 2)
    assert len(pids) == 2
    assert set(worker_lines(example, "after_server_start")) == pids
    assert example.stop(signal.SIGTERM) == 0, example.output()
    assert sorted(worker_lines(example, "after_server_stop")) == sorted(pids)
    out = example.output()
    for event in ("before_server_start", "before_server_stop"):
        assert out.count(f"listener {event}") == 2, out


def test_a_failing_start_listener_stops_gunicorn() -> None:
    # Run to its end: it may exit before a launcher sees it listen.
    command = (
        *gunicorn_command(), "--bind", f"{HOST}:{free_port(HOST)}",
        "-k", "sanic.worker.GunicornWorker", "-w", "1", TARGET,
    )  # fmt: skip
    try:
        done = subprocess.run(
            [sys.executable, *command],
            capture_output=True,
            text=True,
            timeout=WORKERS_DEADLINE,
            env={**os.environ, "FAIL_START": "1", "PYTHONUNBUFFERED": "1"},
            cwd=Path(__file__).with_name("load"),
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("gunicorn did not stop after a start listener failed")
    code, out = done.returncode, done.stdout + done.stderr
    assert code == 3, out
    assert "the database is unreachable" in out
    assert "Worker failed to boot" in out
    assert "listener after_server_start" not in out
    assert "before_server_stop" not in out


def test_term_lets_the_request_in_flight_complete(
    worker: str, launch_own: Launch
) -> None:
    example = launch_gunicorn(launch_own, TARGET, worker)
    replies: list[tuple[int, bytes]] = []

    def slow() -> None:
        conn = http.client.HTTPConnection(HOST, example.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request("GET", "/slow")
            response = conn.getresponse()
            replies.append((response.status, response.read()))
        finally:
            conn.close()

    thread = threading.Thread(target=slow)
    thread.start()
    try:
        assert "slow started" in example.wait_for_output("slow started")
        code = example.stop(signal.SIGTERM)
    finally:
        thread.join(REQUEST_TIMEOUT)
    assert replies == [(200, b"finished")]
    assert code == 0, example.output()
    assert "listener after_server_stop" in example.output()


def request_in_flight(example: Example, path: str) -> list[object]:
    """Send ``GET path`` from a thread; the list gets (status, body) or the
    exception once the exchange ends."""
    outcome: list[object] = []

    def exchange() -> None:
        conn = http.client.HTTPConnection(HOST, example.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            outcome.append((response.status, response.read()))
        except (OSError, http.client.HTTPException) as exc:
            outcome.append(exc)
        finally:
            conn.close()

    thread = threading.Thread(target=exchange, daemon=True)
    thread.start()
    outcome.append(thread)
    return outcome


def test_what_outlasts_the_graceful_timeout_is_cut_and_logged(
    launch_own: Launch,
) -> None:
    example = launch_gunicorn(launch_own, TARGET, args=("--graceful-timeout", "3"))
    outcome = request_in_flight(example, "/sleep?s=30")
    assert " sleeps" in example.wait_for_output(" sleeps")
    assert example.stop(signal.SIGTERM) == 0, example.output()
    thread = outcome.pop(0)
    assert isinstance(thread, threading.Thread)
    thread.join(REQUEST_TIMEOUT)
    assert len(outcome) == 1 and isinstance(outcome[0], Exception), outcome
    out = example.output()
    # The stop listeners ran after the cut, before gunicorn's kill.
    assert "closing 1 connection(s) still open" in out
    assert out.index("closing 1 connection(s)") < out.index("after_server_stop")


def test_int_stops_at_once(launch_own: Launch) -> None:
    example = launch_gunicorn(launch_own, TARGET)
    outcome = request_in_flight(example, "/sleep?s=30")
    assert " sleeps" in example.wait_for_output(" sleeps")
    # stop() waits STOP_TIMEOUT at most: far less than the 30 s the request
    # needs and gunicorn's default graceful timeout.
    assert example.stop(signal.SIGINT) == 0, example.output()
    thread = outcome.pop(0)
    assert isinstance(thread, threading.Thread)
    thread.join(REQUEST_TIMEOUT)
    assert len(outcome) == 1 and isinstance(outcome[0], Exception), outcome
    assert "after_server_stop" in example.output()


def test_hup_under_load_fails_no_request(worker: str, launch_own: Launch) -> None:
    """Under the native worker the clients keep their connections alive: a
    request sent as a worker stops is still answered, nothing is retried.
    uvicorn's worker may reset an idle keep-alive connection a request was just
    sent on, and may reset a fresh connection it accepted as it stopped before
    reading the request (docs/deploying.md); its clients open a connection per
    request and send a reset GET again (up to 3 times), as a proxy would."""
    example = launch_gunicorn(launch_own, TARGET, worker, workers=2)
    old = answering_pids(example, 2)
    stop = threading.Event()
    result: list[Load] = []
    keep_alive = worker == GUNICORN_NATIVE

    def load() -> None:
        outcome = steady_load(
            example.port,
            stop,
            keep_alive=keep_alive,
            retry_resets=0 if keep_alive else 3,
        )
        result.append(asyncio.run(outcome))

    loader = threading.Thread(target=load)
    loader.start()
    try:
        for round_ in range(2):
            time.sleep(0.5)
            example.proc.send_signal(signal.SIGHUP)
            example.wait_for_output("after_server_start", count=2 * (round_ + 2))
        time.sleep(0.5)
    finally:
        stop.set()
        loader.join(WORKERS_DEADLINE)
    answered, resets, failures = (
        result[0].answered,
        result[0].resets,
        result[0].failures,
    )
    assert failures == []
    assert answered > 100
    if keep_alive:
        assert resets == 0
    new = answering_pids(example, 2)
    assert not new & old
    assert example.stop(signal.SIGTERM) == 0, example.output()


def test_app_restart_in_a_handler_replaces_every_worker_under_load(
    launch_own: Launch,
) -> None:
    """``app.restart()`` in a native worker is ``HUP`` to the arbiter: every
    worker is replaced while a steady load sees no failure."""
    example = launch_gunicorn(launch_own, TARGET, workers=2)
    old = answering_pids(example, 2)
    stop = threading.Event()
    result: list[Load] = []

    def load() -> None:
        result.append(asyncio.run(steady_load(example.port, stop, keep_alive=True)))

    loader = threading.Thread(target=load)
    loader.start()
    try:
        assert get_json(example, "/restart")["pid"] in old
        # Polled (bounded): the workers write to a shared log.
        deadline = time.monotonic() + WORKERS_DEADLINE
        while time.monotonic() < deadline and (
            not old <= set(worker_lines(example, "after_server_stop"))
            or len(set(worker_lines(example, "after_server_start")) - old) < 2
        ):
            time.sleep(0.05)
    finally:
        stop.set()
        loader.join(WORKERS_DEADLINE)
    assert "handling signal: hup" in example.output().lower(), example.output()
    assert old <= set(worker_lines(example, "after_server_stop")), example.output()
    assert result[0].failures == []
    assert result[0].answered > 0
    new = answering_pids(example, 2)
    assert len(new) == 2 and not new & old
    assert example.stop(signal.SIGTERM) == 0, example.output()


def test_a_killed_worker_is_replaced(worker: str, launch_own: Launch) -> None:
    example = launch_gunicorn(launch_own, TARGET, worker, workers=2)
    pids = answering_pids(example, 2)
    victim = min(pids)
    os.kill(victim, signal.SIGKILL)
    replacement = answering_pids(example, 1, exclude=frozenset(pids))
    assert len(replacement) == 1
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: get_json(example, "/pid")["pid"], range(40)))
    assert victim not in answers
    assert example.stop(signal.SIGTERM) == 0, example.output()


def test_max_requests_recycles_workers_without_failing(launch_own: Launch) -> None:
    example = launch_gunicorn(
        launch_own, TARGET, workers=2, args=("--max-requests", "10")
    )
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: get_json(example, "/pid")["pid"], range(100)))
    assert len(answers) == 100
    # 100 requests at 10 per worker: many workers answered in turn.
    assert len(set(answers)) >= 5
    assert example.stop(signal.SIGTERM) == 0, example.output()


def test_a_blocked_loop_gets_the_worker_replaced(launch_own: Launch) -> None:
    example = launch_gunicorn(
        launch_own, TARGET, args=("--timeout", "2", "--graceful-timeout", "2")
    )
    blocked = get_json(example, "/pid")["pid"]
    # Idle for over twice --timeout: the heartbeat keeps the worker.
    time.sleep(5)
    assert get_json(example, "/pid")["pid"] == blocked
    assert "WORKER TIMEOUT" not in example.output()
    conn = http.client.HTTPConnection(HOST, example.port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", "/block")
        with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
            conn.getresponse()
    finally:
        conn.close()
    assert "WORKER TIMEOUT" in example.output()
    assert answering_pids(example, 1, exclude=frozenset({blocked}))
    assert example.stop(signal.SIGTERM) == 0, example.output()


def test_tls_from_certfile_and_keyfile(tmp_path: Path, launch_own: Launch) -> None:
    cert, key = self_signed(tmp_path)
    example = launch_gunicorn(
        launch_own,
        TARGET,
        args=("--certfile", str(cert), "--keyfile", str(key)),
        scheme="https",
        ssl_context=ssl.create_default_context(cafile=str(cert)),
    )
    reply = example.get("/")
    assert (reply.status, reply.body) == (200, b"ok")
    assert example.stop(signal.SIGTERM) == 0, example.output()


# -- the commands docs/deploying.md shows ---------------------------------------


def documented_commands() -> list[str]:
    text = (ROOT / "docs" / "deploying.md").read_text()
    section = text.split("\n## gunicorn\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [line for line in blocks[0].splitlines() if line.startswith("gunicorn ")]


def test_the_documented_commands_serve(launch_own: Launch) -> None:
    commands = documented_commands()
    assert {c.split(" -k ")[1].split()[0] for c in commands} == set(WORKERS.values())
    for command in commands:
        args = command.split()[1:]
        worker = args[args.index("-k") + 1]
        # This app instead of server:app, two workers, the test's port.
        assert args[0] == "server:app"
        args[0] = TARGET
        args[args.index("-w") + 1] = "2"
        args[args.index("--bind") + 1] = f"{HOST}:{{port}}"
        example = launch_own(None, args=(*gunicorn_command(worker), *args))
        assert len(answering_pids(example, 2)) == 2
        assert example.get("/").text == "ok"
        assert example.stop(signal.SIGTERM) == 0, example.output()


# -- behind nginx, with the site docs/deploying.md shows -------------------------


@pytest.fixture
def behind_nginx(
    tmp_path: Path, launch_own: Launch
) -> Iterator[tuple[Example, Example]]:
    """(nginx, gunicorn): the documented site in front of two native workers."""
    if NGINX is None:
        pytest.skip(NGINX_MISSING)
    app = launch_gunicorn(launch_own, TARGET, workers=2)
    with nginx_in_front(tmp_path, app.port) as proxy:
        yield proxy, app


def test_behind_nginx(behind_nginx: tuple[Example, Example]) -> None:
    proxy, _ = behind_nginx
    # The forwarded headers make the app's URLs the proxy's.
    assert proxy.get("/posts/3").json() == {
        "path": "/posts/3",
        "url": f"http://{HOST}:{proxy.port}/posts/3",
    }
    # A streamed upload and a streamed response pass through.
    data = os.urandom(4 * 1024 * 1024)
    reply = upload_digest(proxy, data, chunked=True)
    assert reply["sha256"] == hashlib.sha256(data).hexdigest()
    _, body = streamed_count(proxy, 500)
    assert body == "".join(f"{n}\n" for n in range(500)).encode()


def test_behind_nginx_a_term_lets_the_request_in_flight_complete(
    behind_nginx: tuple[Example, Example],
) -> None:
    proxy, app = behind_nginx
    replies: list[tuple[int, bytes]] = []

    def slow() -> None:
        reply = proxy.get("/slow")
        replies.append((reply.status, reply.body))

    thread = threading.Thread(target=slow)
    thread.start()
    try:
        assert "slow started" in app.wait_for_output("slow started")
        code = app.stop(signal.SIGTERM)
    finally:
        thread.join(REQUEST_TIMEOUT)
    assert replies == [(200, b"finished")]
    assert code == 0, app.output()
