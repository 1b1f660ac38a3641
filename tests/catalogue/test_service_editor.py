"""The service editor's read-only review date: a date, or words for none."""

import pytest

from catalogue.models import ServicePage

pytestmark = pytest.mark.django_db


def edit_page(admin_client, page):
    return admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()


def test_a_service_never_reviewed_says_so_instead_of_none(small_catalogue, admin_client):
    page = ServicePage.objects.get(key="work-trial", locale__language_code="fi")
    assert page.last_reviewed_at is None

    html = edit_page(admin_client, page)

    assert "ei tarkistettu" in html
    assert ">None<" not in html.replace(" ", "").replace("\n", "")
