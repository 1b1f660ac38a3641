"""The log of the interfaces' runs: what the "Integraatiot" report shows and where
an incremental fetch starts from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntegrationRun(models.Model):
    """Ajo: one run of one interface (PTV fetch, map source), with its outcome and counts."""

    class Interface(models.TextChoices):
        PTV_FETCH = "ptv_fetch", _("PTV-haku")
        SERVICEMAP = "servicemap", _("Palvelukartta")

    class Status(models.TextChoices):
        RUNNING = "running", _("käynnissä")
        OK = "ok", _("onnistui")
        # Written, but some records were refused (bad values); the message names them.
        PARTIAL = "partial", _("osittain")
        # The external system failed: nothing was written.
        FAILED = "failed", _("epäonnistui")

    interface = models.CharField(_("rajapinta"), max_length=20, choices=Interface.choices)
    started_at = models.DateTimeField(_("alkoi"))
    finished_at = models.DateTimeField(_("päättyi"), null=True, blank=True)
    status = models.CharField(
        _("tila"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    full = models.BooleanField(_("täysi haku"), default=False)
    # The "changed since" the run asked for (None: everything).
    since = models.DateTimeField(_("muutokset alkaen"), null=True, blank=True)
    message = models.TextField(_("viesti"), blank=True)
    # {"fetched": n, "updated": n, "unchanged": n, "refused": n}
    counts = models.JSONField(_("määrät"), default=dict, blank=True)

    class Meta:
        verbose_name = _("integraatioajo")
        verbose_name_plural = _("integraatioajot")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["interface", "-started_at"])]

    def __str__(self):
        return f"{self.get_interface_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def succeeded(self):
        return self.status in (self.Status.OK, self.Status.PARTIAL)

    @classmethod
    def last_success(cls, interface):
        return (
            cls.objects.filter(interface=interface, status__in=[cls.Status.OK, cls.Status.PARTIAL])
            .order_by("-started_at")
            .first()
        )
