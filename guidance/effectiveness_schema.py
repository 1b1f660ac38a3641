"""``effectivenessFigures`` on the GraphQL service type.

Figures belong to the service across its translations, so every language
version of a service lists the same figures, with the measure's label in the
language the service is served in. A list of services fetches the figures of
all of them with one query (cms.delivery_schema.batched). The service itself
is already subject to the visibility rule: a caller who may not see a
service never reaches its figures.
"""

import copy

import graphene
from django.utils import translation
from grapple.registry import registry

from catalogue.models import ServicePage
from cms import localisation
from cms.delivery_schema import batched
from guidance.effectiveness import figures_by_service_key
from guidance.models import Measure, Unit

MEASURE_ORDER = {measure: position for position, measure in enumerate(Measure.values)}


class EffectivenessFigureType(graphene.ObjectType):
    """Vaikuttavuusluku: one measured figure of a service over one period."""

    measure = graphene.String(
        required=True,
        description="What is measured: " + ", ".join(Measure.values) + ".",
    )
    label = graphene.String(
        required=True, description="The measure's name in the language the service is served in."
    )
    value = graphene.Float(required=True)
    unit = graphene.String(
        required=True, description="The value's unit: " + ", ".join(Unit.values) + "."
    )
    source = graphene.String(
        required=True, description="Who measured it, from what data (may be empty)."
    )
    date = graphene.String(description="When the figure was published or computed (YYYY-MM-DD).")
    period_start = graphene.String(required=True, description="First day of the period measured.")
    period_end = graphene.String(required=True, description="Last day of the period measured.")

    class Meta:
        name = "EffectivenessFigure"

    def resolve_label(figure, info):
        with translation.override(figure.served_language):
            return str(Measure(figure.measure).label)

    def resolve_date(figure, info):
        return figure.date.isoformat() if figure.date else None

    def resolve_period_start(figure, info):
        return figure.period_start.isoformat()

    def resolve_period_end(figure, info):
        return figure.period_end.isoformat()


def _figures(pages, visibility):
    found = figures_by_service_key({page.key for page in pages})
    result = {}
    for page in pages:
        figures = sorted(
            found.get(page.key, []),
            key=lambda figure: (
                MEASURE_ORDER.get(figure.measure, 0),
                -figure.period_end.toordinal(),
            ),
        )
        language = localisation.locale_by_id(page.locale_id).language_code
        # Two language versions of a service in one list share the figures: each gets copies.
        result[page.pk] = [copy.copy(figure) for figure in figures]
        for figure in result[page.pk]:
            figure.served_language = language
    return result


def _resolve_figures(page, info, **kwargs):
    return batched(page, info, "effectiveness_figures", _figures, [])


def add_service_fields(query_mixins):
    """``register_schema_query`` hook: grapple has built the service type by now; the field
    is added to it, as integrations.tyomarkkinatori adds ``tyomarkkinatoriLinks``."""
    registry.pages[ServicePage]._meta.fields["effectiveness_figures"] = graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(EffectivenessFigureType))),
        resolver=_resolve_figures,
        description="Measured effectiveness: the service's figures by measure, latest period "
        "first (the same in every language of the service).",
    )
