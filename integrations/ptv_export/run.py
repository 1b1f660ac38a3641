"""Exporting the marked services: new ones POSTed, changed ones PUT by sourceId, the rest left.

Each service's outcome is recorded on its PtvServiceExport record (PTV's id,
ok / rejected / failed, PTV's message); the pages themselves are only read,
so a refusal or a failure loses nothing, and the next run tries again.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from integrations.models import PtvServiceExport
from integrations.ptv_export.client import PtvClient, PtvError
from integrations.ptv_export.mapping import MappingError, build_payload

# PTV's answer when a POST names a sourceId it already has (CoreMessages.ExternalSourceExists):
# an earlier create went through but its answer never reached us.
SOURCE_EXISTS = "already exists. Please use update endpoint"


class Action:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    NOT_PUBLIC = "not public"  # no live public version: nothing to send
    INVALID = "invalid"  # the mapping refused it; nothing sent
    REJECTED = "rejected"  # PTV refused it
    FAILED = "failed"  # PTV failed or could not be reached
    WOULD_CREATE = "would create"  # --dry-run
    WOULD_UPDATE = "would update"


@dataclass
class Result:
    record: PtvServiceExport
    action: str
    message: str = ""
    payload: dict = field(default=None, repr=False)

    @property
    def problem(self):
        return self.action in (Action.INVALID, Action.REJECTED, Action.FAILED)


def export(dry_run=False, client=None, records=None):
    """Export every enabled record (or the given ones); returns a Result per service."""
    client = client or PtvClient()
    if records is None:
        records = PtvServiceExport.objects.filter(enabled=True)
    records = records.select_related("page").order_by("page__title", "pk")
    return [export_one(record, client, dry_run) for record in records]


def export_one(record, client, dry_run=False):
    try:
        payload = build_payload(record)
    except MappingError as error:
        if not dry_run:
            _record(record, PtvServiceExport.Outcome.REJECTED, f"Not sent: {error}")
        return Result(record, Action.INVALID, str(error))
    if payload is None:
        return Result(record, Action.NOT_PUBLIC, "no live, public version")
    if record.ptv_id and payload == record.sent_payload:
        return Result(record, Action.UNCHANGED, payload=payload)
    if dry_run:
        action = Action.WOULD_UPDATE if record.ptv_id else Action.WOULD_CREATE
        return Result(record, action, payload=payload)
    try:
        answer, action = _send(record, payload, client)
    except PtvError as error:
        rejected = error.rejected
        outcome = PtvServiceExport.Outcome.REJECTED if rejected else PtvServiceExport.Outcome.FAILED
        _record(record, outcome, error.message)
        return Result(
            record, Action.REJECTED if rejected else Action.FAILED, error.message, payload
        )
    record.ptv_id = str(answer.get("id") or record.ptv_id)
    record.sent_payload = payload
    record.exported_at = timezone.now()
    _record(record, PtvServiceExport.Outcome.OK, "")
    return Result(record, action, payload=payload)


def _send(record, payload, client):
    if record.ptv_id:
        return client.update_service(record.source_id, payload), Action.UPDATED
    try:
        return client.create_service(payload), Action.CREATED
    except PtvError as error:
        if error.status == 400 and SOURCE_EXISTS in error.message:
            return client.update_service(record.source_id, payload), Action.UPDATED
        raise


def _record(record, outcome, message):
    record.outcome = outcome
    record.message = message
    record.attempted_at = timezone.now()
    record.save(
        update_fields=[
            "outcome",
            "message",
            "attempted_at",
            "ptv_id",
            "sent_payload",
            "exported_at",
        ]
    )
