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
        return Locale.get_default()
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        codes = ", ".join(Locale.objects.order_by("pk").values_list("language_code", flat=True))
        raise GraphQLError(
            gettext("Unknown locale '%(code)s'. Available locales: %(codes)s.")
            % {"code": code, "codes": codes}
        )
    return locale


def served(pages, locale):
    """Of ``pages`` (already limited to what the caller may see), one per translation group:
    the one in ``locale`` if there is one, else the default-locale (Finnish) one."""
    default = Locale.get_default()
    if locale.pk == default.pk:
        return pages.filter(locale=locale)
    translated = pages.filter(locale=locale).values("translation_key")
    return pages.filter(Q(locale=locale) | (Q(locale=default) & ~Q(translation_key__in=translated)))


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
    codes = _cache(info).get("locale_codes")
    if codes is None:
        codes = _cache(info)["locale_codes"] = dict(
            Locale.objects.values_list("pk", "language_code")
        )
    return codes[locale_id]


def localized_terms(info, terms, locale_id):
    """Each term (a TranslatableMixin snippet) in the given locale where translated."""
    terms = list(terms)
    if not terms:
        return terms
    model = type(terms[0])
    by_key = _cache(info).get((model, locale_id))
    if by_key is None:
        by_key = _cache(info)[(model, locale_id)] = {
            term.translation_key: term for term in model.objects.filter(locale_id=locale_id)
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


def available_locales(info, page, visible_pages):
    """The locales a page can be served in to this caller, sorted."""
    known = _cache(info).setdefault("available_locales", {})
    if page.translation_key not in known:
        remember_translations(info, [page], visible_pages)
    return sorted(known.get(page.translation_key, ()))
