"""The locale rule of the delivery API.

A caller asks for a locale (``fi``, ``sv``, ``en``, …; default: the default
locale, Finnish). Each item is served in that locale when a translation the
caller may see exists, and otherwise in Finnish, the source language of the
catalogue. Every localised item says the locale it was served in, so a
frontend can tell a fallback from a translation ("tämä palvelu on vain
suomeksi").

Taxonomy terms linked from a page are synchronised between translations, so a
Swedish page may point at the Finnish term objects; delivery swaps each for
its translation in the page's locale (wagtail-localize's ``.localized``, done
here in bulk, once per request).
"""

from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext
from graphql import GraphQLError
from wagtail.models import Locale

from cms import process_cache


def _load_locales():
    locales = list(Locale.objects.order_by("pk"))
    try:
        default = Locale.get_default()
    except Locale.DoesNotExist:  # an empty database, before the first migration's data
        default = None
    return {
        "by_id": {locale.pk: locale for locale in locales},
        "by_code": {locale.language_code: locale for locale in locales},
        "default": default,
    }


# Locales change only when a content language is added (translations.ensure_locales).
_locales = process_cache.ProcessCache(_load_locales)
process_cache.invalidate_on(Locale)


def default_locale():
    """The default locale (Finnish), without a query per call as ``Locale.get_default()``."""
    return _locales.get()["default"]


def locale_by_id(locale_id):
    return _locales.get()["by_id"][locale_id]


def _cache(info):
    """A per-request dictionary (requests are the GraphQL context)."""
    request = info.context
    cache = getattr(request, "_localisation_cache", None)
    if cache is None:
        cache = request._localisation_cache = {}
    return cache


def requested_locale(code):
    """The Locale asked for; the default locale when none is given.

    An unknown code is a GraphQL error naming the locales there are.
    """
    if code is None:
        return default_locale()
    locale = _locales.get()["by_code"].get(code)
    if locale is None:
        codes = ", ".join(_locales.get()["by_code"])
        raise GraphQLError(
            gettext("Unknown locale '%(code)s'. Available locales: %(codes)s.")
            % {"code": code, "codes": codes}
        )
    return locale


def served(pages, locale):
    """Of ``pages`` (already limited to what the caller may see), one per translation group:
    the one in ``locale`` if there is one, else the default-locale (Finnish) one."""
    default = default_locale()
    if locale.pk == default.pk:
        return pages.filter(locale=locale)
    translated = pages.filter(locale=locale).values("translation_key")
    return pages.filter(Q(locale=locale) | (Q(locale=default) & ~Q(translation_key__in=translated)))


def served_list(pages, locale_id):
    """``served`` for pages already fetched: of each translation group, the page in the
    locale if there is one, else the default-locale one; in the given order."""
    default = default_locale()
    translated = {page.translation_key for page in pages if page.locale_id == locale_id}
    return [
        page
        for page in pages
        if page.locale_id == locale_id
        or (page.locale_id == default.pk and page.translation_key not in translated)
    ]


def scores_by_served_page(results, served_pages):
    """Search scores keyed by the served page of each hit's translation group.

    A hit in any language finds the service: a Swedish reader who types the
    Finnish name gets the Swedish page. The best score of a group counts.
    """
    served_by_key = dict(served_pages.values_list("translation_key", "pk"))
    scores = {}
    for page in results.annotate_score("_score"):
        pk = served_by_key.get(page.translation_key)
        if pk is not None:
            scores[pk] = max(scores.get(pk, 0), page._score or 0)
    return scores


def locale_code(info, locale_id):
    return locale_by_id(locale_id).language_code


def localized_terms(info, terms, locale_id):
    """Each term (a TranslatableMixin snippet) in the given locale where translated."""
    terms = list(terms)
    if not terms:
        return terms
    model = type(terms[0])
    by_key = _cache(info).get((model, locale_id))
    if by_key is None:
        # Their own links (a municipality's employment area) come with them.
        related = [f.name for f in model._meta.fields if f.many_to_one and f.name != "locale"]
        terms_in_locale = model.objects.filter(locale_id=locale_id).select_related(*related)
        by_key = _cache(info)[(model, locale_id)] = {
            term.translation_key: term for term in terms_in_locale
        }
    return [by_key.get(term.translation_key, term) for term in terms]


def remember_translations(info, pages, visible_pages):
    """Record, for a batch of pages, the locales each is visibly available in.

    Resolvers that return many pages call this once, so that ``availableLocales``
    costs one query per batch instead of one per page.
    """
    keys = {page.translation_key for page in pages}
    available = defaultdict(set)
    rows = visible_pages.filter(translation_key__in=keys).values_list(
        "translation_key", "locale_id"
    )
    for key, locale_id in rows:
        available[key].add(locale_code(info, locale_id))
    _cache(info).setdefault("available_locales", {}).update(available)


def available_locales(info, page, visibility):
    """The locales a page can be served in to this caller, sorted (``visibility``: the
    caller's cms.visibility.Visibility, asked only for pages not remembered in a batch)."""
    known = _cache(info).setdefault("available_locales", {})
    if page.translation_key not in known:
        remember_translations(info, [page], visibility.pages())
    return sorted(known.get(page.translation_key, ()))
