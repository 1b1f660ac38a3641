"""Health endpoints for probes: liveness and readiness, as JSON."""

from django.conf import settings
from django.db import connection


def test_liveness_answers_without_touching_services(client):
    # No database access is allowed here (no db fixture): liveness must not need one.
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_reports_database_and_search(client, db):
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok", "vendor": connection.vendor}
    search = body["checks"]["search"]
    if settings.ELASTICSEARCH_URL:
        assert search["backend"] == "elasticsearch"
        assert search["version"].split(".")[0] == "8"
    else:
        assert search == {"status": "ok", "backend": "database"}


def test_readiness_fails_when_search_is_unreachable(client, db, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": ["http://127.0.0.1:9"],
            "TIMEOUT": 1,
        }
    }
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["search"]["status"] == "error"
