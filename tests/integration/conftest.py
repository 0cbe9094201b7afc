"""Run the guide's examples as real processes and talk to them over real sockets.

``launch("routing.py")`` starts ``sys.executable examples/routing.py`` with HOST and
PORT set to a free port on 127.0.0.1, waits (bounded) until the port accepts
connections and returns an :class:`Example`. When the module's tests are done the
process gets SIGINT and must exit 0 within a timeout; otherwise its whole process
group is killed (nothing leaks) and the test errors.

``example("routing.py")`` is the same example once per kind (the fixture is
parametrised, ids in :data:`EXAMPLE_KINDS`): the process above, then the
example's ``app`` imported here and driven by each of sanic-testing's clients
(one-shot, reusable, in-process; :class:`ClientExample`), then the app served by
uvicorn as an ASGI application ("asgi", ``launch_asgi``; an example whose
``app.run`` needs what ASGI cannot give, :data:`ASGI_DIFFERENCES`, is skipped
with that reason), then gunicorn with the native worker ("gunicorn",
``launch_gunicorn``, :data:`GUNICORN_DIFFERENCES`), so a test body that only
sends requests runs identically on all of them. Tests reading the process's
output or stopping it use ``launch``.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sanic_test_helpers import free_port

from sanic import Sanic
from sanic_testing.plugin import CLIENT_KINDS, open_client

if TYPE_CHECKING:
    from hardening import Target

    from sanic_testing import SanicTestResponse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
HOST = "127.0.0.1"
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
REQUEST_TIMEOUT = 10.0
#: The app the memory load tests run in a process of its own (``launch``).
LOAD_APP = Path(__file__).with_name("load") / "app.py"
MIB = 1024 * 1024


@dataclass
class Reply:
    """One HTTP response, read completely."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> object:
        return json.loads(self.body)

    def header_list(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []


class Requests:
    """The request side of a served example: :class:`Example` sends over a
    socket of its own, :class:`ClientExample` through a test client."""

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """Send one request and read the whole response (redirects not followed)."""
        return self._exchange(method, path, body, headers or {})

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def _exchange(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> Reply:
        raise NotImplementedError


@dataclass
class Example(Requests):
    """A running example: its process, where it listens and what it printed."""

    name: str
    proc: subprocess.Popen[bytes]
    port: int
    log: Path
    scheme: str = "http"
    ssl_context: ssl.SSLContext | None = None
    stopped: bool = field(default=False)

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{HOST}:{self.port}"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def connection(self) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection(
                HOST, self.port, timeout=REQUEST_TIMEOUT, context=self.ssl_context
            )
        return http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)

    def _exchange(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> Reply:
        """On a new connection, closed after the response."""
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            conn.close()

    def wait_for_output(
        self, text: str, count: int = 1, timeout: float = STOP_TIMEOUT
    ) -> str:
        """Poll the log (bounded) until ``text`` appears ``count`` times; return it.

        The example writes from another process, so there is no event to await.
        """
        deadline = time.monotonic() + timeout
        while True:
            out = self.output()
            if out.count(text) >= count or time.monotonic() > deadline:
                return out
            time.sleep(0.02)

    def stop(self, sig: int = signal.SIGINT) -> int | None:
        """Signal the process, wait (bounded) and return its exit code.

        A process that does not exit in time is killed with its whole group and
        ``None`` is returned: a clean, prompt shutdown is part of the contract.
        """
        if not self.stopped:
            self.stopped = True
            if self.proc.poll() is None:
                self.proc.send_signal(sig)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                kill_group(self.proc)
                return None
        return self.proc.returncode


def upload_digest(example: Example, data: bytes, chunked: bool) -> dict[str, Any]:
    """POST ``data`` to the example's ``/upload`` (a streaming route answering
    ``{"size": ..., "sha256": ...}``), chunked in 100 kB pieces or with a
    Content-Length; the status must be 200."""
    conn = example.connection()
    try:
        if chunked:
            pieces = (data[i : i + 100_000] for i in range(0, len(data), 100_000))
            conn.request("POST", "/upload", body=pieces, encode_chunked=True)
        else:
            conn.request("POST", "/upload", body=data)
        response = conn.getresponse()
        reply: dict[str, Any] = json.loads(response.read())
    finally:
        conn.close()
    assert response.status == 200, reply
    return reply


def streamed_count(example: Example, n: int) -> tuple[str | None, bytes]:
    """GET the example's ``/count?n=N`` (a streamed response of the numbers
    below N, a line each; status 200): its Transfer-Encoding and body."""
    conn = example.connection()
    try:
        conn.request("GET", f"/count?n={n}")
        response = conn.getresponse()
        assert response.status == 200
        return response.getheader("Transfer-Encoding"), response.read()
    finally:
        conn.close()


@pytest.fixture
def launch_own(tmp_path: Path) -> Iterator[Launch]:
    """Like ``launch``, for a test that stops the server itself (and checks how
    it exited); whatever is still running at the end is killed."""
    started: list[Example] = []

    def _launch(script: str | None, **options: Any) -> Example:
        example = start_example(tmp_path, script, **options)
        started.append(example)
        return example

    yield _launch
    for example in started:
        if example.proc.poll() is None:
            kill_group(example.proc)


def get_json(example: Example, path: str) -> Any:
    """``GET path`` on a connection of its own; the 200 answer's JSON."""
    reply = example.request("GET", path, headers={"Connection": "close"})
    assert reply.status == 200, reply
    return reply.json()


#: How long a multi-worker test waits for workers to answer.
WORKERS_DEADLINE = 20.0


def answering_pids(
    example: Example, wanted: int, exclude: frozenset[int] = frozenset()
) -> set[int]:
    """Concurrent ``GET /pid`` (a connection each) until ``wanted`` worker PIDs
    not in ``exclude`` have answered, or :data:`WORKERS_DEADLINE` passes."""
    pids: set[int] = set()
    deadline = time.monotonic() + WORKERS_DEADLINE
    with ThreadPoolExecutor(8) as pool:
        while len(pids - exclude) < wanted and time.monotonic() < deadline:
            pids.update(pool.map(lambda _: get_json(example, "/pid")["pid"], range(16)))
    return pids - exclude


def worker_lines(example: Example, event: str) -> list[int]:
    """The PIDs of the workers that printed ``worker <pid> <event>``.

    Workers stopping together share the log: a line may run into another's.
    """
    found = re.findall(rf"worker (\d+) {event}(?!\w)", example.output())
    return [int(pid) for pid in found]


@dataclass
class Load:
    """What :func:`steady_load` counted."""

    answered: int = 0
    resets: int = 0  # connections reset before an answer, then retried
    failures: list[str] = field(default_factory=list)


async def steady_load(
    port: int,
    stop: threading.Event,
    *,
    keep_alive: bool = True,
    retry_resets: int = 0,
    clients: int = 8,
    path: str = "/pid",
) -> Load:
    """``clients`` clients sending ``GET path`` one after another until ``stop``.

    Over plain sockets, not a client library: aiohttp, for one, sends a GET
    again by itself when a kept-alive connection is reset, which would hide the
    very failures a restart test looks for. With ``keep_alive`` each client
    keeps its connection until the server says ``Connection: close``; without,
    it opens one per request. A request whose connection is reset (or closed)
    before any answer is a failure, or is sent again on a new connection (at
    most ``retry_resets`` times) and counted in ``resets``.
    """
    load = Load()
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()

    async def exchange(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """One request; whether the connection may carry another."""
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = dict(
            (name.strip().lower(), value.strip())
            for name, _, value in (line.partition(":") for line in lines[1:] if line)
        )
        await reader.readexactly(int(headers.get("content-length", "0")))
        if status == 200:
            load.answered += 1
        else:
            load.failures.append(f"status {status}")
        return headers.get("connection", "").lower() != "close"

    async def client() -> None:
        tries = 0  # resets of the request being sent
        while not stop.is_set() or tries:
            writer = None
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(HOST, port), REQUEST_TIMEOUT
                )
                again = True
                while again and (not stop.is_set() or tries):
                    reusable = await asyncio.wait_for(
                        exchange(reader, writer), REQUEST_TIMEOUT
                    )
                    again = keep_alive and reusable
                    tries = 0
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                if tries < retry_resets:
                    load.resets += 1
                    tries += 1
                else:
                    load.failures.append(repr(exc))
                    tries = 0
            except (OSError, asyncio.TimeoutError) as exc:  # no answer in time
                load.failures.append(repr(exc))
                tries = 0
            finally:
                if writer is not None:
                    writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return load


def rss(example: Example, field: str = "VmRSS") -> int:
    """The example process's resident set size in bytes (Linux only).

    ``field`` is a line of ``/proc/<pid>/status``: ``VmRSS`` now, ``VmHWM`` the
    peak since the process started.
    """
    status = Path(f"/proc/{example.proc.pid}/status").read_text()
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field} line")


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the process and everything it started (workers), then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(STOP_TIMEOUT)


class PortTaken(RuntimeError):
    """Another process bound the free port between our check and the example's."""


def wait_until_listening(example: Example) -> None:
    """Poll the port until it accepts a connection, bounded by START_TIMEOUT."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if example.proc.poll() is not None:
            out = example.output()
            if "Address already in use" in out:
                raise PortTaken(out)
            raise RuntimeError(
                f"{example.name} exited with {example.proc.returncode}:\n{out}"
            )
        try:
            with socket.create_connection((HOST, example.port), timeout=0.5):
                pass
        except OSError:
            time.sleep(0.02)
            continue
        owned = _listens_in_session(example.proc.pid, example.port)
        if owned is None or owned:
            return
        # Someone else (another test's server) took the port in the meantime:
        # this process fails to bind and exits; the loop sees it and retries.
        time.sleep(0.02)
    kill_group(example.proc)
    raise RuntimeError(f"{example.name} did not listen within {START_TIMEOUT}s")


def _listens_in_session(session: int, port: int) -> bool | None:
    """Whether a process of ``session`` (the example and its workers) holds the
    socket listening on ``port``; None where ``/proc`` cannot tell (not Linux)."""
    try:
        table = Path("/proc/net/tcp").read_text()
    except OSError:
        return None
    suffix = f":{port:04X}"
    inodes = {
        f"socket:[{fields[9]}]"
        for fields in (line.split() for line in table.splitlines()[1:])
        if fields[1].endswith(suffix) and fields[3] == "0A"  # LISTEN
    }
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if os.getsid(int(entry.name)) != session:
                continue
            for fd in (entry / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in inodes:
                        return True
    return False


Launch = Callable[..., Example]


def start_example(
    tmp_dir: Path,
    script: str | None,
    *,
    args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    scheme: str = "http",
    ssl_context: ssl.SSLContext | None = None,
) -> Example:
    """Start ``python examples/<script> *args`` (or ``python *args``) and wait.

    ``{port}`` in ``args`` becomes the chosen port. A port taken by someone else
    in the meantime (the suite runs in parallel) means a retry on another one.
    """
    name = script or " ".join(args)
    for attempt in range(3):
        port = free_port(HOST)
        environment = {
            **os.environ,
            "HOST": HOST,
            "PORT": str(port),
            # Prints from handlers and middleware must reach the log at once.
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        command = [sys.executable]
        if script is not None:
            command.append(str(EXAMPLES / script))
        command += [arg.replace("{port}", str(port)) for arg in args]
        log = tmp_dir / f"{(script or args[-1]).replace('/', '_')}-{port}.log"
        with log.open("wb") as sink:
            proc = subprocess.Popen(
                command,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=environment,
                cwd=cwd or ROOT,
                # Own process group: the fallback kill reaches the workers too.
                start_new_session=True,
            )
        example = Example(name, proc, port, log, scheme, ssl_context)
        try:
            wait_until_listening(example)
        except PortTaken:
            if attempt == 2:
                raise
            continue
        return example
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def launch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launch]:
    """Start examples for this module; stop each cleanly at the end of it."""
    tmp_dir = tmp_path_factory.mktemp("examples")
    started: list[Example] = []

    def _launch(script: str | None, **options: object) -> Example:
        example = start_example(tmp_dir, script, **options)  # type: ignore[arg-type]
        started.append(example)
        return example

    yield _launch
    failures = []
    for example in started:
        code = example.stop()
        if code != 0:
            failures.append(f"{example.name} exited {code}:\n{example.output()}")
    assert not failures, "\n".join(failures)


# -- nginx in front ------------------------------------------------------------------

#: The nginx binary (Debian's package puts it in /usr/sbin, not on every PATH).
NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx",) if Path(path).is_file()), None
)
NGINX_MISSING = (
    "nginx is not installed (apt-get install nginx; the nox sessions install it "
    "when they run as root)"
)


def documented_nginx_site() -> str:
    """The nginx site docs/deploying.md shows under "Behind a proxy"."""
    text = (ROOT / "docs" / "deploying.md").read_text()
    section = text.split("\n## Behind a proxy\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```nginx\n(.*?)```", section, re.S)
    assert len(blocks) == 1
    return str(blocks[0])


@contextlib.contextmanager
def nginx_in_front(
    tmp_path: Path, upstream_port: int, site: str | None = None
) -> Iterator[Example]:
    """nginx on a free port serving ``site`` (the documented one by default),
    its upstream pointed at ``upstream_port``; the test is skipped when nginx is
    not installed. Stopped with QUIT (bounded, then killed) at the end."""
    if NGINX is None:
        pytest.skip(NGINX_MISSING)
    site = documented_nginx_site() if site is None else site
    assert "server 127.0.0.1:8000;" in site and "listen 80;" in site
    site = site.replace("127.0.0.1:8000", f"{HOST}:{upstream_port}")
    temp = " ".join(
        f"{kind}_temp_path {tmp_path / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    for attempt in range(3):
        port = free_port(HOST)
        conf = tmp_path / f"nginx-{port}.conf"
        conf.write_text(
            f"user root; daemon off; worker_processes 1; "
            f"pid {tmp_path / 'nginx.pid'};\n"
            f"error_log {tmp_path / 'error.log'};\n"
            "events { worker_connections 256; }\n"
            f"http {{ access_log off; {temp}\n"
            f"{site.replace('listen 80;', f'listen {HOST}:{port};')}\n}}\n"
        )
        log = tmp_path / f"nginx-{port}.out"
        with log.open("wb") as sink:
            proc = subprocess.Popen(
                [NGINX, "-p", str(tmp_path), "-c", str(conf)],
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        proxy = Example("nginx", proc, port, log)
        try:
            wait_until_listening(proxy)
        except PortTaken:
            if attempt == 2:
                raise
            continue
        break
    try:
        yield proxy
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGQUIT)
            try:
                proc.wait(REQUEST_TIMEOUT)
            except subprocess.TimeoutExpired:
                kill_group(proc)


#: How ``example`` serves an example: its own process, each test client,
#: uvicorn serving the app as an ASGI application ("asgi"), or gunicorn with
#: sanic.worker.GunicornWorker ("gunicorn", when gunicorn is installed).
EXAMPLE_KINDS = ("process", *CLIENT_KINDS, "asgi", "gunicorn")
#: ``app.run`` arguments of an example that a test client takes over.
_CLIENT_RUN_ARGUMENTS = ("debug", "protocol")
#: What an ASGI server cannot do as ``app.run`` does (docs/deploying.md lists it).
ASGI_DIFFERENCES = {
    "protocol": "ASGI: the ASGI server owns the connection (no custom protocol class)",
    "sock": "ASGI: the ASGI server binds its own socket (no sock=)",
    "ssl": "ASGI: TLS is the ASGI server's (its certificate options, not ssl=)",
}
#: What gunicorn's native worker cannot do as ``app.run`` does (docs/deploying.md).
GUNICORN_DIFFERENCES = {
    "protocol": "gunicorn: the worker serves with the default protocol class",
    "sock": "gunicorn: gunicorn binds the sockets (--bind, not sock=)",
    "ssl": "gunicorn: TLS comes from --certfile/--keyfile, not ssl=",
}
#: The native gunicorn worker class and the ASGI one (the uvicorn-worker package).
GUNICORN_NATIVE = "sanic.worker.GunicornWorker"
GUNICORN_ASGI = "uvicorn_worker.UvicornWorker"
#: Where ``asgi_example.py`` lives: ``uvicorn --app-dir`` points there.
LOAD_DIR = Path(__file__).with_name("load")


def launch_asgi(
    launch: Launch,
    target: str = "asgi_example:app",
    server: str = "uvicorn",
    *,
    args: tuple[str, ...] = (),
    **options: Any,
) -> Example:
    """Serve ``target`` (a module of ``tests/integration/load``) with an ASGI
    server in a process of its own: ``python -m uvicorn ...`` (the server's
    ``Server`` header off: the native server sends none), hypercorn or granian.
    ``args`` go to the server before the target."""
    env = dict(options.pop("env", {}))
    if server == "uvicorn":
        command: tuple[str, ...] = (
            "-m", "uvicorn", "--app-dir", str(LOAD_DIR), "--host", HOST,
            "--port", "{port}", "--lifespan", "on", "--no-server-header",
        )  # fmt: skip
    elif server == "hypercorn":
        command = ("-m", "hypercorn", "--bind", f"{HOST}:{{port}}")
        env["PYTHONPATH"] = str(LOAD_DIR)
    else:
        command = (
            "-m", "granian", "--interface", "asgi", "--host", HOST,
            "--port", "{port}",
        )  # fmt: skip
        options.setdefault("cwd", LOAD_DIR)
    return launch(None, args=(*command, *args, target), env=env, **options)


def launch_gunicorn(
    launch: Launch,
    target: str = "asgi_example:app",
    worker: str = GUNICORN_NATIVE,
    *,
    workers: int = 1,
    args: tuple[str, ...] = (),
    **options: Any,
) -> Example:
    """Serve ``target`` (a module of ``tests/integration/load``) with
    ``python -m gunicorn -k <worker>`` in a process of its own, bound to the
    chosen port; ``args`` go to gunicorn before the target. Skips when gunicorn
    (or uvicorn-worker for ``GUNICORN_ASGI``) is not installed."""
    command = (
        *gunicorn_command(worker), "--bind", f"{HOST}:{{port}}", "-k", worker,
        "-w", str(workers),
    )  # fmt: skip
    return launch(None, args=(*command, *args, target), **options)


def gunicorn_command(worker: str = GUNICORN_NATIVE) -> tuple[str, ...]:
    """``-m gunicorn --chdir tests/integration/load`` (and, on gunicorn 24+,
    ``--no-control-socket``: parallel servers would share the one in the home
    directory). Skips when gunicorn or ``worker``'s package is not installed."""
    needed = "gunicorn" if worker == GUNICORN_NATIVE else worker.split(".")[0]
    for module in ("gunicorn", needed):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed in this environment")
    from gunicorn.config import Config

    quiet = ("--no-control-socket",) if "control_socket" in Config().settings else ()
    return ("-m", "gunicorn", "--chdir", str(LOAD_DIR), *quiet)


def load_example(script: str, env: dict[str, str] | None = None) -> tuple[Sanic, dict]:
    """Import ``examples/<script>`` (not as ``__main__``) and return its ``app``
    and the keyword arguments it passed to ``app.run`` (an example that calls it
    unguarded gets a no-op ``run`` while it is imported)."""
    runs: list[dict] = []
    original_run = Sanic.run
    saved_path, saved_env = list(sys.path), dict(os.environ)
    modules = set(sys.modules)

    def record_run(self: Sanic, *args: object, **kwargs: object) -> None:
        runs.append(kwargs)

    Sanic.run = record_run  # type: ignore[method-assign]
    sys.path.insert(0, str(EXAMPLES))
    os.environ.update(env or {})
    try:
        name = f"_example_{Path(script).stem}"
        spec = importlib.util.spec_from_file_location(name, EXAMPLES / script)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        Sanic.run = original_run  # type: ignore[method-assign]
        sys.path[:] = saved_path
        os.environ.clear()
        os.environ.update(saved_env)
        # Sibling modules (blueprints) are imported afresh for each app.
        for added in set(sys.modules) - modules:
            del sys.modules[added]
    run = runs[0] if runs else {}
    kept = (*_CLIENT_RUN_ARGUMENTS, *ASGI_DIFFERENCES)
    return module.app, {k: run[k] for k in kept if k in run}


def _reply(response: SanicTestResponse) -> Reply:
    headers = http.client.HTTPMessage()
    for name, value in response.headers.items():
        headers[name] = value  # adds: repeated fields stay repeated
    return Reply(response.status, headers, response.body)


@dataclass
class ClientExample(Requests):
    """An example's app behind one of sanic-testing's clients, offering the
    request side of :class:`Example` (``request``, ``get``, ``port``)."""

    name: str
    kind: str
    client: Any
    run: dict[str, Any]

    @property
    def port(self) -> int:
        """The port the last request was sent to (the client's own port)."""
        client = self.client
        if self.kind == "one-shot":
            return int(client.last_port or client.port)
        return int(client.port)

    def _exchange(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> Reply:
        """Through the client, redirects not followed (as ``http.client``)."""
        extra: dict[str, Any] = {}
        if self.kind == "one-shot":
            extra = {"debug": self.run.get("debug", False), "server_kwargs": {}}
            if "protocol" in self.run:
                extra["server_kwargs"]["protocol"] = self.run["protocol"]
        response = self.client.request(
            method,
            path,
            gather_request=False,
            data=body,
            headers=headers,
            allow_redirects=False,
            **extra,
        )
        return _reply(response)


@pytest.fixture(scope="module", params=EXAMPLE_KINDS)
def example(
    request: pytest.FixtureRequest, launch: Launch
) -> Iterator[Callable[..., Example | ClientExample]]:
    """``example(script, env=...)``: the example served once per kind in
    ``EXAMPLE_KINDS``; every test using it runs once per kind."""
    kind: str = request.param
    with contextlib.ExitStack() as stack:

        def _example(script: str, **options: Any) -> Example | ClientExample:
            if kind == "process":
                return launch(script, **options)
            app, run = load_example(script, options.get("env"))
            if kind in ("asgi", "gunicorn"):
                differences = ASGI_DIFFERENCES
                if kind == "gunicorn":
                    differences = GUNICORN_DIFFERENCES
                for argument, reason in differences.items():
                    if run.get(argument) is not None:
                        pytest.skip(reason)
                env = {"SANIC_EXAMPLE": script, **options.pop("env", {})}
                if kind == "gunicorn":
                    return launch_gunicorn(launch, env=env, **options)
                return launch_asgi(launch, env=env, **options)
            # The one-shot client on a port of its own, known before a request.
            kwargs: dict[str, Any] = {"port": free_port(HOST)}
            if kind != "one-shot":
                kwargs = {}
                kwargs["debug"] = run.get("debug", False)
                if "protocol" in run:
                    kwargs["server_kwargs"] = {"protocol": run["protocol"]}
            client = stack.enter_context(open_client(kind, app, **kwargs))
            return ClientExample(script, kind, client, run)

        yield _example


@pytest.fixture(scope="module", params=["uvloop", "asyncio"])
def target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    """The hardening battery's app on this framework, on uvloop and on asyncio.

    Shared by tests/integration/test_hardening_promises.py and hardening/fuzz.py.
    """
    from hardening import ours

    with ours(request.param, tmp_path_factory.mktemp("site")) as served:
        yield served
