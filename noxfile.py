"""Sessions that build every environment of the monorepo with pip or uv.

Each package session installs *only* that package, the sibling packages it declares
and its ``test`` extra into a fresh virtualenv, then runs the package's own tests:
that is what proves the package works on its own.

    nox -t test          every package session, the integration suite, compat and docs
    nox -s tests         all of it once, in one virtualenv, on this Python only
    nox -s router        one package
    nox -s demo          serve examples/hello.py on http://127.0.0.1:8000
                         (nox -s demo -- examples/NAME.py serves another example)
    nox -s lint          ruff and mypy --strict
    nox -s bench         the benchmarks (installs the peers they compare with)
    nox -s bench_http    only the HTTP benchmark (wrk), which writes bench/RESULTS.md
    nox -s bench_stream  only the streamed-upload benchmark (bench/RESULTS-stream.md)
    nox -s bench_ws      only the websocket benchmark (bench/ws/RESULTS.md)
    nox -s bench_gunicorn  gunicorn's native worker against app.run(workers=N)
    nox -s bench_asgi    the app, Starlette and a bare ASGI app under uvicorn
    nox -s autobahn      Autobahn|Testsuite against a websocket echo app (Python 2.7)
    nox -s fuzz          generated hostile requests against a live server (bounded)
    nox -s docs          build the user guide (docs/) and the API reference with
                         mkdocs --strict into site/, then check the built site
    nox -s wheels        every package and its dependencies as wheels into dist/
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

import nox

ROOT = Path(__file__).parent
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = [
    "router",
    "request",
    "http",
    "views",
    "core",
    "testing",
    "integration",
]
nox.options.error_on_external_run = True

# Sibling dependencies, mirroring each package's own metadata (ARCHITECTURE.md).
# A test in tests/integration checks that this table matches the pyproject files.
SIBLINGS: dict[str, tuple[str, ...]] = {
    "sanic-router": (),
    "sanic-request": (),
    "sanic-http": ("sanic-request",),
    "sanic-views": ("sanic-http",),
    "sanic-core": ("sanic-router", "sanic-request", "sanic-http", "sanic-views"),
    "sanic-testing": ("sanic-core",),
}


# The repository's shared test helpers (raw-socket client, strict response parser):
# a development-only package that no package depends on; every test session installs it.
TEST_HELPERS = "./tests/helpers"


def install_test_helpers(session: nox.Session) -> None:
    """Install ./tests/helpers (rebuilt each time, as install_local does for ours)."""
    refresh = ["--reinstall-package", "sanic-test-helpers"]
    session.install(TEST_HELPERS, *(refresh if session.venv_backend == "uv" else []))


def closure(name: str) -> list[str]:
    """Return ``name`` and every sibling it needs, dependencies first."""
    seen: list[str] = []

    def visit(pkg: str) -> None:
        for dep in SIBLINGS[pkg]:
            visit(dep)
        if pkg not in seen:
            seen.append(pkg)

    visit(name)
    return seen


def install_local(session: nox.Session, *names: str, extra: str | None = None) -> None:
    """Install the named packages (and their siblings) from this checkout.

    The siblings are always passed by path in the same command, so the installer
    never looks for them on a package index.
    """
    wanted: list[str] = []
    for name in names:
        for pkg in closure(name):
            if pkg not in wanted:
                wanted.append(pkg)
    args = []
    for pkg in wanted:
        path = f"./packages/{pkg}"
        if extra and pkg in names:
            path += f"[{extra}]"
        args.append(path)
    if session.venv_backend == "uv":
        # uv caches builds of local directories by pyproject.toml; refresh ours.
        for pkg in wanted:
            args += ["--reinstall-package", pkg]
    session.install(*args)


# The packages whose behaviour the accelerators change: their sessions run the
# tests a second time on the pure-Python path (ARCHITECTURE.md: tests run both).
PURE_PATH = {"sanic-request", "sanic-http", "sanic-core"}
PURE_ENV = {"SANIC_NO_ORJSON": "1", "SANIC_NO_UVLOOP": "1"}


def package_session(dist: str) -> None:
    short = dist.removeprefix("sanic-")

    @nox.session(name=short, tags=["test"])
    def run(session: nox.Session) -> None:
        install_local(session, dist, extra="test")
        install_test_helpers(session)
        session.chdir(ROOT / "packages" / dist)
        session.run("pytest", *session.posargs)
        if dist in PURE_PATH:
            session.run("pytest", "-q", *session.posargs, env=PURE_ENV)

    run.__doc__ = f"Install only {dist} (and its declared dependencies) and test it."


for _dist in SIBLINGS:
    package_session(_dist)


#: What tests/integration needs besides the packages, on every Python it runs on.
INTEGRATION_TOOLS = (
    "pytest-xdist",
    "hypothesis",
    "aiohttp",
    "urllib3",
    "uv",
    # tests/integration/test_install_lines.py builds the wheelhouse with pip wheel.
    "pip",
    "tomli; python_version < '3.11'",
    # ASGI servers the app is tested under (never a runtime dependency).
    "uvicorn",
    "hypercorn",
    "granian; platform_python_implementation == 'CPython'",
    # gunicorn for sanic.worker.GunicornWorker, and uvicorn's worker for it.
    "gunicorn",
    "uvicorn-worker",
)


def ensure_nginx(session: nox.Session) -> None:
    """Install Debian's nginx for the tests behind a proxy, when it is missing
    and this runs as root with apt-get; otherwise those tests skip (never fails).
    """
    if shutil.which("nginx") or Path("/usr/sbin/nginx").is_file():
        return
    apt = shutil.which("apt-get")
    if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        session.log("nginx is missing and cannot be installed here: its tests skip")
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in ([apt, "update", "-q"], [apt, "install", "-y", "-q", "nginx"]):
        try:
            done = subprocess.run(command, env=env, check=False, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as exc:
            session.log(f"{' '.join(command)}: {exc}; the nginx tests skip")
            return
        if done.returncode != 0:
            session.log(f"{' '.join(command)} failed; the nginx tests skip")
            return


@nox.session(tags=["test"])
def integration(session: nox.Session) -> None:
    """Everything installed together; runs tests/integration.

    posargs go to pytest; when they name files or folders of tests/integration
    (``nox -s integration -- tests/integration/test_routing.py``), only those run.
    """
    install_local(session, *SIBLINGS, extra="test")
    install_test_helpers(session)
    session.install(*INTEGRATION_TOOLS)
    ensure_nginx(session)
    session.run("pytest", "-n", "2", *integration_args(session.posargs))


def integration_args(posargs: list[str]) -> list[str]:
    """pytest's arguments for tests/integration: all of it unless posargs name part."""
    if any(arg.startswith("tests/integration") for arg in posargs):
        return list(posargs)
    return ["tests/integration", *posargs]


@nox.session
def tests(session: nox.Session) -> None:
    """Every package's tests, then tests/integration, once, on this Python.

    One virtualenv with everything installed (the integration session's), no
    second run on the pure-Python path and no other Pythons: the quick check
    before a commit, not part of the ``test`` tag (``nox -t test`` is the full
    matrix CI runs). posargs go to every pytest run (``nox -s tests -- -x``).
    """
    install_local(session, *SIBLINGS, extra="test")
    install_test_helpers(session)
    session.install(*INTEGRATION_TOOLS)
    ensure_nginx(session)
    for dist in SIBLINGS:
        session.chdir(ROOT / "packages" / dist)
        session.run("pytest", *session.posargs)
    session.chdir(ROOT)
    session.run("pytest", "-n", "2", "tests/integration", *session.posargs)


OTHER_PYTHONS = ("3.10", "3.12", "3.13")


def other_interpreters() -> dict[str, str]:
    """The supported Pythons besides this one that this machine has.

    Looks on PATH, then in pyenv's versions folder (pyenv's shims only answer
    for the selected version, so they are tried by running them).
    """
    found: dict[str, str] = {}
    for version in OTHER_PYTHONS:
        pattern = f"~/.pyenv/versions/{version}.*/bin/python{version}"
        candidates = [shutil.which(f"python{version}")]
        candidates += sorted(glob.glob(os.path.expanduser(pattern)), reverse=True)
        for candidate in filter(None, candidates):
            probe = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info[:2])"],
                capture_output=True,
                text=True,
                check=False,
            )
            if probe.returncode == 0:
                found[version] = candidate
                break
    return found


@nox.session(tags=["test"])
def compat(session: nox.Session) -> None:
    """Every package's tests and the integration suite on the other supported
    Pythons (3.10, 3.12, 3.13) that this machine has; skips when it has none."""
    interpreters = other_interpreters()
    if not interpreters:
        session.skip(f"none of Python {', '.join(OTHER_PYTHONS)} is installed")
    packages = [f"./packages/{dist}[test]" for dist in SIBLINGS] + [TEST_HELPERS]
    ours = [*SIBLINGS, "sanic-test-helpers"]
    refresh = [arg for dist in ours for arg in ("--reinstall-package", dist)]
    tools = list(INTEGRATION_TOOLS)
    ensure_nginx(session)
    for version, interpreter in interpreters.items():
        venv = Path(session.create_tmp()) / f"py{version}"
        python = str(venv / "bin" / "python")
        uv = ("uv", "pip", "install", "-q", "--python", python)
        session.run("uv", "venv", "-q", "--allow-existing", "--python", interpreter,
                    str(venv), external=True)  # fmt: skip
        session.run(*uv, *packages, *refresh, *tools, external=True)
        for dist in SIBLINGS:
            folder = f"packages/{dist}"
            session.run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "--rootdir", folder, "-c", f"{folder}/pyproject.toml",
                        f"{folder}/tests", external=True)  # fmt: skip
        session.run(python, "-m", "pytest", "-q", "-n", "2", "tests/integration",
                    *session.posargs, external=True)  # fmt: skip


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint and format) on the tree and mypy --strict on each package."""
    install_local(session, *SIBLINGS)
    session.install("ruff", "mypy", "pytest", "hypothesis", "aiohttp", "nox", "orjson")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    for dist in SIBLINGS:
        session.run("mypy", "--strict", f"packages/{dist}/src")


@nox.session
def demo(session: nox.Session) -> None:
    """Serve examples/hello.py on http://127.0.0.1:8000 (Ctrl-C stops it).

    ``nox -s demo -- examples/NAME.py`` serves another example the same way
    (``PORT`` and ``HOST`` from the environment, port 8000 by default).
    """
    install_local(session, "sanic-core")
    env = {"PORT": os.environ.get("PORT", "8000")}
    session.run("python", *(session.posargs or ["examples/hello.py"]), env=env)


def bench_peer(session: nox.Session) -> str:
    """Build the peers' virtualenv and return its interpreter.

    Sanic 25.12 also imports as ``sanic``, so it cannot share a virtualenv with
    this framework; aiohttp, uvloop and httptools join it for bench/http.
    """
    peer = Path(session.create_tmp()) / "peer-venv"
    session.run("uv", "venv", "--allow-existing", "-q", str(peer), external=True)
    peer_python = peer / "bin" / "python"
    session.run(
        "uv",
        "pip",
        "install",
        "-q",
        "--python",
        str(peer_python),
        "sanic==25.12.*",
        "aiohttp",
        "uvloop",
        "httptools",
        external=True,
    )
    return str(peer_python)


def starlette_peer(session: nox.Session) -> str:
    """A virtualenv with uvicorn and Starlette for the hardening comparison."""
    peer = Path(session.create_tmp()) / "starlette-venv"
    session.run("uv", "venv", "--allow-existing", "-q", str(peer), external=True)
    peer_python = peer / "bin" / "python"
    session.run(
        "uv", "pip", "install", "-q", "--python", str(peer_python),
        "uvicorn[standard]", "starlette", external=True,
    )  # fmt: skip
    return str(peer_python)


@nox.session
def bench(session: nox.Session) -> None:
    """Run every bench/*/run.py against its peers.

    Our packages and sanic-routing share this session's virtualenv; the scripts
    find Sanic 25.12's interpreter in the BENCH_PEER_PYTHON environment variable.
    bench/http/run.py also needs wrk and taskset on PATH.
    """
    install_local(session, *SIBLINGS)
    # bench/hardening runs the battery in tests/integration, whose client is here.
    install_test_helpers(session)
    # bench/asgi serves this framework and Starlette under the same uvicorn.
    session.install(
        "sanic-routing==23.12.*", "aiohttp", "uvicorn[standard]", "starlette"
    )
    env = {
        "BENCH_PEER_PYTHON": bench_peer(session),
        "HARDENING_STARLETTE_PYTHON": starlette_peer(session),
    }
    for script in sorted((ROOT / "bench").glob("*/run.py")):
        session.run("python", str(script.relative_to(ROOT)), *session.posargs, env=env)


@nox.session(name="bench_http")
def bench_http(session: nox.Session) -> None:
    """Only the HTTP benchmark (wrk): writes bench/RESULTS.md.

    ``nox -s bench_http -- --quick`` for a smoke run that writes nothing.
    """
    # A default install, as the README says: sanic-core brings orjson and
    # (through sanic-http) uvloop itself; the peer is a plain ``sanic`` install.
    install_local(session, "sanic-core")
    env = {"BENCH_PEER_PYTHON": bench_peer(session)}
    session.run("python", "bench/http/run.py", *session.posargs, env=env)


@nox.session(name="bench_stream")
def bench_stream(session: nox.Session) -> None:
    """Only the streamed-upload benchmark: writes bench/RESULTS-stream.md.

    ``nox -s bench_stream -- --quick`` for a smoke run that writes nothing.
    """
    install_local(session, "sanic-core")  # a default install, as bench_http's
    env = {"BENCH_PEER_PYTHON": bench_peer(session)}
    session.run("python", "bench/stream/run.py", *session.posargs, env=env)


@nox.session(name="bench_gunicorn")
def bench_gunicorn(session: nox.Session) -> None:
    """gunicorn's native worker against app.run(workers=N): bench/gunicorn/RESULTS.md.

    ``nox -s bench_gunicorn -- --quick`` for a smoke run that writes nothing.
    """
    install_local(session, "sanic-core", extra="gunicorn")
    session.run("python", "bench/gunicorn/run.py", *session.posargs)


@nox.session(name="bench_asgi")
def bench_asgi(session: nox.Session) -> None:
    """The app, Starlette and a bare ASGI app under uvicorn: bench/asgi/RESULTS.md.

    All three in this session's virtualenv, under the same uvicorn (uvloop,
    httptools). ``nox -s bench_asgi -- --quick`` for a smoke run that writes nothing.
    """
    install_local(session, "sanic-core")  # a default install, as bench_http's
    session.install("uvicorn[standard]", "starlette")
    session.run("python", "bench/asgi/run.py", *session.posargs)


@nox.session(name="bench_ws")
def bench_ws(session: nox.Session) -> None:
    """Only the websocket benchmark: writes bench/ws/RESULTS.md.

    Echo messages/s (64 B and 16 KiB over 64 websockets) and memory per idle
    websocket, against Sanic 25.12 and uvicorn+Starlette, each in its own
    virtualenv. ``nox -s bench_ws -- --quick`` for a smoke run that writes nothing.
    """
    install_local(session, "sanic-core")  # a default install, as bench_http's
    env = {
        "BENCH_PEER_PYTHON": bench_peer(session),
        "BENCH_STARLETTE_PYTHON": starlette_peer(session),
    }
    session.run("python", "bench/ws/run.py", *session.posargs, env=env)


def python27() -> str | None:
    """The Python 2.7 that autobahntestsuite needs, or None.

    Looks on PATH, then in pyenv's versions folder (``$PYENV_ROOT`` or ~/.pyenv).
    """
    root = os.environ.get("PYENV_ROOT", "~/.pyenv")
    pattern = os.path.expanduser(f"{root}/versions/2.7.*/bin/python2.7")
    candidates = [shutil.which("python2.7"), *sorted(glob.glob(pattern), reverse=True)]
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; assert sys.version_info[:2] == (2, 7)"],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return candidate
    return None


@nox.session
def autobahn(session: nox.Session) -> None:
    """Autobahn|Testsuite's fuzzing client against a websocket echo app.

    Installs ``autobahntestsuite`` (a Python 2.7 package) into a user base in
    .nox/autobahn-wstest-py27 (kept between runs: nox recreates the session's
    own folder), skipping when the machine has no Python 2.7; then
    bench/autobahn/conformance.py runs cases 1-7, 9, 10, 12 and 13, writes
    bench/autobahn/RESULTS.md and fails on any failing case.
    ``nox -s autobahn -- --quick`` runs cases 1-7 and 10 and writes nothing.
    """
    python2 = python27()
    if python2 is None:
        session.skip(
            "autobahntestsuite needs Python 2.7 and none was found on PATH or in "
            "pyenv (pyenv install 2.7.18)"
        )
    install_local(session, "sanic-core")  # a default install: uvloop, websockets
    userbase = ROOT / ".nox" / "autobahn-wstest-py27"
    env = {"PYTHONUSERBASE": str(userbase)}
    wstest = userbase / "bin" / "wstest"
    if not wstest.exists():
        session.run(
            python2, "-m", "pip", "install", "-q", "--user",
            "--disable-pip-version-check", "--no-warn-script-location",
            "-c", "bench/autobahn/constraints-py27.txt", "autobahntestsuite",
            env=env, external=True,
        )  # fmt: skip
    session.run(
        "python", "bench/autobahn/conformance.py", "--wstest", str(wstest),
        *session.posargs, env=env,
    )  # fmt: skip


@nox.session(name="bench_instructions")
def bench_instructions(session: nox.Session) -> None:
    """Instructions per request under callgrind (needs valgrind): bench/http."""
    install_local(session, "sanic-core")  # a default install: orjson and uvloop
    session.run("python", "bench/http/instructions.py", *session.posargs)


@nox.session
def wheels(session: nox.Session) -> None:
    """Build every package, and the wheels of everything it needs, into dist/.

    Then ``pip install --no-index --find-links dist sanic-core`` (or
    ``sanic-testing``, ``sanic-router``, ...) installs from this checkout and
    from nothing else; tools/build_wheels.py says why ``--no-index``. Works from
    any directory (``nox -f /path/to/noxfile.py -s wheels``); posargs go to the
    script (``-- --out DIR``).
    """
    session.install("pip", "tomli; python_version < '3.11'")
    session.run("python", str(ROOT / "tools" / "build_wheels.py"), *session.posargs)


#: What ``nox -s docs`` builds the site with: mkdocs, the API reference from the
#: docstrings (mkdocstrings' Python handler, griffe), Pygments highlighting through
#: pymdown-extensions, and ruff, which mkdocstrings formats long signatures with.
DOCS_TOOLS = (
    "mkdocs>=1.6,<2",
    "mkdocstrings[python]>=0.26",
    "pymdown-extensions>=10",
    "pygments>=2.16",
    "ruff",
)


@nox.session(tags=["test"])
def docs(session: nox.Session) -> None:
    """Build the user guide in docs/ with ``mkdocs build --strict`` into site/.

    Strict mode turns every warning (a broken link, a page missing from the
    nav's targets, a cross-reference to the API reference that resolves to
    nothing) into a failure. The packages are installed because the reference
    (docs/reference/) is generated from them; tests/integration/test_api_reference.py
    then checks the built site: every public name has its entry and no page loads
    anything from the network. The code blocks themselves are checked by
    tests/integration/test_docs.py, which needs the framework, not mkdocs.
    """
    install_local(session, *SIBLINGS)
    install_test_helpers(session)
    # sanic.worker (gunicorn's worker) is public too: its extra makes it importable.
    session.install("./packages/sanic-core[gunicorn]", *DOCS_TOOLS, "pytest")
    site = ROOT / "site"
    session.run("mkdocs", "build", "--strict", "--site-dir", str(site))
    check = "tests/integration/test_api_reference.py"
    session.run(
        "pytest", "-q", "-p", "no:cacheprovider", check, *session.posargs,
        env={"SANIC_DOCS_SITE": str(site)},
    )  # fmt: skip


@nox.session
def fuzz(session: nox.Session) -> None:
    """Hypothesis throws generated requests at a live server, on uvloop and asyncio.

    Every answer must parse as HTTP/1.1, the server must survive every example and
    still answer a good request. ``FUZZ_EXAMPLES`` (default 1,000 per loop) bounds
    the run; posargs go to pytest.
    """
    install_local(session, *SIBLINGS)
    install_test_helpers(session)
    session.install("pytest", "hypothesis", "httptools")
    session.run(
        "pytest",
        "-p",
        "no:cacheprovider",
        "tests/integration/hardening/fuzz.py",
        *session.posargs,
    )
