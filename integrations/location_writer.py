"""Writing an interface's values into service locations, the way an editor's change is written.

Shared by ``ptv_sync`` and ``servicemap_sync``. For every service page (each
language version on its own) that has a location linked to the interface:

- **Provenance**: a field the interface gives a value for becomes the
  interface's (``source_fields``) and read-only in the admin; ``synced_at`` is
  when the interface last changed the location. A field the interface stops
  giving is cleared if it was the interface's (nothing of an editor's is lost)
  and handed back to the editors.
- **Precedence**: PTV wins over the map source where both give a field; the
  map source fills what PTV leaves empty.
- **Bad values** (too long, not an e-mail address, not a web address) are
  refused one field at a time with a message naming the page, location and
  field; the location keeps what it had.
- **Revisions**: nothing changes, nothing is written (no revision). A change
  is a new revision attributed to the interface's user. A live page is
  published again; a page that is not live gets a draft only. A live page
  with an editor's unpublished draft gets both: the live version with the new
  values is published, and the draft is saved again on top with the same
  values, so it stays the latest revision, unpublished and complete.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalogue.location_sources import LINK_FIELDS, MAINTAINABLE_FIELDS
from catalogue.models import ServicePage

# Higher wins where two sources give the same field.
PRECEDENCE = {"ptv": 2, "servicemap": 1}
EMPTY = {"latitude": None, "longitude": None, "opening_hours": []}


@dataclass
class WriteResult:
    updated_pages: int = 0
    unchanged_pages: int = 0
    updated_locations: int = 0
    refused: list = field(default_factory=list)


def integration_user(username):
    """The user revisions of an interface are attributed to (cannot sign in)."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": username, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _still_linked(location, source):
    return bool(getattr(location, LINK_FIELDS[source], ""))


def merge(location, source, values, refuse):
    """Put one source's ``values`` on a location; returns whether anything changed."""
    owners = dict(location.source_fields or {})
    changed = False
    for name, value in values.items():
        if name not in MAINTAINABLE_FIELDS:
            continue
        owner = owners.get(name)
        if (
            owner not in (None, source)
            and owner in PRECEDENCE
            and _still_linked(location, owner)
            and PRECEDENCE[owner] > PRECEDENCE[source]
        ):
            continue
        if value in (None, "", []):
            if owner == source:
                empty = EMPTY.get(name, "")
                if getattr(location, name) != empty:
                    setattr(location, name, empty)
                del owners[name]
                changed = True
            continue
        try:
            value = location._meta.get_field(name).clean(value, location)
        except ValidationError as error:
            refuse(name, " ".join(error.messages))
            continue
        if getattr(location, name) != value:
            setattr(location, name, value)
            changed = True
        if owner != source:
            owners[name] = source
            changed = True
    if changed:
        location.source_fields = owners
        location.synced_at = timezone.now()
    return changed


def _apply(page, source, values_for, refusals):
    """Merge into each linked location of one version of a page; returns locations changed."""
    link_field = LINK_FIELDS[source]
    language = page.locale.language_code
    changed = 0
    # Held in memory (modelcluster), so that the changes reach save_revision: a page
    # read from the database would otherwise query fresh copies at every access.
    page.locations = locations = list(page.locations.all())
    for location in locations:
        link = getattr(location, link_field)
        found = values_for(link, language) if link else None
        if found is None:
            continue
        values, errors = found
        label = f"{page.title} / {location.name or link} ({source} {link})"
        for error in errors:
            refusals.add(f"{label}: {error}")

        def refuse(name, message, label=label):
            refusals.add(f"{label}: {name}: {message}")

        changed += merge(location, source, values, refuse)
    return changed


def _live_version(page):
    return page.live_revision.as_object() if page.live_revision_id else page


def write_page(page, source, values_for, user, refusals):
    """Write one page version; returns the number of locations changed (0: nothing written)."""
    if not page.live:
        draft = page.get_latest_revision_as_object()
        changed = _apply(draft, source, values_for, refusals)
        if changed:
            draft.save_revision(user=user, log_action=True)
        return changed
    if not page.has_unpublished_changes:
        live = _live_version(page)
        changed = _apply(live, source, values_for, refusals)
        if changed:
            live.save_revision(user=user, log_action=True).publish(
                user=user, skip_permission_checks=True
            )
        return changed
    # A live page with an editor's draft: publish the live version only, keep the draft on top.
    draft = page.get_latest_revision_as_object()
    live = _live_version(page)
    live_changed = _apply(live, source, values_for, refusals)
    draft_changed = _apply(draft, source, values_for, set())
    if live_changed:
        live.save_revision(user=user, log_action=True).publish(
            user=user, skip_permission_checks=True
        )
    if live_changed or draft_changed:
        draft.save_revision(user=user, log_action=True)
    return max(live_changed, draft_changed)


def write(source, links, values_for, user):
    """Write the values of every page version with a location linked to one of ``links``.

    ``values_for(link, language)`` returns ``(values, errors)`` or ``None`` for a
    link the run has nothing for.
    """
    result = WriteResult()
    refusals = set()
    pages = (
        ServicePage.objects.filter(**{f"locations__{LINK_FIELDS[source]}__in": list(links)})
        .distinct()
        .select_related("locale")
        .order_by("locale_id", "path")
    )
    for page in pages:
        try:
            with transaction.atomic():
                changed = write_page(page, source, values_for, user, refusals)
        except ValidationError as error:
            refusals.add(f"{page.title} ({page.locale.language_code}): {' '.join(error.messages)}")
            continue
        if changed:
            result.updated_pages += 1
            result.updated_locations += changed
        else:
            result.unchanged_pages += 1
    result.refused = sorted(refusals)
    return result
