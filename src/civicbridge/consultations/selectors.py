"""Every read of consultations, sections and remarks that the pages, the report and the API share.

Each page reads a bounded number of queries whatever the size of the consultation: counts of
remarks per section are one GROUP BY on the (consultation, section) index, remarks are read a
page at a time with what their rows show joined, and Markdown is stored rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from civicbridge.core.pagination import IdsFirst, SlicedSequence, page_of
from civicbridge.core.rules import is_coordinator

from . import phases
from .filters import ConsultationFilter
from .models import Consultation, Remark, Section

HOME_OPEN = 5
REMARKS_PER_PAGE = 50
REPORT_REMARKS_PER_PAGE = 100


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def managed_bodies(user) -> list[int]:
    """The ids of the public bodies ``user`` is an officer of."""
    from civicbridge.directory.models import Organization

    from .rules import approved_memberships

    if not _signed_in(user):
        return []
    return list(
        approved_memberships(user)
        .filter(organization__kind__in=Organization.PUBLIC_KINDS)
        .values_list("organization_id", flat=True)
    )


def visible_consultations(user=None) -> QuerySet[Consultation]:
    """Published consultations; drafts too for coordinators and their own body's officers."""
    consultations = Consultation.objects.all()
    if not _signed_in(user):
        return consultations.published()
    if user.is_superuser or is_coordinator(user):
        return consultations
    bodies = managed_bodies(user)
    if not bodies:
        return consultations.published()
    return consultations.filter(Q(published_at__isnull=False) | Q(issuing_body__in=bodies))


def consultations_for_rows(user=None) -> QuerySet[Consultation]:
    return (
        visible_consultations(user)
        .select_related("issuing_body", "territory")
        .defer(
            "search_document",
            "description",
            "adopted_text",
            "report_summary",
            "report_summary_html",
            "issuing_body__description",
            "issuing_body__search_document",
        )
    )


def filter_consultations(data, *, user=None, now=None) -> ConsultationFilter:
    return ConsultationFilter(data, queryset=consultations_for_rows(user), now=now)


# What a row of the list page shows (consultations/consultation_rows.html).
ROW_COLUMNS = (
    "title", "kind", "published_at", "starts_at", "ends_at", "issuing_body__name",
    "territory__name_en", "territory__name_pl", "territory__name_tr",
)


def consultation_page(filterset: ConsultationFilter, number) -> Page:
    """The page of the filtered list (nothing when a filter value is bad), with only what its
    rows show: a page read every column of the consultations, their bodies and territories.

    Its ids first (``IdsFirst``): the list's order (open, then forthcoming, then closed) is
    computed for every consultation the filters leave, and no index gives it. Sorted with its
    joins, the page joined each consultation's body and territory before the sort (2 ms at
    400 consultations, 7 ms at 1,200); the ids are sorted on the table's own rows."""
    consultations = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return page_of(IdsFirst(consultations.only(*ROW_COLUMNS)), number)


def with_remark_counts(consultations) -> list[Consultation]:
    """Each consultation with ``remark_count`` (remarks not hidden), one query for the page."""
    consultations = list(consultations)
    counts = (
        dict(
            Remark.objects.filter(
                consultation__in=[c.pk for c in consultations], hidden_at__isnull=True
            )
            .values("consultation_id")
            .annotate(n=Count("*"))  # from the index remark_shown alone, as a count of ids is not
            .values_list("consultation_id", "n")
        )
        if consultations
        else {}
    )
    for consultation in consultations:
        consultation.remark_count = counts.get(consultation.pk, 0)
    return consultations


def consultation_detail(*, pk: int, user=None) -> Consultation:
    return (
        visible_consultations(user)
        .select_related("issuing_body", "territory")
        .prefetch_related("thematic_areas")
        .defer("search_document")
        .get(pk=pk)
    )


# --- who speaks ---------------------------------------------------------------------------------------


@dataclass
class SpeakingOptions:
    """For whom a person may remark in a consultation: organizations, and/or as a citizen."""

    organizations: list = field(default_factory=list)
    as_citizen: bool = False


def speaking_options(consultation: Consultation, user) -> SpeakingOptions:
    from civicbridge.directory.models import Organization

    from .rules import approved_memberships

    if not _signed_in(user):
        return SpeakingOptions()
    cache = getattr(user, "_consultation_speaking", None)
    if cache is not None and cache[0] == (consultation.pk, consultation.invitation):
        return cache[1]
    memberships = approved_memberships(user)
    Invitation = Consultation.Invitation
    if consultation.invitation == Invitation.NGOS:
        memberships = memberships.exclude(organization__kind__in=Organization.PUBLIC_KINDS)
    elif consultation.invitation == Invitation.LIST:
        memberships = memberships.filter(
            organization__in=consultation.invited_organizations.through.objects.filter(
                consultation_id=consultation.pk
            ).values("organization_id")
        )
    organizations = list(
        Organization.objects.filter(pk__in=memberships.values("organization_id"))
        .only("pk", "name", "slug", "kind")
        .order_by("name")
    )
    options = SpeakingOptions(organizations, consultation.invitation == Invitation.ALL)
    user._consultation_speaking = ((consultation.pk, consultation.invitation), options)
    return options


# --- sections and remarks ---------------------------------------------------------------------------


def may_see_remarks(consultation: Consultation, user) -> bool:
    """Remarks are public at once, or (when the body chose so) after the end; its officers see them always."""
    if consultation.remarks_visibility == Consultation.Visibility.AT_ONCE:
        return True
    if phases.phase_key(consultation) in (phases.CLOSED, phases.REPORTED):
        return True
    return user.has_perm("consultations.change_consultation", consultation)


def may_see_answers(consultation: Consultation, user) -> bool:
    """Answers are public with the report; the body's officers see them while drafting it."""
    return consultation.reported_at is not None or user.has_perm(
        "consultations.answer_remark", consultation
    )


def current_sections(consultation: Consultation) -> QuerySet[Section]:
    return consultation.sections.filter(withdrawn_at__isnull=True).order_by("position", "id")


def sections_with_counts(consultation: Consultation, *, counts: dict | None = None) -> list[Section]:
    """The draft's sections in order (text deferred), each with ``remark_count``: from ``counts``
    (``remark_counts_by_section``) where the caller read them, else one GROUP BY."""
    sections = list(current_sections(consultation).defer("text"))
    counts = remark_counts_by_section(consultation) if counts is None else counts
    for section in sections:
        section.remark_count = counts.get(section.pk, 0)
    return sections


def remark_counts_by_section(consultation: Consultation) -> dict[int | None, int]:
    """Remarks not hidden per section (None: on the whole act)."""
    return dict(
        Remark.objects.filter(consultation=consultation, hidden_at__isnull=True)
        .values("section_id")
        .annotate(n=Count("*"))  # from the index remark_shown alone
        .order_by()
        .values_list("section_id", "n")
    )


def remark_rows() -> QuerySet[Remark]:
    """What a remark's row shows, joined: its organization, its section, and the section's
    wording it was made on."""
    return Remark.objects.select_related("organization", "section", "section_version").defer(
        "organization__description",
        "organization__search_document",
        "justification",
    )


def section_remarks(section: Section) -> QuerySet[Remark]:
    return (
        remark_rows()
        .filter(consultation_id=section.consultation_id, section=section)
        .order_by("submitted_at", "id")
    )


def remark_address(remark: Remark) -> str:
    """The page of its section (or of the whole act) that lists ``remark``, at the remark: a
    section with hundreds of remarks lists a new one on its last page, not the first."""
    remarks = Remark.objects.filter(consultation_id=remark.consultation_id, section_id=remark.section_id)
    before = remarks.filter(Q(submitted_at__lt=remark.submitted_at) | Q(submitted_at=remark.submitted_at, id__lt=remark.pk)).count()
    page = before // REMARKS_PER_PAGE + 1
    url, anchor = remark.get_absolute_url().split("#")
    return f"{url}?page={page}#{anchor}" if page > 1 else f"{url}#{anchor}"


def whole_act_remarks(consultation: Consultation) -> QuerySet[Remark]:
    return (
        remark_rows()
        .filter(consultation=consultation, section__isnull=True)
        .order_by("submitted_at", "id")
    )


def neighbours(section: Section) -> tuple[Section | None, Section | None]:
    siblings = Section.objects.filter(
        consultation_id=section.consultation_id, withdrawn_at__isnull=True
    ).only(
        "pk",
        "consultation_id",
        "position",
        "label",
        "heading",
    )
    before = siblings.filter(
        Q(position__lt=section.position) | Q(position=section.position, pk__lt=section.pk)
    )
    after = siblings.filter(
        Q(position__gt=section.position) | Q(position=section.position, pk__gt=section.pk)
    )
    return before.order_by("-position", "-id").first(), after.order_by("position", "id").first()


def my_remarks(user) -> QuerySet[Remark]:
    return (
        remark_rows()
        .select_related("consultation", "consultation__issuing_body")
        .defer(
            "consultation__search_document",
            "consultation__description",
            "consultation__adopted_text",
            "consultation__description_html",
            "consultation__report_summary",
            "consultation__report_summary_html",
            "consultation__issuing_body__description",
            "consultation__issuing_body__search_document",
        )
        .filter(author=user)
        .order_by("-submitted_at", "-id")
    )


def remark_versions(remark: Remark):
    return (
        remark.versions.select_related("organization")
        .only(
            "pk",
            "remark_id",
            "number",
            "proposed_wording",
            "justification_html",
            "created_at",
            "organization__name",
            "organization__slug",
        )
        .order_by("-number")
    )


# --- report ------------------------------------------------------------------------------------------


@dataclass
class ReportSummary:
    total: int
    hidden: int
    by_answer: list[tuple[str, str, int]]  # (value, label, count), "" for not answered
    by_section: list[dict]  # {"section", "total", answer value: count, ...}
    whole_act: dict


def report_summary(consultation: Consultation, *, answers_shown: bool) -> ReportSummary:
    """Counts by answer and by section, from one GROUP BY over the consultation's remarks."""
    rows = (
        Remark.objects.filter(consultation=consultation)
        .values("section_id", "answer")
        .annotate(n=Count("id"), hidden=Count("id", filter=Q(hidden_at__isnull=False)))
        .order_by()
    )
    answer_values = [value for value, _label in Remark.Answer.choices]
    per_section: dict[int | None, dict] = {}
    totals = dict.fromkeys([*answer_values, ""], 0)
    hidden = total = 0
    for row in rows:
        visible = row["n"] - row["hidden"]
        hidden += row["hidden"]
        total += row["n"]
        answer = row["answer"] if answers_shown else ""
        entry = per_section.setdefault(
            row["section_id"], dict.fromkeys([*answer_values, "", "hidden", "total"], 0)
        )
        entry[answer] += visible
        entry["hidden"] += row["hidden"]
        entry["total"] += row["n"]
        totals[answer] += visible
    labels = dict(Remark.Answer.choices)
    by_answer = (
        [(value, labels[value], totals[value]) for value in answer_values] if answers_shown else []
    )
    by_answer.append(("", None, totals[""]))
    sections = {
        s.pk: s
        for s in Section.objects.filter(pk__any=[pk for pk in per_section if pk]).only(
            "pk",
            "consultation_id",
            "position",
            "label",
            "heading",
            "withdrawn_at",
        )
    }
    by_section = [
        {"section": sections[pk], **entry}
        for pk, entry in sorted(
            ((pk, entry) for pk, entry in per_section.items() if pk),
            key=lambda item: (sections[item[0]].position, item[0]),
        )
    ]
    return ReportSummary(
        total=total,
        hidden=hidden,
        by_answer=by_answer,
        by_section=by_section,
        whole_act=per_section.get(None) or {},
    )


def report_remarks(
    consultation: Consultation, *, answer: str | None = None, section: int | None = None
):
    """Every remark of the consultation in the draft's order (on the whole act first, then by
    section), hidden ones included; ``answer`` keeps those with that answer (not hidden),
    ``section`` those of one section (0: the whole act). One ordered query: for the PDF."""
    remarks = _report_filtered(consultation, answer=answer, section=section)
    return remarks.order_by(
        F("section__position").asc(nulls_first=True), "section_id", "submitted_at", "id"
    )


def _report_filtered(consultation, *, answer=None, section=None):
    remarks = remark_rows().filter(consultation=consultation)
    if answer is not None:
        remarks = remarks.filter(answer=answer, hidden_at__isnull=True)
    if section is not None:
        remarks = (
            remarks.filter(section_id=section) if section else remarks.filter(section__isnull=True)
        )
    return remarks


class RemarksInDraftOrder(SlicedSequence):
    """Remarks in the draft's order (the whole act's first, then section by section, each
    section's in the order they came), as a sliceable sequence with a length for the paginator.

    One ORDER BY over the sections' positions sorts every remark of the consultation for each
    page (20,000 of them: 250 ms for a page deep in the report). Here the remarks are counted
    per section (one GROUP BY on the (consultation, section) index), the page's span of sections
    is found from the counts, and its rows read in at most three queries: the sections the page
    covers whole, and the first and last, which it may cover in part (an offset within one
    section, on the index's (section, submitted, id) order).
    """

    def __init__(self, consultation: Consultation, queryset: QuerySet[Remark]):
        self._consultation = consultation
        self._rows = queryset.order_by()
        self._counts: dict | None = None

    def _plan(self) -> None:
        if self._counts is not None:
            return
        counts = dict(
            self._rows.values("section_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("section_id", "n")
        )
        positions = (
            dict(
                Section.objects.filter(pk__any=[key for key in counts if key]).values_list(
                    "pk", "position"
                )
            )
            if any(key for key in counts)
            else {}
        )
        self._order = sorted(
            counts, key=lambda key: (0, 0, 0) if key is None else (1, positions.get(key, 0), key)
        )
        self._rank = {key: rank for rank, key in enumerate(self._order)}
        self._counts = counts

    def __len__(self) -> int:
        self._plan()
        return sum(self._counts.values())

    def _of_section(self, key):
        return (
            self._rows.filter(section__isnull=True)
            if key is None
            else self._rows.filter(section_id=key)
        )

    def _slice(self, index: slice):
        start, stop, _step = index.indices(len(self))
        if start >= stop:
            return []
        whole, parts, seen = [], [], 0
        for key in self._order:
            size = self._counts[key]
            if seen + size <= start:
                seen += size
                continue
            if seen >= stop:
                break
            offset = max(start - seen, 0)
            take = min(stop, seen + size) - seen - offset
            if offset == 0 and take == size:
                whole.append(key)
            else:
                parts.append((key, offset, take))
            seen += size
        rows = []
        if whole:
            condition = Q(section__pk__any=[key for key in whole if key is not None])
            if None in whole:
                condition |= Q(section__isnull=True)
            rows += list(self._rows.filter(condition))
        for key, offset, take in parts:
            rows += list(
                self._of_section(key).order_by("submitted_at", "id")[offset : offset + take]
            )
        rows.sort(
            key=lambda remark: (self._rank[remark.section_id], remark.submitted_at, remark.pk)
        )
        return rows


def report_page_remarks(
    consultation: Consultation,
    *,
    answer: str | None = None,
    section: int | None = None,
    visible_only: bool = False,
) -> RemarksInDraftOrder:
    """The report's (and the answers list's) remarks, for paging (``RemarksInDraftOrder``)."""
    remarks = _report_filtered(consultation, answer=answer, section=section)
    if visible_only:
        remarks = remarks.filter(hidden_at__isnull=True)
    return RemarksInDraftOrder(consultation, remarks)


# --- home and profile ---------------------------------------------------------------------------------


def home_open(request) -> dict | None:
    now = timezone.now()
    consultations = list(
        Consultation.objects.published()
        .filter(starts_at__lte=now, ends_at__gte=now)
        .select_related("issuing_body")
        .only(
            "pk",
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "published_at",
            "issuing_body__name",
            "issuing_body__slug",
        )
        .order_by("ends_at", "id")[:HOME_OPEN]
    )
    return {"consultations": consultations} if consultations else None


def profile_remarks(request) -> dict | None:
    if not _signed_in(request.user):
        return None
    remarks = list(my_remarks(request.user)[:10])
    return {"remarks": remarks} if remarks else None


def issuing_options(user) -> list:
    """The public bodies a person may open a consultation for: those they are an officer of;
    every listed public body for a coordinator."""
    from civicbridge.directory.models import Organization, listed_q

    if not _signed_in(user):
        return []
    if is_coordinator(user):
        bodies = Organization.objects.filter(listed_q(), kind__in=Organization.PUBLIC_KINDS)
    else:
        bodies = Organization.objects.filter(pk__in=managed_bodies(user))
    return list(bodies.only("pk", "name", "slug", "kind").order_by("name", "pk"))


def personal_data(user) -> list[dict]:
    """The person's remarks, each with every wording it had and the answer to it, for their
    download of their personal data."""
    from .models import Remark

    remarks = (
        Remark.objects.filter(author=user).select_related("consultation", "section", "organization")
        .prefetch_related("versions").order_by("submitted_at", "pk")
    )
    return [
        {"consultation": r.consultation.title, "section": str(r.section) if r.section_id else None,
         "on_behalf_of": r.organization.name if r.organization_id else None, "proposed_wording": r.proposed_wording,
         "justification": r.justification, "submitted_at": r.submitted_at.isoformat(),
         "versions": [{"number": v.number, "proposed_wording": v.proposed_wording, "justification": v.justification,
                       "at": v.created_at.isoformat()} for v in r.versions.all()],
         "answer": r.answer or None, "answer_justification": r.answer_justification or None,
         "hidden_reason": r.hidden_reason or None}
        for r in remarks
    ]
