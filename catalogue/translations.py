"""Translations of the catalogue: how they follow their Finnish source, and how far behind they are.

Finnish is the source language; a Swedish, English (or further) page is a
wagtail-localize translation of a Finnish page (same ``translation_key``) and
lives in its locale's tree, which mirrors the Finnish one. wagtail-localize
leaves several things to the site; this module decides them, for every path
that changes pages (admin, workflow, scheduled publishing, import, commands),
because the rules hang on Wagtail's own signals:

- **Unpublishing** a Finnish page unpublishes its live translations (a
  scheduled expiry expires them too). Publishing the Finnish page again does
  not republish them: a translation goes live only when it is published or
  approved in its own locale.
- **Deleting** a Finnish page deletes its translations (and aliases): a
  translation without its source has nothing to be a translation of, and
  wagtail-localize drops its translation memory with the source anyway.
- **Moving** a Finnish page moves its translations under the translations of
  the new parent, so the translated trees keep mirroring the Finnish one.
- **A parent missing in a locale** (when a page is translated or moved) is
  created first: an organisation as a real translation (its groups are
  one-to-one with the Finnish page, so it cannot be the alias
  wagtail-localize would make), published under its Finnish name when the
  Finnish one is live, as the exchange import does; any other page as an
  alias.
- **Saving a translation as a draft** never touches the live version:
  wagtail-localize's ``save_target(publish=False)`` rewrites the page row,
  which for a live page is what the API serves, so a live translation gets a
  new revision only (``save_translation_draft``).
- **Moderation**: translators have no publish right; a translation reaches the
  site through the workflow on the translated homes
  (``submit_translation_for_review``), approved by the administrators.

The status of a translation (``translation_status``) is defined in
docs/translations.md; the same rows feed the admin report and the
``translationStatus`` GraphQL field.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from django.utils.text import slugify
from django.utils.translation import gettext_lazy
from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, WorkflowPage, WorkflowState
from wagtail.signals import page_unpublished, post_page_move
from wagtail_localize.models import Translation, TranslationLog, TranslationSource

from catalogue.models import HomePage, OrganisationPage, ServiceCatalogueIndexPage, ServicePage

logger = logging.getLogger(__name__)


def _is_source(page):
    """Whether a page is a Finnish original its translations follow (aliases follow Wagtail)."""
    return page.locale_id == Locale.get_default().pk and not page.alias_of_id


def _translations_of(page, **filters):
    """The page's translations and aliases in the other locales, as specific pages."""
    return (
        Page.objects.filter(translation_key=page.translation_key, **filters)
        .exclude(locale_id=page.locale_id)
        .specific()
    )


# --- Following the source -------------------------------------------------------


def unpublish_translations(sender, instance, **kwargs):
    """``page_unpublished``: take a Finnish page's live translations off the site with it."""
    if not _is_source(instance):
        return
    for translation in _translations_of(instance, live=True):
        UnpublishPageAction(translation, set_expired=instance.expired).execute(
            skip_permission_checks=True
        )
        logger.info("Unpublished translation %s with its source %s", translation.pk, instance.pk)


def delete_translations(sender, instance, **kwargs):
    """``post_delete`` of a page row: delete a Finnish page's translations with it."""
    if not _is_source(instance):
        return
    for translation in _translations_of(instance):
        DeletePageAction(translation).execute(skip_permission_checks=True)
        logger.info("Deleted translation %s with its source %s", translation.pk, instance.pk)


def move_translations(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """``post_page_move``: move a Finnish page's translations under the new parent's ones.

    Done once the move is committed, from the page's position then: a caller
    that moves the translations itself in the same transaction (the exchange
    import) has nothing left to do, and a move that is rolled back moves none.
    """
    if not _is_source(instance) or parent_page_before.pk == parent_page_after.pk:
        return
    transaction.on_commit(partial(follow_source_position, instance.pk))


def follow_source_position(page_id):
    """Put each translation of the page under the translation of the page's parent."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    parent = page.get_parent().specific
    if parent.locale_id != page.locale_id:
        logger.warning("Page %s is outside its locale's tree; translations stay", page.pk)
        return
    with transaction.atomic():
        for translation in _translations_of(page):
            translated = translated_parent(parent, translation.locale)
            if translation.path[: -Page.steplen] != translated.path:
                _move(translation, translated)


def _move(page, parent):
    slug = find_available_slug(parent, page.slug, ignore_page_id=page.pk)
    if slug != page.slug:
        # The slug must be free under the new parent before treebeard moves the row.
        type(page).objects.filter(pk=page.pk).update(slug=slug)
    MovePageAction(page, parent, pos="last-child").execute(skip_permission_checks=True)


def translated_parent(parent, locale):
    """The parent's page in ``locale``, created if missing (see the module docstring)."""
    existing = parent.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    if isinstance(parent, OrganisationPage):
        translated = parent.copy_for_translation(locale, copy_parents=True)
        if parent.live:
            translated.save_revision().publish()
        return translated
    return parent.copy_for_translation(locale, copy_parents=True, alias=True)


def prepare_translated_parent(sender, instance, **kwargs):
    """``post_save`` of a wagtail-localize Translation: give its page a parent by our rule.

    wagtail-localize saves the Translation before it writes the translated
    page, and would make a missing parent an alias, which an organisation
    cannot be; so the parent is made here first ("Translate" in the admin,
    and every other path that creates Translations).
    """
    try:
        source = instance.source.get_source_instance()
    except ObjectDoesNotExist:
        return
    if isinstance(source, Page) and source.depth > 2:
        translated_parent(source.get_parent().specific, instance.target_locale)


def connect_signals():
    """Called from CatalogueConfig.ready()."""
    page_unpublished.connect(
        unpublish_translations, dispatch_uid="catalogue.unpublish_translations"
    )
    # Every deleted page row arrives here once with sender=Page (specific rows
    # send their own post_delete too, which the rule does not need).
    post_delete.connect(
        delete_translations, sender=Page, dispatch_uid="catalogue.delete_translations"
    )
    post_page_move.connect(move_translations, dispatch_uid="catalogue.move_translations")
    post_save.connect(
        prepare_translated_parent,
        sender=Translation,
        dispatch_uid="catalogue.prepare_translated_parent",
    )


# --- Drafts and moderation ------------------------------------------------------


def synced_translation(page):
    """wagtail-localize's enabled Translation whose target is this page, or None."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "target_locale")
        .first()
    )


@transaction.atomic
def save_translation_draft(translation, user=None):
    """Write a Translation's current strings into a draft of its page and return the page.

    A page that is not live yet is written by wagtail-localize itself (creating
    it if needed, under the translated parent). A live page gets only a new
    revision built from the same strings, so its live version stays as it is
    until the draft is published or approved.
    """
    source_page = translation.source.get_source_instance()
    translated_parent(source_page.get_parent().specific, translation.target_locale)
    try:
        page = translation.get_target_instance()
    except ObjectDoesNotExist:
        page = None
    if page is None or not page.live or page.alias_of_id:
        translation.save_target(user=user, publish=False)
        return translation.get_target_instance()
    draft = translation.source.get_ephemeral_translated_instance(
        translation.target_locale, fallback=True
    )
    draft.slug = find_available_slug(
        draft.get_parent(), slugify(draft.slug), ignore_page_id=draft.pk
    )
    revision = draft.save_revision(user=user)
    TranslationLog.objects.create(
        source=translation.source, locale=translation.target_locale, revision=revision
    )
    return draft


def can_submit_for_review(page, user):
    """Whether the user may send this translated page to its workflow now."""
    if page.locale_id == Locale.get_default().pk:
        return False
    permissions = page.permissions_for_user(user)
    if not permissions.can_edit():
        return False
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return True
    return permissions.can_submit_for_moderation()


@transaction.atomic
def submit_translation_for_review(page, user):
    """Save a synced translation's strings as a draft and send it to the page's workflow.

    wagtail-localize's translation editor only publishes, which translators may
    not do; this is their way to the administrators' approval. A page edited
    in Wagtail's own editor is submitted there instead.
    """
    translation = synced_translation(page)
    if translation is not None:
        page = save_translation_draft(translation, user)
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    else:
        page.get_workflow().start(page, user)
    return page


# --- Status -----------------------------------------------------------------------

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


# --- Content languages ------------------------------------------------------------


@transaction.atomic
def ensure_locales():
    """Give every configured content language a Locale, a home, translator rights and the workflow.

    Idempotent; returns what it changed. The homes and rights come from the site
    tree (catalogue.site_tree); until the tree exists (an empty database) only
    the Locales are created, and the tree gets the homes when it is built. The
    translators' review workflow is given to homes of languages added later.
    """
    from catalogue.site_tree import ensure_site_tree

    changes = []
    configured = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
    for code, name in configured.items():
        if Locale.objects.get_or_create(language_code=code)[1]:
            changes.append(f"created locale {code} ({name})")
    for code in Locale.objects.exclude(language_code__in=configured).values_list(
        "language_code", flat=True
    ):
        changes.append(f"warning: locale {code} is not in WAGTAIL_CONTENT_LANGUAGES")

    default = Locale.get_default()
    if not HomePage.objects.filter(locale=default).exists():
        return changes
    homes_before = set(HomePage.objects.values_list("pk", flat=True))
    ensure_site_tree()
    translated_homes = HomePage.objects.exclude(locale=default).select_related("locale")
    for home in translated_homes.exclude(pk__in=homes_before):
        changes.append(f"created home of {home.locale.language_code}")
    assigned = WorkflowPage.objects.filter(page__in=translated_homes).select_related("workflow")
    workflow = next((each.workflow for each in assigned), None)
    if workflow is not None:
        for home in translated_homes.exclude(pk__in=assigned.values("page")):
            WorkflowPage.objects.create(page=home, workflow=workflow)
            changes.append(f"workflow {workflow.name!r} on the home of {home.locale.language_code}")
    return changes
