from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from civicbridge.core import exports
from civicbridge.core.deployment import zone_label
from civicbridge.core.forms import apply_validation_error, submit
from civicbridge.core.pagination import page_of
from civicbridge.core.partials import results_template
from civicbridge.core.views import suggestions_view

from . import calendars, filters, phases, reports, selectors, services
from .forms import (
    AdoptedTextForm,
    AnswerForm,
    AttachmentForm,
    ConsultationForm,
    HideForm,
    ImportForm,
    MinimumDurationForm,
    RemarkForm,
    ReportForm,
    SectionForm,
)
from .models import Attachment, Consultation, MinimumDuration, Remark, Section
from .splitting import DraftFileError, file_text, split_text

# --- public pages ---------------------------------------------------------------------------------------


@vary_on_headers("HX-Request", "HX-Target")  # the same address answers the page or its results
def consultation_list(request):
    filterset = selectors.filter_consultations(request.GET, user=request.user)
    page = selectors.consultation_page(filterset, request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "consultations": selectors.with_remark_counts(page.object_list),
        "can_add": request.user.has_perm("consultations.add_consultation", None),
        "now": timezone.now(),
    }
    return render(
        request, results_template(request, "consultations/consultation_list.html"), context
    )


body_suggestions = suggestions_view("body", filters.issuing_body_suggestions)


def _visible_or_404(request, pk) -> Consultation:
    try:
        return selectors.consultation_detail(pk=pk, user=request.user)
    except Consultation.DoesNotExist as error:
        raise Http404 from error


def _common(request, consultation) -> dict:
    user = request.user
    accepts = phases.accepts_remarks(consultation)
    return {
        "consultation": consultation,
        "phase": consultation.timeline.current(),
        "phase_key": phases.phase_key(consultation),
        "accepts": accepts,
        "closed_reason": None if accepts else services.remarks_closed_message(consultation),
        "invited": user.has_perm("consultations.add_remark", consultation),
        "can_change": user.has_perm("consultations.change_consultation", consultation),
        "can_answer": user.has_perm("consultations.answer_remark", consultation),
        "remarks_shown": selectors.may_see_remarks(consultation, user),
        "answers_shown": selectors.may_see_answers(consultation, user),
        "zone_label": zone_label(timezone.get_default_timezone()),
    }


def consultation_detail(request, pk):
    consultation = _visible_or_404(request, pk)
    context = _common(request, consultation)
    # The sections' counts and the whole act's (section None) from one read.
    counts = selectors.remark_counts_by_section(consultation) if context["remarks_shown"] else {}
    context.update(
        {
            "sections": selectors.sections_with_counts(consultation, counts=counts),
            "whole_act_count": counts.get(None, 0),
            "meetings": list(
                consultation.meetings.filter(published_at__isnull=False)
                .select_related("territory")
                .order_by("starts_at")
            ),
            "attachments": list(consultation.attachments.all()),
            "following": request.user.is_authenticated
            and consultation.followers.filter(user=request.user).exists(),
        }
    )
    return render(request, "consultations/consultation_detail.html", context)


def consultation_ics(request, pk):
    consultation = _visible_or_404(request, pk)
    body = calendars.consultation_calendar(consultation, absolute_url=request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.ics"'
    return response


def attachment_download(request, pk, attachment):
    consultation = _visible_or_404(request, pk)
    item = get_object_or_404(Attachment, pk=attachment, consultation=consultation)
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1]
    )


def _remark_form(request, consultation, data=None, **kwargs):
    options = selectors.speaking_options(consultation, request.user)
    return RemarkForm(data, options=options, **kwargs)


def _submit_remark(request, consultation, section, form):
    """The remark from a valid form, through the service; the form carries any refusal. Answers
    (remark or None, status)."""
    if not form.is_valid():
        return None, 400
    try:
        remark = services.submit_remark(
            by=request.user,
            consultation=consultation,
            section=section,
            organization=form.speaker(),
            proposed_wording=form.cleaned_data["proposed_wording"],
            justification=form.cleaned_data["justification"],
            language=translation.get_language() or "",
        )
    except services.RemarkLimitReached as error:
        form.add_error(None, error)
        return None, 429
    except ValidationError as error:
        apply_validation_error(form, error)
        return None, 400
    return remark, 201


def _remark_form_or_answer(request, consultation, section, context, *, open_for_remarks: bool):
    """A POST submits a remark on ``section`` (None: the whole act) and answers a redirect to
    it; otherwise the empty form when the visitor may remark. Returns (form, status, answer)."""
    if request.method != "POST":
        form = _remark_form(request, consultation) if open_for_remarks and context["accepts"] and context["invited"] else None
        return form, 200, None
    if not request.user.is_authenticated:
        return None, 200, redirect(f"{reverse('accounts:login')}?next={request.path}")
    if not context["invited"]:
        raise PermissionDenied
    form = _remark_form(request, consultation, request.POST)
    remark, status = _submit_remark(request, consultation, section, form)
    if remark is None:
        return form, status, None
    messages.success(request, _("Your remark is submitted. You can change it until the consultation ends."))
    return form, status, redirect(selectors.remark_address(remark))


def section_detail(request, pk, section):
    """A section's text with its remarks beside it, and the form to remark on it."""
    consultation = _visible_or_404(request, pk)
    section = get_object_or_404(Section, pk=section, consultation=consultation)
    context = _common(request, consultation)
    form, status, answer = _remark_form_or_answer(
        request, consultation, section, context, open_for_remarks=not section.withdrawn_at,
    )
    if answer is not None:
        return answer
    remarks = (
        selectors.section_remarks(section) if context["remarks_shown"] else Remark.objects.none()
    )
    page = page_of(remarks, request.GET.get("page"), per_page=selectors.REMARKS_PER_PAGE)
    previous, following = selectors.neighbours(section)
    context.update(
        {
            "section": section,
            "form": form,
            "page": page,
            "remarks": page.object_list,
            "previous": previous,
            "following": following,
        }
    )
    return render(request, "consultations/section_detail.html", context, status=status)


def whole_act_remark(request, pk):
    """Remarks on the whole act, and the form to make one."""
    consultation = _visible_or_404(request, pk)
    context = _common(request, consultation)
    form, status, answer = _remark_form_or_answer(request, consultation, None, context, open_for_remarks=True)
    if answer is not None:
        return answer
    remarks = (
        selectors.whole_act_remarks(consultation)
        if context["remarks_shown"]
        else Remark.objects.none()
    )
    page = page_of(remarks, request.GET.get("page"), per_page=selectors.REMARKS_PER_PAGE)
    context.update({"form": form, "page": page, "remarks": page.object_list})
    return render(request, "consultations/whole_act.html", context, status=status)


def _own_remark(request, pk, remark) -> Remark:
    remark = get_object_or_404(
        Remark.objects.select_related(
            "consultation",
            "consultation__issuing_body",
            "section",
            "section_version",
            "organization",
        ),
        pk=remark,
        consultation_id=pk,
    )
    if not request.user.has_perm("consultations.change_remark", remark):
        raise PermissionDenied
    return remark


@login_required
def remark_edit(request, pk, remark):
    """One's own remark, its earlier versions, and (while open) the form to change it."""
    remark = _own_remark(request, pk, remark)
    consultation = remark.consultation
    accepts = phases.accepts_remarks(consultation)
    initial = {
        "organization": str(remark.organization_id) if remark.organization_id else "citizen",
        "proposed_wording": remark.proposed_wording,
        "justification": remark.justification,
    }
    form = (
        _remark_form(request, consultation, request.POST or None, initial=initial)
        if accepts or request.method == "POST"
        else None
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.edit_remark(
                    by=request.user,
                    remark=remark,
                    organization=form.speaker(),
                    proposed_wording=form.cleaned_data["proposed_wording"],
                    justification=form.cleaned_data["justification"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your remark is changed; its earlier version is kept."))
                return redirect("consultations:remark_edit", pk=consultation.pk, remark=remark.pk)
        status = 400
    context = {
        "consultation": consultation,
        "remark": remark,
        "form": form,
        "accepts": accepts,
        "closed_reason": None if accepts else services.remarks_closed_message(consultation),
        "versions": list(selectors.remark_versions(remark)),
    }
    return render(request, "consultations/remark_edit.html", context, status=status)


@login_required
def my_remarks(request):
    page = page_of(selectors.my_remarks(request.user), request.GET.get("page"))
    return render(
        request,
        "consultations/my_remarks.html",
        {"page": page, "remarks": page.object_list, "now": timezone.now()},
    )


@login_required
@require_POST
def follow(request, pk):
    consultation = _visible_or_404(request, pk)
    following = request.POST.get("follow") != "0"
    services.follow(by=request.user, consultation=consultation, following=following)
    messages.success(
        request,
        _("You follow this consultation: we will remind you before it ends.")
        if following
        else _("You no longer follow this consultation."),
    )
    return redirect(consultation)


# --- report, comparison, export ---------------------------------------------------------------------------


def _report_visible(request, consultation):
    key = phases.phase_key(consultation)
    if key not in (phases.CLOSED, phases.REPORTED) and not request.user.has_perm(
        "consultations.change_consultation", consultation
    ):
        raise Http404


def report(request, pk):
    """The report: counts by answer and by section, then every remark (hidden ones marked), a
    page of remarks at a time; filters by answer and section kept by the page links."""
    consultation = _visible_or_404(request, pk)
    _report_visible(request, consultation)
    context = _common(request, consultation)
    answers_shown = context["answers_shown"]
    answer = request.GET.get("answer")
    if answer not in (*Remark.Answer.values, "none") or not answers_shown:
        answer = None
    section = request.GET.get("section")
    section = int(section) if section and section.isdigit() else None
    remarks = selectors.report_page_remarks(
        consultation, answer="" if answer == "none" else answer, section=section
    )
    page = page_of(remarks, request.GET.get("page"), per_page=selectors.REPORT_REMARKS_PER_PAGE)
    context.update(
        {
            "summary": selectors.report_summary(consultation, answers_shown=answers_shown),
            "page": page,
            "remarks": page.object_list,
            "answer": answer,
            "section_filter": section,
            "answer_choices": Remark.Answer.choices,
            "section_link_prefix": _section_link_prefix(request),
        }
    )
    return render(request, "consultations/report.html", context)


def _section_link_prefix(request) -> str:
    """The report's address with its filters but another section (appended) and page 1: one
    query string for the 500 rows of the summary instead of one ``querystring`` each."""
    query = request.GET.copy()
    for name in ("section", "page"):
        query.pop(name, None)
    rest = query.urlencode()
    return f"?{rest}&section=" if rest else "?section="


def report_pdf(request, pk):
    consultation = _visible_or_404(request, pk)
    _report_visible(request, consultation)
    filename = reports.pdf_filename(consultation)
    if reports.pdf_is_fresh(consultation) and translation.get_language() == consultation_language():
        response = FileResponse(consultation.report_pdf.open("rb"), content_type="application/pdf")
    elif consultation.remarks.count() <= reports.INLINE_PDF_REMARKS:
        response = HttpResponse(
            reports.report_pdf_bytes(consultation, language=translation.get_language()),
            content_type="application/pdf",
        )
    else:
        from . import tasks

        tasks.build_report_pdf.enqueue(consultation_id=consultation.pk)
        consultation.refresh_from_db(fields=["report_pdf", "report_pdf_at", "report_changed_at"])
        if reports.pdf_is_fresh(
            consultation
        ):  # a worker in this process (or a quick one) drew it already
            response = FileResponse(
                consultation.report_pdf.open("rb"), content_type="application/pdf"
            )
            response["Content-Disposition"] = f'inline; filename="{filename}"'
            return response
        context = {"consultation": consultation, "stored": bool(consultation.report_pdf)}
        return render(request, "consultations/report_pdf_pending.html", context, status=202)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def consultation_language() -> str:
    from django.conf import settings

    return settings.LANGUAGE_CODE


def comparison(request, pk):
    consultation = _visible_or_404(request, pk)
    if not consultation.adopted_text:
        raise Http404
    rows = reports.compare(consultation)
    counts = {
        status: sum(1 for row in rows if row.status == status)
        for status in ("same", "changed", "added", "removed")
    }
    return render(
        request,
        "consultations/comparison.html",
        {"consultation": consultation, "rows": rows, "counts": counts},
    )


def _managed(request, pk, permission="consultations.change_consultation") -> Consultation:
    consultation = get_object_or_404(
        Consultation.objects.select_related("issuing_body", "territory"), pk=pk
    )
    if not request.user.has_perm(permission, consultation):
        raise PermissionDenied
    return consultation


@login_required
def export_remarks(request, pk, format):
    if format not in ("csv", "xlsx"):
        raise Http404
    consultation = _managed(request, pk, "consultations.export_remarks")
    remarks = reports.export_remarks(consultation)
    columns = reports.export_columns()
    name = f"consultation-{consultation.pk}-remarks"
    if format == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(remarks.iterator(chunk_size=1000), columns, sheet=_("Remarks")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = StreamingHttpResponse(
        exports.csv_chunks(remarks.iterator(chunk_size=1000), columns),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# --- officers ---------------------------------------------------------------------------------------------


@login_required
def consultation_create(request):
    user = request.user
    if not user.has_perm("consultations.add_consultation", None):
        raise PermissionDenied
    form = ConsultationForm(request.POST or None, bodies=selectors.issuing_options(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = submit(
            form,
            lambda: services.create_consultation(
                by=user,
                data=form.service_data(),
                thematic_areas=data["thematic_areas"],
                invited_organizations=data["invited_organizations"],
                meetings=data["meetings"],
            ),
        )
        if not form.errors:
            messages.success(
                request,
                _(
                    "The consultation is saved as a draft. Add the draft act's sections, then publish it."
                ),
            )
            return redirect("consultations:sections_manage", pk=saved.pk)
    return render(
        request,
        "consultations/consultation_form.html",
        {"form": form, "consultation": None},
        status=400 if form.errors else 200,
    )


@login_required
def consultation_edit(request, pk):
    consultation = _managed(request, pk)
    form = ConsultationForm(
        request.POST or None, instance=consultation, bodies=selectors.issuing_options(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = submit(
            form,
            lambda: services.update_consultation(
                by=request.user,
                consultation=consultation,
                data=form.service_data(),
                thematic_areas=data["thematic_areas"],
                invited_organizations=data["invited_organizations"],
                meetings=data["meetings"],
            ),
        )
        if not form.errors:
            messages.success(request, _("Your changes are saved."))
            return redirect(saved)
    return render(
        request,
        "consultations/consultation_form.html",
        {"form": form, "consultation": consultation},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def consultation_publish(request, pk):
    consultation = _managed(request, pk)
    try:
        services.publish_consultation(by=request.user, consultation=consultation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consultation is published."))
    return redirect(consultation)


@login_required
def sections_manage(request, pk):
    consultation = _managed(request, pk)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submit(
            form, lambda: services.add_section(by=request.user, consultation=consultation, **data)
        )
        if not form.errors:
            messages.success(request, _("The section is added."))
            return redirect("consultations:sections_manage", pk=consultation.pk)
    context = {
        "consultation": consultation,
        "form": form,
        "sections": selectors.sections_with_counts(consultation),
        "withdrawn": list(consultation.sections.filter(withdrawn_at__isnull=False).defer("text")),
        "editable": not (consultation.published_at and consultation.ends_at < timezone.now()),
    }
    return render(
        request, "consultations/sections_manage.html", context, status=400 if form.errors else 200
    )


@login_required
def section_edit(request, pk, section):
    consultation = _managed(request, pk)
    section = get_object_or_404(Section, pk=section, consultation=consultation)
    form = SectionForm(
        request.POST or None,
        initial={"label": section.label, "heading": section.heading, "text": section.text},
    )
    if request.method == "POST" and form.is_valid():
        submit(
            form,
            lambda: services.update_section(by=request.user, section=section, **form.cleaned_data),
        )
        if not form.errors:
            messages.success(
                request, _("The section is changed; remarks made on its earlier wording keep it.")
            )
            return redirect("consultations:sections_manage", pk=consultation.pk)
    versions = section.versions.order_by("-number")
    return render(
        request,
        "consultations/section_edit.html",
        {"consultation": consultation, "section": section, "form": form, "versions": versions},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def section_remove(request, pk, section):
    consultation = _managed(request, pk)
    section = get_object_or_404(Section, pk=section, consultation=consultation)
    try:
        services.remove_section(by=request.user, section=section)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The section is taken out of the draft."))
    return redirect("consultations:sections_manage", pk=consultation.pk)


@login_required
@require_POST
def section_move(request, pk, section):
    consultation = _managed(request, pk)
    section = get_object_or_404(Section, pk=section, consultation=consultation)
    try:
        services.move_section(
            by=request.user,
            section=section,
            offset=-1 if request.POST.get("direction") == "up" else 1,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(
        f"{reverse('consultations:sections_manage', kwargs={'pk': consultation.pk})}#section-{section.pk}"
    )


@login_required
def sections_import(request, pk):
    """Paste or upload the draft, see how it splits, then save the sections."""
    consultation = _managed(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    status = 200
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        upload = form.cleaned_data.get("file")
        if upload:
            try:
                text = file_text(upload.name, upload.read(reports_max_read()))
            except DraftFileError as error:
                form.add_error("file", str(error))
        if not form.errors:
            preview = split_text(text)
            if not preview:
                form.add_error("text", _("Paste the draft's text or choose a file."))
            elif request.POST.get("confirm") == "1" and not upload:
                saved = submit(
                    form,
                    lambda: services.import_sections(
                        by=request.user,
                        consultation=consultation,
                        sections=preview,
                        replace=form.cleaned_data["replace"],
                    ),
                )
                if not form.errors:
                    messages.success(request, _("%(n)s sections are saved.") % {"n": len(saved)})
                    return redirect("consultations:sections_manage", pk=consultation.pk)
            else:
                # The text goes back in the form: what is confirmed is exactly what was shown.
                form = ImportForm(initial={"text": text, "replace": form.cleaned_data["replace"]})
        if form.errors:
            status = 400
    return render(
        request,
        "consultations/sections_import.html",
        {"consultation": consultation, "form": form, "preview": preview},
        status=status,
    )


def reports_max_read() -> int:
    from .splitting import max_file_bytes

    return max_file_bytes() + 1


@login_required
def attachments_manage(request, pk):
    consultation = _managed(request, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if request.POST.get("remove"):
            item = get_object_or_404(
                Attachment, pk=request.POST["remove"], consultation=consultation
            )
            services.remove_attachment(by=request.user, attachment=item)
            messages.success(request, _("The attachment is removed."))
            return redirect("consultations:attachments_manage", pk=consultation.pk)
        if form.is_valid():
            submit(
                form,
                lambda: services.add_attachment(
                    by=request.user,
                    consultation=consultation,
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data["file"],
                ),
            )
            if not form.errors:
                messages.success(request, _("The attachment is added."))
                return redirect("consultations:attachments_manage", pk=consultation.pk)
    return render(
        request,
        "consultations/attachments_manage.html",
        {"consultation": consultation, "form": form, "attachments": consultation.attachments.all()},
        status=400 if form.errors else 200,
    )


@login_required
def remark_hide(request, pk, remark):
    consultation = _managed(request, pk, "consultations.moderate_remark")
    remark = get_object_or_404(selectors.remark_rows(), pk=remark, consultation=consultation)
    form = HideForm(request.POST or None, initial={"reason": remark.hidden_reason})
    if request.method == "POST":
        if request.POST.get("unhide"):
            services.unhide_remark(by=request.user, remark=remark)
            messages.success(request, _("The remark is shown again."))
            return redirect(_remark_place(remark))
        if form.is_valid():
            submit(
                form,
                lambda: services.hide_remark(
                    by=request.user, remark=remark, reason=form.cleaned_data["reason"]
                ),
            )
            if not form.errors:
                messages.success(
                    request,
                    _("The remark is hidden; the report lists it as hidden, with the reason."),
                )
                return redirect(_remark_place(remark))
    return render(
        request,
        "consultations/remark_hide.html",
        {"consultation": consultation, "remark": remark, "form": form},
        status=400 if form.errors else 200,
    )


def _remark_place(remark) -> str:
    if remark.section_id:
        return f"{remark.section.get_absolute_url()}#remark-{remark.pk}"
    return f"{reverse('consultations:whole_act', kwargs={'pk': remark.consultation_id})}#remark-{remark.pk}"


@login_required
def remark_answer(request, pk, remark):
    """Answer one remark (htmx swaps the row in the answers list; without it, a page)."""
    consultation = _managed(request, pk, "consultations.answer_remark")
    remark = get_object_or_404(selectors.remark_rows(), pk=remark, consultation=consultation)
    form = AnswerForm(
        request.POST or None,
        prefix=f"r{remark.pk}",
        initial={"answer": remark.answer, "justification": remark.answer_justification},
    )
    accepts = phases.accepts_answers(consultation)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = submit(
                form,
                lambda: services.answer_remark(
                    by=request.user,
                    remark=remark,
                    answer=form.cleaned_data["answer"],
                    justification=form.cleaned_data["justification"],
                ),
            )
            if not form.errors:
                remark = saved
                if request.htmx:
                    form = AnswerForm(
                        prefix=f"r{remark.pk}",
                        initial={
                            "answer": remark.answer,
                            "justification": remark.answer_justification,
                        },
                    )
                    return render(
                        request,
                        "consultations/answers.html#answer-row",
                        {
                            "consultation": consultation,
                            "row": _AnswerRow(saved, form),
                            "accepts": accepts,
                            "saved": True,
                        },
                    )
                messages.success(request, _("The answer is saved."))
                return redirect(
                    f"{reverse('consultations:answers', kwargs={'pk': consultation.pk})}#remark-{remark.pk}"
                )
        status = 400
        if request.htmx:
            return render(
                request,
                "consultations/answers.html#answer-row",
                {"consultation": consultation, "row": _AnswerRow(remark, form), "accepts": accepts},
                status=status,
            )
    return render(
        request,
        "consultations/remark_answer.html",
        {
            "consultation": consultation,
            "remark": remark,
            "form": form,
            "accepts": accepts,
            "closed_reason": None if accepts else services.answers_closed_message(consultation),
        },
        status=status,
    )


class _AnswerRow:
    def __init__(self, remark, form):
        self.remark, self.form = remark, form


@login_required
def answers(request, pk):
    """Every remark with its answer form, a page at a time; the page's answers saved at once."""
    consultation = _managed(request, pk, "consultations.answer_remark")
    accepts = phases.accepts_answers(consultation)
    show = request.GET.get("show")
    remarks = selectors.report_page_remarks(
        consultation,
        answer="" if show == "unanswered" else None,
        visible_only=True,
    )
    page = page_of(remarks, request.GET.get("page"), per_page=selectors.REMARKS_PER_PAGE)
    rows = [
        _AnswerRow(
            remark,
            AnswerForm(
                request.POST if request.method == "POST" else None,
                prefix=f"r{remark.pk}",
                initial={"answer": remark.answer, "justification": remark.answer_justification},
            ),
        )
        for remark in page.object_list
    ]
    errors = []
    status = 200
    if request.method == "POST":
        if not accepts:
            errors.append(services.answers_closed_message(consultation))
        else:
            given = {}
            for row in rows:
                if not row.form.has_changed():
                    continue
                if row.form.is_valid():
                    given[row.remark.pk] = services.AnswerInput(
                        row.form.cleaned_data["answer"], row.form.cleaned_data["justification"]
                    )
            if all(row.form.is_valid() for row in rows if row.form.has_changed()):
                try:
                    changed = services.answer_remarks(
                        by=request.user, consultation=consultation, answers=given
                    )
                except ValidationError as error:
                    errors += error.messages
                else:
                    messages.success(request, _("%(n)s answers are saved.") % {"n": changed})
                    return redirect(request.get_full_path())
            else:
                errors.append(_("Some answers are not saved: see the remarks marked below."))
        status = 400
    unanswered = consultation.remarks.filter(hidden_at__isnull=True, answer="").count()
    return render(
        request,
        "consultations/answers.html",
        {
            "consultation": consultation,
            "rows": rows,
            "page": page,
            "accepts": accepts,
            "errors": errors,
            "unanswered": unanswered,
            "show": show,
            "closed_reason": None if accepts else services.answers_closed_message(consultation),
        },
        status=status,
    )


@login_required
def report_publish(request, pk):
    consultation = _managed(request, pk, "consultations.answer_remark")
    form = ReportForm(request.POST or None, initial={"summary": consultation.report_summary})
    if request.method == "POST" and form.is_valid():
        submit(
            form,
            lambda: services.publish_report(
                by=request.user, consultation=consultation, summary=form.cleaned_data["summary"]
            ),
        )
        if not form.errors:
            messages.success(
                request,
                _("The report is published and every author is told the answers to their remarks."),
            )
            return redirect("consultations:report", pk=consultation.pk)
    unanswered = consultation.remarks.filter(hidden_at__isnull=True, answer="").count()
    return render(
        request,
        "consultations/report_publish.html",
        {
            "consultation": consultation,
            "form": form,
            "unanswered": unanswered,
            "accepts": phases.accepts_answers(consultation),
        },
        status=400 if form.errors else 200,
    )


@login_required
def adopted_text(request, pk):
    consultation = _managed(request, pk)
    form = AdoptedTextForm(
        request.POST or None,
        initial={
            "text": consultation.adopted_text,
            "adopted_at": consultation.adopted_at,
            "reference": consultation.adopted_reference,
        },
    )
    if request.method == "POST" and form.is_valid():
        submit(
            form,
            lambda: services.set_adopted_text(
                by=request.user, consultation=consultation, **form.cleaned_data
            ),
        )
        if not form.errors:
            messages.success(request, _("The adopted text is saved."))
            return redirect("consultations:comparison", pk=consultation.pk)
    return render(
        request,
        "consultations/adopted_text.html",
        {"consultation": consultation, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def minimum_durations(request):
    """The least days of consultations per kind of act, for the bodies one is an officer of."""
    if not request.user.has_perm("consultations.set_minimum_duration", None):
        raise PermissionDenied
    bodies = selectors.issuing_options(request.user)
    form = MinimumDurationForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        submit(form, lambda: services.set_minimum_duration(by=request.user, **form.cleaned_data))
        if not form.errors:
            messages.success(request, _("The minimum duration is saved."))
            return redirect("consultations:minimum_durations")
    rows = (
        MinimumDuration.objects.filter(body__in=[body.pk for body in bodies])
        .select_related("body")
        .order_by("body__name", "kind")
    )
    return render(
        request,
        "consultations/minimum_durations.html",
        {"form": form, "rows": rows, "default_days": services.minimum_days(None, "")},
        status=400 if form.errors else 200,
    )
