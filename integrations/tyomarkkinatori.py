"""Links from a service to the same service in Työmarkkinatori (the national job market platform).

Producers record a service's identifiers in Työmarkkinatori's service
catalogue on the service page (``ServicePage.tyomarkkinatori_ids``, validated
there); this module turns them into addresses of Työmarkkinatori's online
service in the environment's base URL (``TYOMARKKINATORI_BASE_URL``) and
delivers them on the GraphQL service type as ``tyomarkkinatoriLinks``.

The public site serves Finnish at its root and Swedish and English under
``/sv`` and ``/en``; a link follows the language the service is served in.
"""

import graphene
from django.conf import settings
from grapple.registry import registry

from catalogue.models import ServicePage
from cms import localisation

# Where a service page lives below the language prefix (docs/integrations.md).
SERVICE_PATH = "palvelut/{id}"
LANGUAGE_PREFIXES = {"fi": "", "sv": "sv/", "en": "en/"}


def service_url(identifier, language="fi"):
    """The address of one Työmarkkinatori service, in a language of the site (else Finnish)."""
    base = settings.TYOMARKKINATORI_BASE_URL.rstrip("/")
    prefix = LANGUAGE_PREFIXES.get(language, "")
    return f"{base}/{prefix}{SERVICE_PATH.format(id=identifier)}"


def links(page, language):
    """(identifier, address) of each Työmarkkinatori service a service page names."""
    return [
        (identifier, service_url(identifier, language))
        for identifier in page.tyomarkkinatori_id_list
    ]


class TyomarkkinatoriLink(graphene.ObjectType):
    """The same service in Työmarkkinatori's service catalogue."""

    service_id = graphene.String(
        required=True, description="The service's identifier in Työmarkkinatori (a UUID)."
    )
    url = graphene.String(
        required=True,
        description="The service's page in Työmarkkinatori, in the service's served language.",
    )


def _resolve_links(page, info, **kwargs):
    language = localisation.locale_code(info, page.locale_id)
    return [TyomarkkinatoriLink(service_id=i, url=url) for i, url in links(page, language)]


def add_service_links(query_mixins):
    """``register_schema_query`` hook: grapple has built the service type by now; the
    field is added to it, as cms.delivery_schema adds ``downloadUrl`` to documents."""
    registry.pages[ServicePage]._meta.fields["tyomarkkinatori_links"] = graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(TyomarkkinatoriLink))),
        resolver=_resolve_links,
        description="The service in Työmarkkinatori: one link per identifier its producer gave.",
    )
