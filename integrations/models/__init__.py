"""Integration models: what the manual exchanges with national systems."""

from integrations.models.integration_run import IntegrationRun
from integrations.models.ptv_export import PtvServiceExport

__all__ = ["IntegrationRun", "PtvServiceExport"]
