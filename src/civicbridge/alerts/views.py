"""Pages of the alerts: subscribe, one's own alerts, unsubscribe by link, the delivery log."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from civicbridge.core.forms import submit
from civicbridge.core.pagination import page_of
from civicbridge.core.registry import alertables
from civicbridge.core.rules import is_coordinator
from civicbridge.directory.models import Organization

from . import services
from .forms import DeliveryFilterForm, SubscribeForm, SubscriptionForm
from .selectors import (
    STATE_LABELS,
    deliveries_for_log,
    delivery_reason,
    delivery_state,
    occasion_label,
    own_subscriptions,
    with_items,
)


@login_required
@require_http_methods(["GET", "POST"])
def subscribe(request, alertable):
    """POST: save a content list's filters as an alert. GET: the same, to confirm (after log-in)."""
    if alertable not in alertables:
        raise Http404
    content = alertables.get(alertable)
    # Applicants' country only where the content's items name it (calls; not events).
    offers_country = content.applicant_countries
    source = request.POST if request.method == "POST" else request.GET
    criteria = {
        name: source.get(name, "").strip() for name in SubscribeForm.CRITERIA if offers_country or name != "country"
    }
    if not criteria["q"]:
        criteria["q"] = source.get("search", "").strip()  # the lists' other name for their words
    preview = SubscribeForm({**criteria, "frequency": "daily"}, applicant_countries=offers_country)
    if request.method == "POST":
        form = SubscribeForm(request.POST, applicant_countries=offers_country)
        if form.is_valid():
            saved = submit(form, lambda: services.create_subscription(
                user=request.user, alertable=alertable, frequency=form.cleaned_data["frequency"],
                remind_deadlines=form.cleaned_data["remind_deadlines"], **form.criteria(),
            ))
            if not form.errors:
                messages.success(
                    request, _("Alert saved: “%(name)s”. We will e-mail you at %(email)s.")
                    % {"name": saved.name, "email": request.user.email},
                )
                return redirect("alerts:subscription_list")
    else:
        initial = {**criteria, "frequency": "daily", "remind_deadlines": True}
        if preview.is_valid():
            initial.update(country=preview.cleaned_data.get("country", ""))  # ?country=de chooses Germany
        form = SubscribeForm(initial=initial, applicant_countries=offers_country)
    context = {
        "form": form,
        # Empty when the filters are refused: the page does not name a search it will not save.
        "summary": services.describe_criteria(alertable=alertable, **preview.criteria()) if preview.is_valid() else "",
        "hidden_criteria": {name: value for name, value in criteria.items() if name not in SubscribeForm.SHOWN},
        "shown_criteria": [form[name] for name in SubscribeForm.SHOWN if name in form.fields],
        "alertable": alertable,
        "content": content,
        # Deadline reminders only for content that has deadlines (calls; not events).
        "offers_reminders": content.reminders is not None,
        "list_url": reverse(content.list_url_name),
        # Back to the list as it was filtered, with the filters the alert does not keep.
        "list_query": urlencode([
            *((name, value) for name, value in criteria.items() if value),
            *((name, value) for name in content.unkept_filters for value in source.getlist(name) if value),
        ]),
        "unkept": content.unkept_in(source),
    }
    return render(request, "alerts/subscription_form.html", context, status=400 if form.is_bound else 200)


@login_required
def subscription_list(request):
    return render(request, "alerts/subscription_list.html", {"rows": _rows(request.user), "contents": _contents()})


def _contents() -> list[dict]:
    """Each alertable content's name and list, where a search is saved as an alert."""
    return [{"label": entry.label, "url": reverse(entry.list_url_name)} for entry in alertables]


def _rows(user, failed_form=None):
    """Each own subscription with its change form (the one that failed keeps its errors)."""
    rows = []
    for subscription in own_subscriptions(user):
        form = failed_form if failed_form is not None and failed_form.instance.pk == subscription.pk else (
            SubscriptionForm(instance=subscription, prefix=f"s{subscription.pk}")
        )
        kind = subscription.applicant_kind
        content = alertables.get(subscription.alertable).label if subscription.alertable in alertables else (
            subscription.alertable)
        rows.append((subscription, form, Organization.Kind(kind).label if kind in Organization.Kind.values else kind,
                     content))
    return rows


@login_required
@require_POST
def subscription_update(request, pk):
    subscription = get_object_or_404(own_subscriptions(request.user), pk=pk)
    form = SubscriptionForm(request.POST, instance=subscription, prefix=f"s{pk}")
    if form.is_valid():
        submit(form, lambda: services.update_subscription(subscription=subscription, by=request.user, **{
            field: form.cleaned_data[field] for field in SubscriptionForm.Meta.fields
        }))
        if not form.errors:
            messages.success(request, _("Alert changed: “%(name)s”.") % {"name": subscription.name})
            return redirect("alerts:subscription_list")
    context = {"rows": _rows(request.user, failed_form=form), "failed_form": form, "contents": _contents()}
    return render(request, "alerts/subscription_list.html", context, status=400)


@login_required
@require_POST
def subscription_delete(request, pk):
    subscription = get_object_or_404(own_subscriptions(request.user), pk=pk)
    name = subscription.name
    services.delete_subscription(subscription=subscription, by=request.user)
    messages.success(request, _("Alert deleted: “%(name)s”.") % {"name": name})
    return redirect("alerts:subscription_list")


# Mail programs unsubscribe with a POST of their own (RFC 8058 "List-Unsubscribe=One-Click"),
# without any CSRF token; the signed token in the address is what authorizes the request.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm (mail scanners follow links: a GET changes nothing); POST unsubscribes."""
    try:
        subscription = services.subscription_for_token(token)
    except ValidationError as error:
        return render(request, "alerts/unsubscribe_invalid.html", {"message": error.messages[0]}, status=400)
    if request.method == "POST":
        subscription = services.unsubscribe_by_token(token=token)
        return render(request, "alerts/unsubscribe_done.html", {"subscription": subscription})
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})


@login_required
def delivery_log(request):
    """Coordinators' view of every alert told: its e-mail queued, retrying, sent or failed (and why)."""
    if not is_coordinator(request.user):
        raise PermissionDenied
    query = request.GET.copy()
    if "call" in query and "identifier" not in query:
        # Links from before the alerts covered more than calls: ?call=<identifier>.
        query["identifier"] = query.pop("call")[-1]
    form = DeliveryFilterForm(query or None)
    filters = form.cleaned_data if form.is_valid() else {}
    deliveries = deliveries_for_log(
        alertable=filters.get("content", ""), identifier=filters.get("identifier", ""), state=filters.get("state", ""),
    )
    page = page_of(deliveries, request.GET.get("page"), per_page=settings.CIVICBRIDGE_PAGE_SIZE * 2)
    rows = []
    for delivery, item in with_items(page.object_list):
        state = delivery_state(delivery)
        content = alertables.get(delivery.alertable) if delivery.alertable in alertables else None
        identifier = getattr(item, content.identifier_field) if item is not None and content else delivery.item_id
        rows.append((delivery, item, content, identifier, STATE_LABELS.get(state, _("no e-mail record")), state,
                     delivery_reason(delivery), occasion_label(delivery.occasion)))
    return render(request, "alerts/delivery_log.html", {"form": form, "page": page, "rows": rows})
