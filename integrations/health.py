"""Integration health: each interface, whether it is configured, and how its runs went.

Read by the "Integraatiot" report, one section per interface. The fetches log
each run as an ``IntegrationRun``; the PTV export keeps its outcome per service
(``PtvServiceExport``), so its section sums those records instead. Each kind of
health names the template that shows it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from integrations import ptv_export, ptv_sync, servicemap_sync
from integrations.models import IntegrationRun, PtvServiceExport

RECENT_RUNS = 10
RECENT_ERRORS = 10


@dataclass
class InterfaceHealth:
    name: str
    command: str
    configured: bool
    last_run: IntegrationRun | None
    last_success: IntegrationRun | None
    recent_runs: list
    template = "integrations/includes/run_health.html"

    @property
    def failing(self):
        return self.last_run is not None and self.last_run.status == IntegrationRun.Status.FAILED


def _run_health(name, command, interface, configured):
    runs = list(IntegrationRun.objects.filter(interface=interface)[:RECENT_RUNS])
    return InterfaceHealth(
        name=name,
        command=command,
        configured=configured,
        last_run=runs[0] if runs else None,
        last_success=IntegrationRun.last_success(interface),
        recent_runs=runs,
    )


def interfaces():
    """The health of every interface, in the report's order."""
    return [
        _run_health(
            _("PTV-haku (toimipisteet PTV:stä)"),
            "ptv_sync",
            IntegrationRun.Interface.PTV_FETCH,
            ptv_sync.is_configured(),
        ),
        _run_health(
            _("Palvelukartta (toimipisteet karttalähteestä)"),
            "servicemap_sync",
            IntegrationRun.Interface.SERVICEMAP,
            servicemap_sync.is_configured(),
        ),
        _ptv_export_health(),
    ]


@dataclass
class ExportHealth:
    """PTV-vienti: the services marked for export and how each one's last attempt went."""

    name: str
    command: str
    configured: bool
    marked: int  # enabled records
    ok: int
    rejected: int
    failed: int
    last_attempt: datetime | None  # None before the first run
    last_export: datetime | None  # the latest successful export
    errors: list  # marked records whose last attempt was refused or failed, latest first
    template = "integrations/includes/export_health.html"

    @property
    def failing(self):
        return bool(self.rejected or self.failed)


def _ptv_export_health():
    Outcome = PtvServiceExport.Outcome
    marked = PtvServiceExport.objects.filter(enabled=True)
    summary = marked.aggregate(
        marked=Count("pk"),
        ok=Count("pk", filter=Q(outcome=Outcome.OK)),
        rejected=Count("pk", filter=Q(outcome=Outcome.REJECTED)),
        failed=Count("pk", filter=Q(outcome=Outcome.FAILED)),
        last_attempt=Max("attempted_at"),
        last_export=Max("exported_at"),
    )
    errors = (
        marked.filter(outcome__in=[Outcome.REJECTED, Outcome.FAILED])
        .select_related("page")
        .order_by("-attempted_at", "page__title")[:RECENT_ERRORS]
    )
    return ExportHealth(
        name=_("PTV-vienti (palvelut PTV:hen)"),
        command="ptv_export",
        configured=ptv_export.is_configured(),
        errors=list(errors),
        **summary,
    )
