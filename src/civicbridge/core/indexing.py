"""Search documents that follow renames, and rebuilding them all.

A searchable object's ``search_document`` copies text of related objects: a call carries
its programme's and funder's names, an organization its territory's, a partner request its
organization's, call's, areas' and territories' (each app declares this with
``core.registry.Copied`` on its ``Searchable``; ``core`` names no domain app). When such
text changes, every document that carries it must be rewritten, or search and alert
matching keep finding the old name for good:

- the write (a service, the admin, the reference-data loader) calls
  ``copied_text_changed(instance, fields)`` with the fields it changed; if some document
  copies one of them, the task ``reindex_copies`` is enqueued after commit, once per
  searchable model that carries it;
- the task rewrites those documents in batches of ``CIVICBRIDGE_REINDEX_BATCH_SIZE``, each
  batch in its own transaction with its rows locked, so that a concurrent edit through a
  service is neither lost nor overwritten; then it enqueues the next batch. Documents are
  built from the data as it is when the task runs, so several renames in a row end with the
  newest name, whatever order the tasks run in;
- ``civicbridge reindex`` rebuilds every document of every registered model (or of some).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.tasks import task

from .registry import Copied, Searchable, model_key, searchables

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Carrier:
    """A searchable model whose documents copy text of another model."""

    key: str  # the searchable's registry key ("funding.call")
    entry: Searchable
    copied: Copied


def carriers_of(model_label: str, fields: Iterable[str] | None = None) -> Iterator[Carrier]:
    """The searchable models whose documents copy ``fields`` (any field if None) of ``model_label``."""
    fields = None if fields is None else set(fields)
    for key, entry in searchables.entries.items():
        for copied in entry.copies:
            if copied.model == model_label and (fields is None or fields & set(copied.fields)):
                yield Carrier(key, entry, copied)


def copied_text_changed(instance: models.Model, fields: Iterable[str]) -> list[str]:
    """Rewrite, in the background, every document that copies one of ``fields`` of ``instance``.

    Call it in the write's transaction with the fields the write changed; nothing is enqueued
    if the write rolls back. Answers the keys of the searchable models to be rewritten.
    """
    label = model_key(type(instance))
    keys = [carrier.key for carrier in carriers_of(label, fields)]
    for key in keys:
        transaction.on_commit(
            lambda key=key: reindex_copies.enqueue(searchable=key, model=label, pk=instance.pk)
        )
    return keys


def changed_fields(before: models.Model, after: models.Model, fields: Iterable[str]) -> list[str]:
    """Which of ``fields`` differ between two copies of an object (before and after an edit).

    Relations are compared by their key, without loading the related objects.
    """
    meta = type(after)._meta
    return [
        field for field in fields
        if getattr(before, meta.get_field(field).attname) != getattr(after, meta.get_field(field).attname)
    ]


def _batch_size(batch_size: int | None) -> int:
    return batch_size or settings.CIVICBRIDGE_REINDEX_BATCH_SIZE


def rebuild_batch(entry: Searchable, rows: models.QuerySet, *, after: int = 0, batch_size: int | None = None):
    """Rewrite the documents of the next rows of ``rows`` (by primary key, after ``after``).

    Answers (rows read, documents changed, last primary key read or None when none was left).
    Only documents that differ are written; ``updated_at`` is left alone (the object's own
    content did not change).
    """
    size = _batch_size(batch_size)
    pks = list(rows.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True).distinct()[:size])
    if not pks:
        return 0, 0, None
    with transaction.atomic():
        # Locked in primary-key order: a service editing one of these rows waits for the batch
        # (and then writes a document from current data), or the batch waits for the service.
        objects = list(
            entry.model._default_manager.filter(pk__in=pks).order_by("pk")
            .select_for_update(of=("self",))
            .select_related(*entry.select_related)
            .prefetch_related(*entry.prefetch_related)
        )
        stale = []
        for obj in objects:
            document = entry.document(obj)
            if document != obj.search_document:
                obj.search_document = document
                stale.append(obj)
        if stale:
            entry.model._default_manager.bulk_update(stale, ["search_document"])
    return len(pks), len(stale), pks[-1]


@task
def reindex_copies(searchable: str, model: str, pk: int, after: int = 0) -> dict:
    """Rewrite one batch of the ``searchable`` documents that copy text of ``model`` #``pk``; enqueue the next."""
    if searchable not in searchables:
        return {"skipped": f"{searchable} is not searchable"}
    entry = searchables.get(searchable)
    rows = entry.model._default_manager.all()
    paths = [copied.path for copied in entry.copies if copied.model == model]
    if not paths:
        return {"skipped": f"{searchable} copies no text of {model}"}
    condition = models.Q()
    for path in paths:
        condition |= models.Q(**{path: pk})
    read, changed, last = rebuild_batch(entry, rows.filter(condition), after=after)
    if last is not None and read >= _batch_size(None):
        transaction.on_commit(lambda: reindex_copies.enqueue(searchable=searchable, model=model, pk=pk, after=last))
    logger.info("reindexed %s copying %s #%s after %s: %s read, %s changed", searchable, model, pk, after, read, changed)
    return {"searchable": searchable, "read": read, "changed": changed, "last": last}


def reindex(
    keys: Iterable[str] | None = None, *, batch_size: int | None = None,
    progress: Callable[[str, int, int, int], None] | None = None,
) -> dict[str, tuple[int, int]]:
    """Rebuild every document of the searchable models ``keys`` (all if None), batch by batch.

    ``progress(key, done, total, changed)`` is called after each batch. Answers, per model,
    (rows read, documents changed).
    """
    chosen = list(searchables.entries) if keys is None else list(keys)
    unknown = [key for key in chosen if key not in searchables]
    if unknown:
        raise KeyError(", ".join(unknown))
    results = {}
    for key in chosen:
        entry = searchables.get(key)
        rows = entry.model._default_manager.all()
        total = rows.count()
        done = changed = 0
        after = 0
        while True:
            read, batch_changed, last = rebuild_batch(entry, rows, after=after, batch_size=batch_size)
            if last is None:
                break
            done += read
            changed += batch_changed
            after = last
            if progress:
                progress(key, done, total, changed)
        results[key] = (done, changed)
    return results
