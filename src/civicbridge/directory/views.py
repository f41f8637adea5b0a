from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from civicbridge.accounts import services as membership_services
from civicbridge.core.duplicates import is_repeat
from civicbridge.core.forms import submit
from civicbridge.core.imports import import_page
from civicbridge.core.pagination import page_of
from civicbridge.core.partials import results_template
from civicbridge.core.rules import is_coordinator
from civicbridge.core.selectors import with_area_names
from civicbridge.core.slugs import follows_renames

from . import exports, imports, selectors, services
from .forms import ClaimForm, ImportForm, InviteForm, OrganizationForm, PlenipotentiaryForm
from .models import Organization, Plenipotentiary

# An entry's old address (before a rename) leads to its current one, for those who may see it.
follows_organization_renames = follows_renames(
    Organization, visible=lambda request: Organization.objects.visible_to(request.user)
)


@vary_on_headers("HX-Request", "HX-Target")  # the same address answers the page or its results
def organization_list(request):
    filterset = selectors.filter_organizations(request.GET, queryset=selectors.organizations_for_page())
    page = page_of(filterset.qs, request.GET.get("page"), count=selectors.page_count(filterset))
    template = results_template(request, "directory/organization_list.html")
    return render(request, template, {"filter": filterset, "page": page, "rows": with_area_names(page.object_list)})


@follows_organization_renames
def organization_detail(request, slug):
    try:
        organization = selectors.organization_detail(slug=slug, viewer=request.user)
    except Organization.DoesNotExist as error:
        raise Http404 from error
    can_change = request.user.has_perm("directory.change_organization", organization)
    can_verify = request.user.has_perm("directory.verify_organization", organization)
    listed = organization.is_listed
    own = selectors.membership_of(request.user, organization)
    context = {
        "organization": organization,
        "can_change": can_change,
        "can_verify": can_verify,
        "can_revoke": can_verify,
        "own_membership": own,
        "pending": selectors.pending_memberships(organization) if can_change else [],
        "claim_form": ClaimForm() if request.user.is_authenticated and not can_change and listed and not own else None,
        "invite_form": InviteForm() if can_change and listed else None,
    }
    return render(request, "directory/organization_detail.html", context)


@login_required
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: services.create_organization(
            by=request.user, data=form.cleaned_data, thematic_areas=form.cleaned_data["thematic_areas"]
        ))
        if not form.errors:
            if is_repeat(saved):
                messages.info(request, _("You have just registered this organization; here it is."))
            elif saved.registration == Organization.Registration.PENDING:
                messages.success(request, _(
                    "The organization is registered. A coordinator will confirm you as its representative;"
                    " until then you cannot edit it."
                ) if saved.is_listed else _(
                    "The organization is registered. A public body is shown to others only after a"
                    " coordinator approves the registration and you as its representative."
                ))
            else:
                messages.success(request, _("The organization is registered."))
            return redirect(saved)
    return render(request, "directory/organization_form.html", {"form": form, "organization": None})


@login_required
@follows_organization_renames
def organization_edit(request, slug):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), slug=slug)
    if not request.user.has_perm("directory.change_organization", organization):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: services.update_organization(
            organization=Organization.objects.get(pk=organization.pk), by=request.user,
            data=form.cleaned_data, thematic_areas=form.cleaned_data["thematic_areas"],
        ))
        if not form.errors:
            messages.success(request, _("Your changes are saved."))
            return redirect(saved)
    return render(request, "directory/organization_form.html", {"form": form, "organization": organization})


@require_POST
@login_required
@follows_organization_renames
def organization_verify(request, slug):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), slug=slug)
    verified = request.POST.get("verified") == "true"
    services.set_verified(organization=organization, by=request.user, verified=verified)
    messages.success(request, _("Marked as verified.") if verified else _("Verification withdrawn."))
    return redirect(organization)


@require_POST
@login_required
@follows_organization_renames
def organization_claim(request, slug):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), slug=slug)
    form = ClaimForm(request.POST)
    if form.is_valid():
        try:
            membership_services.claim_organization(
                user=request.user, organization=organization, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your request is sent. A coordinator will review it."))
    else:
        messages.error(request, " ".join(form.errors.get("message", [])))
    return redirect(organization)


@require_POST
@login_required
@follows_organization_renames
def organization_invite(request, slug):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), slug=slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            membership_services.invite_representative(
                organization=organization, email=form.cleaned_data["email"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The invitation is recorded. A coordinator will approve it.")
                             if not is_coordinator(request.user) else _("The person now represents this organization."))
    else:
        messages.error(request, " ".join(form.errors.get("email", [])))
    return redirect(organization)


# Anyone may export what the list shows (listed entries only), in the page's language and order.
def organization_export_csv(request):
    organizations = selectors.organizations_for_export(request.GET)
    response = StreamingHttpResponse(
        exports.csv_chunks(organizations.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="organizations.csv"'
    return response


def organization_export_xlsx(request):
    response = HttpResponse(
        exports.xlsx_bytes(selectors.organizations_for_export(request.GET).iterator(chunk_size=2000)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="organizations.xlsx"'
    return response


@login_required
def organization_import(request):
    return import_page(
        request, make_importer=lambda options: imports.OrganizationImporter(), form_class=ImportForm,
        template="directory/organization_import.html",
    )


def plenipotentiary_list(request):
    filterset = selectors.filter_plenipotentiaries(request.GET)
    page = selectors.plenipotentiaries_page(filterset, request.GET.get("page"))
    context = {"filter": filterset, "page": page, "groups": selectors.by_county(page.object_list)}
    return render(request, "directory/plenipotentiary_list.html", context)


@login_required
@follows_organization_renames
def plenipotentiary_create(request, slug):
    public_body = get_object_or_404(Organization.objects.visible_to(request.user), slug=slug)
    if not request.user.has_perm("directory.add_plenipotentiary", public_body):
        raise PermissionDenied
    form = PlenipotentiaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: services.create_plenipotentiary(
            public_body=public_body, by=request.user, data=form.cleaned_data
        ))
        if not form.errors:
            if not is_repeat(saved):
                messages.success(request, _("The plenipotentiary is saved."))
            return redirect(public_body)
    return render(request, "directory/plenipotentiary_form.html", {"form": form, "public_body": public_body})


@login_required
def plenipotentiary_edit(request, pk):
    plenipotentiary = get_object_or_404(Plenipotentiary.objects.select_related("public_body"), pk=pk)
    if not request.user.has_perm("directory.change_plenipotentiary", plenipotentiary):
        raise PermissionDenied
    form = PlenipotentiaryForm(request.POST or None, instance=plenipotentiary)
    if request.method == "POST" and form.is_valid():
        submit(form, lambda: services.update_plenipotentiary(
            plenipotentiary=Plenipotentiary.objects.get(pk=pk), by=request.user, data=form.cleaned_data
        ))
        if not form.errors:
            messages.success(request, _("The plenipotentiary is saved."))
            return redirect(plenipotentiary.public_body)
    return render(
        request, "directory/plenipotentiary_form.html",
        {"form": form, "public_body": plenipotentiary.public_body, "plenipotentiary": plenipotentiary},
    )
