from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from civicbridge.core import deployment
from civicbridge.core.duplicates import is_repeat
from civicbridge.core.forms import apply_validation_error, submit
from civicbridge.core.partials import results_template
from civicbridge.core.rules import is_coordinator
from civicbridge.directory.models import Organization
from civicbridge.directory.selectors import represented_organizations

from . import exports, iati, selectors, services, sheets
from .forms import DocumentForm, MilestoneForm, PartnerForm, ProjectForm, ReportForm, TransitionForm
from .models import Milestone, Project, ProjectDocument, ProjectPartner, Report


def _portfolio(request, *, organization=None):
    filterset = selectors.filter_projects(request.GET, viewer=request.user, organization=organization)
    totals = selectors.totals(filterset.qs)
    page = selectors.portfolio_page(filterset, request.GET.get("page"), totals=totals)
    template = results_template(request, "projects/portfolio.html")
    context = {
        "filter": filterset,
        "page": page,
        "totals": totals,
        "organization": organization,
        "iati_available": selectors.has_iati_activities(filterset.qs),
        "my_organizations": represented_organizations(request.user) if organization is None else [],
        "can_add": request.user.has_perm("projects.add_project", organization),
    }
    return render(request, template, context)


@vary_on_headers("HX-Request", "HX-Target")
def portfolio(request):
    return _portfolio(request)


@vary_on_headers("HX-Request", "HX-Target")
def organization_portfolio(request, slug):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), slug=slug)
    return _portfolio(request, organization=organization)


def _organization_from(request):
    slug = request.GET.get("organization")
    if not slug:
        return None
    # A named organization that is not there is an error, never the whole portfolio instead.
    return get_object_or_404(Organization.objects.visible_to(request.user), slug=slug)


def _export_filterset(request):
    return selectors.filter_projects(request.GET, viewer=request.user, organization=_organization_from(request))


def export_csv(request):
    projects = selectors.export_queryset(_export_filterset(request))
    response = StreamingHttpResponse(exports.csv_chunks(projects.iterator(chunk_size=500)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="projects.csv"'
    return response


def export_xlsx(request):
    projects = selectors.export_queryset(_export_filterset(request))
    response = HttpResponse(
        exports.xlsx_bytes(projects.iterator(chunk_size=500)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="projects.xlsx"'
    return response


def export_iati(request):
    projects = selectors.export_queryset(_export_filterset(request)).filter(
        status__in=list(iati.ACTIVITY_STATUS)
    ).select_related("funder__organization")
    # Narratives are written in the deployment's language: the file says so.
    export = iati.build(projects.iterator(chunk_size=500), language=deployment.current().default_language)
    if not export.included:
        # An IATI file holds at least one activity: say why there is none instead.
        return render(request, "projects/iati_empty.html", {"left_out": len(export.left_out)}, status=404)
    response = HttpResponse(export.xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="projects-iati.xml"'
    response["X-IATI-Left-Out"] = str(len(export.left_out))
    return response


def _visible_or_404(request, pk) -> Project:
    try:
        return selectors.project_detail(pk=pk, viewer=request.user)
    except Project.DoesNotExist as error:
        raise Http404 from error


def project_detail(request, pk, *, transition_form=None):
    project = _visible_or_404(request, pk)
    user = request.user
    can_change = user.has_perm("projects.change_project", project)
    can_move = user.has_perm("projects.move_project", project)
    show_files = user.has_perm("projects.view_files", project)
    context = {
        "project": project,
        "partners": list(project.partners.all()),
        "history": list(project.status_changes.all()),
        "milestones": list(project.milestones.all()),
        "documents": list(project.documents.all()) if show_files else [],
        "reports": list(project.reports.all()) if show_files else [],
        "can_change": can_change,
        "show_files": show_files,
        "transition_form": transition_form or (TransitionForm(project=project) if can_move and project.next_statuses else None),
        "partner_form": PartnerForm() if can_change else None,
        "milestone_form": MilestoneForm() if can_change else None,
        "document_form": DocumentForm() if can_change else None,
        "can_report_interim": can_change and project.status in (Project.Status.APPROVED, Project.Status.RUNNING),
        "can_report_final": can_change and project.status == Project.Status.RUNNING,
    }
    return render(request, "projects/project_detail.html", context, status=400 if transition_form else 200)


@login_required
def project_create(request):
    organization = _organization_from(request)
    choices = represented_organizations(request.user)
    if organization is None and len(choices) == 1:
        organization = choices[0]
    if organization is None:
        return render(request, "projects/choose_organization.html", {
            "organizations": choices, "for_anyone": request.user.has_perm("projects.add_project", None) and is_coordinator(request.user),
        })
    if not request.user.has_perm("projects.add_project", organization):
        raise PermissionDenied
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: services.create_project(by=request.user, lead_organization=organization, data=form.cleaned_data))
        if not form.errors:
            if is_repeat(saved):
                messages.info(request, _("You have just added this project; here it is."))
            else:
                messages.success(request, _("The project is added to the portfolio as an idea."))
            return redirect(saved)
    return render(request, "projects/project_form.html", {"form": form, "organization": organization, "project": None})


@login_required
def project_edit(request, pk):
    project = _visible_or_404(request, pk)
    if not request.user.has_perm("projects.change_project", project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: services.update_project(by=request.user, project=project, data=form.cleaned_data))
        if not form.errors:
            messages.success(request, _("Your changes are saved."))
            return redirect(saved)
    return render(
        request, "projects/project_form.html",
        {"form": form, "organization": project.lead_organization, "project": project},
    )


@require_POST
@login_required
def project_move(request, pk):
    project = _visible_or_404(request, pk)
    if not request.user.has_perm("projects.move_project", project):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.move_project(
                by=request.user, project=project, to_status=form.cleaned_data["to_status"], note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The project's status is changed."))
            return redirect(project)
    return project_detail(request, pk, transition_form=form)


def _changeable(request, pk) -> Project:
    project = _visible_or_404(request, pk)
    if not request.user.has_perm("projects.change_project", project):
        raise PermissionDenied
    return project


def _flash_errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@require_POST
@login_required
def partner_add(request, pk):
    project = _changeable(request, pk)
    form = PartnerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect(project)
    try:
        services.add_partner(by=request.user, project=project, organization=form.cleaned_data["organization"],
                             role=form.cleaned_data["role"])
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("The partner is added."))
    return redirect(project)


@require_POST
@login_required
def partner_remove(request, pk, partner):
    project = _changeable(request, pk)
    services.remove_partner(by=request.user, partner=get_object_or_404(ProjectPartner, pk=partner, project=project))
    messages.success(request, _("The partner is removed."))
    return redirect(project)


@require_POST
@login_required
def milestone_add(request, pk):
    project = _changeable(request, pk)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect(project)
    try:
        services.add_milestone(by=request.user, project=project, **form.cleaned_data)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("The milestone is added."))
    return redirect(project)


@require_POST
@login_required
def milestone_done(request, pk, milestone):
    project = _changeable(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone, project=project)
    services.set_milestone_done(by=request.user, milestone=milestone, done=request.POST.get("done") == "true")
    return redirect(project)


@login_required
def document_add(request, pk):
    project = _changeable(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        submit(form, lambda: services.add_document(
            by=request.user, project=project, title=form.cleaned_data["title"], upload=form.cleaned_data["file"],
        ))
        if not form.errors:
            messages.success(request, _("The document is attached."))
            return redirect(project)
    return render(request, "projects/document_form.html", {"form": form, "project": project},
                  status=400 if form.errors else 200)


@login_required
def document_download(request, pk, document):
    project = _visible_or_404(request, pk)
    if not request.user.has_perm("projects.view_files", project):
        raise PermissionDenied
    document = get_object_or_404(ProjectDocument, pk=document, project=project)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


@login_required
def report_create(request, pk, kind):
    project = _changeable(request, pk)
    if kind not in Report.Kind.values:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: services.submit_report(by=request.user, project=project, kind=kind, data=form.cleaned_data))
        if not form.errors:
            messages.success(request, _("The report is submitted."))
            return redirect(saved)
    return render(request, "projects/report_form.html",
                  {"form": form, "project": project, "kind": Report.Kind(kind)}, status=400 if form.errors else 200)


def report_detail(request, pk, report):
    project = _visible_or_404(request, pk)
    if not request.user.has_perm("projects.view_files", project):
        raise PermissionDenied if request.user.is_authenticated else Http404
    report = get_object_or_404(Report.objects.select_related("submitted_by"), pk=report, project=project)
    return render(request, "projects/report_detail.html", {"project": project, "report": report})


def project_sheet(request, pk):
    project = _visible_or_404(request, pk)
    pdf = sheets.sheet_pdf(
        project, base_url=request.build_absolute_uri("/"),
        show_files=request.user.has_perm("projects.view_files", project),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{sheets.sheet_filename(project)}"'
    return response
