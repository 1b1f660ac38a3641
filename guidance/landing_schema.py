"""GraphQL of the landing pages: ``areaLanding`` (regional) and ``audienceLanding`` (employers).

Plain graphene types, so exactly what is listed here is delivered. A landing
page that is not published (or that the caller may not see) is null;
``featuredServices`` holds only services the caller may see and that run
today, in the page's curated order (guidance.landing), each served in the
asked locale where translated, like any list of services. Rich text follows the
delivery rule for links (cms.delivered_links).
"""

import graphene
from django.core.exceptions import ValidationError
from graphql import GraphQLError
from grapple.registry import registry
from wagtail.rich_text import expand_db_html

from catalogue.models import EmploymentArea, ServicePage
from cms import localisation
from guidance import landing, personal
from search.schema import Audience


def _service_list():
    return graphene.List(graphene.NonNull(lambda: registry.pages[ServicePage]), required=True)


class LandingFields:
    """What every landing page says: its title, the locale it is served in, and the
    services it features."""

    title = graphene.String(required=True)
    locale = graphene.String(required=True, description="The locale the page is served in.")
    featured_services = _service_list()

    def resolve_locale(page, info):
        return localisation.locale_by_id(page.locale_id).language_code

    def resolve_featured_services(page, info):
        return landing.featured_services(info, page, page.asked_locale)


class AreaLanding(LandingFields, graphene.ObjectType):
    """Alueen etusivu: an employment area's highlights and featured services."""

    area = graphene.Field(lambda: registry.models[EmploymentArea], required=True)
    highlights = graphene.String(description="Rich text (HTML).")

    def resolve_area(page, info):
        return localisation.localized_terms(info, [page.employment_area], page.locale_id)[0]

    def resolve_highlights(page, info):
        return expand_db_html(page.highlights) if page.highlights else None


class AudienceCategoryType(graphene.ObjectType):
    """A service category of an audience's view: filter services with `slug`."""

    slug = graphene.String(required=True)
    name = graphene.String(required=True, description="The category's own name.")
    label = graphene.String(required=True, description="The audience's name for it.")
    description = graphene.String()

    class Meta:
        name = "AudienceCategory"

    def resolve_slug(item, info):
        return item.category.slug

    def resolve_name(item, info):
        return localisation.localized_terms(info, [item.category], item.locale_id)[0].name

    def resolve_label(item, info):
        return item.label or AudienceCategoryType.resolve_name(item, info)

    def resolve_description(item, info):
        return item.description or None


class AudienceLanding(LandingFields, graphene.ObjectType):
    """Asiakasryhmän etusivu, e.g. the employer view's: its own categories and services.

    `audience` is the key of the whole view: pass it to `services(filter:
    {audience})`, `siteSearch(audience:)` and the audience's questionnaire.
    """

    audience = graphene.Field(Audience, required=True)
    intro = graphene.String(description="Rich text (HTML).")
    categories = graphene.List(graphene.NonNull(AudienceCategoryType), required=True)

    def resolve_intro(page, info):
        return expand_db_html(page.intro) if page.intro else None

    def resolve_categories(page, info):
        return list(page.categories.select_related("category").order_by("sort_order"))


class LandingQuery:
    """``register_schema_query`` mixin (a plain class, as people.me.MeQuery explains)."""

    area_landing = graphene.Field(
        AreaLanding,
        area=graphene.String(required=True, description="Employment-area code, e.g. 091."),
        locale=graphene.String(),
        description="An employment area's landing page; null while it is not published.",
    )
    audience_landing = graphene.Field(
        AudienceLanding,
        audience=graphene.Argument(Audience, required=True),
        locale=graphene.String(),
        description="An audience's landing page (EMPLOYER: the employer view); null while "
        "it is not published.",
    )

    def resolve_area_landing(self, info, area, locale=None):
        wanted = localisation.requested_locale(locale)
        try:
            employment_area = personal.area_by_code(area)
        except ValidationError as error:
            raise GraphQLError(" ".join(error.messages)) from error
        return _asked(landing.area_landing(info, employment_area, wanted), wanted)

    def resolve_audience_landing(self, info, audience, locale=None):
        wanted = localisation.requested_locale(locale)
        page = landing.audience_landing(info, getattr(audience, "value", audience), wanted)
        return _asked(page, wanted)


def _asked(page, locale):
    """The page, remembering the locale asked for (its services are served in it)."""
    if page is not None:
        page.asked_locale = locale
    return page


def add_query(query_mixins):
    """``register_schema_query`` hook."""
    query_mixins.append(LandingQuery)
