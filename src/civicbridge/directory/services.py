"""Every write to the registry goes through here, with its permission check and validation."""

import copy
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import deployment, indexing, slugs
from civicbridge.core.countries import COUNTRIES
from civicbridge.core.duplicates import once
from civicbridge.core.search import build_document
from civicbridge.core.validators import add_model_errors

from .models import Organization, Plenipotentiary
from .validators import (
    normalize_registry_number,
    normalize_tax_number,
    validate_registry_number,
    validate_tax_number,
)

ORGANIZATION_FIELDS = (
    "name", "kind", "legal_form", "registry_type", "registry_number", "territory", "address",
    "postal_code", "latitude", "longitude", "description", "website", "email", "phone", "founding_year",
    "country", "city", "pic", "tax_number",
)
# Format only (domain notes: a PIC is 9 digits); no check digit is documented.
PIC = re.compile(r"[0-9]{9}")


def organization_search_document(organization: Organization) -> str:
    return build_document(
        organization.name,
        organization.registry_number,
        organization.tax_number,
        organization.pic,
        organization.address,
        organization.city,
        organization.territory.name_pl if organization.territory_id else "",
        organization.territory.name_tr if organization.territory_id else "",
        organization.territory.name_en if organization.territory_id else "",
        # Abroad, its country in every language ("Niemcy" and "Almanya" find a German entry).
        *(COUNTRIES.get(organization.country, ()) if organization.territory_id is None else ()),
        organization.description,
    )


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A free address name for ``name``: not another entry's, now or before a rename (core.slugs)."""
    return slugs.unique_slug(Organization, name, max_length=300, fallback="organization", exclude_pk=exclude_pk)


def _place(organization: Organization) -> dict:
    """Where the entry is: a domestic one in its territory (its country follows), one abroad in
    a country and a city. Returns the errors per field."""
    organization.country = (organization.country or "").strip().upper()
    organization.city = (organization.city or "").strip()
    home = deployment.current().country
    errors: dict[str, list] = {}
    if organization.territory_id is not None:
        territory_country = organization.territory.country
        if organization.country and organization.country != territory_country:
            errors["country"] = [_("The territory chosen is not in this country: choose one or the other.")]
        organization.country = territory_country
    elif not organization.country:
        errors["territory"] = [_("Choose the territory, or for an organization abroad its country and city.")]
    elif organization.country == home:
        errors["territory"] = [_("Choose the territory of an organization of this country.")]
    elif organization.country not in COUNTRIES:
        errors["country"] = [_("Choose a country from the list.")]
    elif not organization.city:
        errors["city"] = [_("Give the city of an organization abroad.")]
    if organization.territory_id is None and organization.country and organization.country != home:
        # Its number is from its own country's register, which nobody here can check.
        if organization.registry_number and organization.registry_type in ("", Organization.RegistryType.OTHER):
            organization.registry_type = Organization.RegistryType.FOREIGN
        elif organization.registry_type not in ("", Organization.RegistryType.FOREIGN):
            errors["registry_type"] = [_("An organization abroad gives the number of its own country's register.")]
    elif organization.registry_type == Organization.RegistryType.FOREIGN:
        errors["registry_type"] = [_("Only an organization abroad is entered in its own country's register.")]
    return errors


# What ``_place`` reads.
PLACE_FIELDS = frozenset({"territory", "country", "city", "registry_type", "registry_number"})


def organization_errors(organization: Organization, *, unchecked=frozenset()) -> dict[str, list]:
    """Normalize the entry's place and numbers and answer the errors per field its own data
    shows (place, numbers, dates, the model's fields); whether another entry has its numbers is
    not asked here (``_numbers_taken``).

    The services refuse an entry with any; the form shows them beside its fields' own errors.
    ``unchecked`` are fields whose value is not known (the form refused what was typed): the
    checks that read them are left out rather than judge a value nobody gave.
    """

    def known(*fields) -> bool:
        return not unchecked.intersection(fields)

    organization.registry_number = normalize_registry_number(
        organization.registry_type, organization.registry_number
    )
    errors = _place(organization) if known(*PLACE_FIELDS) else {}
    if known("registry_type", "registry_number"):
        try:
            validate_registry_number(organization.registry_type, organization.registry_number)
        except ValidationError as error:
            errors["registry_number"] = error.messages
        if organization.registry_number and not organization.registry_type:
            errors.setdefault("registry_type", []).append(_("Choose the register this number belongs to."))
    # Checked by its country's rules (known once the entry is placed): a NIP, a VKN, or abroad
    # whatever its own country's tax office writes.
    if known(*PLACE_FIELDS, "tax_number"):
        organization.tax_number = normalize_tax_number(organization.country, organization.tax_number)
        try:
            validate_tax_number(organization.country, organization.tax_number)
        except ValidationError as error:
            errors["tax_number"] = error.messages
    if known("pic"):
        organization.pic = re.sub(r"\s", "", organization.pic or "")
        if organization.pic and not PIC.fullmatch(organization.pic):
            errors["pic"] = [_("An EU PIC has 9 digits.")]
    if known("founding_year") and organization.founding_year and organization.founding_year > timezone.localdate().year:
        errors["founding_year"] = [_("The founding year cannot be in the future.")]
    if known("latitude", "longitude") and (organization.latitude is None) != (organization.longitude is None):
        errors["longitude"] = [_("Give both latitude and longitude, or neither.")]
    add_model_errors(
        errors, organization, exclude=["slug", "search_document", *unchecked, *errors], validate_unique=False,
        validate_constraints=False,
    )
    return errors


def _validate(organization: Organization) -> None:
    errors = organization_errors(organization)
    if errors:
        raise ValidationError(errors)
    taken = _numbers_taken(organization)
    if taken:
        raise ValidationError(taken)


def duplicate_number_message() -> str:
    return _("An organization with this registry number is already registered.")


def duplicate_tax_number_message() -> str:
    return _("An organization with this tax number is already registered.")


def _numbers_taken(organization: Organization) -> dict[str, list]:
    """The errors per field of the numbers another entry already has."""
    errors = {}
    if _registry_number_taken(organization):
        errors["registry_number"] = [duplicate_number_message()]
    if _tax_number_taken(organization):
        errors["tax_number"] = [duplicate_tax_number_message()]
    return errors


def _registry_number_taken(organization: Organization) -> bool:
    if not organization.registry_number:
        return False
    same = Organization.objects.filter(
        registry_type=organization.registry_type, registry_number=organization.registry_number
    )
    if organization.registry_type == Organization.RegistryType.FOREIGN:
        same = same.filter(country=organization.country)  # each country numbers its own
    return same.exclude(pk=organization.pk).exists()


def _tax_number_taken(organization: Organization) -> bool:
    if not organization.tax_number:
        return False
    return (
        Organization.objects.filter(country=organization.country, tax_number=organization.tax_number)
        .exclude(pk=organization.pk)
        .exists()
    )


SLUG_ATTEMPTS = 5


@transaction.atomic(savepoint=False)
def _save(organization: Organization, thematic_areas) -> Organization:
    # One transaction: no reader sees the new updated_at with the old thematic areas.
    organization.search_document = organization_search_document(organization)
    new = organization._state.adding
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                organization.save()
            break
        except IntegrityError as error:
            # The constraints are the truth when two people register at the same moment:
            # a taken registry or tax number is the person's to fix, a taken slug is ours.
            taken = _numbers_taken(organization)
            if taken:
                raise ValidationError(taken) from error
            if attempt == SLUG_ATTEMPTS - 1:
                raise
            organization.slug = unique_slug(organization.name, exclude_pk=organization.pk)
    if thematic_areas is not None:
        if not new:
            organization.thematic_areas.set(thematic_areas)
        elif thematic_areas:
            organization.thematic_areas.add(*thematic_areas)  # a new entry has none to compare with
    return organization


@transaction.atomic
def create_organization(*, by, data: dict, thematic_areas=()) -> Organization:
    """Register an organization. Any registered person may (pages, API and import alike).

    The registrant's request to represent it waits for a coordinator, who is told; until then
    the person holds no role in it, and a public body they registered stays out of every public
    list (``Organization.objects.listed``). Coordinators' entries are approved at once and not
    tied to them (they register on others' behalf). The same person sending the same content
    again within ``CIVICBRIDGE_DUPLICATE_WINDOW_SECONDS`` gets the first entry back.
    """
    from civicbridge.accounts import services as membership_services

    if not by.has_perm("directory.add_organization"):
        raise PermissionDenied
    organization = Organization(**{k: v for k, v in data.items() if k in ORGANIZATION_FIELDS})
    by_coordinator = by.has_perm("directory.verify_organization")
    if not by_coordinator:
        organization.registration = Organization.Registration.PENDING
    content = {field: getattr(organization, field) for field in ORGANIZATION_FIELDS}
    content["thematic_areas"] = sorted(getattr(area, "pk", area) for area in thematic_areas or ())

    def register() -> Organization:
        # Checked inside the guard: a repeat must meet the first entry, not "number taken".
        _validate(organization)
        organization.slug = unique_slug(organization.name)
        _save(organization, thematic_areas)
        if not by_coordinator:
            membership_services.request_as_founder(user=by, organization=organization)
        return organization

    return once(user=by, kind="directory.organization", content=content, model=Organization, create=register)


@transaction.atomic
def update_organization(*, organization: Organization, by, data: dict, thematic_areas=None) -> Organization:
    """Change an organization's profile: its representatives and coordinators only.

    Only a coordinator may turn an entry into a public body or a public body into another kind.
    """
    if not by.has_perm("directory.change_organization", organization):
        raise PermissionDenied
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    before = copy.copy(locked)
    was_public_body = locked.is_public_body
    for field in ORGANIZATION_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    if locked.is_public_body != was_public_body and not by.has_perm("directory.verify_organization", locked):
        # Its representatives would become officers of a public body (or stop being) without
        # anyone approving it: whether an entry is an authority is a coordinator's decision.
        raise ValidationError({"kind": [_("Only a coordinator can change whether an organization is a public body.")]})
    _validate(locked)
    renamed = locked.name != before.name
    if renamed:
        locked.slug = unique_slug(locked.name, exclude_pk=locked.pk)
    saved = _save(locked, thematic_areas)
    # Its old address keeps working (a redirect), and documents that carry its name follow.
    if saved.slug != before.slug:
        slugs.record_rename(saved, before.slug)
    indexing.copied_text_changed(saved, indexing.changed_fields(before, saved, ORGANIZATION_FIELDS))
    return saved


@transaction.atomic
def set_verified(*, organization: Organization, by, verified: bool) -> Organization:
    """Mark an organization as checked by the coordination office (coordinators only)."""
    if not by.has_perm("directory.verify_organization", organization):
        raise PermissionDenied
    organization.is_verified = verified
    organization.verified_at = timezone.now() if verified else None
    organization.verified_by = by if verified else None
    organization.save(update_fields=["is_verified", "verified_at", "verified_by", "updated_at"])
    return organization


@transaction.atomic
def delete_organization(*, organization: Organization, by) -> None:
    if not by.has_perm("directory.delete_organization", organization):
        raise PermissionDenied
    organization.delete()


PLENIPOTENTIARY_FIELDS = (
    "full_name", "position", "email", "phone", "office_address", "appointed_on", "is_active",
)


def _check_public_body(public_body: Organization) -> None:
    if not public_body.is_public_body:
        raise ValidationError({"public_body": [_("Only a public body names a plenipotentiary for NGO cooperation.")]})
    if not public_body.is_listed:
        raise ValidationError(
            {"public_body": [_("This public body's registration has not been approved by a coordinator yet.")]}
        )


@transaction.atomic
def create_plenipotentiary(*, public_body: Organization, by, data: dict) -> Plenipotentiary:
    """Name a body's plenipotentiary: its officers and coordinators only.

    Refused for an organization that is not a public body or whose registration is not
    approved. The same person sending the same content again within the duplicate window gets
    the first entry back.
    """
    if not by.has_perm("directory.add_plenipotentiary", public_body):
        raise PermissionDenied
    _check_public_body(public_body)
    plenipotentiary = Plenipotentiary(
        public_body=public_body, **{k: v for k, v in data.items() if k in PLENIPOTENTIARY_FIELDS}
    )
    plenipotentiary.full_clean()

    def name() -> Plenipotentiary:
        plenipotentiary.save()
        return plenipotentiary

    content = {"public_body": public_body.pk, **{f: getattr(plenipotentiary, f) for f in PLENIPOTENTIARY_FIELDS}}
    return once(user=by, kind="directory.plenipotentiary", content=content, model=Plenipotentiary, create=name)


@transaction.atomic
def update_plenipotentiary(*, plenipotentiary: Plenipotentiary, by, data: dict) -> Plenipotentiary:
    if not by.has_perm("directory.change_plenipotentiary", plenipotentiary):
        raise PermissionDenied
    for field in PLENIPOTENTIARY_FIELDS:
        if field in data:
            setattr(plenipotentiary, field, data[field])
    plenipotentiary.full_clean()
    plenipotentiary.save()
    return plenipotentiary


@transaction.atomic
def delete_plenipotentiary(*, plenipotentiary: Plenipotentiary, by) -> None:
    if not by.has_perm("directory.delete_plenipotentiary", plenipotentiary):
        raise PermissionDenied
    plenipotentiary.delete()
