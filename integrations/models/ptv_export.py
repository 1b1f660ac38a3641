"""Which services go to the Finnish Service Catalogue (PTV), and how their last export went."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Locale


class PtvServiceExport(models.Model):
    """PTV-vienti: one service an administrator has marked for export to PTV.

    One record per service, on its Finnish source page: the Swedish and English
    translations travel in the same PTV service. ``sent_payload`` is what PTV
    last accepted, so a service whose mapping has not changed is not sent again.
    """

    class Outcome(models.TextChoices):
        OK = "ok", _("onnistui")
        # PTV (or the mapping, before sending) refused the content: fix the service.
        REJECTED = "rejected", _("hylätty")
        # PTV could not be reached or failed itself: the next run tries again.
        FAILED = "failed", _("epäonnistui")

    page = models.OneToOneField(
        "catalogue.ServicePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("palvelu"),
        help_text=_("The Finnish service; its translations are exported with it."),
    )
    enabled = models.BooleanField(
        _("viedään PTV:hen"),
        default=True,
        help_text=_("Unticked: the service keeps its PTV id but is no longer sent."),
    )
    # Our identifier of the service in PTV (PTV's "sourceId", ^[A-Za-z0-9-.]*$), set once.
    source_id = models.CharField(_("lähdetunniste"), max_length=100, unique=True, editable=False)
    ptv_id = models.CharField(_("PTV-tunniste"), max_length=64, blank=True, editable=False)
    outcome = models.CharField(
        _("viimeisin tulos"), max_length=10, choices=Outcome.choices, blank=True, editable=False
    )
    message = models.TextField(_("PTV:n viesti"), blank=True, editable=False)
    exported_at = models.DateTimeField(_("viety viimeksi"), null=True, editable=False)
    attempted_at = models.DateTimeField(_("yritetty viimeksi"), null=True, editable=False)
    sent_payload = models.JSONField(_("viimeksi viety sisältö"), null=True, editable=False)

    panels = [FieldPanel("page"), FieldPanel("enabled")]

    class Meta:
        verbose_name = _("PTV-vienti")
        verbose_name_plural = _("PTV-viennit")
        ordering = ["page__title"]

    def __str__(self):
        return self.page.title

    def save(self, *args, **kwargs):
        if not self.source_id:
            self.source_id = f"palvelumanuaali-{self.page.translation_key}"
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        page = getattr(self, "page", None)
        if page is not None and page.locale_id != Locale.get_default().pk:
            raise ValidationError(
                {"page": _("Valitse suomenkielinen palvelu; käännökset viedään sen mukana.")}
            )
