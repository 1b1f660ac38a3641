"""Fixtures of the guidance tests: the catalogue of tests/guidance_data.py, the demo
questionnaires, and ``recommend``, which asks for recommendations as a frontend does."""

import json

import pytest
from guidance_data import CATALOGUE, RECOMMENDATIONS


@pytest.fixture
def guidance_catalogue(site_tree):
    """guidance_data.CATALOGUE, imported; ``expert-pilot`` is visible to experts only."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from catalogue.models import ServicePage
    from cms import roles
    from exchange.importer import import_document

    import_document(CATALOGUE)
    pilot = ServicePage.objects.get(key="expert-pilot")
    restriction = PageViewRestriction.objects.create(
        page=pilot, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=roles.EXPERTS)])


@pytest.fixture
def questionnaires(site_tree):
    """The demo questionnaires, published in Finnish, Swedish and English:
    {key: the Finnish questionnaire}."""
    from guidance.demo import load_demo_questionnaires
    from guidance.models import Questionnaire

    load_demo_questionnaires()
    return {q.key: q for q in Questionnaire.objects.filter(locale__language_code="fi")}


@pytest.fixture
def recommend(graphql):
    """Ask for recommendations; returns the ``recommendations`` object (errors fail)."""

    def run(profile=None, *, shared=None, locale=None, limit=None, offset=None, **extra):
        variables = {
            "profile": profile,
            "shared": shared,
            "locale": locale,
            "limit": limit,
            "offset": offset,
        }
        body = graphql(
            RECOMMENDATIONS, {k: v for k, v in variables.items() if v is not None}, **extra
        )
        assert "errors" not in body, json.dumps(body["errors"], ensure_ascii=False)
        return body["data"]["recommendations"]

    return run
