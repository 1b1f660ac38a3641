"""The admin's page form for pages classified by translatable terms."""

from django.forms import ModelMultipleChoiceField
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import TranslatableMixin

TERM_NOT_IN_LOCALE = _("Valinta %(value)s ei ole tämän sivun kielen luokitus.")


class LocaleTermsPageForm(WagtailAdminPageForm):
    """Pickers of translatable terms offer those of the page's own locale only.

    Each term exists once per locale; without this a Finnish page's picker
    lists every language's copy ("Espoo", "Esbo", "Espoo") and would let an
    editor tick a Swedish term on a Finnish page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, ModelMultipleChoiceField) and issubclass(
                field.queryset.model, TranslatableMixin
            ):
                field.queryset = field.queryset.filter(locale_id=self.instance.locale_id)
                field.error_messages["invalid_choice"] = TERM_NOT_IN_LOCALE
