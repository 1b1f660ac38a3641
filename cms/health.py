"""Liveness and readiness endpoints for load balancers and Kubernetes probes.

Liveness says only that the process answers. Readiness checks what a request
needs: the database and, when configured, the search backend. Both return JSON.
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.search.backends import get_search_backend

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "vendor": connection.vendor}


def _check_search():
    if not settings.ELASTICSEARCH_URL:
        return {"status": "ok", "backend": "database"}
    info = get_search_backend().es.info()
    return {"status": "ok", "backend": "elasticsearch", "version": info["version"]["number"]}


@never_cache
@require_GET
def ready(request):
    checks = {}
    for name, check in (("database", _check_database), ("search", _check_search)):
        try:
            checks[name] = check()
        except Exception as exc:  # any failure means "not ready"; the log keeps the detail
            logger.warning("readiness check %s failed: %s", name, exc)
            checks[name] = {"status": "error", "error": exc.__class__.__name__}
    ready_ = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ready_ else "error", "checks": checks}, status=200 if ready_ else 503
    )
