from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from civicbridge.core.countries import country_name
from civicbridge.core.forms import submit
from civicbridge.core.imports import import_page
from civicbridge.core.languages import language_name
from civicbridge.core.pagination import page_of
from civicbridge.core.partials import results_template
from civicbridge.core.registry import alertables

from . import calendars, imports, selectors, services
from .alerts import KEY as ALERTS_KEY
from .feeds import NewCallsFeed
from .forms import CallForm, CallImportForm, FunderForm, ProgrammeForm
from .models import Call, Funder, Programme


@vary_on_headers("HX-Request", "HX-Target")  # the same address answers the page or its results
def call_list(request):
    now = timezone.now()
    filterset = selectors.filter_calls(request.GET, now=now, queryset=selectors.calls_for_rows(request.user, now=now))
    calls, count = selectors.calls_to_page(filterset)
    page = page_of(calls, request.GET.get("page"), count=count)
    context = {
        "filter": filterset, "page": page, "calls": selectors.decorate(page.object_list, now),
        "alert_unkept": alertables.get(ALERTS_KEY).unkept_in(request.GET),
    }
    return render(request, results_template(request, "funding/call_list.html"), context)


def closing_soon(request):
    now = timezone.now()
    page = page_of(selectors.closing_soon(now=now), request.GET.get("page"))
    context = {"page": page, "calls": selectors.decorate(page.object_list, now), "days": selectors.CLOSING_SOON_DAYS}
    return render(request, "funding/closing_soon.html", context)


def _phases(call: Call, now):
    """The call's timeline for display: each phase with its label and dates on the deployment's
    clock, which the page names (the deadlines' table beside gives the funder's clock too)."""
    zone = timezone.get_current_timezone()
    timeline = call.timeline
    current = None if call.status_from_source else timeline.current(now)
    stages = len(call.deadlines.all())
    labels = {"forthcoming": _("Before opening"), "open": _("Open for submissions"), "closed": _("Closed")}
    rows = []
    for phase in timeline:
        if phase.key.startswith("stage-"):
            stage = int(phase.key.split("-", 1)[1])
            label = _("Submissions: %(stage)s") % {"stage": selectors.stage_label(call, stage, stages).lower()}
        else:
            label = labels.get(phase.key, phase.label)
        rows.append({
            "label": label,
            "starts_at": phase.starts_at.astimezone(zone) if phase.starts_at else None,
            "ends_at": phase.ends_at.astimezone(zone) if phase.ends_at else None,
            "is_current": phase is current,
        })
    return rows


def call_detail(request, identifier):
    try:
        call = selectors.call_detail(identifier=identifier, user=request.user)
    except Call.DoesNotExist as error:
        raise Http404 from error
    now = timezone.now()
    kinds = services.applicant_kinds()
    zone = services.funder_zone(call.programme.funder)
    site_zone = timezone.get_current_timezone()
    context = {
        "call": call,
        "status": call.status(now),
        "status_label": Call.Status(call.status(now)).label,
        "phases": _phases(call, now),
        "deadlines": selectors.shown_deadlines(call, now),
        "countdown": selectors.countdown(call, now),
        "zone_label": selectors.zone_label(zone),
        "site_zone_label": selectors.zone_label(site_zone),
        "opens_at": call.opens_at.astimezone(site_zone) if call.opens_at else None,
        # the funder's clock beside the deployment's only where the two read differently
        "opens_at_funder": (
            call.opens_at.astimezone(zone)
            if call.opens_at and call.opens_at.astimezone(zone).utcoffset() != call.opens_at.astimezone(site_zone).utcoffset()
            else None
        ),
        "kinds": [kinds.get(kind, kind) for kind in call.kinds],
        "countries": [country_name(c) for c in call.eligible_countries.split(",") if c],
        "languages": [language_name(c) for c in call.languages.split(",") if c],
        "can_change": request.user.has_perm("funding.change_call", call),
        "can_publish": call.published_at is None and request.user.has_perm("funding.publish_call", call),
    }
    return render(request, "funding/call_detail.html", context)


@login_required
def call_create(request):
    if not request.user.has_perm("funding.add_call"):
        raise PermissionDenied
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: services.create_call(
            by=request.user, data=form.call_data(), deadlines=form.cleaned_data["deadlines"],
            thematic_areas=form.cleaned_data["thematic_areas"],
            eligible_territories=form.cleaned_data["eligible_territories"],
        ))
        if not form.errors:
            messages.success(request, _("The call is saved as a draft. Publish it when it is ready."))
            return redirect(saved)
    return render(request, "funding/call_form.html", {"form": form, "call": None})


def _managed_call(request, identifier) -> Call:
    try:
        call = selectors.call_for_editing(identifier=identifier, user=request.user)
    except Call.DoesNotExist as error:
        raise Http404 from error
    if not request.user.has_perm("funding.change_call", call):
        raise PermissionDenied
    return call


@login_required
def call_edit(request, identifier):
    call = _managed_call(request, identifier)
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: services.update_call(
            call=call, by=request.user, data=form.call_data(), deadlines=form.cleaned_data["deadlines"],
            thematic_areas=form.cleaned_data["thematic_areas"],
            eligible_territories=form.cleaned_data["eligible_territories"],
        ))
        if not form.errors:
            messages.success(request, _("Your changes are saved."))
            return redirect(saved)
    return render(request, "funding/call_form.html", {"form": form, "call": call})


@require_POST
@login_required
def call_publish(request, identifier):
    call = _managed_call(request, identifier)
    try:
        services.publish_call(call=call, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The call is published."))
    return redirect(call)


@login_required
def call_import(request):
    return import_page(
        request, make_importer=lambda options: imports.CallImporter(**options), form_class=CallImportForm,
        template="funding/call_import.html", options=lambda cleaned: {"publish": cleaned["publish"]},
    )


call_feed = NewCallsFeed()


def _calendar_response(body: bytes, filename: str, disposition: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def deadlines_ics(request):
    """Every deadline still ahead of the published calls (the list's filters apply)."""
    body = calendars.deadlines_calendar(
        selectors.calendar_calls(request.GET),
        name=_("Calls for proposals: deadlines"),
        absolute_url=request.build_absolute_uri,
        reminder_days=calendars.reminder_days(request.GET.get("reminder")),
    )
    return _calendar_response(body, "deadlines.ics", "inline")


def call_deadlines_ics(request, identifier):
    """One call's deadlines, for 'add to calendar'."""
    try:
        call = selectors.call_detail(identifier=identifier, user=request.user)
    except Call.DoesNotExist as error:
        raise Http404 from error
    body = calendars.deadlines_calendar(
        [call], name=call.title, absolute_url=request.build_absolute_uri,
        reminder_days=calendars.reminder_days(request.GET.get("reminder")),
    )
    return _calendar_response(body, calendars.calendar_filename(call), "attachment")


def funder_list(request):
    context = {
        "funders": selectors.funders_with_programmes(),
        "can_manage": request.user.has_perm("funding.change_funder"),
    }
    return render(request, "funding/funder_list.html", context)


def _require(request, permission: str, obj=None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _funder(slug: str) -> Funder:
    try:
        return Funder.objects.get(slug=slug)
    except Funder.DoesNotExist as error:
        raise Http404 from error


def _reference_data_page(request, form, write, *, saved: str, template: str, context: dict):
    """A funder's or a programme's form: once the service has saved it, back to the funders."""
    if request.method == "POST" and form.is_valid():
        submit(form, write)
        if not form.errors:
            messages.success(request, saved)
            return redirect("funding:funder_list")
    return render(request, template, {"form": form, **context})


@login_required
def funder_create(request):
    _require(request, "funding.add_funder")
    form = FunderForm(request.POST or None)
    return _reference_data_page(
        request, form, lambda: services.create_funder(by=request.user, data=form.service_data()),
        saved=_("The funder is added. Add its programmes now."), template="funding/funder_form.html",
        context={"funder": None},
    )


@login_required
def funder_edit(request, slug):
    funder = _funder(slug)
    _require(request, "funding.change_funder", funder)
    form = FunderForm(request.POST or None, instance=funder)
    return _reference_data_page(
        request, form, lambda: services.update_funder(funder=funder, by=request.user, data=form.service_data()),
        saved=_("Your changes are saved."), template="funding/funder_form.html", context={"funder": funder},
    )


@login_required
def programme_create(request, slug):
    funder = _funder(slug)
    _require(request, "funding.add_programme")
    form = ProgrammeForm(request.POST or None)
    return _reference_data_page(
        request, form,
        lambda: services.create_programme(by=request.user, funder=funder, data=form.service_data()),
        saved=_("The programme is added."), template="funding/programme_form.html",
        context={"funder": funder, "programme": None},
    )


@login_required
def programme_edit(request, slug, pk):
    funder = _funder(slug)
    try:
        programme = funder.programmes.get(pk=pk)
    except Programme.DoesNotExist as error:
        raise Http404 from error
    _require(request, "funding.change_programme", programme)
    form = ProgrammeForm(request.POST or None, instance=programme)
    return _reference_data_page(
        request, form,
        lambda: services.update_programme(programme=programme, by=request.user, data=form.service_data()),
        saved=_("Your changes are saved."), template="funding/programme_form.html",
        context={"funder": funder, "programme": programme},
    )
