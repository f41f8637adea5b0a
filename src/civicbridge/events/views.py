from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from civicbridge.core import counters
from civicbridge.core.client import client_scope
from civicbridge.core.deployment import zone_label
from civicbridge.core.forms import apply_validation_error, submit
from civicbridge.core.pagination import page_of
from civicbridge.core.partials import results_template
from civicbridge.directory.selectors import represented_organizations

from . import calendars, certificates, phases, selectors, services
from .forms import CancelEventForm, EventForm, MinutesForm, RegistrationForm
from .models import Event, Registration


@vary_on_headers("HX-Request", "HX-Target")  # the same address answers the page or its results
def event_list(request):
    filterset = selectors.filter_events(request.GET, user=request.user, with_organizers=False)
    page = page_of(
        selectors.filtered_events(filterset), request.GET.get("page"),
        count=selectors.past_count(filterset),
    )
    context = {
        "filter": filterset,
        "page": page,
        "events": selectors.with_organizer_names(selectors.with_seats(page.object_list)),
        "can_add": request.user.has_perm("events.add_event", None),
    }
    return render(request, results_template(request, "events/event_list.html"), context)


def event_calendar(request):
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    month = selectors.month_of(request.GET.get("month"), today)
    data = request.GET.copy()
    data.pop("month", None)
    data["when"] = "all"
    filterset = selectors.filter_events(data, user=request.user)
    events = selectors.events_in_month(filterset, month) if filterset.is_valid() else []
    context = {
        "filter": filterset,
        "month": month,
        "weeks": selectors.month_grid(month, events, today),
        "events": events,
        "previous": selectors.month_before(month).strftime("%Y-%m"),
        "following": selectors.month_after(month).strftime("%Y-%m"),
    }
    return render(request, "events/event_calendar.html", context)


def _ics_response(body: bytes, filename: str, disposition: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def calendar_ics(request):
    """Events not over yet (the list's filters apply): a calendar people subscribe to."""
    body = calendars.events_calendar(
        selectors.calendar_events(request.GET), name=_("Events"), absolute_url=request.build_absolute_uri,
    )
    return _ics_response(body, "events.ics", "inline")


def _visible_event_or_404(request, pk) -> Event:
    try:
        return selectors.event_detail(pk=pk, user=request.user)
    except Event.DoesNotExist as error:
        raise Http404 from error


def event_ics(request, pk):
    event = _visible_event_or_404(request, pk)
    body = calendars.events_calendar([event], name=event.title, absolute_url=request.build_absolute_uri)
    return _ics_response(body, f"event-{event.pk}.ics", "attachment")


def _render_detail(request, event, *, form=None, status=200):
    user = request.user
    mine = selectors.own_registration(event, user)
    accepts = phases.accepts_registrations(event)
    if form is None and accepts and mine is None:
        form = RegistrationForm(
            signed_in=user.is_authenticated, organizations=represented_organizations(user),
        )
    context = {
        "event": event,
        "phase": phases.timeline(event).current(),
        "accepts": accepts,
        "closed_reason": None if accepts else services.registration_closed_message(event),
        "form": form if mine is None else None,
        "mine": mine,
        "waiting_position": selectors.waiting_position(mine) if mine else None,
        "can_change": user.has_perm("events.change_event", event),
        "can_manage": user.has_perm("events.manage_registrations", event),
        "can_cancel": user.has_perm("events.change_event", event) and not event.cancelled_at
        and timezone.now() < event.starts_at,
        "zone_label": zone_label(timezone.get_default_timezone()),
    }
    return render(request, "events/event_detail.html", context, status=status)


def event_detail(request, pk):
    return _render_detail(request, _visible_event_or_404(request, pk))


def _guest_limit_reached(request) -> bool:
    """Guests register at most so many times an hour per address: a form open to anyone
    must not become a way to fill an event with invented names."""
    limit = settings.CIVICBRIDGE_EVENT_GUEST_REGISTRATIONS_PER_HOUR
    key = f"events:guest-registrations:{client_scope(request)}"
    return counters.increment(key, ttl=3600)[key].value > limit


@require_POST
def event_register(request, pk):
    event = _visible_event_or_404(request, pk)
    user = request.user
    form = RegistrationForm(request.POST, signed_in=user.is_authenticated)
    if not form.is_valid():
        return _render_detail(request, event, form=form, status=400)
    if not user.is_authenticated and _guest_limit_reached(request):
        form.add_error(None, _("Too many registrations from your connection in the last hour. Try again later."))
        return _render_detail(request, event, form=form, status=429)
    data = form.cleaned_data
    registration = submit(form, lambda: services.register(
        event=event, by=user, name=data.get("name", ""), email=data.get("email", ""),
        organization_name=data.get("organization_name", ""),
    ))
    if form.errors:
        return _render_detail(request, event, form=form, status=400)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You are registered. A confirmation is on its way to %(email)s.") % {"email": registration.email})
    else:
        messages.info(request, _("All seats are taken: you are on the waiting list. We will write to %(email)s if a seat frees up.") % {"email": registration.email})
    return redirect(registration)


def registration_detail(request, token):
    """A registration's own page, reached from its e-mails (the token is its key)."""
    try:
        registration = selectors.registration_by_token(token)
    except (Registration.DoesNotExist, ValidationError) as error:
        raise Http404 from error
    context = {
        "registration": registration,
        "event": registration.event,
        "waiting_position": selectors.waiting_position(registration),
        "can_cancel": registration.status != Registration.Status.CANCELLED
        and timezone.now() < registration.event.ends_at,
        "certificate": selectors.certificate_allowed(registration),
    }
    return render(request, "events/registration_detail.html", context)


@require_POST
def registration_cancel(request, token):
    try:
        registration = selectors.registration_by_token(token)
    except (Registration.DoesNotExist, ValidationError) as error:
        raise Http404 from error
    try:
        services.cancel_registration(registration=registration, by=request.user, token=token)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(registration)


def certificate(request, token):
    try:
        registration = selectors.registration_by_token(token)
    except (Registration.DoesNotExist, ValidationError) as error:
        raise Http404 from error
    if not selectors.certificate_allowed(registration):
        raise Http404
    response = HttpResponse(certificates.certificate_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificates.certificate_filename(registration)}"'
    return response


# --- organizers --------------------------------------------------------------------------------------


@login_required
def event_create(request):
    user = request.user
    if not user.has_perm("events.add_event", None):
        raise PermissionDenied
    form = EventForm(request.POST or None, organizations=selectors.organizing_options(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = submit(form, lambda: services.create_event(
            by=user, data=form.service_data(), organizers=data["organizers"],
            thematic_areas=data["thematic_areas"], publish=data["publish"],
        ))
        if not form.errors:
            messages.success(request, _("The event is published.") if saved.published_at else _("The event is saved as a draft."))
            return redirect(saved)
    return render(request, "events/event_form.html", {"form": form, "event": None})


def _event_to_manage(request, pk, permission: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("territory"), pk=pk)
    if not request.user.has_perm(permission, event):
        raise PermissionDenied
    return event


@login_required
def event_edit(request, pk):
    event = _event_to_manage(request, pk, "events.change_event")
    form = EventForm(request.POST or None, instance=event, organizations=selectors.organizing_options(request.user))
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: services.update_event(
            by=request.user, event=event, data=form.service_data(), organizers=form.cleaned_data["organizers"],
            thematic_areas=form.cleaned_data["thematic_areas"],
        ))
        if not form.errors:
            messages.success(request, _("Your changes are saved."))
            return redirect(saved)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_publish(request, pk):
    event = _event_to_manage(request, pk, "events.change_event")
    services.publish_event(by=request.user, event=event)
    messages.success(request, _("The event is published."))
    return redirect(event)


@login_required
def event_cancel(request, pk):
    event = _event_to_manage(request, pk, "events.change_event")
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submit(form, lambda: services.cancel_event(by=request.user, event=event, reason=form.cleaned_data["reason"]))
        if not form.errors:
            messages.success(request, _("The event is cancelled and everyone registered is told."))
            return redirect(event)
    return render(request, "events/event_cancel.html", {"form": form, "event": event})


@login_required
def event_registrations(request, pk):
    event = _event_to_manage(request, pk, "events.manage_registrations")
    event = selectors.with_seats([event])[0]
    return render(request, "events/event_registrations.html", {"event": event, **selectors.registrations_of(event)})


@login_required
def event_checkin(request, pk):
    """The attendance list, made for a phone at the door: one button per person with a seat."""
    event = _event_to_manage(request, pk, "events.manage_registrations")
    rows = selectors.registrations_of(event)["confirmed"]
    context = {
        "event": event, "rows": rows, "present": sum(1 for row in rows if row.attended_at),
        "opens": services.attendance_opens(event), "open": timezone.now() >= services.attendance_opens(event),
    }
    return render(request, "events/event_checkin.html", context)


@login_required
@require_POST
def attendance_set(request, pk, registration_pk):
    event = _event_to_manage(request, pk, "events.manage_registrations")
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=registration_pk, event=event)
    error = None
    try:
        registration = services.set_attendance(
            by=request.user, registration=registration, attended=request.POST.get("attended") == "1",
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        return render(request, "events/event_checkin.html#checkin-row", {"event": event, "row": registration, "error": error})
    if error:
        messages.error(request, error)
    return redirect("events:event_checkin", pk=event.pk)


@login_required
def event_minutes(request, pk):
    event = _event_to_manage(request, pk, "events.manage_registrations")
    form = MinutesForm(request.POST or None, initial={"minutes": event.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_minutes(by=request.user, event=event, minutes=form.cleaned_data["minutes"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(event)
    return render(request, "events/event_minutes.html", {"form": form, "event": event})
