"""Security headers (cms.security_headers, settings): what a browser is told.

Every response carries a Content-Security-Policy and a Permissions-Policy.
The policy is strict (scripts, styles and connections from this site only,
no inline script, no CDN); GraphiQL and the built-in pages keep to it with
self-hosted scripts, and only Wagtail's admin gets the allowances it still
needs. HSTS follows the deployment, and health probes are never redirected
to HTTPS.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from cms import graphiql_assets

ROOT = Path(__file__).resolve().parents[2]
APPS = ["cms", "catalogue", "guides", "people", "search", "translations", "exchange", "favourites"]


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: sources for name, *sources in directives}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html, name):
    parser = _Tags()
    parser.feed(html)
    return [attrs for tag, attrs in parser.tags if tag == name]


def graphiql_page(client):
    return client.get("/graphql/", HTTP_ACCEPT="text/html")


def test_the_site_policy_allows_this_site_only_and_no_inline_script(client, db):
    response = client.get("/graphql/", {"query": "{ __typename }"})

    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]
    sources = [source for sources in csp.values() for source in sources]
    assert not any("https:" in source or "*" in source for source in sources)


def test_graphiql_loads_only_self_hosted_scripts_and_styles(client, db):
    response = graphiql_page(client)
    html = response.content.decode()

    assert response.status_code == 200
    assert "https://" not in html and "http://" not in html
    scripts = tags(html, "script")
    assert all(script.get("src", "").startswith("/static/") for script in scripts)  # none inline
    sources = [script["src"].removeprefix("/static/") for script in scripts]
    assert sources == [
        *(asset.static_name for asset in graphiql_assets.scripts()),
        "cms/graphiql-settings.js",
        "graphene_django/graphiql.js",
    ]
    stylesheets = [link["href"].removeprefix("/static/") for link in tags(html, "link")]
    assert stylesheets == [
        *(asset.static_name for asset in graphiql_assets.stylesheets()),
        "cms/graphiql-page.css",
    ]
    assert policy(response)["script-src"] == ["'self'"]


def test_graphiqls_settings_reach_its_script_without_an_inline_script(client, db):
    html = graphiql_page(client).content.decode()

    settings_script = next(s for s in tags(html, "script") if "graphiql-settings" in s["src"])
    assert settings_script["data-header-editor-enabled"] in ("true", "false")
    assert "GRAPHENE_SETTINGS" not in html


def test_the_graphiql_files_are_installed_and_match_graphene_djangos_pinned_hashes():
    # `make install` fetches them (manage.py fetch_graphiql); this is what it checks.
    assert graphiql_assets.missing() == [], "run `make install` (manage.py fetch_graphiql)"


def test_only_wagtails_admin_gets_inline_scripts_and_styles(client, db):
    admin = client.get("/admin/login/")
    graphql = client.get("/graphql/", {"query": "{ __typename }"})

    assert "'unsafe-inline'" in policy(admin)["script-src"]
    assert "'unsafe-inline'" in policy(admin)["style-src"]
    assert "blob:" in policy(admin)["img-src"]
    assert "'unsafe-eval'" not in policy(admin)["script-src"]
    assert "'unsafe-inline'" not in policy(graphql)["script-src"]


def test_the_admin_frames_the_frontend_preview_when_there_is_one(client, db, settings):
    settings.ADMIN_CONTENT_SECURITY_POLICY = {
        **settings.ADMIN_CONTENT_SECURITY_POLICY,
        "frame-src": ["'self'", "https://front.example"],
    }

    assert policy(client.get("/admin/login/"))["frame-src"] == ["'self'", "https://front.example"]


def test_powerful_browser_features_are_off(client):
    header = client.get("/health/live")["Permissions-Policy"]

    features = dict(item.split("=", 1) for item in header.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert features["fullscreen"] == "(self)"


def test_health_probes_are_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health/live").status_code == 200
    assert client.get("/health/ready").status_code == 200
    assert client.get("/health/search").status_code in (200, 503)
    redirected = client.get("/graphql/")
    assert redirected.status_code == 301
    assert redirected["Location"].startswith("https://")


def test_hsts_is_sent_over_https_as_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    assert client.get("/health/live", secure=True)["Strict-Transport-Security"] == (
        "max-age=3600; includeSubDomains"
    )
    assert "Strict-Transport-Security" not in client.get("/health/live")


# Inline script (not JSON data) and inline styles, which the site's policy refuses.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=")


def _outside_the_admin(path):
    """Templates not rendered inside Wagtail's admin (which has its own allowances)."""
    source = path.read_text()
    return "/admin/" not in str(path) and '{% extends "wagtailadmin/' not in source


@pytest.mark.parametrize(
    "template",
    sorted(
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app / "templates").rglob("*.html")
        if _outside_the_admin(path)
    ),
)
def test_the_projects_own_pages_have_no_inline_script_or_style(template):
    """The preview, print and GraphiQL templates keep to the strict policy."""
    source = (ROOT / template).read_text()

    assert not INLINE_SCRIPT.search(source), template
    assert not INLINE_STYLE.search(source), template


def test_the_built_in_pages_use_static_stylesheets():
    html = render_to_string("preview/page.html", {"page": None})

    assert [link["href"] for link in tags(html, "link")] == ["/static/cms/preview.css"]
