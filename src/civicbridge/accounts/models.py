from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    REPRESENTATIVE = "representative", _("organization representative")
    OFFICER = "officer", _("officer")
    COORDINATOR = "coordinator", _("coordinator")


class User(AbstractUser):
    """A registered person. Roles follow from memberships; coordinator is a flag set by staff."""

    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    is_coordinator = models.BooleanField(
        _("coordinator"), default=False,
        help_text=_("Platform staff: moderates, verifies organizations, approves memberships."),
    )
    # Set when the person opened the link of the sign-up e-mail; an inactive account
    # without it is an unconfirmed sign-up, which expires (accounts.tasks).
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        # Pages, feeds and e-mails show people by name; the user name is a log-in, not a name.
        return self.get_full_name() or gettext("Name not given")

    def get_absolute_url(self):
        return reverse("accounts:profile")

    @property
    def roles(self) -> list[str]:
        """Roles in the order of DESIGN.md; memberships must be prefetched for lists."""
        roles = [Role.CITIZEN.value]
        approved = [m for m in self.memberships.all() if m.status == Membership.Status.APPROVED]
        if any(not m.organization.is_public_body for m in approved):
            roles.append(Role.REPRESENTATIVE.value)
        if any(m.organization.is_public_body for m in approved):
            roles.append(Role.OFFICER.value)
        if self.is_coordinator or self.is_superuser:
            roles.append(Role.COORDINATOR.value)
        return roles


class MembershipQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Membership.Status.APPROVED)

    def pending(self):
        return self.filter(status=Membership.Status.PENDING)


class Membership(models.Model):
    """A person representing an organization (for a public body: an officer of it)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    class Origin(models.TextChoices):
        CLAIM = "claim", _("claimed by the person")
        INVITATION = "invitation", _("invited by a representative")
        FOUNDER = "founder", _("registered the organization")
        COORDINATOR = "coordinator", _("added by a coordinator")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    message = models.TextField(_("message"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_person_organization"),
        ]
        indexes = [models.Index(fields=["organization", "status"]), models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.user} – {self.organization}"

    def get_absolute_url(self):
        return self.organization.get_absolute_url()


