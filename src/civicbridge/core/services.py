"""The writes of core's own content: the pages the authority publishes about itself."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .models import SitePage
from .rules import is_coordinator

PAGE_LANGUAGES = ("en", "pl", "tr")


def publish_site_page(*, kind: str, by, titles: dict[str, str], bodies: dict[str, str]) -> SitePage:
    """Publish a new version of the page ``kind``: coordinators only. The versions before it
    stay on record (a consent names the privacy notice's version it was given to)."""
    if not is_coordinator(by):
        raise PermissionDenied
    page = SitePage(kind=kind, published_by=by)
    for language in PAGE_LANGUAGES:
        setattr(page, f"title_{language}", (titles.get(language) or "").strip())
        setattr(page, f"body_{language}", (bodies.get(language) or "").strip())
    if not any(getattr(page, f"body_{language}") for language in PAGE_LANGUAGES):
        raise ValidationError({"body_en": [_("Write the page in at least one language.")]})
    try:
        with transaction.atomic():
            latest = SitePage.objects.filter(kind=kind).aggregate(latest=Max("version"))["latest"] or 0
            page.version = latest + 1
            # The database decides between two coordinators saving at once (its unique key):
            # the check here would word a lost race as a duplicate of the other's version.
            page.full_clean(validate_unique=False, validate_constraints=False)
            page.save()
    except IntegrityError as error:
        # Another coordinator published this version number a moment ago: nothing is saved.
        raise ValidationError(
            _("Someone else published a new version of this page a moment ago. Read it, then save yours again.")
        ) from error
    return page
