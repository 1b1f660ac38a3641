"""What an event says about a page, and writing it to the outbox (``record``).

Only the page types the frontends deliver have events: organisations,
services, guides and process instructions. An event carries the page's
exchange key, locale, kind and delivered addresses (``url`` and ``urlPath``, as
the GraphQL API gives them), captured at the change: by the time it is sent
the page may have moved on or be gone.

Bulk imports publish hundreds of pages in one transaction, so recording an
event costs one INSERT and nothing else: whether the page is internal is a
subquery of that INSERT, and locale codes are looked up once per process.
"""

import copy

from django.db.models import Exists
from wagtail.models import Locale, PageViewRestriction

from catalogue.models import OrganisationPage, ServicePage
from guides.models import GuidePage, ProcessInstructionPage
from search.backends.database import _page_kind as content_kind
from webhooks.models import WebhookEvent

DELIVERED_TYPES = (OrganisationPage, ServicePage, GuidePage, ProcessInstructionPage)

_locale_codes = {}


def is_delivered(page):
    return isinstance(page, DELIVERED_TYPES)


def page_kind(page):
    """siteSearch's ContentKind (SERVICE, INSTRUCTION, GUIDE, ARTICLE, TOOL), or ORGANISATION."""
    if isinstance(page, OrganisationPage):
        return "ORGANISATION"
    return content_kind(page)


def _locale_code(locale_id):
    if locale_id not in _locale_codes:
        _locale_codes.update(Locale.objects.values_list("pk", "language_code"))
    return _locale_codes[locale_id]


def _url_at(page, url_path):
    """The page's URL had it this ``url_path`` (Wagtail derives one from the other)."""
    elsewhere = copy.copy(page)
    elsewhere.url_path = url_path
    return elsewhere.url


def page_facts(page, previous_url_path=None):
    """The ``page`` object of an event body."""
    facts = {
        "id": page.pk,
        "key": page.key,
        "locale": _locale_code(page.locale_id),
        "kind": page_kind(page),
        "translationKey": str(page.translation_key),
        "url": page.url,
        "urlPath": page.url_path,
    }
    if previous_url_path is not None:
        facts["previousUrl"] = _url_at(page, previous_url_path)
        facts["previousUrlPath"] = previous_url_path
    return facts


def _ancestor_paths(page):
    """The paths of the page and its ancestors: treebeard paths grow by ``steplen``
    characters per level, so they are the prefixes of the page's own. A view
    restriction on any of them makes the page internal."""
    step = page.steplen
    return [page.path[:end] for end in range(step, len(page.path) + 1, step)]


def _restrictions_over(page):
    """The view restrictions that make the page internal (on it or an ancestor)."""
    return PageViewRestriction.objects.filter(page__path__in=_ancestor_paths(page))


def is_internal(page):
    return _restrictions_over(page).exists()


def record(event_type, page, previous_url_path=None):
    """Write one event about the page to the outbox, in the caller's transaction.

    One INSERT: whether the page is internal is a subquery of it.
    """
    facts = page_facts(page, previous_url_path)
    return write(event_type, facts, Exists(_restrictions_over(page)))


def write(event_type, facts, internal):
    return WebhookEvent.objects.create(type=event_type, page=facts, internal=internal)
