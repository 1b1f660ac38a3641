"""Every live page opens: built-in public templates, or the frontend's address.

The admin's "View live" links and the page explorer lead to ``page.url``.
Without a frontend, Wagtail serves the page with the built-in templates;
the internal section sends an anonymous visitor to the login instead; drafts
are not served. With FRONTEND_BASE_URL set, the links lead to the frontend.
"""

import pytest
from django.test import override_settings
from wagtail.models import Page, get_page_models

from catalogue.models import ServicePage
from guides.models import GuidePage, ProcessInstructionPage

pytestmark = pytest.mark.django_db

FRONTEND = "https://palvelumanuaali.example"


def add_guide(index, key, title):
    guide = index.add_child(instance=GuidePage(title=title, key=key, summary=f"{title}."))
    guide.save_revision().publish()
    return guide


@pytest.fixture
def every_page_type(small_catalogue, site_tree):
    add_guide(site_tree.guides, "cv-guide", "CV-opas")
    add_guide(site_tree.internal_guides, "ura-guide", "URA-kirjausohje")


def test_every_live_page_of_every_type_opens_or_asks_for_login(every_page_type, client):
    pages = Page.objects.live().exclude(depth=1).specific()
    served_types = set()
    for page in pages:
        # Translations share their Finnish page's path; the reader's language picks the tree.
        response = client.get(page.url, HTTP_ACCEPT_LANGUAGE=page.locale.language_code)
        restricted = page.get_view_restrictions().exists()
        if restricted:
            assert response.status_code == 302, page.url
            assert "login" in response["Location"], page.url
        else:
            assert response.status_code == 200, page.url
            assert page.title in response.content.decode(), page.url
            assert b"preview-note" not in response.content  # not a preview
        served_types.add(type(page))

    assert served_types == set(get_page_models()) - {Page}


def test_an_internal_instruction_is_never_shown_to_an_anonymous_visitor(every_page_type, client):
    instruction = ProcessInstructionPage.objects.live().get(key="work-trial-helsinki")

    response = client.get(instruction.url, follow=True)

    assert "login" in response.redirect_chain[-1][0]
    assert instruction.title not in response.content.decode()


def test_a_draft_is_not_served(every_page_type, client):
    service = ServicePage.objects.get(key="work-trial", locale__language_code="fi")
    url = service.url
    service.unpublish()

    assert client.get(url).status_code == 404


def test_the_site_root_opens(every_page_type, client):
    response = client.get("/")

    assert response.status_code == 200


@override_settings(FRONTEND_BASE_URL=FRONTEND + "/")
def test_with_a_frontend_page_urls_lead_to_it(every_page_type, client):
    service = ServicePage.objects.get(key="work-trial", locale__language_code="fi")

    assert service.full_url.startswith(FRONTEND + "/")
    assert service.url == service.full_url  # "View live" uses the URL as it is
    assert service.full_url.endswith(service.get_url_parts()[2])


@override_settings(FRONTEND_BASE_URL=FRONTEND, FRONTEND_BASE_URL_SV="https://servicemanual.example")
def test_a_locale_may_have_its_own_frontend(every_page_type):
    swedish = ServicePage.objects.filter(locale__language_code="sv").first()
    finnish = ServicePage.objects.filter(locale__language_code="fi").first()

    assert swedish.full_url.startswith("https://servicemanual.example/")
    assert finnish.full_url.startswith(FRONTEND + "/")


def test_view_live_in_the_admin_links_to_the_frontend(every_page_type, admin_client):
    service = ServicePage.objects.get(key="work-trial", locale__language_code="fi")
    with override_settings(FRONTEND_BASE_URL=FRONTEND):
        response = admin_client.get(f"/admin/pages/{service.pk}/edit/")

    assert response.status_code == 200
    assert f'href="{FRONTEND}{service.get_url_parts()[2]}"'.encode() in response.content
