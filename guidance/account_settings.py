"""The admin's account settings (Tili → Omat asetukset): the home area and the result view.

The same settings the frontends change with ``setPreferences``
(guidance.personal), for experts who sign in to the admin as well.
"""

from django import forms
from django.utils.translation import gettext_lazy
from wagtail.admin.views.account import BaseSettingsPanel

from guidance import personal
from guidance.models import PersonalSettings


class PersonalSettingsForm(forms.ModelForm):
    # Optional: the account page is saved as a whole, also by a form without this panel's
    # fields, and a missing value keeps the current one.
    result_view = forms.ChoiceField(
        label=PersonalSettings._meta.get_field("result_view").verbose_name,
        choices=PersonalSettings.ResultView.choices,
        required=False,
    )

    class Meta:
        model = PersonalSettings
        fields = ["home_area", "result_view"]

    def clean_home_area(self):
        if self.add_prefix("home_area") not in self.data:
            return self.instance.home_area
        return self.cleaned_data["home_area"]

    def clean_result_view(self):
        return self.cleaned_data["result_view"] or self.instance.result_view


class PersonalSettingsPanel(BaseSettingsPanel):
    name = "personal_settings"
    title = gettext_lazy("Palveluhaun asetukset")
    order = 350
    form_class = PersonalSettingsForm

    def get_form(self):
        kwargs = {"instance": personal.settings_of(self.user), "prefix": self.name}
        if self.request.method == "POST":
            return self.form_class(self.request.POST, **kwargs)
        return self.form_class(**kwargs)
