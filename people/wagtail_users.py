"""Wagtail's users app, with the user administration of people.user_admin.

Listed in INSTALLED_APPS in place of ``wagtail.users``: Wagtail's documented
way to give Settings → Users its own viewset and forms.
"""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "people.user_admin.UserViewSet"

    def ready(self):
        super().ready()
        from wagtail.admin.views import account

        from people.user_admin import NameEmailForm

        # The account page's name panel has no setting for its form: give it ours.
        account.NameEmailSettingsPanel.form_class = NameEmailForm
