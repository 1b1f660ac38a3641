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


def test_readiness_holds_when_search_is_unreachable_and_search_check_fails(client, db, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": ["http://127.0.0.1:9"],
            "TIMEOUT": 1,
        }
    }
    # Delivery answers from the database meanwhile: the pod stays in rotation.
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["search"]["status"] == "degraded"
    # The search check alone says it is down, for alerting.
    response = client.get("/health/search")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
