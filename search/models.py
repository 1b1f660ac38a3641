"""What the delivery search index still owes the database.

A page or document whose index update failed (Elasticsearch down, a timeout,
a rejected document) is recorded here, one row per index document, so the
editor's save goes through and ``manage.py search_reconcile`` can catch up
later. The row names the object rather than pointing at it: the object may
have been deleted, and a deletion is exactly what the index must still hear.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from catalogue.models import ServicePage


class PendingIndexUpdate(models.Model):
    """Odottava hakuindeksin päivitys: an index update that failed and awaits a retry."""

    class Kind(models.TextChoices):
        PAGE = "page", _("sivu")
        DOCUMENT = "document", _("liite")

    class Action(models.TextChoices):
        INDEX = "index", _("indeksoi")
        DELETE = "delete", _("poista")

    kind = models.CharField(_("laji"), max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("kohteen tunniste"))
    doc_id = models.CharField(_("indeksin tunniste"), max_length=64, unique=True)
    action = models.CharField(
        _("toimenpide"),
        max_length=10,
        choices=Action.choices,
        help_text=_(
            "What the failed attempt meant to do; a retry decides afresh from the database."
        ),
    )
    error = models.TextField(_("virhe"), blank=True)
    attempts = models.PositiveIntegerField(_("yrityksiä"), default=1)
    first_failed_at = models.DateTimeField(_("ensimmäinen virhe"), default=timezone.now)
    last_failed_at = models.DateTimeField(_("viimeisin virhe"), default=timezone.now)

    class Meta:
        ordering = ["first_failed_at"]
        verbose_name = _("odottava hakuindeksin päivitys")
        verbose_name_plural = _("odottavat hakuindeksin päivitykset")

    def __str__(self):
        return f"{self.action} {self.doc_id} ({self.attempts}×)"

    @classmethod
    def record(cls, kind, object_id, doc_id, action, error):
        """Note one more failure for ``doc_id``: a new row, or the existing one updated."""
        now = timezone.now()
        changes = {"kind": kind, "object_id": object_id, "action": action, "error": error}
        if cls.objects.filter(doc_id=doc_id).update(
            attempts=F("attempts") + 1, last_failed_at=now, **changes
        ):
            return
        try:
            with transaction.atomic():
                cls.objects.create(
                    doc_id=doc_id, first_failed_at=now, last_failed_at=now, **changes
                )
        except IntegrityError:
            # Another process recorded the same document in between.
            cls.objects.filter(doc_id=doc_id).update(
                attempts=F("attempts") + 1, last_failed_at=now, **changes
            )


class Synonym(models.Model):
    """Hakusanojen synonyymit: words and phrases that a search treats as one.

    Administrators keep them in the admin ("TE, TE-palvelut, työ- ja
    elinkeinopalvelut"); search.synonyms applies them to queries, so a change
    takes effect without reindexing. A group with an ``audience`` speaks that
    audience's language ("rekrytointituki" is an employer's word for what a
    jobseeker calls "palkkatuki") and applies only to requests for that audience.
    """

    language = models.CharField(
        _("kieli"), max_length=8, choices=settings.ADMIN_LANGUAGES, default=settings.LANGUAGE_CODE
    )
    terms = models.TextField(
        _("samaa tarkoittavat hakusanat"),
        help_text=_(
            "Pilkuin erotettuina, esimerkiksi: TE, TE-palvelut, työ- ja elinkeinopalvelut. "
            "Haku jollakin näistä löytää myös muilla kirjoitetut sisällöt."
        ),
    )
    audience = models.CharField(
        _("asiakasryhmä"),
        max_length=10,
        choices=ServicePage.Audience.choices,
        blank=True,
        help_text=_(
            "Tyhjä: ryhmä koskee kaikkia hakuja. Työnantaja: vain työnantajanäkymän hakuja "
            "(esim. rekrytointituki, palkkatuki)."
        ),
    )
    note = models.CharField(_("huomautus"), max_length=255, blank=True)

    panels = [
        FieldPanel("language"),
        FieldPanel("audience"),
        FieldPanel("terms"),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["language", "terms"]
        verbose_name = _("synonyymiryhmä")
        verbose_name_plural = _("hakusanojen synonyymit")

    def __str__(self):
        return ", ".join(self.term_list())

    def term_list(self):
        """The terms, stripped, without blanks and repeats (case-insensitively)."""
        terms = {}
        for term in self.terms.split(","):
            term = " ".join(term.split())
            if term:
                terms.setdefault(term.casefold(), term)
        return list(terms.values())

    def clean(self):
        if len(self.term_list()) < 2:
            raise ValidationError({"terms": _("Anna vähintään kaksi pilkuin erotettua hakusanaa.")})
