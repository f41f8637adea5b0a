"""Pieces of list pages kept per object version: rows of HTML, items of the API.

A list of 25 calls costs more to render (about 0.25 ms a row through the templates)
and to serialize than to query; the same row is rendered again for every search,
filter and page that shows the object. Each piece is therefore kept in the cache
under a key made of what it shows: the object's version (its primary key and
``updated_at``, which every service write moves in the same transaction as the
object's relations, plus what the row computes, such as a call's status), the
language, the time zone and the template's own source. A new key never needs an
old one thrown away; the timeout bounds the life of pieces nobody asks for, and of
names kept in reference data (territories, thematic areas), which no key names.

Unlike the anonymous page cache, pieces serve logged-in people too: a row shows
the object, never who is looking.
"""

import hashlib
from collections.abc import Callable, Sequence
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

KEY_PREFIX = "civicbridge:piece:"


def cached_pieces(
    objects: Sequence, *, kind: str, version: Callable[[object], str], build: Callable[[list], list]
) -> list:
    """One piece per object, in order: from the cache, or ``build(missing objects)`` for the rest.

    ``kind`` names what the piece is and everything it depends on besides the object;
    ``version(obj)`` names the object as the piece shows it.
    """
    objects = list(objects)
    seconds = settings.CIVICBRIDGE_PIECE_CACHE_SECONDS
    if not seconds or not objects:
        return build(objects)
    keys = [_key(kind, version(obj)) for obj in objects]
    found = cache.get_many(keys)
    missing = [index for index, key in enumerate(keys) if key not in found]
    if missing:
        built = build([objects[index] for index in missing])
        fresh = {keys[index]: piece for index, piece in zip(missing, built, strict=True)}
        cache.set_many(fresh, seconds)
        found.update(fresh)
    return [found[key] for key in keys]


def _key(kind: str, version: str) -> str:
    # Memcached refuses keys over 250 characters and Redis keys are cheaper short.
    return KEY_PREFIX + hashlib.blake2b(f"{kind}|{version}".encode(), digest_size=16).hexdigest()


def render_rows(
    template_name: str, objects: Sequence, *, name: str, version: Callable[[object], str], prefetch: Sequence = ()
) -> list[SafeString]:
    """Each object rendered through ``template_name`` (as ``name``); ``prefetch`` is done only for rows not cached."""
    template = get_template(template_name)

    def build(missing: list) -> list[str]:
        if prefetch:
            prefetch_related_objects(missing, *prefetch)
        return [str(template.render({name: obj})) for obj in missing]

    kind = f"row|{template_name}|{template_digest(template_name)}|{get_language()}|{timezone.get_current_timezone_name()}"
    # The template engine escaped what it wrote; the cache only kept the text.
    return [mark_safe(html) for html in cached_pieces(objects, kind=kind, version=version, build=build)]


@lru_cache(maxsize=64)
def template_digest(template_name: str) -> str:
    """A digest of the template's source: a deployment that changes the row does not reuse old rows."""
    template = get_template(template_name)
    source = getattr(getattr(template, "template", template), "source", "")
    return hashlib.blake2b(source.encode(), digest_size=8).hexdigest()
