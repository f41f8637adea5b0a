from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import Territory, ThematicArea, TimeStampedModel


class PartnerRequest(TimeStampedModel):
    """An organization seeks a partner (or offers itself as one) for a call or a project idea."""

    class Direction(models.TextChoices):
        SEEKING = "seeking", _("seeks a partner")
        OFFERING = "offering", _("offers itself as a partner")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="partner_requests", verbose_name=_("organization")
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.SEEKING)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("project idea"), help_text=_("Markdown is allowed."))
    call = models.ForeignKey(
        "funding.Call", on_delete=models.SET_NULL, null=True, blank=True, related_name="partner_requests",
        verbose_name=_("call for proposals"),
    )
    role_sought = models.CharField(_("role sought"), max_length=200, blank=True)
    partner_kinds = models.CharField(_("kinds of partner"), max_length=200, blank=True, help_text=_("Organization kinds, comma-separated"))
    countries = models.CharField(_("countries"), max_length=200, blank=True, help_text=_("ISO codes, comma-separated"))
    territories = models.ManyToManyField(Territory, blank=True, related_name="+", verbose_name=_("territories"))
    thematic_areas = models.ManyToManyField(ThematicArea, blank=True, related_name="+", verbose_name=_("thematic areas"))
    expected_contribution = models.TextField(_("expected contribution"), blank=True)
    deadline = models.DateField(_("answer by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    search_document = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("partner request")
        verbose_name_plural = _("partner requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="partner_request_newest"),
            # The open requests, newest first, with what the list's filters test besides areas and
            # search (PostgreSQL): the list's count, its page's ids and the menu of the calls they
            # name are read from this index alone, not from the requests' wide rows.
            models.Index(
                fields=["-created_at", "-id"], name="partner_request_open",
                include=["deadline", "direction", "countries", "partner_kinds", "call"],
                condition=models.Q(status="open"),
            ),
            # A funder's requests and who posted them, read from the index alone where partner
            # matching reads who has experience with the call's funder (PostgreSQL): from the
            # requests' rows, 10 ms at 3x for a funder of 6,000 requests; 6 from this.
            models.Index(
                fields=["call"], name="partner_request_by_call", include=["organization", "id"],
                condition=models.Q(call__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partners:request_detail", kwargs={"pk": self.pk})


class ExpressionOfInterest(TimeStampedModel):
    """Another organization answers a partner request; the poster accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    request = models.ForeignKey(PartnerRequest, on_delete=models.CASCADE, related_name="answers")
    organization = models.ForeignKey("directory.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization"))
    message = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(fields=["request", "organization"], name="interest_once_per_organization"),
        ]

    def __str__(self):
        return f"{self.organization} → {self.request}"

    def get_absolute_url(self):
        return self.request.get_absolute_url()


class Twinning(TimeStampedModel):
    """A partnership between a town of the authority's territory and a foreign city."""

    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="twinnings", verbose_name=_("our town"))
    partner_city = models.CharField(_("partner city"), max_length=200)
    partner_country = models.CharField(_("country code"), max_length=2)
    since = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True)
    thematic_areas = models.ManyToManyField(ThematicArea, blank=True, related_name="+", verbose_name=_("areas of cooperation"))
    contact = models.TextField(_("contacts"), blank=True)
    activities = models.TextField(_("joint activities"), blank=True, help_text=_("Markdown is allowed."))
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("city twinning")
        verbose_name_plural = _("city twinnings")
        ordering = ["territory__name_en", "partner_city"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "partner_city", "partner_country"], name="twinning_unique_pair"),
        ]

    def __str__(self):
        return f"{self.territory} – {self.partner_city}"

    def get_absolute_url(self):
        return reverse("partners:twinning_detail", kwargs={"pk": self.pk})


class Invitation(TimeStampedModel):
    """The poster of a partner request invites an organization that fits to answer it.

    Once per organization and request (the database's constraint); the organization's
    representatives are told by e-mail through the notification service.
    """

    request = models.ForeignKey(PartnerRequest, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    message = models.TextField(_("message"), blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("invitation to answer")
        verbose_name_plural = _("invitations to answer")
        constraints = [
            models.UniqueConstraint(fields=["request", "organization"], name="invitation_once_per_organization"),
        ]
        # The rate limit counts a person's invitations of the last day.
        indexes = [models.Index(fields=["invited_by", "created_at"], name="invitation_by_person_recent")]

    def __str__(self):
        return f"{self.request} → {self.organization}"

    def get_absolute_url(self):
        return self.request.get_absolute_url()
