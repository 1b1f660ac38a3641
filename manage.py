#!/usr/bin/env python
"""Django's command-line utility for Palvelumanuaali.

Reads var/local.env (written by ``make run``) as defaults for the environment,
so commands run by hand find the same SECRET_KEY, DEBUG and base URL.
"""

import os
import sys

if __name__ == "__main__":
    from cms.local_env import load_local_env

    load_local_env()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
