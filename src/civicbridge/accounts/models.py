from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
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
        _("preferred language"), max_length=5, choices=settings.CIVICBRIDGE_ALL_LANGUAGES, default="en"
    )
    is_coordinator = models.BooleanField(
        _("coordinator"), default=False,
        help_text=_("Platform staff: moderates, verifies organizations, approves memberships."),
    )
    # Set when the person opened the link of the sign-up e-mail; an inactive account
    # without it is an unconfirmed sign-up, which expires (accounts.tasks).
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    # The consent to the privacy notice given at sign-up: when, and to which version of it
    # (core.SitePage; 0 for the platform's own text, shown before the authority published one).
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted"), null=True, blank=True)
    privacy_notice_version = models.PositiveIntegerField(_("version of the privacy notice accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            # The few coordinators among hundreds of thousands of people: told of every
            # registration that waits for approval, found without reading every account.
            models.Index(fields=["id"], condition=models.Q(is_coordinator=True), name="user_coordinators"),
        ]

    def __str__(self):
        # Pages, feeds and e-mails show people by name; the user name is a log-in, not a name.
        return self.get_full_name() or gettext("Name not given")

    def get_absolute_url(self):
        return reverse("accounts:profile")

    @property
    def roles(self) -> list[str]:
        """Roles in the order of DESIGN.md; memberships must be prefetched for lists.

        Only approved memberships count: a role is granted by a coordinator, never assumed.
        """
        roles = [Role.CITIZEN.value]
        approved = [
            m for m in self.memberships.all()
            if m.status == Membership.Status.APPROVED and m.organization.is_listed
        ]
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


class RightsChangeQuerySet(models.QuerySet):
    def for_log(self):
        return self.select_related("user", "organization", "by").order_by("-at", "-pk")


class RightsChange(models.Model):
    """One grant or revocation of a right: a membership (representative or officer) or a staff flag.

    Written by the services that change rights, in the same transaction, never edited afterwards:
    the record a coordinator or an auditor reads to know who gave whom which right, when and why.
    """

    class Right(models.TextChoices):
        MEMBERSHIP = "membership", _("representative of the organization")
        COORDINATOR = "coordinator", _("coordinator")
        STAFF = "staff", _("access to the administration site")
        SUPERUSER = "superuser", _("superuser")

    class Action(models.TextChoices):
        GRANTED = "granted", _("granted")
        REJECTED = "rejected", _("request rejected")
        REVOKED = "revoked", _("revoked")
        LEFT = "left", _("given up by the person")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="rights_changes",
        verbose_name=_("person"),
    )
    right = models.CharField(_("right"), max_length=12, choices=Right.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("organization"),
    )
    # Kept when the organization is deleted, so that the record still says which one it was.
    organization_name = models.CharField(_("organization name"), max_length=300, blank=True)
    origin = models.CharField(_("origin"), max_length=12, choices=Membership.Origin.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = RightsChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant or revocation of a right")
        verbose_name_plural = _("grants and revocations of rights")
        indexes = [
            models.Index(fields=["user", "-at"], name="rights_change_person"),
            models.Index(fields=["organization", "-at"], name="rights_change_organization"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(right="membership") | ~models.Q(organization_name=""),
                name="rights_change_membership_names_organization",
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_right_display()} {self.get_action_display()}"

    def get_absolute_url(self):
        return reverse("accounts:rights_log") + f"?person={self.user_id or ''}"
