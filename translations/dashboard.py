"""Dashboard panel "Käännösten tila": per language, how many services lack a current translation.

Shown to those who follow translations (translations.status.may_follow_translations);
each figure links to the status report filtered to that language and state.
"""

from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component

from translations.status import (
    MISSING,
    OUT_OF_DATE,
    STATUS_LABELS,
    count_statuses,
    may_follow_translations,
    translation_locales,
    translation_status,
)

SHOWN = (MISSING, OUT_OF_DATE)


class TranslationsBehindPanel(Component):
    name = "translations_behind"
    template_name = "translations/admin/translations_behind_panel.html"
    order = 120

    def get_context_data(self, parent_context):
        report = reverse("catalogue_translation_status")
        rows = []
        for locale in translation_locales():
            counts = count_statuses(translation_status(locale))
            rows.append(
                {
                    "locale": locale.get_display_name(),
                    "counts": [
                        {
                            "label": STATUS_LABELS[status],
                            "count": counts[status],
                            "url": f"{report}?"
                            + urlencode({"locale": locale.language_code, "status": status}),
                        }
                        for status in SHOWN
                    ],
                }
            )
        behind = any(count["count"] for row in rows for count in row["counts"])
        return {"rows": rows if behind else [], "labels": [STATUS_LABELS[s] for s in SHOWN]}


def add_dashboard_panel(request, panels):
    if may_follow_translations(request.user):
        panels.append(TranslationsBehindPanel())
