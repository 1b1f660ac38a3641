"""Integration health: each interface, whether it is configured, and how its runs went.

Read by the "Integraatiot" report. An interface is a row of ``INTERFACES``;
the PTV export (built apart, with its own run model) adds its row here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from integrations import ptv_sync, servicemap_sync
from integrations.models import IntegrationRun

RECENT_RUNS = 10


@dataclass
class InterfaceHealth:
    name: str
    command: str
    configured: bool
    last_run: IntegrationRun | None
    last_success: IntegrationRun | None
    recent_runs: list

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
        # PTV export (services to PTV, integrations.PtvExport…): its row joins here.
    ]
