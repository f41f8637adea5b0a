"""One object per repeated submission.

A double click, a browser that re-posts a form, a client that retries a request it believes
lost: the same person sends the same content again within a few minutes. The second and
later sends must not create a second object; they answer with the first one.

``once`` takes a key derived from the person, the kind of object and the normalized content,
and inserts it into ``SubmissionKey``, whose unique constraint is the truth when the copies
arrive at the same moment: the database lets one insert through and makes the others wait for
its transaction; they then find the key and the object it names. A key older than
``CIVICBRIDGE_DUPLICATE_WINDOW_SECONDS`` no longer counts: the same content sent later is a
new submission.

Call it inside the creating service's transaction, after the permission check, with the write
as ``create``. Checks that a repeat would fail ("this number is already registered") belong
inside ``create``: a repeat then meets the first object instead, and a refused submission
leaves no key behind (its savepoint rolls back with it).
"""

import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.tasks import task
from django.utils import timezone

REPEATED = "_civicbridge_repeated_submission"


class SubmissionKey(models.Model):
    """A recent submission: who sent which content for which kind of object, and what it made."""

    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "core"
        verbose_name = "submission key"
        verbose_name_plural = "submission keys"

    def __str__(self):
        return f"{self.kind} {self.object_id}"


def _normal(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        # What a person would call "the same text": spacing and line ends do not count.
        return " ".join(value.split())
    if isinstance(value, Mapping):
        return {str(key): _normal(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset, models.QuerySet)):
        items = [_normal(item) for item in value]
        # The order of chosen areas or territories does not make a different submission.
        return sorted(items, key=repr) if isinstance(value, (set, frozenset, models.QuerySet)) else items
    if isinstance(value, (datetime.date, datetime.time, decimal.Decimal, uuid.UUID)):
        return str(value)
    return value


def submission_key(*, user, kind: str, content: Mapping) -> str:
    raw = json.dumps(
        {"user": getattr(user, "pk", None), "kind": kind, "content": _normal(content)},
        sort_keys=True, ensure_ascii=False, default=str,
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def window() -> timedelta:
    return timedelta(seconds=settings.CIVICBRIDGE_DUPLICATE_WINDOW_SECONDS)


def once[T: models.Model](*, user, kind: str, content: Mapping, model: type[T], create: Callable[[], T]) -> T:
    """``create()`` unless ``user`` sent the same ``content`` for ``kind`` within the window.

    A repeat answers with the object the first submission made, marked so that ``is_repeat``
    tells the view (a page redirects to it, the API answers 200 instead of 201).
    """
    key = submission_key(user=user, kind=kind, content=content)
    # Inside the caller's transaction where there is one (no savepoint: an error fails it anyway).
    with transaction.atomic(savepoint=False):
        # An expired key must not stop a new submission: it goes first, in this transaction.
        SubmissionKey.objects.filter(key=key, created_at__lt=timezone.now() - window()).delete()
        try:
            with transaction.atomic():
                entry = SubmissionKey.objects.create(key=key, kind=kind)
        except IntegrityError:
            earlier = SubmissionKey.objects.filter(key=key).first()
            found = model._default_manager.filter(pk=earlier.object_id).first() if earlier else None
            if found is None:
                # The first submission's object is gone (deleted since): this one stands alone.
                SubmissionKey.objects.filter(key=key).delete()
                entry = SubmissionKey.objects.create(key=key, kind=kind)
            else:
                setattr(found, REPEATED, True)
                return found
        made = create()
        entry.object_id = str(made.pk)
        entry.save(update_fields=["object_id"])
        return made


def is_repeat(obj) -> bool:
    """Whether ``obj`` came back from ``once`` as the answer to a repeated submission."""
    return bool(getattr(obj, REPEATED, False))


def purge_expired() -> int:
    """Delete the keys past the window: they decide nothing any more (correctness does not need it)."""
    deleted, _ = SubmissionKey.objects.filter(created_at__lt=timezone.now() - window()).delete()
    return deleted


@task
def purge_expired_submission_keys() -> int:
    """The periodic job that keeps the key table to the last few minutes of submissions."""
    return purge_expired()
