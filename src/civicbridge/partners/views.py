from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from civicbridge.core import search as search_backend
from civicbridge.core.forms import apply_validation_error, submit
from civicbridge.core.pagination import page_of
from civicbridge.core.partials import results_template
from civicbridge.core.rules import is_coordinator
from civicbridge.core.selectors import with_area_names
from civicbridge.core.slugs import follows_renames
from civicbridge.core.views import suggestions_view
from civicbridge.directory.models import Organization

from . import filters, matching, phases, selectors, services
from .countries import country_name, split_codes
from .forms import InterestForm, PartnerRequestForm, TwinningForm
from .models import ExpressionOfInterest, PartnerRequest, Twinning
from .rules import represents_another_organization

ORGANIZATION_PICKER_LIMIT = 10


# --- partner requests -----------------------------------------------------------------------------


@vary_on_headers("HX-Request", "HX-Target")  # the same address answers the page or its results
def request_list(request):
    filterset = selectors.filter_requests(request.GET, queryset=selectors.requests_for_page())
    page = page_of(filterset.qs, request.GET.get("page"))
    template = results_template(request, "partners/request_list.html")
    context = {
        "filter": filterset,
        "page": page,
        "rows": with_area_names(page.object_list),
        "my_organizations": selectors.represented_organizations(request.user),
        "can_post": request.user.has_perm("partners.post_request"),
    }
    return render(request, template, context)


call_suggestions = suggestions_view("call", filters.call_suggestions)


def _visible_request_or_404(user, pk) -> PartnerRequest:
    try:
        partner_request = selectors.request_detail(pk=pk)
    except PartnerRequest.DoesNotExist as error:
        raise Http404 from error
    if not user.has_perm("partners.view_request", partner_request):
        # A closed request is not public: to others it does not exist.
        raise Http404
    return partner_request


def _render_detail(request, partner_request, *, interest_form=None, status=200):
    user = request.user
    represented = selectors.represented_organizations(user)
    poster_side = user.has_perm("partners.view_answers", partner_request)
    answers = list(selectors.answers_to(partner_request)) if poster_side else None
    my_answers = selectors.answers_by(user, partner_request, represented=represented, among=answers)
    accepts = phases.accepts_answers(partner_request)
    if interest_form is None and accepts:
        # Not the poster, nor an organization that already answered.
        answered = {answer.organization_id for answer in my_answers}
        organizations = [
            organization for organization in represented
            if organization.pk != partner_request.organization_id and organization.pk not in answered
        ]
        interest_form = InterestForm(organizations=organizations) if organizations else None
    context = {
        "partner_request": partner_request,
        "phase": phases.timeline(partner_request).current(),
        "accepts_answers": accepts,
        "closed_reason": None if accepts else services.answers_closed_message(partner_request),
        "can_change": poster_side and partner_request.status == PartnerRequest.Status.OPEN
        and user.has_perm("partners.change_request", partner_request),
        "interest_form": interest_form,
        "my_answers": my_answers,
        "poster_side": poster_side,
        "answers": answers,
        "can_decide": poster_side and user.has_perm("partners.decide_interest", partner_request),
        "matches": matching.organizations_for_request(partner_request)
        if user.has_perm("partners.view_matches", partner_request) else None,
        # Only the poster's representatives invite (a coordinator sees the matches, not the button).
        "invited": selectors.invited_organizations(partner_request)
        if poster_side and accepts and services.may_invite(user, partner_request) else None,
        "represents_any": bool(represented),
        "partner_kinds": [
            Organization.Kind(code).label for code in split_codes(partner_request.partner_kinds, upper=False)
            if code in Organization.Kind.values
        ],
        "countries": [country_name(code) for code in split_codes(partner_request.countries)],
        "call_url": _call_url(partner_request.call),
    }
    return render(request, "partners/request_detail.html", context, status=status)


def _call_url(call) -> str:
    # The calls' pages belong to the funding app; until it publishes them, show the call unlinked.
    if call is None:
        return ""
    try:
        return call.get_absolute_url()
    except NoReverseMatch:
        return ""


def request_detail(request, pk):
    return _render_detail(request, _visible_request_or_404(request.user, pk))


def _organization_picker(request) -> tuple[list[Organization], str]:
    """For coordinators, who post on others' behalf: find an organization by name."""
    query = request.GET.get("find", "").strip()
    if not query:
        return [], query
    found = search_backend.search(Organization.objects.listed().only("pk", "name", "slug"), query).order_by("name")
    return list(found[:ORGANIZATION_PICKER_LIMIT]), query


@login_required
def request_create(request):
    user = request.user
    organizations = selectors.represented_organizations(user)
    chosen_slug = request.GET.get("organization", "")
    if chosen_slug:
        chosen = Organization.objects.listed().filter(slug=chosen_slug).only("pk", "name", "slug", "kind", "registration").first()
        if chosen is not None and user.has_perm("partners.post_request", chosen) and chosen not in organizations:
            organizations = [chosen, *organizations]
    if not user.has_perm("partners.post_request"):
        return render(request, "partners/request_not_allowed.html", status=403)
    picker, query = _organization_picker(request) if is_coordinator(user) else ([], "")
    form = PartnerRequestForm(request.POST or None, organizations=organizations)
    if chosen_slug and organizations:
        form.initial["organization"] = organizations[0].pk
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = submit(form, lambda: services.post_request(
            by=user, organization=data["organization"], data=form.service_data(),
            thematic_areas=data["thematic_areas"], territories=data["territories"],
        ))
        if not form.errors:
            messages.success(request, _("Your partner request is published."))
            return redirect(saved)
    context = {"form": form, "partner_request": None, "organizations": organizations, "picker": picker, "query": query}
    return render(request, "partners/request_form.html", context)


@login_required
def request_edit(request, pk):
    partner_request = get_object_or_404(PartnerRequest.objects.select_related("organization", "call"), pk=pk)
    if not request.user.has_perm("partners.change_request", partner_request):
        raise PermissionDenied
    form = PartnerRequestForm(request.POST or None, instance=partner_request)
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: services.update_request(
            by=request.user, partner_request=partner_request, data=form.service_data(),
            thematic_areas=form.cleaned_data["thematic_areas"], territories=form.cleaned_data["territories"],
        ))
        if not form.errors:
            messages.success(request, _("Your changes are saved."))
            return redirect(saved)
    return render(request, "partners/request_form.html", {"form": form, "partner_request": partner_request})


@require_POST
@login_required
def request_close(request, pk):
    partner_request = get_object_or_404(PartnerRequest, pk=pk)
    try:
        services.close_request(by=request.user, partner_request=partner_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is closed. It no longer appears in the list."))
    return redirect(partner_request)


@require_POST
@login_required
def interest_create(request, pk):
    partner_request = _visible_request_or_404(request.user, pk)
    if not represents_another_organization(request.user, partner_request):
        raise PermissionDenied
    # Every organization the person may answer for, also one that already answered: the
    # service then says so on the field rather than the form saying "not a valid choice".
    organizations = [
        organization for organization in selectors.represented_organizations(request.user)
        if organization.pk != partner_request.organization_id
    ]
    form = InterestForm(request.POST, organizations=organizations)
    if form.is_valid():
        submit(form, lambda: services.express_interest(
            by=request.user, request=partner_request, organization=form.cleaned_data["organization"],
            message=form.cleaned_data["message"],
        ))
        if not form.errors:
            messages.success(request, _("Your answer is sent. The poster will let you know."))
            return redirect(partner_request)
    return _render_detail(request, partner_request, interest_form=form)


@require_POST
@login_required
def invitation_create(request, pk):
    """The poster invites an organization from its matches to answer (once; a few a day)."""
    partner_request = _visible_request_or_404(request.user, pk)
    try:
        organization = Organization.objects.listed().get(pk=int(request.POST.get("organization", "")))
    except (Organization.DoesNotExist, ValueError) as error:
        if not request.user.has_perm("partners.view_matches", partner_request):
            raise PermissionDenied from error
        messages.error(request, _("Choose an organization from the list of those that fit."))
        return redirect(partner_request)
    try:
        services.invite_organization(
            by=request.user, partner_request=partner_request, organization=organization,
            message=request.POST.get("message", ""),
        )
    except services.TooManyInvitations as error:
        # 429 for scripts; a person reads why on the request's page, drawn with the answer.
        messages.error(request, str(error))
        return _render_detail(request, partner_request, status=429)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(partner_request)
    messages.success(request, _("The invitation is sent to %(organization)s.") % {"organization": organization.name})
    return redirect(f"{partner_request.get_absolute_url()}#matches-heading")


@require_POST
@login_required
def interest_decide(request, pk):
    interest = get_object_or_404(ExpressionOfInterest.objects.select_related("request"), pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        return HttpResponseBadRequest(_("Choose accept or decline."))
    try:
        services.decide_interest(by=request.user, interest=interest, accept=decision == "accept")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if decision == "accept":
            messages.success(request, _("Accepted. The organization is told by e-mail."))
        else:
            messages.success(request, _("Declined. The organization is told by e-mail."))
    return redirect(interest.request.get_absolute_url() + "#answers")


@login_required
@follows_renames(Organization, visible=lambda request: Organization.objects.listed())
def organization_requests(request, slug):
    try:
        organization = selectors.organization_for_matching(slug=slug)
    except Organization.DoesNotExist as error:
        raise Http404 from error
    if not request.user.has_perm("partners.view_fitting_requests", organization):
        raise PermissionDenied
    context = {
        "organization": organization,
        "matches": matching.requests_for_organization(organization),
        "own_requests": selectors.requests_of(organization),
        "can_post": request.user.has_perm("partners.post_request", organization),
    }
    return render(request, "partners/organization_requests.html", context)


# --- city twinning ---------------------------------------------------------------------------------


def twinning_list(request):
    filterset = selectors.filter_twinnings(request.GET)
    page, groups = selectors.twinnings_page(filterset, request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "groups": groups,
        "can_manage": request.user.has_perm("partners.manage_twinning"),
    }
    return render(request, "partners/twinning_list.html", context)


def twinning_detail(request, pk):
    try:
        twinning = selectors.twinning_detail(pk=pk)
    except Twinning.DoesNotExist as error:
        raise Http404 from error
    context = {
        "twinning": twinning,
        "country": country_name(twinning.partner_country),
        "can_manage": request.user.has_perm("partners.manage_twinning", twinning),
    }
    return render(request, "partners/twinning_detail.html", context)


def _twinning_form(request, twinning: Twinning | None):
    if not request.user.has_perm("partners.manage_twinning", twinning):
        raise PermissionDenied
    form = TwinningForm(request.POST or None, instance=twinning)
    if request.method == "POST" and form.is_valid():
        areas = form.cleaned_data["thematic_areas"]
        try:
            if twinning is None:
                twinning = services.create_twinning(by=request.user, data=form.service_data(), thematic_areas=areas)
            else:
                twinning = services.update_twinning(
                    by=request.user, twinning=twinning, data=form.service_data(), thematic_areas=areas
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The twinning is saved."))
            return redirect(twinning)
    return render(request, "partners/twinning_form.html", {"form": form, "twinning": twinning})


@login_required
def twinning_create(request):
    return _twinning_form(request, None)


@login_required
def twinning_edit(request, pk):
    return _twinning_form(request, get_object_or_404(Twinning, pk=pk))


@require_POST
@login_required
def twinning_delete(request, pk):
    twinning = get_object_or_404(Twinning, pk=pk)
    services.delete_twinning(by=request.user, twinning=twinning)
    messages.success(request, _("The twinning is removed."))
    return redirect("partners:twinning_list")
