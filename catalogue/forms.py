"""Admin forms for catalogue pages."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from catalogue.location_sources import maintained_fields
from cms.forms import LocaleTermsPageForm

RESPONSIBLE_REQUIRED = _("Palvelulla on oltava nimetty vastuuhenkilö ennen julkaisua.")

# Buttons of Wagtail's page editor that send a page towards publication.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


class ServicePageForm(LocaleTermsPageForm):
    """The service editor: asks for the responsible person (vastuuhenkilö) before publication.

    ``ServicePage.clean`` refuses a live page without one, but Wagtail only
    reaches that check while publishing, after the form has been accepted, so
    the editor would meet a server error. This form makes the same rule a field
    error whenever the editor publishes, submits to the publication workflow,
    or approves in it (the workflow's only task, so approving publishes).

    The taxonomy pickers offer the terms of the page's own locale only
    (cms.forms), and a service holds its own locale's (``ServicePage.clean``).
    """

    def is_towards_publication(self):
        data = self.data
        if any(data.get(action) for action in PUBLISHING_ACTIONS):
            return True
        return bool(data.get("action-workflow-action")) and (
            data.get("workflow-action-name") == "approve"
        )

    def _post_clean(self):
        # Wagtail's create view builds the new page with live=True (the field
        # default) and sets live=False only after validation, for a draft or a
        # submission; without this the model's live-page rule would refuse
        # every first draft that lacks a responsible person.
        live = self.instance.live
        if self.instance.pk is None:
            self.instance.live = False
        try:
            super()._post_clean()
        finally:
            self.instance.live = live
        if (
            self.is_towards_publication()
            and not self.has_error("responsible_email")
            and not self.cleaned_data.get("responsible_email")
        ):
            self.add_error("responsible_email", RESPONSIBLE_REQUIRED)


class ServiceLocationForm(WagtailAdminModelForm):
    """A location (toimipiste) in the service editor.

    The fields an interface maintains (``location_sources.maintained_fields``)
    are disabled: Django then ignores whatever a submitted form says for them
    and keeps the stored value, so no request can change them. The rest stay
    editable; a location typed by hand is editable throughout.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.maintained = maintained_fields(self.instance)
        for name in self.maintained:
            if name in self.fields:
                self.fields[name].disabled = True

    def clean_opening_hours(self):
        # An empty box means no opening hours: the column holds a list, never NULL.
        return self.cleaned_data.get("opening_hours") or []
