"""Pages of working groups and standards: parse, call a service or a selector, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from civicbridge.core import counters
from civicbridge.core.forms import submit
from civicbridge.core.pagination import page_of
from civicbridge.core.partials import results_template

from . import selectors, services
from .forms import (
    AppointForm,
    DocumentForm,
    GroupForm,
    MeetingForm,
    MoveForm,
    PostForm,
    StandardForm,
    StandardVersionForm,
    VersionForm,
)
from .models import (
    Document,
    DocumentVersion,
    Member,
    Stage,
    Standard,
    StandardVersion,
    WorkingGroup,
)


def _group_or_404(pk) -> WorkingGroup:
    try:
        return selectors.group_detail(pk=pk)
    except WorkingGroup.DoesNotExist as error:
        raise Http404 from error


def _posted(request):
    """The form's data and files when posted (even empty: a posted form is a bound form)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _allowed(request, permission, obj):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


@vary_on_headers("HX-Request", "HX-Target")
def group_list(request):
    filterset = selectors.filter_groups(request.GET)
    page = page_of(filterset.qs, request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "can_add": request.user.has_perm("groups.add_group"),
    }
    return render(request, results_template(request, "groups/group_list.html"), context)


def _render_group(request, group, *, post_form=None, status=200):
    user = request.user
    context = {
        "group": group,
        **selectors.group_page(group, user=user),
        "can_edit": user.has_perm("groups.change_group", group),
        "can_manage": user.has_perm("groups.manage_members", group),
        "can_add_meeting": user.has_perm("groups.add_meeting", group),
        "can_add_document": user.has_perm("groups.add_document", group),
        "can_add_standard": user.has_perm("groups.add_standard", group),
        "can_post": user.has_perm("groups.post", group),
    }
    if context["can_post"]:
        context["post_form"] = post_form or PostForm()
    return render(request, "groups/group_detail.html", context, status=status)


def group_detail(request, pk):
    return _render_group(request, _group_or_404(pk))


@login_required
def group_create(request):
    _allowed(request, "groups.add_group", None)
    form = GroupForm(_posted(request)[0])
    if request.method == "POST" and form.is_valid():
        group = submit(form, lambda: services.create_group(by=request.user, **form.cleaned_data))
        if not form.errors:
            messages.success(
                request, _("The working group is created. Appoint its members and its chair.")
            )
            return redirect("groups:group_members", pk=group.pk)
    return render(
        request,
        "groups/group_form.html",
        {"form": form, "group": None},
        status=400 if form.errors else 200,
    )


@login_required
def group_edit(request, pk):
    group = _group_or_404(pk)
    _allowed(request, "groups.change_group", group)
    form = GroupForm(_posted(request)[0], initial={"name": group.name, "purpose": group.purpose})
    if request.method == "POST" and form.is_valid():
        submit(
            form, lambda: services.update_group(by=request.user, group=group, **form.cleaned_data)
        )
        if not form.errors:
            messages.success(request, _("Your changes are saved."))
            return redirect(group)
    return render(
        request,
        "groups/group_form.html",
        {"form": form, "group": group},
        status=400 if form.errors else 200,
    )


@login_required
def group_members(request, pk):
    """The coordinator's page: appoint members (and the chair), remove them, the record of both."""
    group = _group_or_404(pk)
    _allowed(request, "groups.manage_members", group)
    form = AppointForm(_posted(request)[0], memberships=selectors.appointable_people(group))
    if request.method == "POST" and form.is_valid():
        membership = form.cleaned_data["membership"]
        submit(
            form,
            lambda: services.appoint_member(
                by=request.user,
                group=group,
                user=membership.user,
                organization=membership.organization,
                as_chair=form.cleaned_data["as_chair"],
            ),
        )
        if not form.errors:
            messages.success(
                request,
                _("%(person)s is appointed.")
                % {"person": membership.user.get_full_name() or membership.user.get_username()},
            )
            return redirect("groups:group_members", pk=group.pk)
    context = {"group": group, "form": form, "members": selectors.member_history(group)}
    return render(request, "groups/group_members.html", context, status=400 if form.errors else 200)


def _member(group, member_pk) -> Member:
    return get_object_or_404(
        Member.objects.select_related("group", "user"), pk=member_pk, group=group
    )


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    group = _group_or_404(pk)
    _allowed(request, "groups.manage_members", group)
    member = _member(group, member_pk)
    try:
        services.remove_member(by=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(person)s has left the group.") % {"person": member.name})
    return redirect("groups:group_members", pk=group.pk)


@login_required
@require_POST
def member_chair(request, pk, member_pk):
    group = _group_or_404(pk)
    _allowed(request, "groups.manage_members", group)
    member = _member(group, member_pk)
    try:
        services.set_chair(by=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(person)s chairs the group.") % {"person": member.name})
    return redirect("groups:group_members", pk=group.pk)


@login_required
def meeting_create(request, pk):
    group = _group_or_404(pk)
    _allowed(request, "groups.add_meeting", group)
    form = MeetingForm(_posted(request)[0])
    if request.method == "POST" and form.is_valid():
        event = submit(
            form, lambda: services.add_meeting(by=request.user, group=group, data=form.cleaned_data)
        )
        if not form.errors:
            messages.success(request, _("The meeting is published and the members are told."))
            return redirect(event)
    return render(
        request,
        "groups/meeting_form.html",
        {"form": form, "group": group},
        status=400 if form.errors else 200,
    )


@login_required
def document_create(request, pk):
    group = _group_or_404(pk)
    _allowed(request, "groups.add_document", group)
    form = DocumentForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        submit(
            form,
            lambda: services.add_document(
                by=request.user,
                group=group,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            ),
        )
        if not form.errors:
            messages.success(request, _("The document is added."))
            return redirect(group)
    return render(
        request,
        "groups/document_form.html",
        {"form": form, "group": group, "document": None},
        status=400 if form.errors else 200,
    )


@login_required
def document_version_create(request, pk, document_pk):
    group = _group_or_404(pk)
    _allowed(request, "groups.add_document", group)
    document = get_object_or_404(Document, pk=document_pk, group=group)
    form = VersionForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        submit(
            form,
            lambda: services.add_document_version(
                by=request.user,
                document=document,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            ),
        )
        if not form.errors:
            messages.success(request, _("The new version is added; the earlier ones are kept."))
            return redirect(group)
    return render(
        request,
        "groups/document_form.html",
        {"form": form, "group": group, "document": document},
        status=400 if form.errors else 200,
    )


def _attachment(field_file, filename):
    return FileResponse(field_file.open("rb"), as_attachment=True, filename=filename)


@login_required
def document_download(request, pk, document_pk, number):
    group = _group_or_404(pk)
    _allowed(request, "groups.view_internal", group)
    version = get_object_or_404(
        DocumentVersion, document_id=document_pk, document__group=group, number=number
    )
    return _attachment(version.file, version.filename)


# A member posts at most so many messages an hour (a setting, else this): a runaway script or a
# stuck key must not flood every member's mailbox.
DEFAULT_POSTS_PER_HOUR = 30


def _post_limit_reached(request) -> bool:
    limit = getattr(settings, "CIVICBRIDGE_GROUP_POSTS_PER_HOUR", DEFAULT_POSTS_PER_HOUR)
    key = f"groups:posts:{request.user.pk}"
    return counters.increment(key, ttl=3600)[key].value > limit


@login_required
@require_POST
def post_create(request, pk):
    group = _group_or_404(pk)
    _allowed(request, "groups.post", group)
    form = PostForm(request.POST)
    if form.is_valid() and _post_limit_reached(request):
        form.add_error(None, _("You have posted many messages in the last hour. Try again later."))
        return _render_group(request, group, post_form=form, status=429)
    if form.is_valid():
        submit(
            form,
            lambda: services.add_post(by=request.user, group=group, body=form.cleaned_data["body"]),
        )
    if form.errors:
        return _render_group(request, group, post_form=form, status=400)
    messages.success(request, _("Your message is posted."))
    return redirect(group.get_absolute_url() + "#thread")


# --- standards ---------------------------------------------------------------------------------


@vary_on_headers("HX-Request", "HX-Target")
def standard_library(request):
    filterset = selectors.library(request.GET)
    page = page_of(filterset.qs, request.GET.get("page"))
    return render(
        request,
        results_template(request, "groups/standard_library.html"),
        {"filter": filterset, "page": page},
    )


def _standard_or_404(request, pk) -> Standard:
    try:
        return selectors.visible_standards(request.user).get(pk=pk)
    except Standard.DoesNotExist as error:
        raise Http404 from error


def standard_detail(request, pk):
    try:
        standard = selectors.standard_detail(pk=pk, user=request.user)
    except Standard.DoesNotExist as error:
        raise Http404 from error
    user = request.user
    context = {
        "standard": standard,
        **selectors.standard_page(standard),
        "can_change": standard.is_editable and user.has_perm("groups.change_standard", standard),
        "can_move": user.has_perm("groups.move_standard", standard),
        "next_stages": [
            Stage(stage)
            for stage in standard.next_stages
            if stage == Stage.IN_CONSULTATION or user.has_perm("groups.record_adoption", standard)
        ],
    }
    return render(request, "groups/standard_detail.html", context)


@login_required
def standard_create(request, pk):
    group = _group_or_404(pk)
    _allowed(request, "groups.add_standard", group)
    form = StandardForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        standard = submit(
            form,
            lambda: services.create_standard(
                by=request.user,
                group=group,
                title=data["title"],
                summary=data["summary"],
                kind=data["kind"],
                text=data["text"],
                upload=data["file"],
                note=data["note"],
            ),
        )
        if not form.errors:
            messages.success(request, _("The standard is saved as a draft."))
            return redirect(standard)
    return render(
        request,
        "groups/standard_form.html",
        {"form": form, "group": group, "standard": None},
        status=400 if form.errors else 200,
    )


@login_required
def standard_version_create(request, pk):
    standard = _standard_or_404(request, pk)
    _allowed(request, "groups.change_standard", standard)
    latest = standard.versions.order_by("-number").first()
    form = StandardVersionForm(*_posted(request), initial={"text": latest.text if latest else ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submit(
            form,
            lambda: services.add_standard_version(
                by=request.user,
                standard=standard,
                text=data["text"],
                upload=data["file"],
                note=data["note"],
            ),
        )
        if not form.errors:
            messages.success(request, _("The new version is saved; the earlier ones are kept."))
            return redirect(standard)
    return render(
        request,
        "groups/standard_form.html",
        {"form": form, "group": standard.group, "standard": standard},
        status=400 if form.errors else 200,
    )


def standard_file(request, pk, number):
    standard = _standard_or_404(request, pk)
    version = get_object_or_404(StandardVersion, standard=standard, number=number)
    if not version.file:
        raise Http404
    return _attachment(version.file, version.filename)


@login_required
def standard_move(request, pk, stage):
    """A workflow step: its form (what the step needs) and, posted, the step."""
    standard = _standard_or_404(request, pk)
    _allowed(request, "groups.move_standard", standard)
    if stage not in Stage.values:
        raise Http404
    if stage != Stage.IN_CONSULTATION:
        _allowed(request, "groups.record_adoption", standard)
    form = MoveForm(_posted(request)[0], to_stage=stage)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submit(
            form,
            lambda: services.move_standard(
                by=request.user,
                standard=standard,
                to_stage=stage,
                note=data.get("note", ""),
                consultation=data.get("consultation"),
                resolution_number=data.get("resolution_number", ""),
                resolution_date=data.get("resolution_date"),
                adopting_body=data.get("adopting_body"),
                trainings=data.get("trainings") or (),
            ),
        )
        if not form.errors:
            messages.success(
                request,
                _("The standard is now at the stage “%(stage)s”.") % {"stage": Stage(stage).label},
            )
            return redirect(standard)
    context = {"form": form, "standard": standard, "stage": Stage(stage)}
    return render(request, "groups/standard_move.html", context, status=400 if form.errors else 200)
