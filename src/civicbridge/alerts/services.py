"""Writes about subscriptions (saved searches): create, change, delete, unsubscribe by link.

Every function takes keyword arguments only and checks that the person acting owns
the subscription; views and the API look subscriptions up among the person's own
first, so another's subscription is a 404 there and a PermissionDenied here.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from civicbridge.core.countries import country_code, country_name
from civicbridge.core.registry import alertables
from civicbridge.directory.models import Organization

from .models import Subscription

# The salt of the links in every alert e-mail sent since the alerts lived in the funding
# app: changing it would break the unsubscribe links people already have.
UNSUBSCRIBE_SALT = "civicbridge.funding.unsubscribe"
# Links in old e-mails keep working this long; a longer-lived link is a weaker secret.
UNSUBSCRIBE_TOKEN_MAX_AGE = 400 * 24 * 3600
MAX_SUBSCRIPTIONS_PER_USER = 50
CRITERIA = (
    "keywords", "funder", "programme", "applicant_kind", "country", "territory", "thematic_area", "min_amount",
    "max_amount",
)
FIELDS = ("name", *CRITERIA, "frequency", "remind_deadlines", "is_active")


# --- unsubscribe links ------------------------------------------------------------------

def unsubscribe_token(subscription_id: int) -> str:
    return signing.dumps(subscription_id, salt=UNSUBSCRIBE_SALT, compress=False)


def unsubscribe_path(token: str, language: str) -> str:
    with translation.override(language):
        return reverse("alerts:unsubscribe", kwargs={"token": token})


def unsubscribe_url(subscription_id: int, language: str) -> str:
    """The absolute unsubscribe link put in every alert e-mail (no log-in needed)."""
    return absolute(unsubscribe_path(unsubscribe_token(subscription_id), language))


def absolute(path: str) -> str:
    return settings.CIVICBRIDGE_SITE_URL.rstrip("/") + path


def _max_age() -> int:
    return getattr(settings, "CIVICBRIDGE_UNSUBSCRIBE_TOKEN_MAX_AGE", UNSUBSCRIBE_TOKEN_MAX_AGE)


def subscription_for_token(token: str) -> Subscription:
    """The subscription a link names; ValidationError for a forged, garbled or expired link."""
    try:
        subscription_id = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=_max_age())
    except signing.SignatureExpired as error:
        raise ValidationError(_("This unsubscribe link has expired. Log in to manage your alerts.")) from error
    except signing.BadSignature as error:
        raise ValidationError(_("This unsubscribe link is not valid.")) from error
    subscription = (
        Subscription.objects.select_related("user").filter(pk=subscription_id).first()
        if isinstance(subscription_id, int) else None
    )
    if subscription is None:
        raise ValidationError(_("This alert no longer exists."))
    return subscription


@transaction.atomic
def unsubscribe_by_token(*, token: str) -> Subscription:
    """Stop the alerts a signed link names; anyone holding the link may, once or many times."""
    subscription = subscription_for_token(token)
    Subscription.objects.filter(pk=subscription.pk).update(is_active=False)
    subscription.is_active = False
    return subscription


# --- writes by the owner --------------------------------------------------------------------

def _ensure_owner(subscription: Subscription, by) -> None:
    if not by.is_authenticated or subscription.user_id != by.pk:
        raise PermissionDenied


def _validate_kind(kind: str) -> None:
    if kind and kind not in Organization.Kind.values:
        raise ValidationError({"applicant_kind": [_("Choose a valid kind of applicant.")]})


def _country(code) -> str:
    """A country as the calls list's filter takes it (``de`` is ``DE``); refuses what is no code."""
    try:
        return country_code(code)
    except ValidationError as error:
        raise ValidationError({"country": error.messages}) from error


def _validate_alertable(key: str) -> None:
    if key not in alertables:
        raise ValidationError({"alertable": [_("Choose content that alerts can be set on.")]})


def _everything(alertable: str) -> str:
    if alertable not in alertables:
        return alertable
    content = alertables.get(alertable)
    return str(content.everything or content.label)


def _amount(value) -> str:
    """An amount as the page's language groups it: 10,000 / 10 000."""
    return number_format(Decimal(value).normalize(), force_grouping=True)


def describe_criteria(*, alertable: str, keywords="", funder=None, programme=None, applicant_kind="", country="",
                      territory=None, thematic_area=None, min_amount=None, max_amount=None) -> str:
    """A name for a saved search, in the active language: its filters, or the content's name ("Calls for proposals")."""
    parts = []
    if keywords:
        parts.append(f"“{keywords.strip()}”")
    if funder is not None:
        parts.append(str(funder))
    if programme is not None:
        parts.append(str(programme))
    if applicant_kind:
        parts.append(str(Organization.Kind(applicant_kind).label) if applicant_kind in Organization.Kind.values
                     else applicant_kind)
    if country:
        parts.append(_("applicants from %(country)s") % {"country": country_name(country)})
    if territory is not None:
        parts.append(str(territory))
    if thematic_area is not None:
        parts.append(str(thematic_area))
    if min_amount is not None:
        parts.append(_("grants of at least %(amount)s") % {"amount": _amount(min_amount)})
    if max_amount is not None:
        parts.append(_("grants of at most %(amount)s") % {"amount": _amount(max_amount)})
    name = " · ".join(parts) or _everything(alertable)
    return name if len(name) <= 200 else name[:199] + "…"


@transaction.atomic
def create_subscription(
    *, user, alertable: str, keywords: str = "", funder=None, programme=None, applicant_kind: str = "", country: str = "",
    territory=None, thematic_area=None, min_amount=None, max_amount=None, frequency: str = Subscription.Frequency.INSTANT, remind_deadlines: bool = True,
    name: str = "",
) -> Subscription:
    """Save a search over content ``alertable`` (a key of ``core.registry.alertables``) for ``user``.

    Its name says its filters unless one is given. Refuses unknown content, anonymous users, a 51st subscription and a second active subscription with
    the same filters (the person would get each call twice); re-saving an inactive one
    with the same filters switches it back on with the new frequency instead.
    """
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    # The owner's row is locked so that two quick submissions are checked one after the other.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    keywords = " ".join((keywords or "").split())
    country = _country(country)
    _validate_alertable(alertable)
    _validate_kind(applicant_kind)
    criteria = {
        "keywords": keywords, "funder": funder, "programme": programme, "applicant_kind": applicant_kind or "",
        "country": country, "territory": territory, "thematic_area": thematic_area, "min_amount": min_amount,
        "max_amount": max_amount,
    }
    same = Subscription.objects.filter(
        user=user, alertable=alertable, keywords__iexact=keywords,
        **{name: value for name, value in criteria.items() if name != "keywords"},
    ).first()
    if same is not None:
        if same.is_active:
            raise ValidationError(_("You already have an alert for this search: “%(name)s”.") % {"name": same.name})
        same.is_active = True
        same.frequency = frequency
        same.remind_deadlines = remind_deadlines
        same.full_clean()
        same.save(update_fields=["is_active", "frequency", "remind_deadlines", "updated_at"])
        return same
    if Subscription.objects.filter(user=user).count() >= MAX_SUBSCRIPTIONS_PER_USER:
        raise ValidationError(
            _("You have %(count)d alerts, the most one person may keep. Delete one first.")
            % {"count": MAX_SUBSCRIPTIONS_PER_USER}
        )
    subscription = Subscription(
        user=user, alertable=alertable, frequency=frequency,
        name=(name or "").strip() or describe_criteria(alertable=alertable, **criteria),
        remind_deadlines=remind_deadlines, **criteria,
    )
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def update_subscription(*, subscription: Subscription, by, **changes) -> Subscription:
    """Change one's own subscription (name, filters, frequency, reminders, on/off)."""
    _ensure_owner(subscription, by)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"not a subscription field: {', '.join(sorted(unknown))}")
    if "applicant_kind" in changes:
        changes["applicant_kind"] = changes["applicant_kind"] or ""
        _validate_kind(changes["applicant_kind"])
    if "keywords" in changes:
        changes["keywords"] = " ".join((changes["keywords"] or "").split())
    if "country" in changes:
        changes["country"] = _country(changes["country"])
    for field, value in changes.items():
        setattr(subscription, field, value)
    if not subscription.name.strip():
        subscription.name = describe_criteria(
            alertable=subscription.alertable, **{field: getattr(subscription, field) for field in CRITERIA})
    subscription.full_clean(exclude=["user"])
    subscription.save()
    return subscription


@transaction.atomic
def delete_subscription(*, subscription: Subscription, by) -> None:
    """Delete one's own subscription and its delivery log."""
    _ensure_owner(subscription, by)
    subscription.delete()
