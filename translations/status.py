"""How far behind each translation is: the rows of the status report and ``translationStatus``.

The states (missing, out of date, draft, up to date) are defined in
docs/translations.md.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max
from django.utils.translation import gettext_lazy
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationLog, TranslationSource

from catalogue.models import HomePage, ServiceCatalogueIndexPage, ServicePage

MISSING, OUT_OF_DATE, DRAFT, UP_TO_DATE = "missing", "out_of_date", "draft", "up_to_date"
STATUSES = (MISSING, OUT_OF_DATE, DRAFT, UP_TO_DATE)
STATUS_LABELS = {
    MISSING: gettext_lazy("Puuttuu"),
    OUT_OF_DATE: gettext_lazy("Vanhentunut"),
    DRAFT: gettext_lazy("Luonnos"),
    UP_TO_DATE: gettext_lazy("Ajan tasalla"),
}


@dataclass
class TranslationStatusRow:
    """One Finnish service and its translation into one locale."""

    source: Page
    locale: Locale
    translation: Page | None
    status: str
    synced_at: datetime | None  # when the translation last took in the Finnish content
    snapshot: TranslationSource | None = None  # wagtail-localize's copy of the Finnish page

    @property
    def key(self):
        return self.source.key

    @property
    def title(self):
        return self.source.title

    @property
    def translated_title(self):
        return self.translation.draft_title if self.translation else None

    @property
    def source_published_at(self):
        return self.source.last_published_at

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def locale_name(self):
        return self.locale.get_display_name()


def translation_status(locale):
    """Every live Finnish service with the state of its translation into ``locale``.

    A translation is *missing* when there is no page (an alias is not a
    translation); *out of date* when the Finnish service was published after
    the content the translation was last built from; otherwise a *draft* when
    its latest version is not live (never published, unpublished, or an update
    awaiting publication); otherwise *up to date*. The content a translation was
    built from: for a synced wagtail-localize translation, its source snapshot
    (``TranslationSource.last_updated_at``), provided the page has been written
    from that snapshot since (a ``TranslationLog``); for any other translation
    (exchange import, Wagtail's editor), its latest revision.
    """
    default = Locale.get_default()
    sources = list(
        ServicePage.objects.filter(locale=default, live=True, alias_of__isnull=True).order_by(
            "title", "pk"
        )
    )
    keys = [source.translation_key for source in sources]
    translations = {
        page.translation_key: page
        for page in ServicePage.objects.filter(
            locale=locale, translation_key__in=keys, alias_of__isnull=True
        )
    }
    synced = {
        translation.source.object_id: translation.source
        for translation in Translation.objects.filter(
            enabled=True,
            target_locale=locale,
            source__locale=default,
            source__object_id__in=keys,
        ).select_related("source")
    }
    last_written = dict(
        TranslationLog.objects.filter(
            locale=locale, source__in=[source.pk for source in synced.values()]
        )
        .values("source")
        .annotate(at=Max("created_at"))
        .values_list("source", "at")
    )
    rows = []
    for source in sources:
        translation = translations.get(source.translation_key)
        snapshot = synced.get(source.translation_key)
        if translation is None:
            status, synced_at = MISSING, None
        else:
            if snapshot is not None:
                written = last_written.get(snapshot.pk)
                current = written is not None and written >= snapshot.last_updated_at
                synced_at = snapshot.last_updated_at if current else None
            else:
                synced_at = translation.latest_revision_created_at
            if synced_at is None or (
                source.last_published_at and source.last_published_at > synced_at
            ):
                status = OUT_OF_DATE
            elif not translation.live or translation.has_unpublished_changes:
                status = DRAFT
            else:
                status = UP_TO_DATE
        rows.append(TranslationStatusRow(source, locale, translation, status, synced_at, snapshot))
    return rows


def count_statuses(rows):
    """{"total": n, "missing": n, "out_of_date": n, "draft": n, "up_to_date": n}."""
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row.status] += 1
    return {"total": len(rows), **counts}


def translation_locales():
    """The locales translations are made into: every locale but the default, in creation order."""
    return Locale.objects.exclude(pk=Locale.get_default().pk).order_by("pk")


def may_follow_translations(user):
    """Whether a user sees translation status: administrators, producers and translators.

    Read from Wagtail's page permissions: the right to edit the Finnish
    catalogue as a whole (administrators, producers) or a translated home
    (translators). Provider editors' rights end at their organisation.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    default = Locale.get_default()
    catalogue = ServiceCatalogueIndexPage.objects.filter(locale=default).first()
    if catalogue is not None and catalogue.permissions_for_user(user).can_edit():
        return True
    return any(
        home.permissions_for_user(user).can_edit()
        for home in HomePage.objects.exclude(locale=default)
    )
