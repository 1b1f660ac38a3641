"""Root GraphQL fields of the service catalogue: ``service`` and the taxonomy lists.

The field names and argument shapes are the frontends' contract
(docs/graphql.md). Finding, ranking and counting services (``services``)
belongs to search (search.schema); ``load_services`` is how both load the
services they deliver.
"""

import graphene
from django.apps import apps
from django.db.models import F, Prefetch, prefetch_related_objects
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
from cms.delivery_schema import Selection, deliver_together
from cms.visibility import for_request


def _service_type():
    return registry.pages[ServicePage]


def _term_list(model):
    return graphene.List(
        graphene.NonNull(lambda: registry.models[model]),
        required=True,
        locale=graphene.String(),
    )


# Relations a service list prefetches when the query selects them, by GraphQL field name.
SERVICE_RELATIONS = {
    "categories": "categories",
    "municipalities": "municipalities",
    "lifeSituations": "life_situations",
    "methods": "methods",
    "languages": "languages",
    "contacts": "contacts",
    "links": "links",
    "locations": "locations",
    "attachments": lambda: Prefetch(
        "attachments",
        ServiceAttachment.objects.select_related("document__collection").prefetch_related(
            "document__tags"
        ),
    ),
}


def _prefetches(relations, selection):
    return [
        lookup() if callable(lookup) else lookup
        for name, lookup in relations.items()
        if name in selection
    ]


def load_instruction_relations(instructions, selection):
    """What the query selects of a list of process instructions, fetched for all of them:
    their municipalities, attachments and services (the services as one batch)."""
    prefetches = ["service"] if "service" in selection else []
    if "municipalities" in selection:
        municipalities = Municipality.objects.select_related("employment_area")
        prefetches.append(Prefetch("municipalities", municipalities))
    if "attachments" in selection:
        attachments = apps.get_model("guides", "InstructionAttachment").objects
        attachments = attachments.select_related("document__collection")
        prefetches.append(Prefetch("attachments", attachments.prefetch_related("document__tags")))
    if instructions and prefetches:
        prefetch_related_objects(instructions, *prefetches)
    if "service" in selection:
        deliver_together({i.service_id: i.service for i in instructions}.values())


def load_services(info, pks, selection=None):
    """The services with these ids, in this order, with what the query selects of them
    fetched for all of them at once (``selection``: cms.delivery_schema.Selection of a
    service; by default what is selected below the field being resolved).

    Every field of a listed service then costs the same number of queries for 10
    services as for 100.
    """
    selection = selection if selection is not None else Selection.of(info)
    visibility = for_request(info.context)
    pages = ServicePage.objects.filter(pk__in=pks).prefetch_related(
        *_prefetches(SERVICE_RELATIONS, selection)
    )
    by_pk = {page.pk: page for page in pages}
    items = deliver_together(by_pk[pk] for pk in pks if pk in by_pk)
    if "organisation" in selection:
        _load_organisations(info, items, selection["organisation"], visibility)
    if "instructions" in selection:
        _load_instructions(info, items, selection["instructions"], visibility)
    if "availableLocales" in selection:
        localisation.remember_translations(info, items, visibility.pages())
    return items


def _load_organisations(info, items, selection, visibility):
    """The providers: the services' parent pages, the visible ones."""
    parents = {page.path[: -ServicePage.steplen] for page in items}
    organisations = OrganisationPage.objects.filter(visibility.page_filter(), path__in=parents)
    if "contacts" in selection:
        organisations = organisations.prefetch_related("contacts")
    by_path = {o.path: o for o in deliver_together(organisations)}
    for page in items:
        page._organisation = by_path.get(page.path[: -ServicePage.steplen])
    if "availableLocales" in selection:
        localisation.remember_translations(info, by_path.values(), visibility.pages())


def _load_instructions(info, items, selection, visibility):
    """Each service's visible process instructions, in its locale where translated."""
    instructions = (
        apps.get_model("guides", "ProcessInstructionPage")
        .objects.filter(
            visibility.page_filter(),
            service__translation_key__in={page.translation_key for page in items},
        )
        .annotate(service_key=F("service__translation_key"))
        .order_by("title")
    )
    instructions = deliver_together(instructions)
    load_instruction_relations(instructions, selection)
    for page in items:
        page._instructions = localisation.served_list(
            [i for i in instructions if i.service_key == page.translation_key], page.locale_id
        )
    if "availableLocales" in selection:
        localisation.remember_translations(info, instructions, visibility.pages())


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
    default = localisation.default_locale()
    terms = model.objects.filter(locale__in=[locale, default]).select_related(*related)
    chosen = {}
    for term in terms:
        if term.locale_id == locale.pk or term.translation_key not in chosen:
            chosen[term.translation_key] = term
    ordering = model._meta.ordering
    default_terms = model.objects.filter(locale=default).order_by(*ordering)
    return [chosen[key] for key in default_terms.values_list("translation_key", flat=True)]


def add_catalogue_query(query_mixins):
    """``register_schema_query`` hook."""
    query_mixins.append(CatalogueQuery)
