"""Alerts: saved searches over any alertable content, and the record of what each person was told.

The tables kept the names they had when the alerts lived in the funding app
(``funding_subscription``, ``funding_delivery``): a deployment moved its rows
with the models, no copy (migrations alerts 0001/0002, funding 0007).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.countries import country_name, validate_country_code
from civicbridge.core.models import Territory, ThematicArea, TimeStampedModel


class Subscription(TimeStampedModel):
    """A saved search: its owner hears of every published item of one alertable content that matches it.

    ``alertable`` names the content (core.registry.alertables: "calls"...). The criteria
    are shared by every content; each content's facts say which apply to it (an item
    without a funder matches only subscriptions without one).
    """

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("at once")
        DAILY = "daily", _("daily digest")
        WEEKLY = "weekly", _("weekly digest")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    alertable = models.CharField(_("content"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    keywords = models.CharField(_("words"), max_length=200, blank=True)
    funder = models.ForeignKey(
        "funding.Funder", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("funder"),
    )
    programme = models.ForeignKey(
        "funding.Programme", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("programme"),
    )
    applicant_kind = models.CharField(_("applicant kind"), max_length=20, blank=True)
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("territory"))
    thematic_area = models.ForeignKey(ThematicArea, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("thematic area"))
    min_amount = models.DecimalField(_("grants of at least"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_amount = models.DecimalField(_("grants of at most"), max_digits=14, decimal_places=2, null=True, blank=True)
    # As the calls list's "Applicants from": items open to applicants from this country (ISO
    # code), by the list's rule (core.countries.open_to_applicants_from); empty: from anywhere.
    country = models.CharField(_("applicants from"), max_length=2, blank=True, validators=[validate_country_code])
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices, default=Frequency.INSTANT)
    remind_deadlines = models.BooleanField(_("remind me 7 days before deadlines"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "funding_subscription"
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [
            models.Index(fields=["is_active", "frequency"]),
            models.Index(fields=["funder"]),
            models.Index(fields=["thematic_area"]),
            models.Index(fields=["territory"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alerts:subscription_list")

    @property
    def country_name(self) -> str:
        """The country of ``country`` by its name in the active language."""
        return country_name(self.country) if self.country else ""


class Delivery(models.Model):
    """What one person was told about one item on one occasion: the alerts' own record.

    One row per person, item and occasion (a database constraint): a person whose
    several alerts match an item is told once. The row is written in the same
    transaction as the e-mail it queues (``mail``), whose outbox row says whether it
    was sent, is waiting for another attempt, or failed and why. The item is named by
    its content's key and id (``alertable``, ``item_id``): the log reads each page's
    items with one query per content.
    """

    class Kind(models.TextChoices):
        INSTANT = "instant", _("instant")
        DIGEST = "digest", _("digest")
        REMINDER = "reminder", _("deadline reminder")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False,
        verbose_name=_("recipient"),
    )
    # The first of the person's alerts that matched (the e-mail names them all). A deleted
    # alert leaves the record: the person was told, and is not told again by another alert.
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries",
    )
    alertable = models.CharField(max_length=40)
    item_id = models.BigIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What the notice is about: "published", "<change>-<revision>" after a change (a
    # call's "deadlines-<revision>", at once or in a digest), "digest-<date>" for a new
    # item in a digest, "reminder-<moment in UTC>"; the same occasion is never told twice to one person.
    occasion = models.CharField(max_length=40)
    claimed_at = models.DateTimeField(auto_now_add=True)
    # The outbox row by its key, without a foreign-key constraint: the outbox may be pruned
    # of old e-mails while the alerts keep their record. A digest's e-mail tells several items.
    mail = models.ForeignKey(
        "core.OutgoingMail", to_field="key", db_column="mail_key", on_delete=models.DO_NOTHING,
        db_constraint=False, db_index=False, null=True, blank=True, related_name="+",
    )

    class Meta:
        db_table = "funding_delivery"
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "alertable", "item_id", "occasion"], name="delivery_once_per_person_item_occasion"
            ),
        ]
        indexes = [
            models.Index(fields=["-claimed_at"]),
            models.Index(fields=["alertable", "item_id"], name="delivery_item"),
        ]

    def __str__(self):
        return f"{self.recipient_id} – {self.alertable} {self.item_id} ({self.kind}, {self.occasion})"
