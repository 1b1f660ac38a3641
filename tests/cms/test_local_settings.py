"""var/local.env: the README's commands work by hand, and production ignores it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cms.local_env import load_local_env

ROOT = Path(__file__).resolve().parents[2]

LOCAL_ENV = """\
# Written once by make run
SECRET_KEY=generated-local-secret
DEBUG=1
PORT=8123
WAGTAILADMIN_BASE_URL=http://localhost:8123
"""


@pytest.fixture
def local_env(tmp_path, monkeypatch):
    path = tmp_path / "local.env"
    path.write_text(LOCAL_ENV)
    for name in ("SECRET_KEY", "DEBUG", "PORT", "WAGTAILADMIN_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield path
    for name in ("SECRET_KEY", "DEBUG", "PORT", "WAGTAILADMIN_BASE_URL"):
        os.environ.pop(name, None)


def test_the_file_gives_the_environment_its_defaults(local_env):
    load_local_env(local_env)
    assert os.environ["SECRET_KEY"] == "generated-local-secret"
    assert os.environ["DEBUG"] == "1"
    assert os.environ["WAGTAILADMIN_BASE_URL"] == "http://localhost:8123"


def test_a_real_environment_variable_wins_over_the_file(local_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert "SECRET_KEY" not in load_local_env(local_env)
    assert os.environ["SECRET_KEY"] == "from-the-environment"


def test_no_file_changes_nothing(tmp_path):
    assert load_local_env(tmp_path / "missing.env") == []


def _settings_value(env, name):
    """Import the runtime settings in a fresh process, as manage.py or cms.wsgi would."""
    return subprocess.run(
        [sys.executable, "-c", f"import cms.settings as s; print(s.{name})"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _bare_environment():
    names = ("SECRET_KEY", "DEBUG", "HOST", "PORT", "WAGTAILADMIN_BASE_URL")
    return {k: v for k, v in os.environ.items() if k not in names}


def test_without_the_file_production_still_refuses_to_start_without_a_secret_key():
    result = _settings_value(_bare_environment(), "SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_base_url_follows_the_port_make_run_serves_on():
    env = {**_bare_environment(), "DEBUG": "1", "PORT": "8123"}
    result = _settings_value(env, "WAGTAILADMIN_BASE_URL")
    assert result.stdout.strip() == "http://localhost:8123", result.stderr[-2000:]
