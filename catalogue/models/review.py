"""Review reminders (tarkistuskehotteet): which reminders have been sent.

A service is due for review REVIEW_INTERVAL_MONTHS after its last review.
One row per (service, due date) records that its responsible person was
reminded, so the reminder command never sends twice for the same due date.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewReminder(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="review_reminders"
    )
    due_date = models.DateField()
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tarkistuskehote")
        verbose_name_plural = _("tarkistuskehotteet")
        constraints = [
            models.UniqueConstraint(fields=["page", "due_date"], name="one_reminder_per_due_date")
        ]

    def __str__(self):
        return f"{self.recipient}: {self.page_id} due {self.due_date}"
