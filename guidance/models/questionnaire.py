"""Palvelutarvekysely: a service-need questionnaire producers write in the admin.

Several questionnaires exist side by side (job seekers, immigrants,
employers), each for one audience. A questionnaire is a snippet with drafts
and revisions: publishing makes a revision live, and the delivery API gives
frontends the live version together with its revision id. Answers name that
revision, so a later edit never changes what earlier answers meant
(guidance.answers reads the revision they were given against).

Translations (wagtail-localize) translate the texts only; the keys and the
meanings of the options are the Finnish source's (guidance.blocks).
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, RevisionMixin, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from catalogue.models import ServicePage
from guidance.blocks import QuestionsBlock


class Questionnaire(DraftStateMixin, RevisionMixin, TranslatableMixin, models.Model):
    """Palvelutarvekysely: questions whose answers point a client to services."""

    key = models.SlugField(
        _("tunniste"),
        max_length=50,
        help_text=_("Pysyvä tunniste, johon vastaukset viittaavat; sama kaikilla kielillä."),
    )
    title = models.CharField(_("otsikko"), max_length=200)
    audience = models.CharField(
        _("asiakasryhmä"),
        max_length=10,
        choices=ServicePage.Audience.choices,
        default=ServicePage.Audience.PERSON,
    )
    intro = models.TextField(_("johdanto"), blank=True)
    questions = StreamField(QuestionsBlock(), verbose_name=_("kysymykset"))
    # Lets revisions be queried from the questionnaire (RevisionMixin.revisions).
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="questionnaire")

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("key")]),
        FieldPanel("audience"),
        FieldPanel("intro"),
        FieldPanel("questions"),
    ]

    override_translatable_fields = [
        SynchronizedField("key"),
        SynchronizedField("audience"),
        TranslatableField("title"),
        TranslatableField("intro"),
        TranslatableField("questions"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("palvelutarvekysely")
        verbose_name_plural = _("palvelutarvekyselyt")
        ordering = ["title"]
        unique_together = [("translation_key", "locale"), ("key", "locale")]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def question_list(self):
        """The questions as read from the stream: StructValues with ``key``, ``text``,
        ``help``, ``multiple`` and ``options`` (each with ``key``, ``label``, ``needs``,
        ``facts``, ``exclude``, ``boost``)."""
        return [child.value for child in self.questions]
