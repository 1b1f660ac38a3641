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
from functools import partial

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page
from wagtail.signals import page_unpublished, post_page_move
from wagtail_localize.models import Translation

from catalogue.models import OrganisationPage

logger = logging.getLogger(__name__)
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
                move_page(translation, translated)


def move_page(page, parent):
    """Move a page to the end of ``parent``'s children, renaming its slug if taken there."""
    slug = find_available_slug(parent, page.slug, ignore_page_id=page.pk)
    if slug != page.slug:
        # The slug must be free under the new parent before treebeard moves the row.
        type(page).objects.filter(pk=page.pk).update(slug=slug)
    MovePageAction(page, parent, pos="last-child").execute(skip_permission_checks=True)
    return type(page).objects.get(pk=page.pk)


def translated_parent(parent, locale):
    """The parent's page in ``locale``, created if missing (see the module docstring)."""
    existing = parent.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    if isinstance(parent, OrganisationPage):
        translated = parent.copy_for_translation(locale, copy_parents=True)
        # Asked of the database: a caller's instance may predate its own publication.
        if Page.objects.filter(pk=parent.pk, live=True).exists():
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
