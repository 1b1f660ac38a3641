"""The ``translationStatus`` root field: how far each locale's translations are behind.

For signed-in editors who follow translations (administrators, producers and
translators, translations.status.may_follow_translations); anyone else gets
an error. The rows and their statuses are translations.status'.
"""

import graphene
from django.utils.translation import gettext
from graphql import GraphQLError

from cms import localisation
from translations import status as statuses


class TranslationState(graphene.Enum):
    """The state of one service's translation (docs/translations.md)."""

    MISSING = statuses.MISSING
    OUT_OF_DATE = statuses.OUT_OF_DATE
    DRAFT = statuses.DRAFT
    UP_TO_DATE = statuses.UP_TO_DATE


class TranslationStatusItem(graphene.ObjectType):
    """One published Finnish service and its translation into the locale asked for."""

    key = graphene.String(required=True, description="Exchange key of the service.")
    title = graphene.String(required=True, description="The Finnish title.")
    translated_title = graphene.String(description="Title of the translation, if any.")
    status = graphene.Field(TranslationState, required=True)
    source_published_at = graphene.DateTime(description="When the Finnish service was published.")
    synced_at = graphene.DateTime(
        description="When the Finnish content the translation was built from was taken."
    )


class TranslationStatus(graphene.ObjectType):
    """Counts over every published Finnish service, and a window of the items."""

    locale = graphene.String(required=True)
    total = graphene.Int(required=True, description="Published Finnish services.")
    translated = graphene.Int(required=True, description="Translations that are up to date.")
    draft = graphene.Int(
        required=True, description="Translations whose latest version is not live yet."
    )
    out_of_date = graphene.Int(
        required=True, description="Translations built from older Finnish content."
    )
    missing = graphene.Int(required=True, description="Services with no translation.")
    items = graphene.List(
        graphene.NonNull(TranslationStatusItem),
        required=True,
        description="Services in the states asked for, by Finnish title: limit from offset.",
    )


class TranslationStatusQuery:
    """``register_schema_query`` mixin (a plain class, as people.me.MeQuery explains)."""

    translation_status = graphene.Field(
        TranslationStatus,
        locale=graphene.String(required=True),
        status=graphene.List(
            graphene.NonNull(TranslationState), description="Only items in these states."
        ),
        limit=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        description="Translation status of the services into a locale (editors only).",
    )

    def resolve_translation_status(self, info, locale, status=None, limit=20, offset=0):
        if not statuses.may_follow_translations(getattr(info.context, "user", None)):
            raise GraphQLError(
                gettext("translationStatus is for administrators, producers and translators.")
            )
        wanted = localisation.requested_locale(locale)
        if wanted == wanted.get_default():
            raise GraphQLError(
                gettext("'%(locale)s' is the source language; ask for a translation.")
                % {"locale": locale}
            )
        rows = statuses.translation_status(wanted)
        counts = statuses.count_statuses(rows)
        if status:
            states = {getattr(state, "value", state) for state in status}
            rows = [row for row in rows if row.status in states]
        return TranslationStatus(
            locale=wanted.language_code,
            total=counts["total"],
            translated=counts[statuses.UP_TO_DATE],
            draft=counts[statuses.DRAFT],
            out_of_date=counts[statuses.OUT_OF_DATE],
            missing=counts[statuses.MISSING],
            items=[
                TranslationStatusItem(
                    key=row.key,
                    title=row.title,
                    translated_title=row.translated_title,
                    status=row.status,
                    source_published_at=row.source_published_at,
                    synced_at=row.synced_at,
                )
                for row in rows[offset : offset + limit]
            ],
        )


def add_translation_status_query(query_mixins):
    """``register_schema_query`` hook."""
    query_mixins.append(TranslationStatusQuery)
