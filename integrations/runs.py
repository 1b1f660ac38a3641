"""Running an interface and logging the run (``IntegrationRun``), whatever happens."""

import logging
from contextlib import contextmanager

from django.utils import timezone

from integrations.http_json import ExternalServiceError
from integrations.models import IntegrationRun

logger = logging.getLogger(__name__)


@contextmanager
def logged_run(interface, *, full=False, since=None):
    """Yield a saved, running ``IntegrationRun``; finish it as ok, partial or failed.

    An ``ExternalServiceError`` marks the run failed with its message and is not
    raised further: the next scheduled run tries again. Anything else is
    recorded too, then raised.
    """
    run = IntegrationRun.objects.create(
        interface=interface, started_at=timezone.now(), full=full, since=since
    )
    try:
        yield run
    except ExternalServiceError as error:
        _finish(run, IntegrationRun.Status.FAILED, str(error))
        logger.warning("%s failed: %s", interface, error)
        return
    except Exception as error:
        _finish(run, IntegrationRun.Status.FAILED, f"{error.__class__.__name__}: {error}")
        raise
    refused = run.counts.get("refused", 0)
    status = IntegrationRun.Status.PARTIAL if refused else IntegrationRun.Status.OK
    _finish(run, status, run.message)


def _finish(run, status, message):
    run.status = status
    run.message = message
    run.finished_at = timezone.now()
    run.save()
