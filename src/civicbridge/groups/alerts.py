"""Published standards as alertable content: subscribers hear of each standard put in the library.

``apps.GroupsConfig.ready`` registers ``alertable()`` under ``services.ALERT_KEY``; the
workflow service announces a publication after commit. A subscription may hold words (matched
against the standard's text, title and group); standards have no territory or area.
"""

from django.utils.translation import gettext_lazy as _

from civicbridge.core.registry import Alertable, AlertFacts


def standard_facts(standard) -> AlertFacts:
    from .services import standard_search_document

    return AlertFacts(document_forms=frozenset(standard_search_document(standard).split()))


def published_standards():
    from .models import Standard

    return Standard.objects.in_library().select_related("group", "adopting_body")


def email_context(standard) -> dict:
    return {"standard": standard}


def alertable() -> Alertable:
    from .models import Standard

    return Alertable(
        model=Standard,
        label=_("Standards"),
        published=published_standards,
        facts=standard_facts,
        email_templates="groups/email/alerts/",
        item_context=email_context,
        list_url_name="groups:standard_library",
        everything=_("All standards"),
        digest_order=("published_at", "pk"),
        unkept_filters={"group": _("Working group"), "stage": _("Stage")},
    )
