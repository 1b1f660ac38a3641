"""The local environment file ``var/local.env`` that ``make run`` writes once.

It holds what a developer's machine needs and production sets in the real
environment: a generated SECRET_KEY, DEBUG=1, the address ``make run`` serves
on and WAGTAILADMIN_BASE_URL. Only the local entry point (manage.py) reads
it, so the README's commands work in a fresh shell; the production server
(cms.wsgi) never does, and there a missing SECRET_KEY still stops start-up.
"""

import os
from pathlib import Path

LOCAL_ENV_FILE = Path(__file__).resolve().parent.parent / "var" / "local.env"


def read_local_env(path):
    """The ``NAME=value`` lines of the file as a dict; blank lines and ``#`` comments skipped."""
    values = {}
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.partition("=")
        values[name.strip()] = value.strip()
    return values


def load_local_env(path=LOCAL_ENV_FILE):
    """Use the file's values as defaults: a variable already in the environment wins.

    Returns the names taken from the file; nothing when there is no file.
    """
    if not Path(path).is_file():
        return []
    taken = []
    for name, value in read_local_env(path).items():
        if name not in os.environ:
            os.environ[name] = value
            taken.append(name)
    return taken
