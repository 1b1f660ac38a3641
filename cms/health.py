"""Liveness and readiness endpoints for load balancers and Kubernetes probes.

Liveness says only that the process answers. Readiness needs the database:
without it nothing can be served. Search is reported but does not decide
readiness, because delivery answers from the database while Elasticsearch is
down (search.backends); taking every pod out of rotation would turn a search
outage into a full one. ``/health/search`` checks search alone, for alerts.
All return JSON.
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


def _run(name, check):
    try:
        return check()
    except Exception as exc:  # any failure is reported; the log keeps the detail
        logger.warning("health check %s failed: %s", name, exc)
        return {"status": "error", "error": exc.__class__.__name__}


@never_cache
@require_GET
def ready(request):
    checks = {
        "database": _run("database", _check_database),
        "search": _run("search", _check_search),
    }
    if checks["search"]["status"] != "ok":
        checks["search"]["status"] = "degraded"
    ready_ = checks["database"]["status"] == "ok"
    return JsonResponse(
        {"status": "ok" if ready_ else "error", "checks": checks}, status=200 if ready_ else 503
    )


@never_cache
@require_GET
def search(request):
    check = _run("search", _check_search)
    return JsonResponse(check, status=200 if check["status"] == "ok" else 503)
