from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStampedModel


class Target(TimeStampedModel):
    """What a programme promises for a year for events of some kinds: how many events, hours,
    participants and counties reached. The dashboard sets the year's actual figures beside it."""

    year = models.PositiveSmallIntegerField(_("year"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_pl = models.CharField(_("name (Polish)"), max_length=200, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=200, blank=True)
    kinds = models.CharField(_("kinds of event"), max_length=200, help_text=_("Event kinds it counts, comma-separated."))
    events = models.PositiveIntegerField(_("events"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1, null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    counties = models.PositiveIntegerField(_("counties reached"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Where the target comes from."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "name_en", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(events__isnull=False) | Q(hours__isnull=False) | Q(participants__isnull=False)
                | Q(counties__isnull=False),
                name="target_names_a_figure",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kpis:dashboard") + f"?year={self.year}"

    @property
    def name(self) -> str:
        return getattr(self, f"name_{(get_language() or 'en')[:2]}", "") or self.name_en

    @property
    def kind_list(self) -> list[str]:
        return [kind.strip() for kind in self.kinds.split(",") if kind.strip()]
