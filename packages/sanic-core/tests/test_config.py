"""Config: a dict with attribute access and four ways to load it."""

from __future__ import annotations

import pytest

from sanic import Sanic
from sanic.config import Config
from sanic.exceptions import PyFileError


def test_defaults_and_attribute_access():
    app = Sanic("config")
    assert app.config["DEBUG"] is False
    assert app.config.REQUEST_MAX_SIZE == 100_000_000
    app.config.SERVER_NAME = "example.com"
    assert app.config["SERVER_NAME"] == "example.com"
    with pytest.raises(AttributeError):
        app.config.NOT_THERE


def test_from_object_and_pyfile(tmp_path):
    class Settings:
        DB = "postgres://"
        lower = "ignored"

    config = Config(load_env=False)
    config.from_object(Settings)
    assert config.DB == "postgres://"
    assert "lower" not in config
    path = tmp_path / "settings.py"
    path.write_text("ANSWER = 42\nname = 'ignored'\n")
    assert config.from_pyfile(path)
    assert config.ANSWER == 42


@pytest.mark.parametrize(
    ("source", "cause"),
    [
        ("ANSWER = (\n", SyntaxError),
        ("ANSWER = 1 / 0\n", ZeroDivisionError),
        ("import no_such_module_here\n", ImportError),
    ],
)
def test_a_file_that_fails_to_run_raises_pyfile_error(tmp_path, source, cause):
    path = tmp_path / "broken_settings.py"
    path.write_text(source)
    config = Config(load_env=False)
    with pytest.raises(PyFileError) as raised:
        config.from_pyfile(path)
    assert str(path) in str(raised.value)
    assert raised.value.file == str(path)
    assert isinstance(raised.value.__cause__, cause)
    assert "ANSWER" not in config


def test_a_missing_file_is_still_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="Unable to load configuration file"):
        Config(load_env=False).from_pyfile(tmp_path / "missing.py")


def test_pyfile_honours_a_declared_encoding(tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes("# -*- coding: latin-1 -*-\nNAME = 'café'\n".encode("latin-1"))
    config = Config(load_env=False)
    assert config.from_pyfile(path)
    assert config.NAME == "café"


def test_from_envvar(tmp_path, monkeypatch):
    path = tmp_path / "settings.py"
    path.write_text("FROM_FILE = True\n")
    monkeypatch.setenv("MYAPP_SETTINGS", str(path))
    config = Config(load_env=False)
    config.from_envvar("MYAPP_SETTINGS")
    assert config.FROM_FILE is True
    monkeypatch.delenv("MYAPP_SETTINGS")
    with pytest.raises(RuntimeError, match="MYAPP_SETTINGS"):
        config.from_envvar("MYAPP_SETTINGS")


def test_prefixed_environment(monkeypatch):
    monkeypatch.setenv("SANIC_REQUEST_TIMEOUT", "5")
    monkeypatch.setenv("SANIC_RATIO", "0.5")
    monkeypatch.setenv("SANIC_FLAG", "true")
    monkeypatch.setenv("SANIC_NAME", "hello")
    monkeypatch.setenv("MYAPP_OTHER", "x")
    config = Config()
    assert config.REQUEST_TIMEOUT == 5
    assert config.RATIO == 0.5
    assert config.FLAG is True
    assert config.NAME == "hello"
    assert "OTHER" not in config
    assert Config(load_env="MYAPP_").OTHER == "x"


def test_environment_values_of_known_keys_take_the_key_type(monkeypatch):
    monkeypatch.setenv("SANIC_FORWARDED_SECRET", "12345")  # a str key: no int
    monkeypatch.setenv("SANIC_SERVER_NAME", "1.5")
    monkeypatch.setenv("SANIC_REQUEST_TIMEOUT", "30")  # a float key
    monkeypatch.setenv("SANIC_REQUEST_MAX_SIZE", "2048")  # an int key
    monkeypatch.setenv("SANIC_KEEP_ALIVE", "0")  # a bool key: 0 is False
    monkeypatch.setenv("SANIC_REAL_IP_HEADER", "none")  # optional: off
    monkeypatch.setenv("SANIC_PROXIES_COUNT", " 2 ")
    config = Config()
    assert config.FORWARDED_SECRET == "12345"
    assert config.SERVER_NAME == "1.5"
    assert config.REQUEST_TIMEOUT == 30.0
    assert type(config.REQUEST_TIMEOUT) is float
    assert config.REQUEST_MAX_SIZE == 2048
    assert type(config.REQUEST_MAX_SIZE) is int
    assert config.KEEP_ALIVE is False
    assert config.REAL_IP_HEADER is None
    assert config.PROXIES_COUNT == 2
    # Unknown keys keep the guessing.
    monkeypatch.setenv("SANIC_MY_NUMBER", "12345")
    monkeypatch.setenv("SANIC_MY_FLAG", "off")
    assert Config().MY_NUMBER == 12345
    assert Config().MY_FLAG is False


@pytest.mark.parametrize(
    ("variable", "value", "kind"),
    [
        ("SANIC_REQUEST_TIMEOUT", "soon", "float"),
        ("SANIC_REQUEST_MAX_SIZE", "1.5", "int"),
        ("SANIC_KEEP_ALIVE", "maybe", "bool"),
    ],
)
def test_an_environment_value_not_of_its_key_type_names_the_variable(
    monkeypatch, variable, value, kind
):
    monkeypatch.setenv(variable, value)
    key = variable.removeprefix("SANIC_")
    with pytest.raises(ValueError) as raised:
        Sanic("bad_env")
    message = str(raised.value)
    assert message.startswith(f"config {key}={value!r} is not a valid {kind} ")
    assert message.endswith(f"; set by the environment variable {variable}")


def test_a_numeric_forwarded_secret_from_the_environment_serves(monkeypatch, serve):
    from sanic.response import text

    monkeypatch.setenv("SANIC_FORWARDED_SECRET", "12345")
    app = Sanic("numeric_secret")

    @app.get("/")
    async def index(request):
        return text(f"{request.remote_addr}|{request.scheme}")

    headers = {"Forwarded": "for=203.0.113.7;proto=https;secret=12345"}
    with serve(app) as server:
        reply = server.request("GET", "/", headers=headers)
    assert reply.body == b"203.0.113.7|https"


def test_form_field_limit_is_per_app(serve):
    from sanic.request import Request
    from sanic.response import text

    default = Request.max_fields
    app = Sanic("limited")
    app.config.REQUEST_MAX_FORM_FIELDS = 2

    @app.post("/")
    async def form(request):
        return text(str(len(request.form)))

    body = "a=1&b=2&c=3"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    with serve(app) as server:
        refused = server.request("POST", "/", body=body, headers=headers)
        allowed = server.request("POST", "/", body="a=1&b=2", headers=headers)
    assert refused.status == 413
    assert allowed.text == "2"
    assert Request.max_fields == default
