"""Addresses that keep working: an object's former slugs and the redirects to its current one.

A slug is the last part of a published address (``/organizations/<slug>/``): links to it sit in
e-mails, feeds, bookmarks and other sites. Renaming an object gives it a new slug; its old one
is kept as a ``FormerSlug`` and a view decorated with ``follows_renames`` answers a request for
it with a permanent redirect to the same page under the current slug, query string included.

Who wins a slug:

- an object's current slug always wins: a request is redirected only when no visible object
  holds the slug now (an object renamed back to a former slug takes it back);
- a new or renamed object never takes a slug that still redirects to another object
  (``unique_slug`` skips it), so an address once published keeps leading to the object it
  was published for. Deleting an object frees its former slugs with its current one.

Generic (content type + slug, unique per model) because ``core`` names no domain app; each
lookup is one indexed query for one slug, never a per-row relation.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode


class FormerSlug(models.Model):
    """A slug an object had before a rename: its old address redirects to its current one."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("kind of object"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    slug = models.SlugField(_("former address name"), max_length=320, db_index=False)
    retired_at = models.DateTimeField(_("replaced on"), auto_now_add=True)

    class Meta:
        app_label = "core"
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="former_slug_unique_per_model"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="former_slug_object")]

    def __str__(self):
        return f"{self.content_type.model}:{self.slug} → {self.object_id}"


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    """308: a form posted to an old address is posted again to the new one, not turned into a GET."""

    status_code = 308


def unique_slug(model: type[models.Model], text: str, *, max_length: int, fallback: str, exclude_pk=None) -> str:
    """A slug for ``text`` that no other object of ``model`` holds now or held before.

    Transliterated first: ``slugify`` alone drops letters such as ł and ı ("Głubczyce" ->
    "gubczyce"). A taken slug gets the first free "-2", "-3"... suffix; two queries whatever
    the number of namesakes.
    """
    base = slugify(unidecode(text or ""))[:max_length].strip("-") or fallback
    namesakes = models.Q(slug=base) | models.Q(slug__startswith=f"{base}-")
    taken = set(model._default_manager.exclude(pk=exclude_pk).filter(namesakes).values_list("slug", flat=True))
    former = FormerSlug.objects.filter(namesakes, content_type=ContentType.objects.get_for_model(model))
    if exclude_pk is not None:
        former = former.exclude(object_id=exclude_pk)
    taken.update(former.values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def record_rename(instance: models.Model, old_slug: str) -> None:
    """Keep ``old_slug`` as an address of ``instance`` (call after saving its new slug).

    Its current slug stops being a former one: it is live again and must not redirect.
    A former slug another object held (data older than this rule) now leads here: the
    rename is the newer fact.
    """
    content_type = ContentType.objects.get_for_model(instance)
    FormerSlug.objects.filter(content_type=content_type, slug=instance.slug).delete()
    if old_slug and old_slug != instance.slug:
        FormerSlug.objects.update_or_create(
            content_type=content_type, slug=old_slug, defaults={"object_id": instance.pk}
        )


def current_slug(queryset: models.QuerySet, slug: str) -> str | None:
    """The slug now held by the object of ``queryset`` that ``slug`` once named, or None (one query)."""
    former = FormerSlug.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model), slug=slug
    ).values("object_id")
    return queryset.filter(pk__in=former).values_list("slug", flat=True).first()


def follows_renames(model: type[models.Model], *, kwarg: str = "slug", visible: Callable | None = None):
    """Decorate a view that takes an object's slug: a former slug redirects to the current one.

    The view runs first; only when it answers 404 is the slug looked up among the former
    ones, so a current slug costs nothing. ``visible(request)`` is the queryset of objects
    the visitor may open (default: all): the address of one they may not see is not revealed.
    GET and HEAD get 301, other methods 308, which keeps the method and the body.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except Http404:
                slug = kwargs.get(kwarg)
                queryset = visible(request) if visible else model._default_manager.all()
                new = current_slug(queryset, slug) if slug else None
                if not new or new == slug:
                    raise
            match = request.resolver_match
            url = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, kwarg: new})
            if request.META.get("QUERY_STRING"):
                url += "?" + request.META["QUERY_STRING"]
            if request.method in ("GET", "HEAD"):
                return HttpResponsePermanentRedirect(url)
            return PermanentRedirectKeepingMethod(url)

        return wrapped

    return decorator
