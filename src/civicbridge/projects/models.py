"""The project portfolio: projects, their partners, the history of their status, milestones,
documents and monitoring and evaluation reports."""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicbridge.core.models import TimeStampedModel
from civicbridge.core.row_counts import RowCounter

# The currencies a budget may be kept in, shown by name (glossary: never the ISO code alone).
CURRENCIES = {
    "PLN": _("Polish złoty"),
    "TRY": _("Turkish lira"),
    "EUR": _("euro"),
    "USD": _("US dollar"),
}


class Status(models.TextChoices):
    IDEA = "idea", pgettext_lazy("project status", "idea")
    IN_PREPARATION = "in_preparation", pgettext_lazy("project status", "in preparation")
    SUBMITTED = "submitted", pgettext_lazy("project status", "submitted")
    APPROVED = "approved", pgettext_lazy("project status", "approved")
    REJECTED = "rejected", pgettext_lazy("project status", "rejected")
    RUNNING = "running", pgettext_lazy("project status", "running")
    FINAL_REPORT = "final_report", pgettext_lazy("project status", "final report")
    CLOSED = "closed", pgettext_lazy("project status", "closed")


# The workflow: where a project may go from each status, and nowhere else.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.IDEA: (Status.IN_PREPARATION,),
    Status.IN_PREPARATION: (Status.SUBMITTED,),
    Status.SUBMITTED: (Status.APPROVED, Status.REJECTED),
    Status.APPROVED: (Status.RUNNING,),
    Status.REJECTED: (),
    Status.RUNNING: (Status.FINAL_REPORT,),
    Status.FINAL_REPORT: (Status.CLOSED,),
    Status.CLOSED: (),
}

# Public money: from the funder's approval on, a project is in the public portfolio. Before
# (an idea, a proposal being written or under evaluation) and a rejected proposal stay with
# the lead organization and the coordinators.
PUBLIC_STATUSES = (Status.APPROVED, Status.RUNNING, Status.FINAL_REPORT, Status.CLOSED)
# How many projects are public, kept by the database (core.row_counts, installed by migration
# 0002): a change of PUBLIC_STATUSES needs a migration that installs the count again
# (tests/projects/test_row_count.py fails until it does).
PUBLIC_COUNT = RowCounter(
    "projects.public", table="projects_project",
    condition="{row}status IN (" + ", ".join(f"'{status}'" for status in PUBLIC_STATUSES) + ")",
)

currency_code = RegexValidator(r"^[A-Z]{3}$", _("Give the currency's three-letter ISO 4217 code, e.g. EUR."))


class ProjectQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES)

    def visible_to(self, user):
        """Coordinators see every project; a representative also those of its organizations
        (as lead or partner); everyone the public portfolio."""
        from civicbridge.core.rules import is_coordinator

        if is_coordinator(user):
            return self.all()
        if not (user and user.is_authenticated and user.is_active):
            return self.public()
        from civicbridge.accounts.models import Membership

        own = Membership.objects.approved().filter(user=user).values("organization_id")
        return self.filter(
            Q(status__in=PUBLIC_STATUSES)
            | Q(lead_organization_id__in=own)
            | Q(pk__in=ProjectPartner.objects.filter(organization_id__in=own).values("project_id"))
        )


class Project(TimeStampedModel):
    """A project of the portfolio, led by one organization, with its funder and its status."""

    Status = Status

    title = models.CharField(_("title"), max_length=300)
    lead_organization = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, related_name="led_projects",
        verbose_name=_("lead organization"),
    )
    funder = models.ForeignKey(
        "funding.Funder", on_delete=models.PROTECT, null=True, blank=True, related_name="projects",
        verbose_name=_("funder"),
    )
    programme = models.ForeignKey(
        "funding.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="projects",
        verbose_name=_("programme"),
    )
    call = models.ForeignKey(
        "funding.Call", on_delete=models.PROTECT, null=True, blank=True, related_name="projects",
        verbose_name=_("call for proposals"),
    )
    budget = models.DecimalField(
        _("total budget"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)],
    )
    co_financing = models.DecimalField(
        _("co-financing"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)],
        help_text=_("The part of the budget the lead organization and its partners bring themselves."),
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_code])
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    summary = models.TextField(_("summary"), help_text=_("Markdown is allowed."))
    results = models.TextField(_("results"), blank=True, help_text=_("Markdown is allowed."))
    territory = models.ForeignKey(
        "core.Territory", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("territory"), help_text=_("Where the project takes place."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IDEA)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    search_document = models.TextField(blank=True, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="project_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(co_financing__gte=0) & Q(co_financing__lte=F("budget")),
                name="project_co_financing_within_budget",
                violation_error_message=_("The co-financing cannot be more than the total budget."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="project_status_known",
            ),
        ]
        indexes = [
            models.Index(fields=["-start_date", "-id"], name="project_newest"),
            models.Index(fields=["status", "-start_date"], name="project_status"),
            models.Index(fields=["funder", "status"], name="project_funder_status"),
            models.Index(fields=["lead_organization", "-start_date"], name="project_lead"),
            # The portfolio's totals (selectors.totals) read every project its filters leave: from
            # this index alone (PostgreSQL), not from the table's wide rows (9 of 13 ms at 1x).
            models.Index(
                fields=["status", "currency"], name="project_totals",
                include=[
                    "budget", "co_financing", "start_date", "end_date", "territory", "funder", "lead_organization", "id",
                ],
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project_detail", kwargs={"pk": self.pk})

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]

    @property
    def currency_name(self) -> str:
        return str(CURRENCIES.get(self.currency, self.currency))

    @property
    def grant(self):
        """What the funder gives: the budget less the co-financing."""
        return self.budget - self.co_financing

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class ProjectPartner(models.Model):
    """An organization beside the lead, domestic or abroad, with its role."""

    class Role(models.TextChoices):
        PARTNER = "partner", _("partner")
        ASSOCIATED = "associated", _("associated partner")
        CO_FINANCER = "co_financer", _("co-financing partner")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, related_name="project_partnerships",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization"], name="project_partner_once",
                violation_error_message=_("This organization is already a partner of the project."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()})"


class StatusChange(models.Model):
    """One step of a project's workflow: from, to, who, when and why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["project", "at"], name="project_history")]

    def __str__(self):
        return f"{self.project_id}: {self.from_status or '-'} → {self.to_status}"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=300)
    due_date = models.DateField(_("due date"))
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.title


def document_path(instance, filename):
    return f"projects/{instance.project_id}/{filename}"


class ProjectDocument(models.Model):
    """A file of a project (application, contract, decision, report annex), checked on upload."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.title


class Report(TimeStampedModel):
    """A monitoring and evaluation report: interim reports while the project runs, one final report."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("interim report")
        FINAL = "final", _("final report")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    activities = models.TextField(_("activities carried out"))
    results = models.TextField(_("results achieved"))
    indicators = models.TextField(_("indicators achieved"), help_text=_("One indicator a line: name, target, achieved."))
    problems = models.TextField(_("problems and how they were solved"), blank=True)
    spending_to_date = models.DecimalField(
        _("spending to date"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["period_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_ends_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(condition=Q(spending_to_date__gte=0), name="report_spending_not_negative"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(kind="final"), name="project_one_final_report",
                violation_error_message=_("This project already has its final report."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.project}"

    def get_absolute_url(self):
        return reverse("projects:report_detail", kwargs={"pk": self.project_id, "report": self.pk})
