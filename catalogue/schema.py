"""Root GraphQL fields of the service catalogue: ``service`` and the taxonomy lists.

The field names and argument shapes are the frontends' contract
(docs/graphql.md). Finding, ranking and counting services (``services``)
belongs to search (search.schema); ``load_services`` is how both load the
services they deliver.
"""

import graphene
from django.db.models import Prefetch
from django.utils.translation import gettext
from graphql import GraphQLError
from grapple.registry import registry

from catalogue.models import (
    DeliveryLanguage,
    DeliveryMethod,
    LifeSituation,
    Municipality,
    OrganisationPage,
    ServiceAttachment,
    ServiceCategory,
    ServicePage,
)
from cms import localisation
from cms.visibility import for_request


def _service_type():
    return registry.pages[ServicePage]


def _term_list(model):
    return graphene.List(
        graphene.NonNull(lambda: registry.models[model]),
        required=True,
        locale=graphene.String(),
    )


def load_services(info, pks):
    """The services with these ids, in this order, with everything a list shows prefetched."""
    pages = ServicePage.objects.filter(pk__in=pks).prefetch_related(
        "categories",
        "municipalities",
        "life_situations",
        "methods",
        "languages",
        "contacts",
        "links",
        "locations",
        Prefetch("attachments", ServiceAttachment.objects.select_related("document")),
    )
    by_pk = {page.pk: page for page in pages}
    items = [by_pk[pk] for pk in pks if pk in by_pk]
    parents = {page.path[: -ServicePage.steplen] for page in items}
    organisations = {o.path: o for o in OrganisationPage.objects.filter(path__in=parents)}
    for page in items:
        page._organisation = organisations.get(page.path[: -ServicePage.steplen])
    localisation.remember_translations(info, items, for_request(info.context).pages())
    return items


class CatalogueQuery(graphene.ObjectType):
    service = graphene.Field(
        _service_type,
        key=graphene.String(),
        slug=graphene.String(),
        id=graphene.ID(),
        locale=graphene.String(),
        description="One service by exchange key, slug or id, served in the locale asked for.",
    )
    municipalities = _term_list(Municipality)
    service_categories = _term_list(ServiceCategory)
    life_situations = _term_list(LifeSituation)
    methods = _term_list(DeliveryMethod)
    service_languages = _term_list(DeliveryLanguage)

    def resolve_service(root, info, key=None, slug=None, id=None, locale=None):
        given = [name for name, value in (("key", key), ("slug", slug), ("id", id)) if value]
        if len(given) != 1:
            raise GraphQLError(gettext("Give exactly one of key, slug or id."))
        wanted = localisation.requested_locale(locale)
        visible = ServicePage.objects.filter(for_request(info.context).page_filter())
        if key:
            found = visible.filter(key=key)
        elif slug:
            found = visible.filter(slug=slug)
        else:
            found = visible.filter(pk=id) if str(id).isdigit() else visible.none()
        translation_key = found.values_list("translation_key", flat=True).first()
        page = (
            localisation.served(visible.filter(translation_key=translation_key), wanted).first()
            if translation_key
            else None
        )
        if page is None:
            raise GraphQLError(
                gettext("No service with %(argument)s '%(value)s'.")
                % {"argument": given[0], "value": key or slug or id}
            )
        return load_services(info, [page.pk])[0]

    def resolve_municipalities(root, info, locale=None):
        return _localised_terms(Municipality, locale)

    def resolve_service_categories(root, info, locale=None):
        return _localised_terms(ServiceCategory, locale)

    def resolve_life_situations(root, info, locale=None):
        return _localised_terms(LifeSituation, locale)

    def resolve_methods(root, info, locale=None):
        return _localised_terms(DeliveryMethod, locale)

    def resolve_service_languages(root, info, locale=None):
        return _localised_terms(DeliveryLanguage, locale)


def _localised_terms(model, code):
    """Every term of a taxonomy once, in the locale where translated, else in Finnish."""
    locale = localisation.requested_locale(code)
    # Municipalities list their employment area: fetched with them, not one by one.
    related = [f.name for f in model._meta.fields if f.many_to_one and f.name != "locale"]
    terms = model.objects.filter(locale__in=[locale, locale.get_default()]).select_related(*related)
    chosen = {}
    for term in terms:
        if term.locale_id == locale.pk or term.translation_key not in chosen:
            chosen[term.translation_key] = term
    ordering = model._meta.ordering
    default_terms = model.objects.filter(locale=locale.get_default()).order_by(*ordering)
    return [chosen[key] for key in default_terms.values_list("translation_key", flat=True)]


def add_catalogue_query(query_mixins):
    """``register_schema_query`` hook."""
    query_mixins.append(CatalogueQuery)
