"""The admin of questionnaires ("Palvelutarvekyselyt"): who may edit them, and their listing.

Questionnaires are written by the municipal content producers, who know the
services and their clients, and by administrators. Rights are the producer
groups' (people.site_tree.producer_groups), so a person made a producer of
any area gets them with the role, and an area added later too; nobody else
(providers, experts, translators) edits or publishes them.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from guidance.models import Questionnaire
from people.site_tree import producer_groups


def may_edit_questionnaires(user):
    if not (user.is_active and user.is_authenticated):
        return False
    return user.is_superuser or user.groups.filter(pk__in=producer_groups()).exists()


class ProducersAndAdministrators(BasePermissionPolicy):
    """Every action on questionnaires (add, change, publish, delete, …) for producers and
    administrators."""

    def user_has_permission(self, user, action):
        return may_edit_questionnaires(user)

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__in=producer_groups()), is_active=True)
            .distinct()
        )


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    icon = "clipboard-list"
    menu_label = _("Palvelutarvekyselyt")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "key", "audience"]
    list_filter = ["audience", "locale"]
