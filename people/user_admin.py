"""Settings → Users and a person's own account settings, as onboarding here needs them.

- First and last names are optional: people are added by e-mail (``add_user``),
  and a required name made every later save of such an account fail ("This
  field is required" on setting a password, or on choosing a language).
- A user created in the admin without a password gets an invitation to
  choose one (people.invitations), as ``add_user`` sends.

Installed by people.wagtail_users.
"""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail.admin.forms.account import NameEmailForm as WagtailNameEmailForm
from wagtail.users.forms import UserCreationForm as WagtailUserCreationForm
from wagtail.users.forms import UserEditForm as WagtailUserEditForm
from wagtail.users.views import users

from people.invitations import send_invitation


class OptionalNamesMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            if name in self.fields:
                self.fields[name].required = False


class NameEmailForm(OptionalNamesMixin, WagtailNameEmailForm):
    pass


class UserEditForm(OptionalNamesMixin, WagtailUserEditForm):
    pass


class UserCreationForm(OptionalNamesMixin, WagtailUserCreationForm):
    """Without a password the account gets none that works, and an invitation."""

    def save(self, commit=True):
        user = super().save(commit=False)
        if not user.password:
            user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


class CreateView(users.CreateView):
    def save_instance(self):
        user = super().save_instance()
        if not user.has_usable_password() and user.email:
            send_invitation(user)
            messages.info(
                self.request,
                _("Kutsu salasanan valintaan lähetettiin osoitteeseen %(email)s.")
                % {"email": user.email},
            )
        return user


class UserViewSet(users.UserViewSet):
    add_view_class = CreateView

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
