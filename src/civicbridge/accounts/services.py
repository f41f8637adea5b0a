"""Writes about people: sign-up, memberships in organizations, personal data."""

import hashlib
import json
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from civicbridge.core import counters
from civicbridge.core.cache import DIRECTORY, bump_content_version, organization_scope
from civicbridge.core.notifications import queue_mail

from .models import Membership
from .validators import validate_new_username

User = get_user_model()
SIGNUP_SALT = "civicbridge.accounts.signup"


def _absolute(path: str) -> str:
    return settings.CIVICBRIDGE_SITE_URL.rstrip("/") + path


def send_templated_mail(*, user, template: str, context: dict, key: str | None = None) -> bool:
    """Queue an e-mail in the recipient's language (core.notifications); the worker sends it.

    Call it inside the transaction of the write it reports. ``key`` names the delivery:
    the same key is never sent twice. Without one, the key is the template, the person
    and the text itself, so the same message is not sent twice to the same person.
    Answers whether the mail was new.
    """
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
        body = render_to_string(f"accounts/email/{template}.txt", context)
    if key is None:
        digest = hashlib.sha256(f"{subject}\n{body}".encode()).hexdigest()[:32]
        key = f"accounts:{template}:{user.pk}:{digest}"
    return queue_mail(key=key, to=user.email, subject=subject, body=body, language=language)


def _confirmation_fingerprint(user) -> str:
    # A link confirms the sign-up as it was when the link was sent: signing up again with
    # the same address (a new user name or password) makes the older links invalid.
    return salted_hmac(
        SIGNUP_SALT, f"{user.pk}|{user.username}|{user.email}|{user.password}", algorithm="sha256"
    ).hexdigest()[:24]


def confirmation_token(user) -> str:
    return signing.dumps({"user": user.pk, "v": _confirmation_fingerprint(user)}, salt=SIGNUP_SALT)


def _mailbox_full(email: str) -> bool:
    """Count one confirmation link for ``email``; True when the mailbox had enough this hour.

    Nobody can flood a mailbox through us, nor keep replacing its owner's link.
    """
    return bool(counters.over_rate(
        scope="confirmation-mail", ident=email.lower(), rate=settings.CIVICBRIDGE_CONFIRMATION_MAILS_RATE
    ))


def _queue_confirmation(user) -> bool:
    token = confirmation_token(user)
    with translation.override(user.preferred_language):
        link = _absolute(reverse("accounts:confirm", kwargs={"token": token}))
    return send_templated_mail(
        user=user, template="confirm", context={"user": user, "link": link},
        key=f"accounts:confirm:{user.pk}:{uuid.uuid4().hex}",  # each request is its own delivery
    )


def unconfirmed_sign_ups(queryset=None):
    """Sign-ups waiting for their link: inactive, never confirmed, never logged in."""
    queryset = User.objects.all() if queryset is None else queryset
    return queryset.filter(is_active=False, email_confirmed_at__isnull=True, last_login__isnull=True)


@transaction.atomic
def sign_up(*, username: str, email: str, password: str, preferred_language: str) -> "User":
    """Create an inactive account and queue the confirmation link; the account works once confirmed.

    Anyone may call it (the view limits how often per client address). Refuses a user name
    outside ``validate_new_username`` or taken, and an address of a confirmed account. An
    address whose sign-up is still unconfirmed is not refused: that sign-up takes the new
    user name, password and language, and a new link goes out (older links stop working),
    so nobody can block someone else's address by signing up with it first. Past
    ``CIVICBRIDGE_CONFIRMATION_MAILS_RATE`` links to one mailbox in an hour, signing up again
    changes nothing and sends nothing. The e-mail is queued in this transaction and sent by
    the worker: an unreachable mail server never fails a sign-up.
    """
    email = email.strip().lower()
    try:
        validate_new_username(username)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from error
    user = unconfirmed_sign_ups(User.objects.select_for_update()).filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, is_active=False)
    if User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        raise ValidationError({"username": [_("This user name is already taken.")]})
    mailbox_full = _mailbox_full(email)
    if user.pk and mailbox_full:
        # The waiting sign-up and the link already in its mailbox stay as they are: whoever
        # keeps signing up with someone else's address cannot keep replacing its owner's link.
        return user
    user.username = username
    user.preferred_language = preferred_language
    user.set_password(password)
    user.full_clean(exclude=["password"], validate_unique=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError({"username": [_("This user name or e-mail is already taken.")]}) from error
    if not mailbox_full:
        _queue_confirmation(user)
    return user


@transaction.atomic
def resend_confirmation(*, email: str) -> None:
    """Queue a new confirmation link for the unconfirmed sign-up with this address, if any.

    Anyone may call it; it answers nothing either way, so that it does not tell which
    addresses have accounts (the view limits how often per client address).
    """
    user = unconfirmed_sign_ups(User.objects.select_for_update()).filter(email__iexact=email.strip()).first()
    if user is not None and not _mailbox_full(user.email):
        _queue_confirmation(user)


@transaction.atomic
def confirm_sign_up(*, token: str) -> "User":
    """Activate the account named by a confirmation token; refuses expired, forged or replaced links."""
    try:
        payload = signing.loads(token, salt=SIGNUP_SALT, max_age=settings.CIVICBRIDGE_SIGNUP_TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(_("This confirmation link has expired. Sign up again.")) from error
    except signing.BadSignature as error:
        raise ValidationError(_("This confirmation link is not valid.")) from error
    user = User.objects.select_for_update().filter(pk=payload.get("user")).first()
    if user is None:
        raise ValidationError(_("This confirmation link is not valid."))
    if user.email_confirmed_at is None:
        if not constant_time_compare(str(payload.get("v", "")), _confirmation_fingerprint(user)):
            raise ValidationError(
                _("This confirmation link is not valid any more: a newer one was sent. Open the newest e-mail.")
            )
        user.is_active = True
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["is_active", "email_confirmed_at"])
    return user


def delete_expired_sign_ups() -> int:
    """Delete sign-ups left unconfirmed for longer than their link is valid; answer how many.

    Only inactive accounts that were never confirmed and never logged in: an account a
    coordinator deactivated stays. The address becomes free for a new sign-up.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.CIVICBRIDGE_SIGNUP_TOKEN_MAX_AGE)
    expired = unconfirmed_sign_ups(User.objects.filter(date_joined__lt=cutoff))
    deleted = 0
    for pk in list(expired.values_list("pk", flat=True)):
        with transaction.atomic():
            # Checked again under the lock: a link opened at this moment wins.
            deleted += unconfirmed_sign_ups(User.objects.select_for_update().filter(pk=pk, date_joined__lt=cutoff)).delete()[1].get(
                User._meta.label, 0
            )
    return deleted


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
    # Queued in the caller's transaction: a rolled-back request tells nobody.
    link = _absolute(reverse("accounts:memberships_pending"))
    for coordinator in User.objects.filter(is_coordinator=True, is_active=True):
        send_templated_mail(
            user=coordinator, template="membership_pending", context={"membership": membership, "link": link},
            key=f"accounts:membership_pending:{membership.pk}:{coordinator.pk}",
        )


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
