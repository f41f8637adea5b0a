"""Every write of the partner search goes through here, with its permission check and validation.

Notifications go by e-mail, queued in the write's transaction and sent by the worker
(core.notifications), to the approved representatives of the organization on the other side,
each in their own language:

- an organization answers a request: the poster's representatives hear of it;
- the poster accepts or declines an answer: the answering organization's representatives hear
  of it, and so do the poster's other representatives (so that colleagues know who decided);
- the poster closes a request: organizations whose answer still waits hear that it is closed.

Contact goes through the platform: e-mails name organizations and their public contacts from
the registry, never a person's own address.
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from civicbridge.core.duplicates import once
from civicbridge.core.notifications import queue_mail
from civicbridge.core.search import build_document
from civicbridge.core.validators import add_model_errors
from civicbridge.directory.models import Organization
from civicbridge.directory.rules import is_representative_of

from . import phases
from .countries import all_names, is_known, split_codes
from .models import ExpressionOfInterest, Invitation, PartnerRequest, Twinning

logger = logging.getLogger(__name__)

REQUEST_FIELDS = (
    "direction", "title", "description", "call", "role_sought", "partner_kinds", "countries",
    "expected_contribution", "deadline",
)
TWINNING_FIELDS = ("territory", "partner_city", "partner_country", "since", "contact", "activities", "website")
MESSAGE_MAX_LENGTH = 5000
EARLIEST_TWINNING_YEAR = 1900


# --- search ----------------------------------------------------------------------------------


def request_search_document(partner_request: PartnerRequest) -> str:
    """What search finds a request by; empty once it is closed, so that it leaves every search."""
    if partner_request.status == PartnerRequest.Status.CLOSED:
        return ""
    parts = [
        partner_request.title, partner_request.description, partner_request.role_sought,
        partner_request.expected_contribution, partner_request.organization.name,
    ]
    if partner_request.call_id:
        parts += [partner_request.call.identifier, partner_request.call.title]
    if partner_request.pk:
        for area in partner_request.thematic_areas.all():
            parts += [area.name_en, area.name_pl, area.name_tr]
        for territory in partner_request.territories.all():
            parts += [territory.name_en, territory.name_pl, territory.name_tr]
    for code in split_codes(partner_request.countries):
        parts += all_names(code)
    return build_document(*parts)


def _reindex(partner_request: PartnerRequest) -> None:
    partner_request.search_document = request_search_document(partner_request)
    partner_request.save(update_fields=["search_document"])


# --- partner requests -----------------------------------------------------------------------------


def _clean_codes(value, *, known, field: str, message: str, errors: dict) -> str:
    codes = split_codes(value, upper=field != "partner_kinds")
    unknown = [code for code in codes if not known(code)]
    if unknown:
        errors[field] = [message % {"codes": ", ".join(unknown)}]
    return ",".join(codes)


def request_errors(
    partner_request: PartnerRequest, *, previous: PartnerRequest | None, unchecked=frozenset()
) -> dict[str, list[str]]:
    """Normalize the request's texts and codes and answer the errors per field its own data shows.

    ``previous`` is the request as it was (None for a new one): a deadline or a call it already
    had is not judged again. The services refuse a request with any error; the form shows them
    beside its fields' own. ``unchecked`` are fields whose value is not known (the form refused
    what was typed): the checks that read them are left out rather than judge a value nobody gave.
    """
    errors: dict[str, list[str]] = {}
    for field in ("title", "role_sought"):
        if field not in unchecked:
            setattr(partner_request, field, (getattr(partner_request, field) or "").strip())
    if "partner_kinds" not in unchecked:
        partner_request.partner_kinds = _clean_codes(
            partner_request.partner_kinds, known=lambda code: code in Organization.Kind.values,
            field="partner_kinds", message=_("Unknown kind of organization: %(codes)s."), errors=errors,
        )
    if "countries" not in unchecked:
        partner_request.countries = _clean_codes(
            partner_request.countries, known=is_known, field="countries",
            message=_("Unknown country code: %(codes)s. Use two-letter ISO codes such as DE or TR."), errors=errors,
        )
    deadline = None if "deadline" in unchecked else partner_request.deadline
    deadline_changed = previous is None or previous.deadline != deadline
    if deadline and deadline_changed and deadline < phases.today():
        errors["deadline"] = [_("The answer deadline cannot be in the past.")]
    call_changed = previous is None or previous.call_id != partner_request.call_id
    if "call" not in unchecked and partner_request.call_id and call_changed:
        call = partner_request.call
        if call.published_at is None or call.status() == call.Status.CLOSED:
            errors["call"] = [
                _("A partner search is attached to an open or forthcoming call; this call is not open.")
            ]
    add_model_errors(
        errors, partner_request,
        exclude=["organization", "created_by", "search_document", "partner_kinds", "countries", "call", *unchecked],
        validate_constraints=False,
    )
    return errors


def _validate_request(partner_request: PartnerRequest, *, previous: PartnerRequest | None) -> None:
    errors = request_errors(partner_request, previous=previous)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def post_request(*, by, organization: Organization, data: dict, thematic_areas=(), territories=()) -> PartnerRequest:
    """Post a partner request or offer for ``organization``.

    Only its representatives (and coordinators, on its behalf) may. Refuses unknown kinds or
    country codes, a deadline in the past and a call that is closed or unpublished. The same
    person posting the same content again within ``CIVICBRIDGE_DUPLICATE_WINDOW_SECONDS`` gets
    the first request back (``core.duplicates``): twenty identical clicks make one request.
    """
    if not by.has_perm("partners.post_request", organization):
        raise PermissionDenied
    partner_request = PartnerRequest(
        organization=organization, created_by=by,
        **{field: value for field, value in data.items() if field in REQUEST_FIELDS},
    )
    _validate_request(partner_request, previous=None)

    def post() -> PartnerRequest:
        partner_request.save()
        partner_request.thematic_areas.set(thematic_areas)
        partner_request.territories.set(territories)
        _reindex(partner_request)
        return partner_request

    content = {
        "organization": organization.pk,
        **{field: getattr(partner_request, field) for field in REQUEST_FIELDS},
        "thematic_areas": sorted(getattr(area, "pk", area) for area in thematic_areas or ()),
        "territories": sorted(getattr(territory, "pk", territory) for territory in territories or ()),
    }
    return once(user=by, kind="partners.request", content=content, model=PartnerRequest, create=post)


@transaction.atomic
def update_request(*, by, partner_request: PartnerRequest, data: dict, thematic_areas=None, territories=None) -> PartnerRequest:
    """Change a request: its organization's representatives and coordinators; not once it is closed."""
    if not by.has_perm("partners.change_request", partner_request):
        raise PermissionDenied
    locked = PartnerRequest.objects.select_for_update().select_related("organization").get(pk=partner_request.pk)
    if locked.status == PartnerRequest.Status.CLOSED:
        raise ValidationError(_("This request is closed; it cannot be changed."))
    previous = PartnerRequest(deadline=locked.deadline, call_id=locked.call_id)
    for field in REQUEST_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    _validate_request(locked, previous=previous)
    locked.save()
    if thematic_areas is not None:
        locked.thematic_areas.set(thematic_areas)
    if territories is not None:
        locked.territories.set(territories)
    _reindex(locked)
    return locked


@transaction.atomic
def close_request(*, by, partner_request: PartnerRequest) -> PartnerRequest:
    """Close a request (partners found, or the idea dropped): it leaves the list and search.

    Its organization's representatives and coordinators may. Organizations whose answer is
    still waiting are told.
    """
    if not by.has_perm("partners.change_request", partner_request):
        raise PermissionDenied
    locked = PartnerRequest.objects.select_for_update().select_related("organization").get(pk=partner_request.pk)
    if locked.status == PartnerRequest.Status.CLOSED:
        raise ValidationError(_("This request is already closed."))
    locked.status = PartnerRequest.Status.CLOSED
    locked.search_document = request_search_document(locked)
    locked.save(update_fields=["status", "search_document", "updated_at"])
    waiting = locked.answers.filter(status=ExpressionOfInterest.Status.PENDING).select_related("organization")
    for interest in waiting:
        _notify(
            organization_id=interest.organization_id, template="request_closed",
            context={"partner_request": locked, "interest": interest}, link=locked.get_absolute_url,
        )
    return locked


# --- expressions of interest ------------------------------------------------------------------------


def answers_closed_message(partner_request: PartnerRequest) -> str:
    if partner_request.status == PartnerRequest.Status.CLOSED:
        return _("This request is closed; it no longer accepts answers.")
    return _("The deadline for answers (%(date)s) has passed.") % {
        "date": formats.date_format(partner_request.deadline, "DATE_FORMAT")
    }


@transaction.atomic
def express_interest(*, by, request: PartnerRequest, organization: Organization, message: str) -> ExpressionOfInterest:
    """An organization answers a partner request with a message.

    By a representative of that organization, which must not be the poster; only while the
    request is open and until the end of its deadline day (deployment time zone). One answer
    per organization: the database's unique constraint stops a second one, even a concurrent one.
    """
    if not is_representative_of(by, organization):
        raise PermissionDenied
    # Locked so that an answer cannot slip in while the poster closes the request.
    locked = PartnerRequest.objects.select_for_update().get(pk=request.pk)
    if organization.pk == locked.organization_id:
        raise ValidationError({"organization": [_("An organization cannot answer its own request.")]})
    if not phases.accepts_answers(locked):
        raise ValidationError(answers_closed_message(locked))
    message = _clean_message(message, missing=_("Write a few words about what your organization brings."))
    interest = _create_once(
        ExpressionOfInterest, _("This organization has already answered this request."),
        request=locked, organization=organization, message=message, created_by=by,
    )
    refresh_last_answers([organization.pk])
    _notify(
        organization_id=locked.organization_id, template="interest_received",
        context={"partner_request": locked, "interest": interest, "organization": organization},
        link=locked.get_absolute_url,
    )
    return interest


def refresh_last_answers(organization_ids=None) -> None:
    """Set each organization's ``last_answered_at`` to the time of its newest answer (or none).

    Partner matching reads who answered lately from that column (an index range, not thousands
    of rows). Every write that adds or removes answers calls this for the organizations whose
    answers changed: an answer given here, the admin's changes and deletions, data loaded in
    bulk (``None``: every organization that has answered or had).
    """
    newest = (
        ExpressionOfInterest.objects.filter(organization_id=OuterRef("pk")).order_by()
        .values("organization_id").annotate(newest=Max("created_at")).values("newest")
    )
    if organization_ids is None:
        organizations = Organization.objects.filter(last_answered_at__isnull=False) | Organization.objects.filter(
            pk__in=ExpressionOfInterest.objects.values("organization_id")
        )
    else:
        organizations = Organization.objects.filter(pk__any=set(organization_ids))
    with transaction.atomic():
        # Locked first, in id order, and counted by a statement of its own: an update that waited
        # for another answer's transaction would count with the snapshot it began with, without
        # that answer, and could put an older time over a newer one.
        list(organizations.order_by("pk").select_for_update().values_list("pk", flat=True))
        organizations.update(last_answered_at=Subquery(newest))


@transaction.atomic
def decide_interest(*, by, interest: ExpressionOfInterest, accept: bool) -> ExpressionOfInterest:
    """The poster accepts or declines an answer: its representatives only, once per answer."""
    if not by.has_perm("partners.decide_interest", interest):
        raise PermissionDenied
    locked = (
        ExpressionOfInterest.objects.select_for_update()
        .select_related("request__organization", "organization")
        .get(pk=interest.pk)
    )
    if locked.status != ExpressionOfInterest.Status.PENDING:
        raise ValidationError(_("This answer has already been decided."))
    locked.status = ExpressionOfInterest.Status.ACCEPTED if accept else ExpressionOfInterest.Status.DECLINED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    context = {"partner_request": locked.request, "interest": locked}
    _notify(
        organization_id=locked.organization_id, template="interest_decided", context=context,
        link=locked.request.get_absolute_url,
    )
    _notify(
        organization_id=locked.request.organization_id, template="interest_decided_poster", context=context,
        link=locked.request.get_absolute_url, exclude_user_id=by.pk,
    )
    return locked


# How many organizations one person may invite in a day, over all their requests: enough to
# invite every match of a few requests, too few to turn the platform into a mailing tool.
INVITATIONS_PER_DAY = 20


class TooManyInvitations(Exception):
    """The person has sent their day's invitations; the view answers 429."""


def invitations_per_day() -> int:
    return getattr(settings, "CIVICBRIDGE_PARTNER_INVITATIONS_PER_DAY", INVITATIONS_PER_DAY)


def may_invite(user, partner_request: PartnerRequest) -> bool:
    """Whether ``user`` may invite organizations to answer: a representative of the poster."""
    return bool(user.is_authenticated and user.is_active and is_representative_of(user, partner_request.organization))


@transaction.atomic
def invite_organization(*, by, partner_request: PartnerRequest, organization: Organization, message: str = "") -> Invitation:
    """The poster invites an organization to answer its request: a message through the
    platform to the organization's representatives.

    By a representative of the posting organization only (PermissionDenied otherwise, also
    for coordinators: the invitation speaks in the poster's name); while the request accepts
    answers; never the poster itself, an entry the public cannot see, one without
    representatives, or one that has already answered. Once per organization and request:
    the database's unique constraint stops a second one, even a concurrent one. At most
    ``invitations_per_day()`` in 24 hours per person (TooManyInvitations).
    """
    if not may_invite(by, partner_request):
        raise PermissionDenied
    # Locked: invitations to one request are counted and written one at a time.
    locked = PartnerRequest.objects.select_for_update().select_related("organization").get(pk=partner_request.pk)
    if not phases.accepts_answers(locked):
        raise ValidationError(answers_closed_message(locked))
    if organization.pk == locked.organization_id:
        raise ValidationError({"organization": [_("An organization cannot be invited to its own request.")]})
    if not organization.is_listed:
        raise ValidationError({"organization": [_("This organization is not listed in the registry.")]})
    if ExpressionOfInterest.objects.filter(request=locked, organization=organization).exists():
        raise ValidationError({"organization": [_("This organization has already answered your request.")]})
    if not representatives(organization.pk).exists():
        raise ValidationError({"organization": [
            _("Nobody represents this organization on the platform yet: contact it through its own address.")
        ]})
    message = _clean_message(message)
    since = timezone.now() - datetime.timedelta(days=1)
    if Invitation.objects.filter(invited_by=by, created_at__gte=since).count() >= invitations_per_day():
        raise TooManyInvitations(_("You have sent %(count)s invitations in the last 24 hours; try again tomorrow.")
                                 % {"count": invitations_per_day()})
    invitation = _create_once(
        Invitation, _("You have already invited this organization to answer this request."),
        request=locked, organization=organization, message=message, invited_by=by,
    )
    _notify(
        organization_id=organization.pk, template="invitation",
        context={"partner_request": locked, "invitation": invitation, "organization": organization},
        link=locked.get_absolute_url,
    )
    return invitation


# --- e-mail -----------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.CIVICBRIDGE_SITE_URL.rstrip("/") + path


def representatives(organization_id: int, *, exclude_user_id: int | None = None):
    """The active people an organization's approved memberships name, who hear of its partner search."""
    from civicbridge.accounts.models import Membership

    users = get_user_model().objects.filter(
        is_active=True,
        pk__in=Membership.objects.approved().filter(organization_id=organization_id).values("user_id"),
    )
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users.order_by("pk")


def send_partner_mail(*, user, template: str, context: dict, link) -> bool:
    """Queue one e-mail in the recipient's language; ``link`` gives a path in that language.

    Call it in the write's transaction: a rolled-back write sends nothing, and a mail
    server that fails never turns the write into an error page (the worker retries).
    The same text to the same person about the same thing is queued once.
    """
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        full = {**context, "user": user, "link": _absolute(link()), "site_url": _absolute("")}
        subject = " ".join(render_to_string(f"partners/email/{template}_subject.txt", full).split())
        body = render_to_string(f"partners/email/{template}.txt", full)
    digest = hashlib.sha256(f"{subject}\n{body}".encode()).hexdigest()[:32]
    return queue_mail(key=f"partners:{template}:{user.pk}:{digest}", to=user.email, subject=subject, body=body,
                      language=language)


def _notify(*, organization_id: int, template: str, context: dict, link, exclude_user_id=None) -> None:
    for user in representatives(organization_id, exclude_user_id=exclude_user_id):
        send_partner_mail(user=user, template=template, context=context, link=link)


# --- city twinning ----------------------------------------------------------------------------------


def _validate_twinning(twinning: Twinning) -> None:
    errors: dict[str, list[str]] = {}
    twinning.partner_city = (twinning.partner_city or "").strip()
    twinning.partner_country = (twinning.partner_country or "").strip().upper()
    if twinning.partner_country and not is_known(twinning.partner_country):
        errors["partner_country"] = [_("Unknown country code. Use a two-letter ISO code such as DE.")]
    if twinning.since is not None and not EARLIEST_TWINNING_YEAR <= twinning.since <= phases.today().year:
        errors["since"] = [
            _("Give a year between %(first)s and this year.") % {"first": EARLIEST_TWINNING_YEAR}
        ]
    add_model_errors(errors, twinning, validate_constraints=False)
    if errors:
        raise ValidationError(errors)


def _save_twinning(twinning: Twinning, thematic_areas) -> Twinning:
    try:
        with transaction.atomic():
            twinning.save()
    except IntegrityError as error:
        raise ValidationError({"partner_city": [_("This partnership is already listed.")]}) from error
    if thematic_areas is not None:
        twinning.thematic_areas.set(thematic_areas)
    return twinning


@transaction.atomic
def create_twinning(*, by, data: dict, thematic_areas=()) -> Twinning:
    """List a partnership between one of our towns and a foreign city: coordinators only."""
    if not by.has_perm("partners.manage_twinning"):
        raise PermissionDenied
    twinning = Twinning(**{field: value for field, value in data.items() if field in TWINNING_FIELDS})
    _validate_twinning(twinning)
    return _save_twinning(twinning, thematic_areas)


@transaction.atomic
def update_twinning(*, by, twinning: Twinning, data: dict, thematic_areas=None) -> Twinning:
    if not by.has_perm("partners.manage_twinning", twinning):
        raise PermissionDenied
    locked = Twinning.objects.select_for_update().get(pk=twinning.pk)
    for field in TWINNING_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    _validate_twinning(locked)
    return _save_twinning(locked, thematic_areas)


@transaction.atomic
def delete_twinning(*, by, twinning: Twinning) -> None:
    if not by.has_perm("partners.manage_twinning", twinning):
        raise PermissionDenied
    twinning.delete()


def _clean_message(message: str | None, *, missing: str = "") -> str:
    """The message stripped; refused when too long, or empty where ``missing`` says what to write."""
    message = (message or "").strip()
    if not message and missing:
        raise ValidationError({"message": [missing]})
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"message": [_("Keep the message under %(count)s characters.") % {"count": MESSAGE_MAX_LENGTH}]})
    return message


def _create_once(model, duplicate: str, **fields):
    """A row that exists once per request and organization: the database's unique key refuses a
    second one (a concurrent one too), and the person reads ``duplicate``."""
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError as error:
        raise ValidationError({"organization": [duplicate]}) from error
