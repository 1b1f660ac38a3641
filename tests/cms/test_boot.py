"""The application boots and migrates on SQLite and on PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_fresh_sqlite_database_migrates_and_loads_demo_content(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("ELASTICSEARCH_URL", None)
    for command in (
        ["migrate", "--noinput"],
        ["load_demo", "--services", "20", "--organisations", "8"],
        ["check"],
    ):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "fresh.sqlite3").stat().st_size > 0


@pytest.mark.django_db
def test_suite_runs_on_the_database_configured_by_database_url():
    url = os.environ.get("DATABASE_URL", "sqlite")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_graphql_import_resolves_to_graphql_core():
    import graphql

    assert not (ROOT / "graphql" / "__init__.py").exists()
    assert "site-packages" in graphql.__file__
    assert hasattr(graphql, "build_schema")
