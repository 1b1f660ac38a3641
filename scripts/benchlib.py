"""What the benchmark scripts share: counting SQL queries, printing ratios, demo content.

Imported before Django is set up, so Django is imported inside the functions.
"""

import sys
from pathlib import Path


class QueryCounter:
    """A database execute wrapper (``connection.execute_wrapper``) that counts queries."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def ratio(numerator, denominator):
    return f"{numerator / denominator:.1f}×" if denominator else "—"


def ensure_demo_content():
    """Migrate and load the demo content into a database without services, as ``make run`` does."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from catalogue.models import ServicePage

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and database["NAME"] != ":memory:":
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)  # var/, as make run does
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    initialised = ServicePage._meta.db_table in connection.introspection.table_names()
    if initialised and pending:
        sys.exit(
            f"{len(pending)} migrations are not applied to this database: run "
            "`manage.py migrate` on it first, or pass --database-url for another one."
        )
    if initialised and ServicePage.objects.live().exists():
        return
    print("The catalogue is empty: migrate + load_demo (about 90 s on SQLite) …", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo")
