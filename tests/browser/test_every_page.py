"""Every named URL pattern, in every language, checked in the browser.

The resolver lists the patterns: each is either visited (as the visitor or the signed-in role
that the page is for), with axe-core run on what the browser shows and the HTML as served
kept for the Nu HTML checker (vnu.jar, one Java process for all pages at the end), or it is
in ``SKIPPED`` with the reason, a reason checked against the server's answer (a POST-only
action answers GET with 405, a file or feed is not ``text/html``). A new pattern that is
neither fails ``test_every_named_url_pattern_is_visited_or_skipped``: no new page escapes.

The admin's patterns are generated per registered model: each model's list, add, change,
history and delete pages are visited with one of its rows.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from civicbridge.directory.models import Organization
from civicbridge.events.models import Event
from civicbridge.kpis.models import Target
from civicbridge.projects.models import Project
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.browser.conftest import ARTIFACTS_DIR, REPO_DIR, _new_page, check_accessibility
from tests.directory.factories import OrganizationFactory, PlenipotentiaryFactory, PublicBodyFactory
from tests.events.factories import EventFactory
from tests.funding.factories import CallFactory
from tests.partners.factories import (
    ExpressionOfInterestFactory,
    PartnerRequestFactory,
    TwinningFactory,
)
from tests.projects.factories import ProjectFactory
from tests.support.factories import MessageFactory, SupportRequestFactory, TimeEntryFactory

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGES_DIR = ARTIFACTS_DIR / "pages"
VNU_JAR = REPO_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ROLES = ("anonymous", "citizen", "ngo", "officer", "coordinator", "operator")


@dataclass(frozen=True)
class Visit:
    """One address of a pattern, opened as ``role``; ``kwargs`` builds the pattern's arguments
    from the site's objects."""

    role: str = "anonymous"
    kwargs: Callable[[SimpleNamespace], dict] = lambda site: {}
    query: str = ""
    status: int = 200

    def url(self, name: str, site: SimpleNamespace) -> str:
        return reverse(name, kwargs=self.kwargs(site)) + self.query


@dataclass(frozen=True)
class Skip:
    """A pattern that is not a page, and why. ``answers`` says what the server's answer to a GET
    must show for the reason to hold: "405" (a POST-only action), "not-html" (a file, a feed,
    JSON), "redirect", "fragment" (HTML that a page's script puts into it, not a page of its
    own), or "" when it cannot be asked alone (the reason then says why)."""

    reason: str
    answers: str = ""
    visit: Visit = field(default_factory=Visit)


def _org(site):
    return {"slug": site.ngo_organization.slug}


def _body(site):
    return {"slug": site.public_body.slug}


def _call(site):
    return {"identifier": site.call.identifier}


def _request(site):
    return {"pk": site.partner_request.pk}


def _funder(site):
    return {"slug": site.call.programme.funder.slug}


def _programme(site):
    return {"slug": site.call.programme.funder.slug, "pk": site.call.programme.pk}


def _twinning(site):
    return {"pk": site.twinning.pk}


def _event(site):
    return {"pk": site.event.pk}


def _registration(site):
    return {"token": site.registration.token}


def _project(site):
    return {"pk": site.project.pk}


def _support(site):
    return {"pk": site.support_request.pk}


def _attendance(site):
    return {"pk": site.event.pk, "registration_pk": site.registration.pk}


def _group(site):
    return {"pk": site.working_group.pk}


def _group_member(site):
    return {"pk": site.working_group.pk, "member_pk": site.group_member.pk}


def _group_document(site):
    return {"pk": site.working_group.pk, "document_pk": site.group_document.pk}


def _group_document_version(site):
    return {"pk": site.working_group.pk, "document_pk": site.group_document.pk, "number": 1}


def _standard(site):
    return {"pk": site.standard.pk}


def _standard_version(site):
    return {"pk": site.standard.pk, "number": 1}


def _consultation(site):
    return {"pk": site.consultation.pk}


def _section(site):
    return {"pk": site.consultation.pk, "section": site.section.pk}


def _remark(site):
    return {"pk": site.consultation.pk, "remark": site.remark.pk}


def _finished(site):
    return {"pk": site.finished_consultation.pk}


def _answered(site):
    return {"pk": site.finished_consultation.pk, "remark": site.answered_remark.pk}


def _standard_step(site):
    return {"pk": site.draft_standard.pk, "stage": "in_consultation"}


def _adoption_step(site):
    return {"pk": site.consulted_standard.pk, "stage": "adopted"}


PAGES: dict[str, tuple[Visit, ...]] = {
    "core:home": (Visit(), Visit("ngo")),
    "core:search": (Visit(query="?q=stowarzyszenie"),),
    "core:privacy": (Visit(), Visit("coordinator")),
    "core:accessibility": (Visit(),),
    "core:contact": (Visit(),),
    "core:edit_site_page": (Visit("coordinator", lambda site: {"kind": "privacy"}),),
    "accounts:sign_up": (Visit(),),
    "accounts:resend_confirmation": (Visit(),),
    # A valid link confirms and redirects to the log-in page; what the pattern itself shows is
    # the page for a link that no longer works.
    "accounts:confirm": (Visit(kwargs=lambda site: {"token": "no-longer-valid"}, status=400),),
    "accounts:login": (Visit(),),
    "accounts:password_reset": (Visit(),),
    "accounts:password_reset_done": (Visit(),),
    "accounts:password_reset_confirm": (Visit(kwargs=lambda site: site.password_reset),),
    "accounts:password_reset_complete": (Visit(),),
    "accounts:password_change": (Visit("citizen"),),
    "accounts:profile": (Visit("citizen"), Visit("ngo")),
    "accounts:erase": (Visit("citizen"),),
    "accounts:memberships_pending": (Visit("coordinator"),),
    "accounts:rights_log": (Visit("coordinator"),),
    "directory:organization_list": (Visit(), Visit(query="?q=stowarzyszenie&page=2")),
    "directory:organization_create": (Visit("citizen"),),
    "directory:organization_import": (Visit("coordinator"),),
    "directory:organization_detail": (
        Visit(kwargs=_org),
        Visit("ngo", kwargs=_org),
        Visit("coordinator", kwargs=_body),
    ),
    "directory:organization_edit": (Visit("ngo", kwargs=_org),),
    "directory:plenipotentiary_create": (Visit("officer", kwargs=_body),),
    "directory:plenipotentiary_list": (Visit(),),
    "directory:plenipotentiary_edit": (
        Visit("officer", kwargs=lambda site: {"pk": site.plenipotentiary.pk}),
    ),
    "alerts:subscription_list": (Visit("citizen"),),
    "alerts:subscribe": (Visit("citizen", lambda site: {"alertable": "calls"}),),
    "alerts:unsubscribe": (Visit(kwargs=lambda site: {"token": site.unsubscribe_token}),),
    "alerts:legacy_unsubscribe": (Visit(kwargs=lambda site: {"token": site.unsubscribe_token}),),
    "alerts:delivery_log": (Visit("coordinator"),),
    "funding:call_list": (Visit(),),
    "funding:closing_soon": (Visit(),),
    "funding:call_create": (Visit("officer"),),
    "funding:call_import": (Visit("officer"),),
    "funding:call_detail": (Visit(kwargs=_call), Visit("officer", kwargs=_call)),
    "funding:call_edit": (Visit("officer", kwargs=_call),),
    "funding:funder_list": (Visit(), Visit("coordinator")),
    "funding:funder_create": (Visit("coordinator"),),
    "funding:funder_edit": (Visit("coordinator", kwargs=_funder),),
    "funding:programme_create": (Visit("coordinator", kwargs=_funder),),
    "funding:programme_edit": (Visit("coordinator", kwargs=_programme),),
    "partners:request_list": (Visit(),),
    "partners:request_create": (Visit("ngo"),),
    "partners:request_detail": (Visit(kwargs=_request), Visit("ngo", kwargs=_request)),
    "partners:request_edit": (Visit("ngo", kwargs=_request),),
    "partners:organization_requests": (Visit("ngo", kwargs=_org),),
    "partners:twinning_list": (Visit(),),
    "partners:twinning_create": (Visit("coordinator"),),
    "partners:twinning_detail": (Visit(kwargs=_twinning),),
    "partners:twinning_edit": (Visit("coordinator", kwargs=_twinning),),
    "events:event_list": (Visit(), Visit("ngo", query="?when=past&kind=training")),
    "events:event_calendar": (Visit(), Visit(query="?month=2027-01")),
    "events:event_create": (Visit("officer"),),
    "events:event_detail": (Visit(kwargs=_event), Visit("officer", kwargs=_event), Visit("ngo", kwargs=_event)),
    "events:event_edit": (Visit("officer", kwargs=_event),),
    "events:event_cancel": (Visit("officer", kwargs=_event),),
    "events:event_registrations": (Visit("officer", kwargs=_event),),
    "events:event_checkin": (Visit("officer", kwargs=_event),),
    "events:event_minutes": (Visit("officer", kwargs=_event),),
    "events:registration_detail": (Visit(kwargs=_registration),),
    "projects:portfolio": (Visit(), Visit("coordinator", query="?status=running")),
    "projects:project_create": (Visit("ngo"),),
    "projects:organization_portfolio": (Visit(kwargs=_org),),
    "projects:project_detail": (Visit(kwargs=_project), Visit("ngo", kwargs=_project)),
    "projects:project_edit": (Visit("ngo", kwargs=_project),),
    "projects:document_add": (Visit("ngo", kwargs=_project),),
    "projects:report_create": (Visit("ngo", kwargs=lambda site: {"pk": site.project.pk, "kind": "interim"}),),
    "projects:report_detail": (Visit("ngo", kwargs=lambda site: {"pk": site.project.pk, "report": site.report.pk}),),
    "kpis:dashboard": (Visit(), Visit("coordinator", query="?year=2025")),
    "kpis:target_create": (Visit("coordinator"),),
    "kpis:target_edit": (Visit("coordinator", kwargs=lambda site: {"pk": site.target.pk}),),
    "support:request_list": (Visit("ngo"),),
    "support:request_create": (Visit("ngo"),),
    "support:queue": (Visit("coordinator"), Visit("coordinator", query="?status=any&assignee=none")),
    "support:request_detail": (Visit("ngo", kwargs=_support), Visit("coordinator", kwargs=_support)),
    "consultations:consultation_list": (Visit(), Visit(query="?q=standardu&status=open")),
    "consultations:consultation_create": (Visit("officer"),),
    "consultations:my_remarks": (Visit("ngo"),),
    "consultations:minimum_durations": (Visit("officer"),),
    "consultations:consultation_detail": (Visit(kwargs=_consultation), Visit("officer", kwargs=_consultation)),
    "consultations:consultation_edit": (Visit("officer", kwargs=_consultation),),
    "consultations:sections_manage": (Visit("officer", kwargs=_consultation),),
    "consultations:sections_import": (Visit("officer", kwargs=_consultation),),
    "consultations:section_detail": (Visit(kwargs=_section), Visit("ngo", kwargs=_section)),
    "consultations:section_edit": (Visit("officer", kwargs=_section),),
    "consultations:whole_act": (Visit("ngo", kwargs=_consultation),),
    "consultations:remark_edit": (Visit("ngo", kwargs=_remark),),
    "consultations:remark_hide": (Visit("officer", kwargs=_remark),),
    "consultations:attachments_manage": (Visit("officer", kwargs=_consultation),),
    "consultations:report": (Visit(kwargs=_finished), Visit("officer", kwargs=_finished)),
    "consultations:answers": (Visit("officer", kwargs=_finished),),
    "consultations:remark_answer": (Visit("officer", kwargs=_answered),),
    "consultations:report_publish": (Visit("officer", kwargs=_finished),),
    "consultations:adopted_text": (Visit("officer", kwargs=_finished),),
    "consultations:comparison": (Visit(kwargs=_finished),),
    "groups:group_list": (Visit(), Visit(query="?q=konsultacji")),
    "groups:group_create": (Visit("coordinator"),),
    "groups:group_detail": (Visit(kwargs=_group), Visit("ngo", kwargs=_group), Visit("officer", kwargs=_group)),
    "groups:group_edit": (Visit("coordinator", kwargs=_group),),
    "groups:group_members": (Visit("coordinator", kwargs=_group),),
    "groups:meeting_create": (Visit("officer", kwargs=_group),),
    "groups:document_create": (Visit("officer", kwargs=_group),),
    "groups:document_version_create": (Visit("officer", kwargs=_group_document),),
    "groups:standard_create": (Visit("officer", kwargs=_group),),
    "groups:standard_library": (Visit(), Visit(query="?stage=published&q=partnerstwa")),
    "groups:standard_detail": (Visit(kwargs=_standard), Visit("officer", kwargs=_standard)),
    "groups:standard_version_create": (Visit("officer", kwargs=lambda site: {"pk": site.draft_standard.pk}),),
    "groups:standard_move": (Visit("officer", kwargs=_standard_step), Visit("coordinator", kwargs=_adoption_step)),
}

# The admin site's own pages; each model's pages are generated (_admin_model_pages). All are
# checked in English only, by test_every_admin_page_passes_axe_and_the_nu_html_checker.
ADMIN_SITE_PAGES: dict[str, tuple[Visit, ...]] = {
    "admin:index": (Visit("operator"),),
    "admin:login": (Visit(),),
    "admin:password_change": (Visit("operator"),),
    "admin:password_change_done": (Visit("operator"),),
    "admin:auth_user_password_change": (
        Visit("operator", kwargs=lambda site: {"id": site.citizen.pk}),
    ),
}

POST_ONLY = "a POST-only action: its form is on a page visited here"

SUGGESTIONS = "a find field's suggestions: options that its page's datalist receives, checked with that page"

MOVED = "an address the alerts had under the calls: redirects permanently to the new one"
SKIPPED: dict[str, Skip] = {
    "healthz": Skip("health check for load balancers: JSON", "not-html"),
    "readyz": Skip("readiness check for load balancers: JSON", "not-html"),
    "brand_css": Skip("the deployment's accent colour: a stylesheet", "not-html"),
    "set_language": Skip("the language switch: sets the language and redirects", "redirect"),
    "accounts:logout": Skip(POST_ONLY, "405", Visit("citizen")),
    "accounts:export_data": Skip("the personal data download: JSON", "not-html", Visit("citizen")),
    "accounts:membership_decide": Skip(POST_ONLY, "405", Visit("coordinator", lambda s: {"pk": s.pending.pk})),
    "accounts:membership_revoke": Skip(POST_ONLY, "405", Visit("coordinator", lambda s: {"pk": s.pending.pk})),
    "accounts:membership_leave": Skip(POST_ONLY, "405", Visit("ngo", lambda s: {"pk": s.pending.pk})),
    "directory:organization_export_csv": Skip("a CSV file", "not-html"),
    "directory:organization_export_xlsx": Skip("an XLSX file", "not-html"),
    "directory:organization_verify": Skip(POST_ONLY, "405", Visit("coordinator", _org)),
    "directory:organization_claim": Skip(POST_ONLY, "405", Visit("citizen", _org)),
    "directory:organization_invite": Skip(POST_ONLY, "405", Visit("ngo", _org)),
    "alerts:subscription_update": Skip(
        POST_ONLY, "405", Visit("citizen", lambda s: {"pk": s.subscription.pk})
    ),
    "alerts:subscription_delete": Skip(
        POST_ONLY, "405", Visit("citizen", lambda s: {"pk": s.subscription.pk})
    ),
    "alerts:legacy_subscription_list": Skip(MOVED, "redirect", Visit("citizen")),
    "alerts:legacy_subscription_update": Skip(
        MOVED, "redirect", Visit("citizen", lambda s: {"pk": s.subscription.pk})
    ),
    "alerts:legacy_subscription_delete": Skip(
        MOVED, "redirect", Visit("citizen", lambda s: {"pk": s.subscription.pk})
    ),
    "alerts:legacy_subscribe": Skip(MOVED, "redirect", Visit("citizen")),
    "alerts:legacy_delivery_log": Skip(MOVED, "redirect", Visit("coordinator")),
    "core:import_template": Skip(
        "an import template file (CSV)", "not-html",
        Visit("coordinator", lambda s: {"importer": "organizations", "kind": "csv"}),
    ),
    "funding:call_feed": Skip("an Atom feed", "not-html"),
    "consultations:body_suggestions": Skip(SUGGESTIONS, "fragment", Visit(query="?body=Ur")),
    "partners:call_suggestions": Skip(SUGGESTIONS, "fragment", Visit(query="?call=ER")),
    "funding:deadlines_ics": Skip("an iCalendar file", "not-html"),
    "funding:call_deadlines_ics": Skip("an iCalendar file", "not-html", Visit(kwargs=_call)),
    "funding:call_publish": Skip(POST_ONLY, "405", Visit("officer", _call)),
    "partners:request_close": Skip(POST_ONLY, "405", Visit("ngo", _request)),
    "partners:interest_create": Skip(POST_ONLY, "405", Visit("citizen", _request)),
    "partners:invitation_create": Skip(POST_ONLY, "405", Visit("ngo", _request)),
    "partners:interest_decide": Skip(POST_ONLY, "405", Visit("ngo", lambda s: {"pk": s.interest.pk})),
    "partners:twinning_delete": Skip(POST_ONLY, "405", Visit("coordinator", _twinning)),
    "events:calendar_ics": Skip("an iCalendar file", "not-html"),
    "events:event_ics": Skip("an iCalendar file", "not-html", Visit(kwargs=_event)),
    "events:certificate": Skip("a PDF certificate", "not-html", Visit(kwargs=_registration)),
    "events:event_publish": Skip(POST_ONLY, "405", Visit("officer", _event)),
    "events:event_register": Skip(POST_ONLY, "405", Visit(kwargs=_event)),
    "events:attendance_set": Skip(POST_ONLY, "405", Visit("officer", _attendance)),
    "events:registration_cancel": Skip(POST_ONLY, "405", Visit(kwargs=_registration)),
    "projects:export_csv": Skip("a CSV file", "not-html"),
    "projects:export_xlsx": Skip("an XLSX file", "not-html"),
    "projects:export_iati": Skip("an IATI XML file", "not-html"),
    "projects:project_sheet": Skip("a PDF project sheet", "not-html", Visit(kwargs=_project)),
    "projects:document_download": Skip(
        "a document uploaded to a project", "not-html",
        Visit("ngo", lambda s: {"pk": s.project.pk, "document": s.document.pk}),
    ),
    "projects:project_move": Skip(POST_ONLY, "405", Visit("ngo", _project)),
    "projects:partner_add": Skip(POST_ONLY, "405", Visit("ngo", _project)),
    "projects:partner_remove": Skip(POST_ONLY, "405", Visit("ngo", lambda s: {"pk": s.project.pk, "partner": s.partner.pk})),
    "projects:milestone_add": Skip(POST_ONLY, "405", Visit("ngo", _project)),
    "projects:milestone_done": Skip(
        POST_ONLY, "405", Visit("ngo", lambda s: {"pk": s.project.pk, "milestone": s.milestone.pk}),
    ),
    "kpis:target_delete": Skip(POST_ONLY, "405", Visit("coordinator", lambda s: {"pk": s.target.pk})),
    "support:message_create": Skip(POST_ONLY, "405", Visit("coordinator", _support)),
    "support:status_change": Skip(POST_ONLY, "405", Visit("coordinator", _support)),
    "support:assign": Skip(POST_ONLY, "405", Visit("coordinator", _support)),
    "support:time_log": Skip(POST_ONLY, "405", Visit("coordinator", _support)),
    "consultations:consultation_ics": Skip("a consultation in a calendar (iCalendar)", "not-html", Visit(kwargs=_consultation)),
    "consultations:attachment_download": Skip(
        "an attachment of a consultation (a PDF)", "not-html",
        Visit(kwargs=lambda s: {"pk": s.consultation.pk, "attachment": s.attachment.pk}),
    ),
    "consultations:report_pdf": Skip("the consultation report as PDF", "not-html", Visit(kwargs=_finished)),
    "consultations:export_remarks": Skip(
        "the remarks as a spreadsheet (CSV, XLSX)", "not-html",
        Visit("officer", lambda s: {"pk": s.finished_consultation.pk, "format": "csv"}),
    ),
    "consultations:consultation_publish": Skip(POST_ONLY, "405", Visit("officer", _consultation)),
    "consultations:follow": Skip(POST_ONLY, "405", Visit("ngo", _consultation)),
    "consultations:section_remove": Skip(POST_ONLY, "405", Visit("officer", _section)),
    "consultations:section_move": Skip(POST_ONLY, "405", Visit("officer", _section)),
    "groups:member_remove": Skip(POST_ONLY, "405", Visit("coordinator", _group_member)),
    "groups:member_chair": Skip(POST_ONLY, "405", Visit("coordinator", _group_member)),
    "groups:post_create": Skip(POST_ONLY, "405", Visit("ngo", _group)),
    "groups:document_download": Skip("a group's working document (a PDF)", "not-html", Visit("ngo", _group_document_version)),
    "groups:standard_file": Skip("a standard's file (a PDF)", "not-html", Visit(kwargs=_standard_version)),
    "admin:logout": Skip(POST_ONLY, "405", Visit("operator")),
    "admin:jsi18n": Skip("the admin's JavaScript catalog", "not-html", Visit("operator")),
    "admin:autocomplete": Skip(
        "JSON for the admin's autocomplete widgets (answers only with a field to complete)"
    ),
    "admin:view_on_site": Skip("a redirect to the object's own page (visited here)"),
}
# The REST API (JSON for programs) is skipped as a whole, except its HTML documentation page,
# which is Swagger UI: a third-party page, loaded and checked for CSP errors in test_journeys.
API_PREFIX = "api/v1/"
API_REASON = "the REST API: JSON for programs"
SKIPPED["api-docs"] = Skip(
    "Swagger UI, a third-party page (test_api_docs_load_swagger_ui_without_csp_errors)"
)

ADMIN_MODEL_VIEWS = ("changelist", "add", "change", "history", "delete")


# --- the patterns -----------------------------------------------------------------------------


def _named_patterns(patterns=None, namespace="", prefix=""):
    """(qualified name, route) of every named pattern of the resolver."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from _named_patterns(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern)


def _admin_model_pages() -> dict[str, tuple[type, str]]:
    """name -> (model, view) for each registered model's list, add, change, history, delete."""
    pages = {}
    for model in admin.site._registry:
        opts = model._meta
        for view in ADMIN_MODEL_VIEWS:
            pages[f"admin:{opts.app_label}_{opts.model_name}_{view}"] = (model, view)
    return pages


def _admin_app_labels() -> list[str]:
    return sorted({model._meta.app_label for model in admin.site._registry})


def _is_api(route: str) -> bool:
    return route.lstrip("^").startswith(API_PREFIX)


def test_every_named_url_pattern_is_visited_or_skipped():
    admin_pages = _admin_model_pages()
    unaccounted, both = [], []
    seen = set()
    for name, route in _named_patterns():
        seen.add(name)
        visited = (
            name in PAGES or name in ADMIN_SITE_PAGES or name in admin_pages or name == "admin:app_list"
        )
        skipped = name in SKIPPED or (_is_api(route) and name != "api-docs")
        if visited and skipped:
            both.append(name)
        elif not visited and not skipped:
            unaccounted.append(f"{name} ({route})")
    assert not unaccounted, (
        "Named URL patterns neither visited by the browser pass nor skipped with a reason: "
        "add each to PAGES (a page) or SKIPPED (not a page, and why) in tests/browser/"
        "test_every_page.py:\n  " + "\n  ".join(unaccounted)
    )
    assert not both, f"Both visited and skipped: {both}"
    # Entries for patterns that no longer exist would hide a renamed page.
    stale = sorted((set(PAGES) | set(ADMIN_SITE_PAGES) | set(SKIPPED)) - seen)
    assert not stale, f"PAGES/SKIPPED name patterns the resolver does not have: {stale}"


# --- the site the pages show --------------------------------------------------------------------


@pytest.fixture
def site(municipality, county):
    from civicbridge.accounts.services import record_rights_change
    from civicbridge.alerts.models import Subscription
    from civicbridge.alerts.services import unsubscribe_token
    from civicbridge.core.models import OutgoingMail, PeriodicJobSlot, WorkerHeartbeat
    from civicbridge.core.notifications import queue_mail

    coordinator = UserFactory(username="coordinator", is_coordinator=True, is_staff=True)
    operator = UserFactory(
        username="operator", is_coordinator=True, is_staff=True, is_superuser=True
    )
    officer = UserFactory(username="officer")
    ngo = UserFactory(username="ngo")
    citizen = UserFactory(username="citizen")

    public_body = PublicBodyFactory(
        name="Urząd Miejski w Nysie", slug="urzad-miejski-w-nysie", territory=municipality
    )
    ngo_organization = OrganizationFactory(
        name="Stowarzyszenie Przyjaciół Ziemi Nyskiej", slug="przyjaciele-ziemi-nyskiej",
        territory=municipality, description="Dbamy o **dziedzictwo** ziemi nyskiej.",
    )
    for number in range(30):  # two pages of search results
        OrganizationFactory(
            name=f"Stowarzyszenie Rozwoju Wsi {number}", slug=f"stowarzyszenie-rozwoju-{number}",
            territory=municipality,
        )
    MembershipFactory(user=officer, organization=public_body)
    MembershipFactory(user=ngo, organization=ngo_organization)
    pending = MembershipFactory(
        user=citizen, organization=ngo_organization, status="pending", origin="claim",
        message="I am on the board.",
    )
    record_rights_change(
        user=ngo, right="membership", action="granted", by=coordinator,
        organization=ngo_organization, reason="Confirmed by the board's resolution.",
    )
    plenipotentiary = PlenipotentiaryFactory(
        public_body=public_body, full_name="Anna Kowalska", phone="+48 77 408 05 00"
    )

    call = CallFactory(
        identifier="FIO-2026-LOCAL-01", title="Lokalne inicjatywy obywatelskie",
        created_by=officer, territories=[county],
    )
    CallFactory(identifier="FIO-2026-LOCAL-02", deadlines=[timezone.now() + timedelta(days=3)])
    partner_request = PartnerRequestFactory(organization=ngo_organization)
    interest = ExpressionOfInterestFactory(
        request=partner_request, organization=public_body
    )
    twinning = TwinningFactory()
    subscription = Subscription.objects.create(user=citizen, name="Grants for Nysa", keywords="grant")
    event, registration = _event_with_attendance(public_body, officer, ngo)
    project, partner, milestone, document, report = _project_with_its_records(ngo_organization, public_body, ngo)
    target = Target.objects.create(
        year=timezone.localdate().year, name_en="Trainings", name_pl="Szkolenia", kinds="training", events=12, hours=96,
    )
    support_request = SupportRequestFactory(organization=ngo_organization, created_by=ngo)
    MessageFactory(request=support_request, author=coordinator, body="Zadzwoń do nas we wtorek.")
    TimeEntryFactory(request=support_request, coordinator=coordinator)
    consultation, section, remark, attachment, finished, answered = _consultations(officer, ngo, public_body, ngo_organization)
    working_group, group_member, group_document, standard, draft_standard, consulted_standard = _working_group(
        coordinator, officer, ngo, public_body, ngo_organization
    )

    # Rows for the admin's pages of the platform's own records.
    queue_mail(key="browser-pass", to=citizen.email, subject="Hello", body="Body", language="en")
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="worker-1", hostname="localhost", pid=1, started_at=now, seen_at=now
    )
    PeriodicJobSlot.objects.create(job="digest", scheduled_for=now, worker_id="worker-1")
    _third_party_rows(citizen)
    assert OutgoingMail.objects.exists()

    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return SimpleNamespace(
        users={
            "coordinator": coordinator, "operator": operator, "officer": officer, "ngo": ngo,
            "citizen": citizen,
        },
        citizen=citizen,
        public_body=public_body,
        ngo_organization=ngo_organization,
        pending=pending,
        plenipotentiary=plenipotentiary,
        call=call,
        partner_request=partner_request,
        interest=interest,
        twinning=twinning,
        subscription=subscription,
        event=event,
        registration=registration,
        support_request=support_request,
        target=target,
        project=project,
        partner=partner,
        milestone=milestone,
        document=document,
        report=report,
        consultation=consultation, section=section, remark=remark, attachment=attachment,
        finished_consultation=finished, answered_remark=answered,
        working_group=working_group, group_member=group_member, group_document=group_document,
        standard=standard, draft_standard=draft_standard, consulted_standard=consulted_standard,
        unsubscribe_token=unsubscribe_token(subscription.pk),
        password_reset={
            "uidb64": urlsafe_base64_encode(force_bytes(citizen.pk)),
            "token": default_token_generator.make_token(citizen),
        },
    )


def _consultations(officer, ngo, public_body, ngo_organization):
    """An open consultation of the officer's body with the ngo's remark and an attachment; a
    finished one with its remark answered and the adopted text compared."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicbridge.consultations import services as consultations
    from civicbridge.consultations.models import Consultation
    from tests.consultations.factories import ConsultationFactory

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    consultation = ConsultationFactory(issuing_body=public_body, title="Projekt standardu konsultacji")
    section = consultation.sections.order_by("position").first()
    remark = consultations.submit_remark(
        by=ngo, consultation=consultation, section=section, organization=ngo_organization,
        proposed_wording="Termin 21 dni.", justification="Organizacje **nie zdążą** w 7 dni.",
    )
    attachment = consultations.add_attachment(
        by=officer, consultation=consultation, title="Uzasadnienie projektu", upload=SimpleUploadedFile("uzasadnienie.pdf", pdf),
    )
    finished = ConsultationFactory(issuing_body=public_body, title="Projekt programu współpracy na 2027 rok")
    answered = consultations.submit_remark(
        by=ngo, consultation=finished, section=finished.sections.order_by("position").first(), organization=ngo_organization,
        justification="Prosimy o dodanie priorytetu: senioralna aktywność.",
    )
    now = timezone.now()
    Consultation.objects.filter(pk=finished.pk).update(
        starts_at=now - datetime.timedelta(days=20), ends_at=now - datetime.timedelta(days=1),
    )
    finished.refresh_from_db()
    consultations.answer_remark(by=officer, remark=answered, answer="partly", justification="Dodano jako cel szczegółowy.")
    consultations.set_adopted_text(by=officer, consultation=finished, text="§ 1. Program obejmuje seniorów.\n§ 2. Nowy.")
    consultations.set_minimum_duration(
        by=officer, body=public_body, kind=Consultation.Kind.COOPERATION_PROGRAMME, days=14, basis="Uchwała (test)",
    )
    return consultation, section, remark, attachment, finished, answered


def _working_group(coordinator, officer, ngo, public_body, ngo_organization):
    """A group chaired by the officer with the ngo as a member, a document, a post; a published
    standard with a file, a draft and one in consultation."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicbridge.groups import services as groups
    from civicbridge.groups.models import Stage

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    group = groups.create_group(by=coordinator, name="Zespół ds. standardu konsultacji",
                                purpose="Projekt **standardu** konsultacji.")
    groups.appoint_member(by=coordinator, group=group, user=officer, organization=public_body, as_chair=True)
    member = groups.appoint_member(by=coordinator, group=group, user=ngo, organization=ngo_organization)
    document = groups.add_document(by=officer, group=group, title="Projekt standardu",
                                   upload=SimpleUploadedFile("projekt.pdf", pdf))
    groups.add_post(by=ngo, group=group, body="Proponuję **30 dni** na informację zwrotną.")
    standard = groups.create_standard(by=officer, group=group, title="Model partnerstwa", summary="Zasady partnerstwa",
                                      text="## Umowa\nPartnerzy zawierają umowę.",
                                      upload=SimpleUploadedFile("model.pdf", pdf))
    groups.move_standard(by=coordinator, standard=standard, to_stage=Stage.IN_CONSULTATION, note="BIP")
    groups.move_standard(by=coordinator, standard=standard, to_stage=Stage.ADOPTED, resolution_number="12/2025",
                         resolution_date=datetime.date(2025, 3, 1), adopting_body=public_body)
    groups.move_standard(by=coordinator, standard=standard, to_stage=Stage.PUBLISHED)
    draft = groups.create_standard(by=officer, group=group, title="Standard konsultacji", text="Szkic")
    consulted = groups.create_standard(by=officer, group=group, title="Standard centrum NGO", text="Usługi")
    groups.move_standard(by=officer, standard=consulted, to_stage=Stage.IN_CONSULTATION, note="BIP")
    return group, member, document, standard, draft, consulted


def _event_with_attendance(public_body, officer, ngo):
    """A training under way with a seat taken and the person present (a certificate to show),
    another person on its waiting list, and an upcoming meeting."""
    from civicbridge.events import services as events

    training = EventFactory(
        organizers=[public_body], capacity=1, title="Szkolenie: oferta w otwartym konkursie ofert",
        starts_at=timezone.now() + timedelta(days=2),
    )
    registration = events.register(event=training, by=ngo, organization_name="Stowarzyszenie Przyjaciół Ziemi Nyskiej")
    events.register(event=training, name="Jan Nowak", email="jan@example.org")
    Event.objects.filter(pk=training.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    training.refresh_from_db()
    events.set_attendance(by=officer, registration=registration, attended=True)
    EventFactory(organizers=[public_body], kind=Event.Kind.MEETING, title="Spotkanie konsultacyjne")
    return training, registration


def _project_with_its_records(ngo_organization, public_body, ngo):
    """A running project of the "ngo" account's organization (with a KRS number, so that IATI
    can name it), with a partner, a milestone, a document and an interim report."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicbridge.projects import services as projects

    Organization.objects.filter(pk=ngo_organization.pk).update(registry_type="krs", registry_number="0000123456")
    ngo_organization.refresh_from_db()
    project = ProjectFactory(lead_organization=ngo_organization, status=Project.Status.RUNNING, title="Młodzi dla Nysy")
    partner = projects.add_partner(by=ngo, project=project, organization=public_body, role="partner")
    milestone = projects.add_milestone(by=ngo, project=project, title="Pierwsze warsztaty", due_date=date(2026, 6, 1))
    document = projects.add_document(by=ngo, project=project, title="Umowa",
                                     upload=SimpleUploadedFile("umowa.pdf", b"%PDF-1.7 umowa"))
    report = projects.submit_report(by=ngo, project=project, kind="interim", data={
        "period_start": date(2026, 3, 1), "period_end": date(2026, 5, 31), "activities": "Warsztaty",
        "results": "40 uczestników", "indicators": "2 z 6", "problems": "", "spending_to_date": Decimal("25000"),
    })
    return project, partner, milestone, document, report


def _third_party_rows(user):
    """One row for each third-party model in the admin (tokens, lock-out records, tasks)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=user)
    now = timezone.now()
    common = {
        "user_agent": "Mozilla/5.0", "ip_address": "127.0.0.1", "username": user.username,
        "http_accept": "text/html", "path_info": "/en/accounts/login/",
    }
    AccessAttempt.objects.create(
        **common, get_data="", post_data="", failures_since_start=1, attempt_time=now
    )
    AccessLog.objects.create(**common, attempt_time=now)
    AccessFailureLog.objects.create(**common, attempt_time=now, locked_out=False)


def _admin_visits(site) -> dict[str, tuple[Visit, ...]]:
    """Each registered model's admin pages with one of its rows, at the status its ModelAdmin
    allows (a read-only record's add page is refused: 403)."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = site.users["operator"]
    visits = dict(ADMIN_SITE_PAGES)
    for name, (model, view) in _admin_model_pages().items():
        model_admin = admin.site._registry[model]
        row = model_admin.get_queryset(request).order_by("pk").first()
        if view in ("changelist", "add"):
            kwargs = {}
        else:
            assert row is not None, (
                f"No {model._meta.label} row for its admin {view} page: create one in the site "
                "fixture of tests/browser/test_every_page.py"
            )
            kwargs = {"object_id": quote(row.pk)}
        allowed = {
            "changelist": model_admin.has_view_or_change_permission(request),
            "add": model_admin.has_add_permission(request),
            "change": model_admin.has_view_or_change_permission(request, row),
            "history": model_admin.has_view_or_change_permission(request, row),
            "delete": model_admin.has_delete_permission(request, row),
        }[view]
        visits[name] = (
            Visit("operator", kwargs=lambda site, kwargs=kwargs: kwargs, status=200 if allowed else 403),
        )
    for label in _admin_app_labels():
        visits.setdefault("admin:app_list", ())
        visits["admin:app_list"] += (
            Visit("operator", kwargs=lambda site, label=label: {"app_label": label}),
        )
    return visits


def test_skipped_patterns_are_not_pages(site):
    """Each reason in SKIPPED holds: the server's answer to a GET says so."""
    clients = {}
    wrong = []
    for name, skip in SKIPPED.items():
        if not skip.answers:
            continue
        role = skip.visit.role
        if role not in clients:
            clients[role] = Client()
            if role != "anonymous":
                clients[role].force_login(site.users[role])
        with translation.override("en"):
            url = skip.visit.url(name, site)
        response = clients[role].get(url)
        content_type = response.get("Content-Type", "")
        if skip.answers == "405" and response.status_code != 405:
            wrong.append(f"{name}: GET {url} answered {response.status_code}, not 405")
        if skip.answers == "redirect" and response.status_code not in (301, 302, 303, 307, 308):
            wrong.append(f"{name}: GET {url} answered {response.status_code}, not a redirect")
        if skip.answers == "not-html" and (
            response.status_code != 200 or content_type.startswith("text/html")
        ):
            wrong.append(f"{name}: GET {url} answered {response.status_code} {content_type}")
        if skip.answers == "fragment" and (
            response.status_code != 200 or not content_type.startswith("text/html") or b"<html" in response.content
        ):
            wrong.append(f"{name}: GET {url} answered {response.status_code} {content_type}, a page")
    assert not wrong, "Skipped as not pages, but:\n  " + "\n  ".join(wrong)


# --- the pass -------------------------------------------------------------------------------------


def _sign_in(context, user, base_url):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def _run_vnu(directory: Path) -> list[str]:
    """The Nu HTML checker's errors for every .html file under ``directory`` (one Java process)."""
    java = shutil.which("java")
    if not (java and VNU_JAR.is_file()):
        message = (
            "The Nu HTML checker needs Java and node_modules/vnu-jar: run "
            "'scripts/test-services.sh install' and 'npm ci'."
        )
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    result = subprocess.run(
        [java, "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--errors-only",
         "--skip-non-html", str(directory)],
        capture_output=True, text=True, timeout=300,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    (ARTIFACTS_DIR / "vnu.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    errors = []
    for message in report.get("messages", []):
        if message.get("type") == "error" or message.get("subType") == "fatal":
            where = Path(message.get("url", "").removeprefix("file:")).name
            errors.append(
                f"{where}:{message.get('lastLine', '?')}: {message.get('message')}"
                f"  [{(message.get('extract') or '').strip()[:120]}]"
            )
    return errors


def _by_role(visits):
    by_role: dict[str, list[tuple[str, Visit]]] = {}
    for name, page_visits in visits.items():
        for visit in page_visits:
            by_role.setdefault(visit.role, []).append((name, visit))
    return by_role


def _browse(browser, site_url, site, visits, *, languages, check_page):
    """Open every visit, one browser context per role (signed in once), in each language.

    Saves the HTML as served under PAGES_DIR for the Nu checker; ``check_page(page, label,
    file_name)`` runs axe-core and returns problems. Returns (problems, pages visited)."""
    failures, count = [], 0
    by_role = _by_role(visits)
    for role in ROLES:
        if role not in by_role:
            continue
        context, page = _new_page(browser, site_url)
        failed_loads = []
        page.on(
            "response",
            lambda response, failed_loads=failed_loads: failed_loads.append(
                f"{response.status} {response.url}"
            )
            if response.status >= 400 and response.request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")
            else None,
        )
        if role != "anonymous":
            _sign_in(context, site.users[role], site_url)
        try:
            for language in languages:
                for number, (name, visit) in enumerate(by_role[role]):
                    with translation.override(language):
                        url = visit.url(name, site)
                    label = f"{language} {role} {name} {url}"
                    response = page.goto(url)
                    count += 1
                    if response is None or response.status != visit.status:
                        failures.append(
                            f"{label}: status {response and response.status}, not {visit.status}"
                        )
                        continue
                    file_name = f"{language}-{role}-{name.replace(':', '-')}-{number}.html"
                    (PAGES_DIR / file_name).write_text(response.text())
                    lang = page.locator("html").get_attribute("lang")
                    if lang != language:
                        failures.append(f"{label}: <html lang={lang!r}>")
                    failures.extend(f"{label}: {problem}" for problem in check_page(page, file_name))
                    # The page's own status is checked above; the browser logs it as an error.
                    errors = [e for e in page.console_errors if "Failed to load resource" not in e]
                    if errors or failed_loads:
                        failures.append(f"{label}: console errors {errors}, failed loads {failed_loads}")
                    page.console_errors.clear()
                    failed_loads.clear()
        finally:
            context.close()
    return failures, count


def _axe_check(page, file_name):
    try:
        check_accessibility(page, report_name=file_name.removesuffix(".html"))
    except pytest.fail.Exception as error:
        return [str(error)]
    return []


@pytest.fixture
def pages_dir():
    shutil.rmtree(PAGES_DIR, ignore_errors=True)
    PAGES_DIR.mkdir(parents=True)
    return PAGES_DIR


def test_every_page_passes_axe_and_the_nu_html_checker(browser, site_url, site, pages_dir):
    failures, count = _browse(
        browser, site_url, site, PAGES, languages=LANGUAGES, check_page=_axe_check
    )
    errors = _run_vnu(pages_dir)
    if errors:
        failures.append(
            f"Nu HTML checker: {len(errors)} error(s) (test-artifacts/vnu.json):\n  "
            + "\n  ".join(errors[:80])
        )
    assert count == len(LANGUAGES) * sum(len(visits) for visits in PAGES.values())
    assert not failures, f"{len(failures)} problem(s) in {count} pages:\n" + "\n".join(failures)


# Django's own admin markup that fails a check, listed so that anything else fails the test.
# Each is Django's (its widgets and templates), not this project's: (check, what it matches, why).
DJANGO_ADMIN_KNOWN = (
    ("aria-prohibited-attr", r"help-tooltip", "SelectFilter2.js (filter_horizontal) puts "
     "aria-label on a span without a role"),
    ("label", r"#id_[a-z_]+-\d+-", "tabular inlines name their columns with <th>, not <label>"),
    ("label-title-only", r"#id_[a-z_]+-\d+-", "the same tabular inlines"),
    ("select-name", r"#id_[a-z_]+-\d+-", "the same tabular inlines"),
    ("label-title-only", r"#searchbar", "the changelist's search box, labelled by an icon"),
    ("label-content-name-mismatch", r"datetimeshortcuts", "the calendar shortcuts' aria-label"),
    ("link-name", r"\?[a-z_]+=\"", "a list filter's choice for a blank value has no text"),
    ("vnu", r"“disabled” not allowed on element “div”", "ReadOnlyPasswordHashWidget"),
    ("vnu", r"No “p” element in scope but a “p” end tag", "the admin's password form puts the "
     "password rules (a list) inside <p>"),
)


def _known_in_admin(check: str, text: str) -> bool:
    import re

    return any(check == known and re.search(pattern, text) for known, pattern, _why in DJANGO_ADMIN_KNOWN)


def _admin_axe_check(page, file_name):
    from tests.browser import conftest

    if conftest._AXE is None:
        conftest._AXE = conftest._axe()
    results = conftest._AXE.run(page, options={"resultTypes": ["violations"]})
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        for node in violation["nodes"]:
            where = f"{node['target']} {node['html'][:160]}"
            if not _known_in_admin(violation["id"], where):
                problems.append(f"axe {violation['id']} ({violation['impact']}) at {where}")
    return problems


def test_every_admin_page_passes_axe_and_the_nu_html_checker(browser, site_url, site, pages_dir):
    """The admin's pages, generated for each registered model, in English: their markup is
    Django's in every language (its strings come from Django's own catalogs)."""
    visits = _admin_visits(site)
    failures, count = _browse(
        browser, site_url, site, visits, languages=["en"], check_page=_admin_axe_check
    )
    errors = [error for error in _run_vnu(pages_dir) if not _known_in_admin("vnu", error)]
    if errors:
        failures.append(f"Nu HTML checker: {len(errors)} error(s):\n  " + "\n  ".join(errors[:80]))
    assert count == sum(len(page_visits) for page_visits in visits.values())
    assert not failures, f"{len(failures)} problem(s) in {count} pages:\n" + "\n".join(failures)
