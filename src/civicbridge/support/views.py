from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from civicbridge.core.forms import submit
from civicbridge.core.pagination import page_of
from civicbridge.core.partials import results_template
from civicbridge.core.rules import is_coordinator

from . import selectors, services
from .forms import AssignForm, MessageForm, StatusForm, SupportRequestForm, TimeForm
from .models import SupportRequest


@login_required
@vary_on_headers("HX-Request", "HX-Target")
def request_list(request):
    """My organizations' requests."""
    filterset = selectors.filter_organization_requests(request.user, request.GET)
    context = {
        "filter": filterset,
        "page": page_of(filterset.qs, request.GET.get("page")),
        "organizations": selectors.represented_organizations(request.user),
        "is_coordinator": is_coordinator(request.user),
    }
    return render(request, results_template(request, "support/request_list.html"), context)


@login_required
@vary_on_headers("HX-Request", "HX-Target")
def queue(request):
    """The coordinators' queue: every organization's requests, open ones first by default."""
    if not request.user.has_perm("support.view_queue"):
        raise PermissionDenied
    filterset = selectors.filter_queue(request.GET, request=request)
    context = {"filter": filterset, "page": page_of(filterset.qs, request.GET.get("page"))}
    return render(request, results_template(request, "support/queue.html"), context)


@login_required
def request_create(request):
    user = request.user
    if not user.has_perm("support.add_request"):
        return render(request, "support/request_not_allowed.html", status=403)
    organizations = selectors.represented_organizations(user)
    form = SupportRequestForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = submit(form, lambda: services.create_request(
            by=user, organization=data["organization"], topic=data["topic"], subject=data["subject"],
            description=data["description"],
        ))
        if not form.errors:
            messages.success(request, _("Your request is sent to the coordination office. You will be told "
                                        "by e-mail when it answers."))
            return redirect(saved)
    return render(request, "support/request_form.html", {"form": form})


def _visible_or_404(user, pk) -> SupportRequest:
    try:
        support_request = selectors.request_detail(pk=pk)
    except SupportRequest.DoesNotExist as error:
        raise Http404 from error
    if not user.has_perm("support.view_request", support_request):
        # Another organization's request does not exist for them.
        raise Http404
    return support_request


def _render_detail(request, support_request, *, forms=None, status=200):
    user = request.user
    forms = forms or {}
    manager = user.has_perm("support.manage_request", support_request)
    context = {
        "support_request": support_request,
        "thread": selectors.thread(support_request),
        "history": selectors.history(support_request),
        "can_write": support_request.is_open and user.has_perm("support.write_message", support_request),
        "message_form": forms.get("message") or MessageForm(),
        "manager": manager,
    }
    if manager:
        statuses = services.allowed_statuses(support_request)
        coordinators = selectors.coordinators()
        context.update({
            "status_form": forms.get("status") or StatusForm(statuses=statuses),
            "assign_form": forms.get("assign") or AssignForm(
                coordinators=coordinators, initial={"assignee": support_request.assigned_to_id},
            ),
            "time_form": forms.get("time") or TimeForm(),
            "time_entries": selectors.time_entries(support_request),
        })
    return render(request, "support/request_detail.html", context, status=status)


@login_required
def request_detail(request, pk):
    return _render_detail(request, _visible_or_404(request.user, pk))


@require_POST
@login_required
def message_create(request, pk):
    support_request = _visible_or_404(request.user, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        submit(form, lambda: services.post_message(
            by=request.user, support_request=support_request, body=form.cleaned_data["body"],
        ))
        if not form.errors:
            messages.success(request, _("Your message is sent."))
            return redirect(f"{support_request.get_absolute_url()}#thread")
    return _render_detail(request, support_request, forms={"message": form}, status=400)


def _manage(request, pk, *, form_class, key, write, done, **form_kwargs):
    support_request = _visible_or_404(request.user, pk)
    if not request.user.has_perm("support.manage_request", support_request):
        raise PermissionDenied
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        submit(form, lambda: write(support_request, form.cleaned_data))
        if not form.errors:
            messages.success(request, done)
            return redirect(support_request)
    return _render_detail(request, support_request, forms={key: form}, status=400)


@require_POST
@login_required
def status_change(request, pk):
    return _manage(
        request, pk, form_class=StatusForm, key="status", done=_("The status is changed."),
        write=lambda support_request, data: services.change_status(
            by=request.user, support_request=support_request, status=data["status"],
        ),
    )


@require_POST
@login_required
def assign(request, pk):
    return _manage(
        request, pk, form_class=AssignForm, key="assign", done=_("The assignment is saved."),
        coordinators=selectors.coordinators(),
        write=lambda support_request, data: services.assign(
            by=request.user, support_request=support_request, coordinator=data["assignee"],
        ),
    )


@require_POST
@login_required
def time_log(request, pk):
    return _manage(
        request, pk, form_class=TimeForm, key="time", done=_("The time is logged."),
        write=lambda support_request, data: services.log_time(
            by=request.user, support_request=support_request, minutes=data["minutes"], note=data["note"],
        ),
    )
