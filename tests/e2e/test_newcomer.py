"""A newcomer gets in through the invitation, and GraphiQL works without the internet."""

import re
from urllib.parse import urlencode

import pytest
from e2e.browser import PASSWORD, set_password, sign_in

pytestmark = pytest.mark.e2e


def test_a_new_user_follows_the_invitation_sets_a_password_and_signs_in(site, new_page):
    link = site.invite("uusi.kayttaja@example.org", "translator")
    assert link.startswith(f"{site.url}/admin/")
    page = new_page()

    set_password(page, link)
    page.shot("6-1-password-set")
    assert page.locator("text=salasana").first.is_visible()

    sign_in(page, "uusi.kayttaja@example.org", PASSWORD)
    page.shot("6-2-signed-in")
    assert page.url == f"{site.url}/admin/"
    # The admin speaks Finnish to a newcomer.
    assert page.locator("html").get_attribute("lang") == "fi"


def test_graphiql_loads_with_the_network_off_and_runs_a_query(site, new_page):
    page = new_page()
    refused = []

    def only_this_site(route):
        if route.request.url.startswith(site.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", only_this_site)
    # GraphiQL takes the query from the address, as a shared link would give it.
    page.goto("/graphql/?" + urlencode({"query": "{ services(limit: 2) { items { title } } }"}))
    page.locator(".graphiql-execute-button").wait_for()
    page.shot("5-1-graphiql-loaded")

    page.locator(".graphiql-execute-button").click()
    result = page.locator(".graphiql-response")
    result.get_by_text('"title"').first.wait_for()
    page.shot("5-2-graphiql-result")
    assert refused == [], refused
    assert re.search(r'"title":\s*"', result.inner_text())
