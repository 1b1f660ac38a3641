"""Translation drafts and moderation: a translation reaches the site through review.

Translators have no publish right; a synced translation is saved as a draft
without touching the live version and submitted to the workflow on the
translated homes, which the administrators approve (translations.sync has
the rules that keep translations following their source).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, WorkflowState
from wagtail_localize.models import Translation, TranslationLog

from translations.sync import translated_parent


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
