"""Export of marked services to the Finnish Service Catalogue (PTV), Open API v11.

- ``mapping``: one service → PTV's input body, with PTV's limits checked;
- ``client``: the HTTP client (bearer token, POST, PUT by sourceId, GET);
- ``run``: the export of every marked service and the outcome per service;
- ``preview``: the body and a field-by-field diff against PTV;
- ``figures()`` below: the plan's export figures for the KPI report;
- ``is_configured()`` below: whether runs may write, for the Integraatiot report.

``manage.py ptv_export [--dry-run]`` runs it; docs/integrations.md describes it.
"""

from dataclasses import dataclass

from django.conf import settings

from catalogue.models import ServicePage
from cms import localisation
from cms.visibility import Visibility
from integrations.models import PtvServiceExport


@dataclass(frozen=True)
class ExportFigures:
    exported: int  # services whose last export succeeded and that PTV knows by id
    never_exported: int  # live public services (Finnish) never successfully exported


def figures():
    """The PTV export figures: the plan's goal is at least 40 services exported to PTV."""
    ok = PtvServiceExport.objects.filter(outcome=PtvServiceExport.Outcome.OK).exclude(ptv_id="")
    public = ServicePage.objects.filter(Visibility(None).page_filter()).filter(
        locale=localisation.default_locale()
    )
    ever = PtvServiceExport.objects.exclude(ptv_id="").values("page_id")
    return ExportFigures(exported=ok.count(), never_exported=public.exclude(pk__in=ever).count())


def is_configured():
    """An API address and a bearer token, fixed or fetched: without them, dry runs only."""
    return bool(
        settings.PTV_EXPORT_API_URL and (settings.PTV_EXPORT_TOKEN or settings.PTV_EXPORT_TOKEN_URL)
    )
