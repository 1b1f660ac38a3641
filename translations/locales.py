"""Content languages: a Locale, a home, translator rights and the review workflow for each."""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, WorkflowPage

from catalogue.models import HomePage
from people.site_tree import ensure_site_tree


@transaction.atomic
def ensure_locales():
    """Give every configured content language a Locale, a home, translator rights and the workflow.

    Idempotent; returns what it changed. The homes and rights come from the site
    tree (people.site_tree); until the tree exists (an empty database) only
    the Locales are created, and the tree gets the homes when it is built. The
    translators' review workflow is given to homes of languages added later.
    """
    changes = []
    configured = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
    for code, name in configured.items():
        if Locale.objects.get_or_create(language_code=code)[1]:
            changes.append(f"created locale {code} ({name})")
    for code in Locale.objects.exclude(language_code__in=configured).values_list(
        "language_code", flat=True
    ):
        changes.append(f"warning: locale {code} is not in WAGTAIL_CONTENT_LANGUAGES")

    default = Locale.get_default()
    if not HomePage.objects.filter(locale=default).exists():
        return changes
    homes_before = set(HomePage.objects.values_list("pk", flat=True))
    ensure_site_tree()
    translated_homes = HomePage.objects.exclude(locale=default).select_related("locale")
    for home in translated_homes.exclude(pk__in=homes_before):
        changes.append(f"created home of {home.locale.language_code}")
    assigned = WorkflowPage.objects.filter(page__in=translated_homes).select_related("workflow")
    workflow = next((each.workflow for each in assigned), None)
    if workflow is not None:
        for home in translated_homes.exclude(pk__in=assigned.values("page")):
            WorkflowPage.objects.create(page=home, workflow=workflow)
            changes.append(f"workflow {workflow.name!r} on the home of {home.locale.language_code}")
    return changes
