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
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from civicbridge.core import counters
from civicbridge.core.models import SitePage
from civicbridge.core.notifications import Mail, forget_recipient, queue_mails
from civicbridge.core.rules import is_coordinator
from civicbridge.core.selectors import site_page

from .models import Membership, RightsChange
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
    return queue_mails([templated_mail(user=user, template=template, context=context, key=key)]) == 1


def templated_mail(*, user, template: str, context: dict, key: str | None = None) -> Mail:
    """The e-mail ``send_templated_mail`` queues, for queueing many in one statement."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
        body = render_to_string(f"accounts/email/{template}.txt", context)
    if key is None:
        digest = hashlib.sha256(f"{subject}\n{body}".encode()).hexdigest()[:32]
        key = f"accounts:{template}:{user.pk}:{digest}"
    return Mail(key=key, to=user.email, subject=subject, body=body, language=language)


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


def _queue_confirmation(user, *, next_url: str = "") -> bool:
    token = confirmation_token(user)
    with translation.override(user.preferred_language):
        link = _absolute(reverse("accounts:confirm", kwargs={"token": token}))
    if next_url:
        link = f"{link}?{urlencode({'next': next_url})}"
    return send_templated_mail(
        user=user, template="confirm", context={"user": user, "link": link},
        key=f"accounts:confirm:{user.pk}:{uuid.uuid4().hex}",  # each request is its own delivery
    )


def unconfirmed_sign_ups(queryset=None):
    """Sign-ups waiting for their link: inactive, never confirmed, never logged in."""
    queryset = User.objects.all() if queryset is None else queryset
    return queryset.filter(is_active=False, email_confirmed_at__isnull=True, last_login__isnull=True)


@transaction.atomic
def sign_up(
    *, username: str, email: str, password: str, preferred_language: str, accepted_privacy: bool, next_url: str = "",
) -> "User":
    """Create an inactive account and queue the confirmation link; the account works once confirmed.

    Anyone may call it (the view limits how often per client address). Refuses a user name
    outside ``validate_new_username`` or taken, and an address of a confirmed account. An
    address whose sign-up is still unconfirmed is not refused: that sign-up takes the new
    user name, password and language, and a new link goes out (older links stop working),
    so nobody can block someone else's address by signing up with it first. Past
    ``CIVICBRIDGE_CONFIRMATION_MAILS_RATE`` links to one mailbox in an hour, signing up again
    changes nothing and sends nothing. The e-mail is queued in this transaction and sent by
    the worker: an unreachable mail server never fails a sign-up. The link leads on to
    ``next_url`` (an address on this site, checked by the caller) once the account is confirmed.
    """
    email = email.strip().lower()
    if not accepted_privacy:
        raise ValidationError({"accept_privacy": [_("Read the privacy notice and accept it to sign up.")]})
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
    notice = site_page(SitePage.Kind.PRIVACY)
    user.privacy_accepted_at = timezone.now()
    user.privacy_notice_version = notice.version if notice else 0
    user.set_password(password)
    user.full_clean(exclude=["password"], validate_unique=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError({"username": [_("This user name or e-mail is already taken.")]}) from error
    if not mailbox_full:
        _queue_confirmation(user, next_url=next_url)
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


# --- memberships: every role passes a coordinator, every grant and revocation is recorded ------


def record_rights_change(
    *, user, right: str, action: str, by, organization=None, origin: str = "", reason: str = ""
) -> RightsChange:
    """Write one line of the rights log; call it in the transaction of the change it records."""
    return RightsChange.objects.create(
        user=user, right=right, action=action, by=by if by is not None and by.pk else None,
        organization=organization, organization_name=organization.name if organization is not None else "",
        origin=origin, reason=(reason or "").strip(),
    )


def _ensure_listed(organization) -> None:
    # Nobody but its registrant may join a public body whose registration waits or was rejected:
    # that registration is decided first, on its founder's request.
    if not organization.is_listed:
        raise ValidationError(
            _("This organization's registration has not been approved by a coordinator; nobody can join it yet.")
        )


@transaction.atomic
def claim_organization(*, user, organization, message: str) -> Membership:
    """A person asks to represent an organization; a coordinator decides.

    Refused for an organization whose registration is not approved and listed.
    """
    if not user.has_perm("directory.claim_organization", organization):
        raise PermissionDenied
    _ensure_listed(organization)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, organization=organization, origin=Membership.Origin.CLAIM, message=message
            )
    except IntegrityError as error:
        raise ValidationError(_("You have already asked to represent this organization, or you represent it.")) from error
    _notify_coordinators(membership)
    return membership


def request_as_founder(*, user, organization) -> Membership:
    """The person who registered ``organization`` asks to represent it (``directory.services`` calls this).

    The request waits for a coordinator like a claim; deciding it decides the registration too.
    """
    membership = Membership.objects.create(
        user=user, organization=organization, origin=Membership.Origin.FOUNDER,
        status=Membership.Status.PENDING,
    )
    _notify_coordinators(membership)
    return membership


@transaction.atomic
def invite_representative(*, organization, email: str, by) -> Membership:
    """A representative (or coordinator) names another registered person as representative.

    A coordinator's invitation is a grant, recorded at once; others wait for a coordinator.
    Refused for an organization whose registration is not approved and listed.
    """
    if not by.has_perm("directory.invite_representative", organization):
        raise PermissionDenied
    _ensure_listed(organization)
    invitee = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if invitee is None:
        raise ValidationError({"email": [_("Nobody with this e-mail has an account. Ask them to sign up first.")]})
    by_coordinator = is_coordinator(by)
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
        record_rights_change(
            user=invitee, right=RightsChange.Right.MEMBERSHIP, action=RightsChange.Action.GRANTED, by=by,
            organization=organization, origin=membership.origin, reason=_("Invited by a coordinator."),
        )
    return membership


def _notify_coordinators(membership: Membership) -> None:
    # Queued in the caller's transaction: a rolled-back request tells nobody.
    # One statement for all of them: each round trip of a registration is paid again under load.
    link = _absolute(reverse("accounts:memberships_pending"))
    queue_mails(
        templated_mail(
            user=coordinator, template="membership_pending", context={"membership": membership, "link": link},
            key=f"accounts:membership_pending:{membership.pk}:{coordinator.pk}",
        )
        for coordinator in User.objects.filter(is_coordinator=True, is_active=True)
    )


@transaction.atomic
def decide_membership(*, membership: Membership, by, approve: bool, reason: str = "") -> Membership:
    """A coordinator approves or rejects a pending claim, invitation or founder's request.

    Coordinators only; refuses a request already decided (by another coordinator at the same
    moment, too: the row is locked). The founder's request decides the organization's
    registration with it. Recorded in the rights log; the person is told.
    """
    from civicbridge.directory.models import Organization

    if not is_coordinator(by):
        raise PermissionDenied
    locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None or locked.status != Membership.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    organization = Organization.objects.select_for_update().get(pk=locked.organization_id)
    founder = locked.origin == Membership.Origin.FOUNDER
    if approve and not founder and not organization.is_listed:
        raise ValidationError(
            _("Decide the organization's registration first: approve or reject the request of the person who registered it.")
        )
    locked.status = Membership.Status.APPROVED if approve else Membership.Status.REJECTED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    if founder and organization.registration == Organization.Registration.PENDING:
        organization.registration = (
            Organization.Registration.APPROVED if approve else Organization.Registration.REJECTED
        )
        organization.save(update_fields=["registration", "updated_at"])
    record_rights_change(
        user=locked.user, right=RightsChange.Right.MEMBERSHIP,
        action=RightsChange.Action.GRANTED if approve else RightsChange.Action.REJECTED,
        by=by, organization=organization, origin=locked.origin, reason=reason,
    )
    locked.organization = organization
    # Queued in this transaction: a decision rolled back tells nobody.
    send_templated_mail(
        user=locked.user, template="membership_decided",
        context={"membership": locked, "link": _absolute(organization.get_absolute_url())},
        key=f"accounts:membership_decided:{locked.pk}",
    )
    return locked


@transaction.atomic
def revoke_membership(*, membership: Membership, by, reason: str) -> None:
    """A coordinator takes back an approved membership, saying why.

    Coordinators only; the reason is required; refuses a membership that is not (or no longer)
    approved. The person may ask again later; the rights log keeps the revocation.
    """
    if not is_coordinator(by):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the right is taken back.")]})
    locked = Membership.objects.select_for_update().select_related("user", "organization").filter(pk=membership.pk).first()
    if locked is None or locked.status != Membership.Status.APPROVED:
        raise ValidationError(_("This person does not represent this organization (any more)."))
    record_rights_change(
        user=locked.user, right=RightsChange.Right.MEMBERSHIP, action=RightsChange.Action.REVOKED, by=by,
        organization=locked.organization, origin=locked.origin, reason=reason,
    )
    locked.delete()


@transaction.atomic
def leave_organization(*, membership: Membership, by) -> None:
    """A person stops representing an organization, or withdraws a request still waiting.

    Only the person themself; leaving an approved membership is recorded in the rights log.
    """
    if not (by.is_authenticated and membership.user_id == by.pk):
        raise PermissionDenied
    locked = Membership.objects.select_for_update().select_related("organization").filter(pk=membership.pk).first()
    if locked is None:
        raise ValidationError(_("This person does not represent this organization (any more)."))
    if locked.status == Membership.Status.APPROVED:
        record_rights_change(
            user=by, right=RightsChange.Right.MEMBERSHIP, action=RightsChange.Action.LEFT, by=by,
            organization=locked.organization, origin=locked.origin,
        )
    locked.delete()


@transaction.atomic
def grant_membership(*, user, organization, by, reason: str = "") -> Membership:
    """A coordinator makes ``user`` a representative (an officer, for a public body) directly.

    Coordinators only (the administration site's way of adding one); a pending request of the
    person is approved instead. Refused for an organization whose registration is not approved.
    """
    if not is_coordinator(by):
        raise PermissionDenied
    _ensure_listed(organization)
    existing = Membership.objects.select_for_update().filter(user=user, organization=organization).first()
    if existing is not None:
        if existing.status == Membership.Status.PENDING:
            return decide_membership(membership=existing, by=by, approve=True, reason=reason)
        if existing.status == Membership.Status.APPROVED:
            raise ValidationError(_("This person already represents this organization."))
        existing.delete()  # a rejected request does not stop a coordinator's own decision
    membership = Membership.objects.create(
        user=user, organization=organization, origin=Membership.Origin.COORDINATOR,
        status=Membership.Status.APPROVED, decided_by=by, decided_at=timezone.now(),
    )
    record_rights_change(
        user=user, right=RightsChange.Right.MEMBERSHIP, action=RightsChange.Action.GRANTED, by=by,
        organization=organization, origin=membership.origin, reason=reason,
    )
    return membership


STAFF_FLAGS = {
    "is_coordinator": RightsChange.Right.COORDINATOR,
    "is_staff": RightsChange.Right.STAFF,
    "is_superuser": RightsChange.Right.SUPERUSER,
}


@transaction.atomic
def set_staff_flags(*, user, by, flags: dict[str, bool], reason: str = "") -> list[RightsChange]:
    """Give or take the coordinator, administration-site or superuser flag; each change is recorded.

    Coordinators only; the superuser flag only by a superuser (nobody raises themself above
    what they hold). Flags not named in ``flags`` or unchanged are left and not recorded.
    """
    if not is_coordinator(by):
        raise PermissionDenied
    unknown = set(flags) - set(STAFF_FLAGS)
    if unknown:
        raise ValueError(f"not a staff flag: {sorted(unknown)}")
    locked = User.objects.select_for_update().get(pk=user.pk)
    changed = {name: bool(value) for name, value in flags.items() if bool(getattr(locked, name)) != bool(value)}
    if "is_superuser" in changed and not by.is_superuser:
        raise PermissionDenied
    records = []
    for name, value in changed.items():
        setattr(locked, name, value)
        records.append(record_rights_change(
            user=locked, right=STAFF_FLAGS[name],
            action=RightsChange.Action.GRANTED if value else RightsChange.Action.REVOKED, by=by, reason=reason,
        ))
    if changed:
        locked.save(update_fields=list(changed))
        for name, value in changed.items():
            setattr(user, name, value)
    return records


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
    from civicbridge.core.registry import personal_data

    # What each app keeps about the person: alerts, registrations, remarks, messages...
    for key, export in sorted(personal_data.entries.items()):
        data[key] = export(user)
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


@transaction.atomic
def erase_account(*, user) -> None:
    """Erase a person's personal data on their request; organizations they registered stay.

    The rights they held end, recorded as given up (the log keeps the erased account's number).
    """
    for membership in user.memberships.approved().select_related("organization"):
        record_rights_change(
            user=user, right=RightsChange.Right.MEMBERSHIP, action=RightsChange.Action.LEFT, by=user,
            organization=membership.organization, origin=membership.origin, reason=_("Account erased."),
        )
    user.memberships.all().delete()
    forget_recipient(address=user.email)  # the outbox keeps no copy of mail to an erased person
    user.username = f"erased-{user.pk}"
    user.email = f"erased-{user.pk}@erased.invalid"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
