"""Admin side of translations: the "Käännösten tila" report and sending a translation for review.

The report (under Reports) lists, per translation locale, the published
Finnish services whose translation is missing, out of date or not yet
published, with the counts of each state at the top; it is shown to the
users who follow translations (translations.status.may_follow_translations).

"Lähetä käännös tarkistettavaksi" is the translators' way from
wagtail-localize's translation editor, which can only publish, to the
administrators' approval: its GET asks for confirmation, its POST saves the
translated strings as a draft and starts the workflow of the translated tree.
wagtail-localize's "Sync translated pages" is served here too, so that its
"Publish immediately" cannot go past that workflow.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, DateColumn, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import Button
from wagtail.models import Locale, Page
from wagtail_localize.views.update_translations import UpdateTranslationsView

from translations.moderation import (
    can_submit_for_review,
    submit_translation_for_review,
    synced_translation,
)
from translations.status import (
    OUT_OF_DATE,
    STATUS_LABELS,
    STATUSES,
    UP_TO_DATE,
    count_statuses,
    may_follow_translations,
    translation_locales,
    translation_status,
)


class ServiceTitleColumn(ButtonsColumnMixin, TitleColumn):
    """The Finnish title, linked to the page the user can work on, with the row's actions."""

    def get_buttons(self, row, parent_context):
        return row.buttons


class TranslationStatusReportView(ReportView):
    """Käännösten tila: services whose translation needs work, per locale."""

    page_title = gettext_lazy("Käännösten tila")
    header_icon = "globe"
    index_url_name = "catalogue_translation_status"
    index_results_url_name = "catalogue_translation_status_results"
    results_template_name = "translations/admin/translation_status_results.html"
    columns = [
        ServiceTitleColumn("title", label=gettext_lazy("Palvelu"), get_url=lambda row: row.url),
        Column("locale_name", label=gettext_lazy("Kieli")),
        Column("status_label", label=gettext_lazy("Tila")),
        Column("translated_title", label=gettext_lazy("Käännöksen otsikko")),
        DateColumn("source_published_at", label=gettext_lazy("Julkaistu suomeksi")),
        DateColumn("synced_at", label=gettext_lazy("Käännöksen pohjana oleva versio")),
    ]
    list_export = [
        "key",
        "title",
        "locale.language_code",
        "status",
        "translated_title",
        "source_published_at",
        "synced_at",
    ]
    export_headings = {
        "key": gettext_lazy("Tunniste"),
        "title": gettext_lazy("Palvelu"),
        "locale.language_code": gettext_lazy("Kieli"),
        "status": gettext_lazy("Tila"),
        "translated_title": gettext_lazy("Käännöksen otsikko"),
        "source_published_at": gettext_lazy("Julkaistu suomeksi"),
        "synced_at": gettext_lazy("Käännöksen pohjana oleva versio"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_follow_translations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def rows_by_locale(self):
        return {locale: translation_status(locale) for locale in translation_locales()}

    @cached_property
    def chosen_locale(self):
        code = self.request.GET.get("locale")
        return next((loc for loc in self.rows_by_locale if loc.language_code == code), None)

    @cached_property
    def chosen_status(self):
        status = self.request.GET.get("status")
        return status if status in STATUSES else None

    def get_queryset(self):
        rows = [
            row
            for locale, rows in self.rows_by_locale.items()
            if self.chosen_locale in (None, locale)
            for row in rows
        ]
        if self.chosen_status:
            return [row for row in rows if row.status == self.chosen_status]
        # By default, only what needs work.
        return [row for row in rows if row.status != UP_TO_DATE]

    def decorate_paginated_queryset(self, rows):
        user = self.request.user
        may_translate = user.has_perm("wagtail_localize.submit_translation")
        for row in rows:
            row.url, row.buttons = None, []
            if may_translate and row.translation is None:
                row.buttons.append(
                    Button(
                        gettext("Käännä"),
                        reverse("wagtail_localize:submit_page_translation", args=[row.source.pk]),
                        icon_name="globe",
                    )
                )
            if may_translate and row.status == OUT_OF_DATE and row.snapshot is not None:
                row.buttons.append(
                    Button(
                        gettext("Synkronoi"),
                        reverse("wagtail_localize:update_translations", args=[row.snapshot.pk])
                        + "?"
                        + urlencode({"next": self.index_url}),
                        icon_name="rotate",
                    )
                )
            if row.translation is not None:
                if row.translation.permissions_for_user(user).can_edit():
                    row.url = reverse("wagtailadmin_pages:edit", args=[row.translation.pk])
                if can_submit_for_review(row.translation, user) and synced_translation(
                    row.translation
                ):
                    row.buttons.append(
                        Button(
                            gettext("Lähetä tarkistettavaksi"),
                            reverse("catalogue_submit_translation", args=[row.translation.pk])
                            + "?"
                            + urlencode({"next": self.index_url}),
                            icon_name="tasks",
                        )
                    )
            elif row.source.permissions_for_user(user).can_edit():
                # The source page's header offers wagtail-localize's "Translate".
                row.url = reverse("wagtailadmin_pages:edit", args=[row.source.pk])
        return rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        summaries = []
        for locale, rows in self.rows_by_locale.items():
            counts = count_statuses(rows)
            summaries.append(
                {
                    "locale": locale,
                    "total": counts["total"],
                    "counts": [(status, counts[status]) for status in STATUSES],
                }
            )
        context["summaries"] = summaries
        context["status_labels"] = [STATUS_LABELS[status] for status in STATUSES]
        context["chosen_status_label"] = STATUS_LABELS.get(self.chosen_status)
        return context


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return may_follow_translations(request.user)


def menu_item():
    """``register_reports_menu_item`` hook."""
    return TranslationStatusMenuItem(
        gettext_lazy("Käännösten tila"),
        reverse("catalogue_translation_status"),
        name="translation-status",
        icon_name="globe",
        order=1100,
    )


class SubmitTranslationView(WagtailAdminTemplateMixin, TemplateView):
    """Lähetä käännös tarkistettavaksi: GET asks for confirmation, POST submits."""

    http_method_names = ["get", "post"]
    template_name = "translations/admin/confirm_submit_translation.html"
    page_title = gettext_lazy("Lähetä käännös tarkistettavaksi")
    header_icon = "tasks"

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(
            Page.objects.exclude(locale=Locale.get_default()), pk=page_id
        ).specific
        # Pages edited in Wagtail's own editor are submitted from there.
        if synced_translation(self.page) is None:
            raise Http404
        if not can_submit_for_review(self.page, request.user):
            raise PermissionDenied
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_next_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(
            "wagtailadmin_explore", args=[self.page.get_parent().pk]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=self.page,
            workflow=self.page.get_workflow(),
            next_url=self.get_next_url(),
            **kwargs,
        )

    def post(self, request, page_id):
        page = submit_translation_for_review(self.page, request.user)
        messages.success(
            request,
            gettext("Käännös ”%(title)s” lähetetty tarkistettavaksi.")
            % {"title": page.get_admin_display_title()},
        )
        return redirect(self.get_next_url())


class SyncTranslationsView(UpdateTranslationsView):
    """wagtail-localize's "Sync translated pages"; "Publish immediately" needs the publish right.

    wagtail-localize lets anyone who may submit translations (translators)
    publish every synced translation from this form, past the workflow. Here
    the translations are then synced without publishing, as drafts to send for
    review. The URL is wagtail-localize's own (registered first, so it wins).
    """

    def form_valid(self, form):
        if form.cleaned_data.get("publish_translations") and not self._may_publish_all():
            form.cleaned_data["publish_translations"] = False
            messages.warning(
                self.request,
                gettext(
                    "Käännöksiä ei julkaistu, koska sinulla ei ole julkaisuoikeutta. "
                    "Lähetä ne tarkistettavaksi."
                ),
            )
        return super().form_valid(form)

    def _may_publish_all(self):
        for translation in self.object.translations.filter(enabled=True):
            try:
                target = translation.get_target_instance()
            except ObjectDoesNotExist:
                continue
            if (
                isinstance(target, Page)
                and not target.permissions_for_user(self.request.user).can_publish()
            ):
                return False
        return True


class SubmitTranslationMenuItem(PageMenuItem):
    """The entry in a synced translation's "more" menus (explorer listing and page header)."""

    label = gettext_lazy("Lähetä käännös tarkistettavaksi")
    icon_name = "tasks"
    url_name = "catalogue_submit_translation"

    def is_shown(self, user):
        page = self.page
        return (
            page.locale_id != Locale.get_default().pk
            and synced_translation(page) is not None
            and can_submit_for_review(page, user)
        )


def page_listing_more_buttons(page, user, next_url=None):
    yield SubmitTranslationMenuItem(page=page, next_url=next_url, priority=35)


def page_header_buttons(page, user, view_name, next_url=None):
    yield SubmitTranslationMenuItem(page=page, next_url=next_url, priority=63)


def admin_urls():
    return [
        path(
            "localize/update/<int:translation_source_id>/",
            SyncTranslationsView.as_view(),
            name="catalogue_sync_translations",
        ),
        path(
            "catalogue/translations/",
            TranslationStatusReportView.as_view(),
            name="catalogue_translation_status",
        ),
        path(
            "catalogue/translations/results/",
            TranslationStatusReportView.as_view(results_only=True),
            name="catalogue_translation_status_results",
        ),
        path(
            "catalogue/translations/<int:page_id>/submit/",
            SubmitTranslationView.as_view(),
            name="catalogue_submit_translation",
        ),
    ]
