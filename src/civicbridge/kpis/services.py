"""Targets are set by coordinators only; the figures themselves are never written: they are computed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.events.models import Event

from .models import Target

TARGET_FIELDS = ("year", "name_en", "name_pl", "name_tr", "kinds", "events", "hours", "participants", "counties", "source")


def _validate(target: Target) -> None:
    known = set(Event.Kind.values)
    unknown = [kind for kind in target.kind_list if kind not in known]
    if unknown or not target.kind_list:
        raise ValidationError({"kinds": [_("Choose at least one kind of event.")]})
    target.kinds = ",".join(target.kind_list)
    if all(getattr(target, name) is None for name in ("events", "hours", "participants", "counties")):
        raise ValidationError(_("Give at least one figure: events, hours, participants or counties."))
    try:
        target.full_clean(exclude=["created_by"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


@transaction.atomic
def save_target(*, by, data: dict, target: Target | None = None) -> Target:
    if not by.has_perm("kpis.change_target"):
        raise PermissionDenied
    target = target or Target(created_by=by)
    for name, value in data.items():
        if name in TARGET_FIELDS:
            setattr(target, name, value)
    _validate(target)
    target.save()
    return target


@transaction.atomic
def delete_target(*, by, target: Target) -> None:
    if not by.has_perm("kpis.change_target"):
        raise PermissionDenied
    target.delete()
