"""Who may maintain effectiveness figures and read feedback, in terms of Wagtail's page rights.

No new groups or permissions: the rights people already hold on the Finnish
catalogue decide (cms.roles).

- **Effectiveness figures and the coverage report**: those who may edit the
  Finnish catalogue as a whole, i.e. producers and administrators. Provider
  editors are not offered figures: they are measured by the employment
  authorities, not declared by the provider.
- **Feedback**: whoever may edit a service's Finnish page may read its
  feedback. Producers and administrators read every service's; a provider's
  admins and editors read their own organisation's services' only; experts and
  translators (who edit no Finnish service) read none. A text on a
  recommendation set is shown only to those who may read the feedback of every
  service in the set, since it may speak of any of them. Producers and
  administrators may remove feedback.
"""

from django.contrib.auth import get_user_model
from wagtail.models import Locale
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from catalogue.models import ServiceCatalogueIndexPage, ServicePage


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def _finnish_catalogue():
    return ServiceCatalogueIndexPage.objects.filter(locale=Locale.get_default()).first()


def edits_whole_catalogue(user):
    """Producers and administrators: those who may edit the Finnish catalogue as a whole."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    catalogue = _finnish_catalogue()
    return catalogue is not None and catalogue.permissions_for_user(user).can_edit()


def may_maintain_figures(user):
    return edits_whole_catalogue(user)


def may_remove_feedback(user):
    """Producers and administrators may remove feedback, e.g. a text that names a person."""
    return edits_whole_catalogue(user)


class ProducersAndAdministrators(BasePermissionPolicy):
    """Every action on effectiveness figures follows ``may_maintain_figures``."""

    def user_has_permission(self, user, action):
        return may_maintain_figures(user)

    def users_with_any_permission(self, actions):
        catalogue = _finnish_catalogue()
        if catalogue is None:
            return get_user_model().objects.filter(is_active=True, is_superuser=True)
        return PagePermissionPolicy().users_with_permission_for_instance("change", catalogue)


def services_with_readable_feedback(user):
    """The Finnish services whose feedback ``user`` may read (a ServicePage queryset)."""
    services = ServicePage.objects.filter(locale=Locale.get_default())
    if not _active(user):
        return services.none()
    if user.is_superuser:
        return services
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    return services.filter(pk__in=editable.values("pk"))


def may_read_feedback(user, service):
    """Whether ``user`` may read the feedback of one (Finnish) service page."""
    return _active(user) and service.permissions_for_user(user).can_edit()


def may_read_any_feedback(user):
    return services_with_readable_feedback(user).exists()
