"""Organisaation käyttäjät: provider admins manage their own organisation's editors.

Wagtail's user admin grants all users or none, so provider admins get this
small view instead: the editors of the organisations they administer, a form
to add one by e-mail (creating the account if needed) and a button to remove
one from the organisation. Every request is checked against the
organisation's admin group (superusers may manage any organisation).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalogue.models import OrganisationPage
from people import users
from people.invitations import send_invitation

TITLE = gettext_lazy("Organisaation käyttäjät")


class EditorForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Sähköposti"),
        help_text=gettext_lazy("Uuden muokkaajan sähköpostiosoite"),
    )


class OrganisationUsersMenuItem(MenuItem):
    """Shown to members of some organisation's admin group."""

    def is_shown(self, request):
        user = request.user
        return (
            user.is_active
            and OrganisationPage.objects.filter(admin_group__in=user.groups.all()).exists()
        )


def menu_item():
    return OrganisationUsersMenuItem(
        TITLE, reverse("organisation_users:index"), icon_name="group", order=650
    )


class ManagedOrganisationMixin:
    """Loads the organisation from the URL and refuses anyone who may not manage it."""

    def dispatch(self, request, organisation_id, *args, **kwargs):
        self.organisation = get_object_or_404(OrganisationPage, pk=organisation_id)
        if not users.can_manage_editors(request.user, self.organisation):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("organisation_users:organisation", args=[self.organisation.pk])


class IndexView(WagtailAdminTemplateMixin, TemplateView):
    """The organisations this user administers; with only one, straight to it."""

    page_title = TITLE
    header_icon = "group"
    template_name = "people/organisation_users/index.html"

    def get(self, request, *args, **kwargs):
        self.organisations = users.administered_organisations(request.user)
        if not self.organisations:
            raise PermissionDenied
        if len(self.organisations) == 1:
            return redirect("organisation_users:organisation", self.organisations[0].pk)
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": TITLE}]

    def get_context_data(self, **kwargs):
        organisations = self.organisations.annotate(editor_count=Count("editor_group__user"))
        return super().get_context_data(organisations=organisations, **kwargs)


class OrganisationView(ManagedOrganisationMixin, WagtailAdminTemplateMixin, TemplateView):
    """One organisation's editors, and the form that adds one."""

    page_title = TITLE
    header_icon = "group"
    template_name = "people/organisation_users/organisation.html"

    def get_page_subtitle(self):
        return self.organisation.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("organisation_users:index"), "label": TITLE},
            {"url": "", "label": self.organisation.title},
        ]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", EditorForm())
        return super().get_context_data(
            organisation=self.organisation,
            editors=users.organisation_editors(self.organisation),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = EditorForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        user, changes = users.add_editor(self.organisation, form.cleaned_data["email"])
        if changes and not user.has_usable_password():
            # A person new to the manual gets in through an invitation (people.invitations).
            send_invitation(user)
            messages.success(
                request,
                gettext("%(email)s lisättiin muokkaajaksi, ja hänelle lähetettiin kutsu.")
                % {"email": user.email},
            )
        elif changes:
            messages.success(
                request, gettext("%(email)s lisättiin muokkaajaksi.") % {"email": user.email}
            )
        else:
            messages.warning(request, gettext("%(email)s on jo muokkaaja.") % {"email": user.email})
        return redirect(self.get_success_url())


class RemoveEditorView(ManagedOrganisationMixin, View):
    """Takes a person off the organisation's editors (POST only)."""

    http_method_names = ["post"]

    def post(self, request, user_id):
        user = get_object_or_404(users.organisation_editors(self.organisation), pk=user_id)
        users.remove_editor(self.organisation, user)
        messages.success(
            request,
            gettext("%(user)s poistettiin muokkaajista.")
            % {"user": user.email or user.get_username()},
        )
        return redirect(self.get_success_url())


def admin_urls():
    """Mounted under /admin/ (behind Wagtail's admin access check) by cms.wagtail_hooks."""
    patterns = [
        path("", IndexView.as_view(), name="index"),
        path("<int:organisation_id>/", OrganisationView.as_view(), name="organisation"),
        path(
            "<int:organisation_id>/remove/<int:user_id>/",
            RemoveEditorView.as_view(),
            name="remove",
        ),
    ]
    return [path("organisation-users/", include((patterns, "organisation_users")))]
