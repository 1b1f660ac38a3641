"""A service is classified with the terms of its own locale, and its editor sees only those.

Every taxonomy term exists once per locale (Espoo (049), Esbo (049), …). The
service editor's pickers list the page's locale's terms, named in its
language; the model refuses a term of another locale whatever the path (the
admin, a translation, the import), and the import names the record and field.
"""

import copy
import re

import pytest
from catalogue_data import CATALOGUE
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from catalogue.models import Municipality, ServiceCategory, ServicePage
from exchange.importer import import_document
from exchange.validation import ExchangeError

pytestmark = pytest.mark.django_db


def service(key, language="fi"):
    return ServicePage.objects.get(key=key, locale__language_code=language)


def term(model, language, **lookup):
    return model.objects.get(locale__language_code=language, **lookup)


def checkbox_labels(html, name):
    """The labels of the checkboxes named ``name`` in an edit form's HTML."""
    checkbox = rf'<input type="checkbox" name="{name}" value="\d+" id="[^"]*"[^>]*>'
    pattern = checkbox + r"\s*([^<]+?)</label>"
    return re.findall(pattern, html)


def test_the_edit_form_of_a_finnish_service_offers_finnish_terms_only(
    small_catalogue, admin_client
):
    page = service("work-trial")

    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()

    finnish = Locale.objects.get(language_code="fi")
    categories = checkbox_labels(html, "categories")
    municipalities = checkbox_labels(html, "municipalities")
    assert len(categories) == ServiceCategory.objects.filter(locale=finnish).count() > 0
    names = ServiceCategory.objects.filter(locale=finnish).values_list("name", flat=True)
    assert sorted(categories) == sorted(names)
    assert len(municipalities) == Municipality.objects.filter(locale=finnish).count()
    assert municipalities.count("Espoo (049)") == 1
    assert "Esbo (049)" not in municipalities


def test_the_pickers_of_a_swedish_service_are_named_in_swedish(small_catalogue):
    page = service("work-trial", "sv")
    form_class = ServicePage.get_edit_handler().get_form_class()

    form = form_class(instance=page, for_user=None)

    municipalities = form.fields["municipalities"].queryset
    assert {m.locale.language_code for m in municipalities} == {"sv"}
    assert term(Municipality, "sv", code="049") in municipalities
    assert form.fields["categories"].queryset.count() == (
        ServiceCategory.objects.filter(locale__language_code="sv").count()
    )


def test_a_swedish_term_on_a_finnish_service_is_refused(small_catalogue):
    page = service("work-trial")
    swedish = term(ServiceCategory, "sv", slug="job-search-support")

    page.categories = [swedish]
    with pytest.raises(ValidationError) as refused:
        page.full_clean()

    message = " ".join(refused.value.message_dict["categories"])
    assert swedish.name in message and "toisella kielellä" in message


def test_the_form_refuses_a_term_of_another_locale_with_a_clear_error(small_catalogue):
    page = service("work-trial")
    form = ServicePage.get_edit_handler().get_form_class()(instance=page, for_user=None)
    swedish = term(ServiceCategory, "sv", slug="job-search-support")

    with pytest.raises(ValidationError) as refused:
        form.fields["categories"].clean([str(swedish.pk)])

    assert "ei ole tämän sivun kielen luokitus" in " ".join(refused.value.messages)


def test_a_swedish_translation_holds_swedish_terms(small_catalogue):
    finnish, swedish = service("work-trial"), service("work-trial", "sv")
    swedish.categories = list(finnish.categories.all())  # as a sync or the import copies them

    swedish.full_clean()

    assert {t.locale.language_code for t in swedish.categories.all()} == {"sv"}
    assert {t.slug for t in swedish.categories.all()} == {t.slug for t in finnish.categories.all()}


# --- The import ----------------------------------------------------------------------


def document_with(**service_fields):
    document = copy.deepcopy(CATALOGUE)
    record = next(s for s in document["services"] if s["key"] == "work-trial")
    record.update(service_fields)
    return document


def refusal(document):
    with pytest.raises(ExchangeError) as refused:
        import_document(document)
    return refused.value.messages


def test_an_import_naming_a_term_of_another_language_is_refused_whole(small_catalogue):
    swedish_only = ServiceCategory.objects.create(
        locale=Locale.objects.get(language_code="sv"), name="Endast svenska", slug="sv-only"
    )
    before = service("work-trial").categories.count()

    messages = refusal(document_with(categories=[swedish_only.slug]))

    assert messages == [
        'services[work-trial].categories: category "sv-only" is a term of another language'
        " (sv), not of fi"
    ]
    assert service("work-trial").categories.count() == before


def test_an_import_of_a_translation_whose_term_has_no_translation_is_refused(small_catalogue):
    ServiceCategory.objects.create(
        locale=Locale.objects.get(language_code="fi"), name="Vain suomeksi", slug="fi-only"
    )

    messages = refusal(document_with(categories=["fi-only"]))

    # work-trial has Swedish texts, so its Swedish page would hold a Finnish term.
    assert messages == [
        'services[work-trial].categories: category "fi-only" has no sv translation,'
        " so the sv page cannot hold it"
    ]


def test_an_instructions_municipality_picker_offers_the_pages_own_language_only(site_tree):
    from guides.models import ProcessInstructionPage

    form_class = ProcessInstructionPage.get_edit_handler().get_form_class()
    instruction = ProcessInstructionPage(locale=Locale.get_default())
    form = form_class(instance=instruction, for_user=None)

    offered = set(form.fields["municipalities"].queryset.values_list("locale", flat=True))
    assert offered == {Locale.get_default().pk}
    names = [str(municipality) for municipality in form.fields["municipalities"].queryset]
    assert "Esbo" not in " ".join(names)
