"""Sisällöntuottajan tarkistus: a service is approved by the producers of the areas it serves.

The publication workflow's one task. Producers (cms.roles) belong to an
employment area; a service submitted for review may be approved, sent back
or edited during the review only by the producers of an area that one of its
municipalities belongs to, or by an administrator. A service without
municipalities may be reviewed by any producer of the task's groups.

What counts is the version under review (the revision the workflow holds),
not the live page: a draft's municipalities live only in its revision.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, Locale, TaskState

from catalogue.models.taxonomies import EmploymentArea


class AreaReviewTask(AbstractGroupApprovalTask):
    class Meta:
        verbose_name = _("alueen sisällöntuottajan tarkistus")
        verbose_name_plural = _("alueen sisällöntuottajan tarkistukset")

    @classmethod
    def get_description(cls):
        return _(
            "Palvelun hyväksyy sen työllisyysalueen sisällöntuottaja, jonka kuntia palvelu "
            "koskee; palvelun ilman kuntia kuka tahansa valituista ryhmistä."
        )

    def reviewer_groups(self, revision_object):
        """The ids of the groups that may review this version: its areas' producers."""
        municipalities = getattr(revision_object, "municipalities", None)
        area_ids = (
            {municipality.employment_area_id for municipality in municipalities.all()}
            if municipalities is not None
            else set()
        )
        task_groups = set(self.groups.values_list("pk", flat=True))
        if not area_ids:
            return task_groups
        # Producer groups belong to the Finnish areas; a translated term names its area
        # through the shared code.
        area_codes = EmploymentArea.objects.filter(pk__in=area_ids).values("code")
        producers = EmploymentArea.objects.filter(
            locale=Locale.get_default(), code__in=area_codes
        ).values_list("producer_group", flat=True)
        return task_groups & set(producers)

    def _may_review(self, obj, user):
        if user.is_superuser:
            return True
        if not self._user_in_groups(user):
            return False
        under_review = obj
        state = getattr(obj, "current_workflow_task_state", None)
        if state is not None and state.revision_id:
            under_review = state.revision.as_object()
        groups = self.reviewer_groups(under_review)
        return user.groups.filter(pk__in=groups).exists()

    def user_can_access_editor(self, obj, user):
        return self._may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self._may_review(obj, user)

    def user_can_lock(self, obj, user):
        return self._may_review(obj, user)

    def get_actions(self, obj, user):
        return super().get_actions(obj, user) if self._may_review(obj, user) else []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser or not states.exists():
            return states
        # Few reviews are open at a time: each is checked against the version it holds.
        held = set(user.groups.values_list("pk", flat=True))
        reviewable = [
            state.pk
            for state in states.select_related("revision")
            if held & self.reviewer_groups(state.revision.as_object())
        ]
        return TaskState.objects.filter(pk__in=reviewable)
