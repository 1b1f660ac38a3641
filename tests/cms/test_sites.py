"""The site of a request is looked up once per host and port, and again after a site changes."""

from django.db import connection
from django.test import Client
from wagtail.models import Site

from cms import process_cache

QUERY = '{ siteSearch(query: "palvelu") { items { url } } }'


def _site_queries(client):
    statements = []

    def recording(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(recording):
        response = client.post("/graphql/", {"query": QUERY}, content_type="application/json")
    assert "errors" not in response.json()
    return [sql for sql in statements if '"wagtailcore_site"' in sql and "FROM" in sql]


def test_the_site_is_read_once_and_again_after_a_site_changes(site_tree):
    client = Client()
    process_cache.clear_all()  # as in a new process
    assert _site_queries(client)
    assert _site_queries(client) == []

    site = Site.objects.get(is_default_site=True)
    site.site_name = "Palvelumanuaali (testi)"
    site.save()

    assert _site_queries(client)
