import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.core import counters
from civicbridge.core import selectors as core_selectors
from civicbridge.core.client import client_scope
from civicbridge.core.forms import submit
from civicbridge.core.navigation import safe_next
from civicbridge.core.rules import is_coordinator

from . import selectors, services
from .forms import LoginForm, ProfileForm, ResendConfirmationForm, SignUpForm
from .guard import duration_text
from .log_forms import RightsLogFilterForm
from .models import Membership

REASON_MAX_LENGTH = 1000


class LoginView(auth_views.LoginView):
    """Django's log-in page; a guard refusal answers 429 with Retry-After."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        seconds = getattr(self.request, "login_refused_for", None)
        if seconds:
            response.status_code = 429
            response["Retry-After"] = str(seconds)
        return response


def _too_many(request, template: str, form, *, rate: str, scope: str):
    """Count this request against ``rate`` per client address; when over, the page that says so."""
    wait = counters.over_rate(scope=scope, ident=client_scope(request), rate=rate)
    if not wait:
        return None
    form.add_error(None, _("Too many requests from your address. Wait %(wait)s and try again.") % {
        "wait": duration_text(wait)})
    response = render(request, template, {"form": form}, status=429)
    response["Retry-After"] = str(math.ceil(wait))
    return response


def sign_up(request):
    # Where the person was before (e.g. a filtered list's "log in to get alerts"): the
    # confirmation link and the log-in after it lead back there.
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:profile")
    form = SignUpForm(request.POST or None, initial={"preferred_language": get_language()})
    if request.method == "POST" and form.is_valid():
        refused = _too_many(request, "accounts/sign_up.html", form, rate=settings.CIVICBRIDGE_SIGN_UP_RATE,
                            scope="sign-up")
        if refused:
            return refused
        submit(form, lambda: services.sign_up(
            username=form.cleaned_data["username"], email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            preferred_language=form.cleaned_data["preferred_language"],
            accepted_privacy=form.cleaned_data["accept_privacy"], next_url=next_url,
        ))
        if not form.errors:
            return render(request, "accounts/sign_up_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/sign_up.html", {"form": form, "next": next_url})


def resend_confirmation(request):
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refused = _too_many(request, "accounts/resend_confirmation.html", form,
                            rate=settings.CIVICBRIDGE_RESEND_RATE, scope="resend-confirmation")
        if refused:
            return refused
        services.resend_confirmation(email=form.cleaned_data["email"])
        # The same answer whether or not the address has an account waiting.
        return render(request, "accounts/resend_confirmation_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/resend_confirmation.html", {"form": form})


def confirm(request, token):
    try:
        services.confirm_sign_up(token=token)
    except ValidationError as error:
        return render(request, "accounts/confirm_failed.html", {"reason": " ".join(error.messages)}, status=400)
    messages.success(request, _("Your e-mail is confirmed. You can log in now."))
    next_url = safe_next(request, request.GET.get("next"))
    login = reverse("accounts:login")
    return redirect(f"{login}?{urlencode({'next': next_url})}" if next_url else login)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your changes are saved."))
        return redirect("accounts:profile")
    return render(
        request, "accounts/profile.html",
        {"form": form, "memberships": selectors.memberships_of(request.user),
         "sections": core_selectors.profile_sections(request)},
    )


@login_required
def export_data(request):
    response = HttpResponse(services.export_personal_data(user=request.user), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-civicbridge-data.json"'
    return response


@login_required
def erase(request):
    if request.method == "POST":
        if request.POST.get("confirm") != request.user.username:
            messages.error(request, _("Type your user name to confirm."))
        else:
            user = request.user
            logout(request)
            services.erase_account(user=user)
            messages.success(request, _("Your account and personal data are erased."))
            return redirect("core:home")
    return render(request, "accounts/erase.html")


@login_required
def memberships_pending(request):
    if not is_coordinator(request.user):
        raise PermissionDenied
    return render(request, "accounts/memberships_pending.html", {"memberships": selectors.pending_memberships()})


@require_POST
@login_required
def membership_decide(request, pk):
    if not is_coordinator(request.user):
        raise PermissionDenied
    membership = get_object_or_404(Membership, pk=pk)
    try:
        services.decide_membership(
            membership=membership, by=request.user, approve=request.POST.get("decision") == "approve",
            reason=request.POST.get("reason", "")[:REASON_MAX_LENGTH],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is decided and the person is informed."))
    return redirect("accounts:memberships_pending")


@require_POST
@login_required
def membership_revoke(request, pk):
    if not is_coordinator(request.user):
        raise PermissionDenied
    membership = get_object_or_404(Membership.objects.select_related("organization"), pk=pk)
    try:
        services.revoke_membership(
            membership=membership, by=request.user, reason=request.POST.get("reason", "")[:REASON_MAX_LENGTH]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The right is taken back and recorded."))
    return redirect(membership.organization)


@require_POST
@login_required
def membership_leave(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organization"), pk=pk, user=request.user)
    try:
        services.leave_organization(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You no longer represent this organization."))
    return redirect("accounts:profile")


RIGHTS_LOG_PAGE_SIZE = 50


@login_required
def rights_log(request):
    if not is_coordinator(request.user):
        raise PermissionDenied
    filters = RightsLogFilterForm(request.GET or None)
    changes = selectors.rights_log(
        **(filters.cleaned_data if filters.is_valid() else {})
    )
    page = Paginator(changes, RIGHTS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(request.GET.get(name) for name in RightsLogFilterForm.base_fields)
    return render(request, "accounts/rights_log.html", {"filters": filters, "page": page, "filtered": filtered})
