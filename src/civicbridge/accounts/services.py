"""Writes about people: sign-up, memberships in organizations, personal data."""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicbridge.core.cache import DIRECTORY, bump_content_version, organization_scope

from .models import Membership

User = get_user_model()
SIGNUP_SALT = "civicbridge.accounts.signup"


def _absolute(path: str) -> str:
    return settings.CIVICBRIDGE_SITE_URL.rstrip("/") + path


def send_templated_mail(*, user, template: str, context: dict) -> None:
    """Render and send an e-mail in the recipient's language."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def sign_up(*, username: str, email: str, password: str, preferred_language: str) -> "User":
    """Create an inactive account and send the confirmation link; the account works once confirmed."""
    user = User(username=username, email=email.strip().lower(), preferred_language=preferred_language, is_active=False)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError({"username": [_("This user name or e-mail is already taken.")]}) from error
    token = signing.dumps({"user": user.pk}, salt=SIGNUP_SALT)
    with translation.override(preferred_language):
        link = _absolute(reverse("accounts:confirm", kwargs={"token": token}))
    transaction.on_commit(
        lambda: send_templated_mail(user=user, template="confirm", context={"user": user, "link": link})
    )
    return user


@transaction.atomic
def confirm_sign_up(*, token: str) -> "User":
    """Activate the account named by a confirmation token; refuses expired or forged tokens."""
    try:
        payload = signing.loads(token, salt=SIGNUP_SALT, max_age=settings.CIVICBRIDGE_SIGNUP_TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(_("This confirmation link has expired. Sign up again.")) from error
    except signing.BadSignature as error:
        raise ValidationError(_("This confirmation link is not valid.")) from error
    user = User.objects.select_for_update().filter(pk=payload["user"]).first()
    if user is None:
        raise ValidationError(_("This confirmation link is not valid."))
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def claim_organization(*, user, organization, message: str) -> Membership:
    """A person asks to represent an organization; a coordinator decides."""
    if not user.has_perm("directory.claim_organization", organization):
        raise PermissionDenied
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, organization=organization, origin=Membership.Origin.CLAIM, message=message
            )
    except IntegrityError as error:
        raise ValidationError(_("You have already asked to represent this organization, or you represent it.")) from error
    _notify_coordinators(membership)
    return membership


@transaction.atomic
def invite_representative(*, organization, email: str, by) -> Membership:
    """A representative (or coordinator) names another registered person as representative.

    A coordinator's invitation takes effect at once; others wait for a coordinator.
    """
    if not by.has_perm("directory.invite_representative", organization):
        raise PermissionDenied
    invitee = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if invitee is None:
        raise ValidationError({"email": [_("Nobody with this e-mail has an account. Ask them to sign up first.")]})
    by_coordinator = by.has_perm("directory.verify_organization", organization)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=invitee, organization=organization, origin=Membership.Origin.INVITATION, invited_by=by,
                status=Membership.Status.APPROVED if by_coordinator else Membership.Status.PENDING,
                decided_by=by if by_coordinator else None,
                decided_at=timezone.now() if by_coordinator else None,
            )
    except IntegrityError as error:
        raise ValidationError({"email": [_("This person already represents this organization or is waiting for approval.")]}) from error
    if membership.status == Membership.Status.PENDING:
        _notify_coordinators(membership)
    else:
        bump_content_version(organization_scope(organization.slug))  # its page lists its representatives
    return membership


def _notify_coordinators(membership: Membership) -> None:
    coordinators = list(User.objects.filter(is_coordinator=True, is_active=True))
    link = _absolute(reverse("accounts:memberships_pending"))

    def send():
        for coordinator in coordinators:
            send_templated_mail(
                user=coordinator, template="membership_pending", context={"membership": membership, "link": link}
            )

    transaction.on_commit(send)


@transaction.atomic
def decide_membership(*, membership: Membership, by, approve: bool) -> Membership:
    """A coordinator approves or rejects a pending claim or invitation; the person is told."""
    from civicbridge.core.rules import is_coordinator

    if not is_coordinator(by):
        raise PermissionDenied
    locked = Membership.objects.select_for_update().select_related("user", "organization").get(pk=membership.pk)
    if locked.status != Membership.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    locked.status = Membership.Status.APPROVED if approve else Membership.Status.REJECTED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    bump_content_version(organization_scope(locked.organization.slug))  # its page lists its representatives
    transaction.on_commit(
        lambda: send_templated_mail(
            user=locked.user, template="membership_decided",
            context={"membership": locked, "link": _absolute(locked.organization.get_absolute_url())},
        )
    )
    return locked


def export_personal_data(*, user) -> str:
    """Everything the platform keeps about a person, as JSON, for that person."""
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "memberships": [
            {"organization": m.organization.name, "status": m.status, "origin": m.origin,
             "message": m.message, "created_at": m.created_at.isoformat()}
            for m in user.memberships.select_related("organization")
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


@transaction.atomic
def erase_account(*, user) -> None:
    """Erase a person's personal data on their request; organizations they registered stay."""
    user.memberships.all().delete()
    bump_content_version(DIRECTORY)
    user.username = f"erased-{user.pk}"
    user.email = f"erased-{user.pk}@erased.invalid"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
