"""Public consultations of draft acts: the draft's sections (with their versions), the remarks
people make on them (with their versions), the body's answers, and what the body configures.

Every write goes through ``services``; the database holds the rules that must never break
(one minimum per body and kind of act, one version number per remark, an answer only with
its justification).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicbridge.core.models import Territory, ThematicArea, TimeStampedModel


class ActKind(models.TextChoices):
    RESOLUTION = "resolution", pgettext_lazy("act kind", "resolution")
    COOPERATION_PROGRAMME = (
        "cooperation_programme",
        pgettext_lazy("act kind", "cooperation programme"),
    )
    STRATEGY = "strategy", pgettext_lazy("act kind", "strategy")
    STANDARD = "standard", pgettext_lazy("act kind", "standard")
    OTHER = "other", pgettext_lazy("act kind", "other act")


class ConsultationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class Consultation(TimeStampedModel):
    """A public body's draft act offered for remarks between two moments, and what became of them."""

    Kind = ActKind

    class Invitation(models.TextChoices):
        ALL = "all", pgettext_lazy("consultation invitation", "everyone (signed in)")
        NGOS = "ngos", pgettext_lazy("consultation invitation", "non-governmental organizations")
        LIST = "list", pgettext_lazy("consultation invitation", "the listed organizations")

    class Visibility(models.TextChoices):
        AT_ONCE = "at_once", pgettext_lazy("remark visibility", "at once")
        AFTER_END = "after_end", pgettext_lazy("remark visibility", "after the end")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind of act"), max_length=30, choices=ActKind.choices)
    issuing_body = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("issuing body"),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown is allowed.")
    )
    description_html = models.TextField(blank=True, editable=False)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("territory"),
    )
    thematic_areas = models.ManyToManyField(
        ThematicArea, blank=True, related_name="+", verbose_name=_("thematic areas")
    )
    invitation = models.CharField(
        _("who may remark"),
        max_length=10,
        choices=Invitation.choices,
        default=Invitation.ALL,
    )
    invited_organizations = models.ManyToManyField(
        "directory.Organization",
        blank=True,
        related_name="consultation_invitations",
        verbose_name=_("invited organizations"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    remarks_visibility = models.CharField(
        _("remarks are public"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.AT_ONCE,
    )
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    meetings = models.ManyToManyField(
        "events.Event",
        blank=True,
        related_name="consultations",
        verbose_name=_("meetings"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    reported_at = models.DateTimeField(_("report published"), null=True, blank=True)
    report_summary = models.TextField(
        _("summary of the report"), blank=True, help_text=_("Markdown is allowed.")
    )
    report_summary_html = models.TextField(blank=True, editable=False)
    adopted_text = models.TextField(_("adopted text"), blank=True)
    adopted_at = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_reference = models.CharField(
        _("adopting act"),
        max_length=300,
        blank=True,
        help_text=_("The number and date of the adopting resolution."),
    )
    # When anything shown in the report last changed: a stored PDF older than it is stale.
    report_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    report_pdf = models.FileField(upload_to="consultations/reports/", blank=True, editable=False)
    report_pdf_at = models.DateTimeField(null=True, blank=True, editable=False)
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    search_document = models.TextField(blank=True, editable=False)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(
                fields=["ends_at", "id"],
                name="consultation_published_end",
                condition=Q(published_at__isnull=False),
            ),
            models.Index(fields=["issuing_body", "-starts_at"], name="consultation_body_start"),
            models.Index(fields=["territory", "-starts_at"], name="consultation_territory_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="consultation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(reported_at__isnull=True) | Q(published_at__isnull=False),
                name="consultation_reported_only_published",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:consultation_detail", kwargs={"pk": self.pk})

    @property
    def phase(self):
        from .phases import timeline

        return timeline(self).current()

    @property
    def timeline(self):
        from .phases import timeline

        return timeline(self)


class MinimumDuration(models.Model):
    """How many days, at least, a body's consultations of one kind of act last (its own resolution says)."""

    body = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="consultation_minimums",
        verbose_name=_("body"),
    )
    kind = models.CharField(_("kind of act"), max_length=30, choices=ActKind.choices)
    days = models.PositiveSmallIntegerField(_("days"))
    basis = models.CharField(
        _("basis"), max_length=300, blank=True, help_text=_("The act that sets this minimum.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minimum duration")
        verbose_name_plural = _("minimum durations")
        ordering = ["body", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind"], name="consultation_minimum_once_per_kind"
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="consultation_minimum_positive"),
        ]

    def __str__(self):
        return f"{self.body}: {self.get_kind_display()} ≥ {self.days}"


class Attachment(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="consultations/attachments/")
    size = models.PositiveIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.title


class Section(models.Model):
    """One unit of the draft (a paragraph, an article, a chapter's heading), in the draft's order.

    Its current wording is here; each wording it ever had is a ``SectionVersion``, so a remark
    made on an earlier wording keeps it. A section with remarks is withdrawn, never deleted.
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField()
    label = models.CharField(
        _("number"), max_length=60, blank=True, help_text=_("As in the act: “§ 1”, “Art. 2”.")
    )
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["consultation", "position"], name="section_consultation_order")
        ]

    def __str__(self):
        return " ".join(part for part in (self.label, self.heading) if part) or str(
            _("Section %(n)s") % {"n": self.position}
        )

    def get_absolute_url(self):
        return reverse(
            "consultations:section_detail", kwargs={"pk": self.consultation_id, "section": self.pk}
        )


class SectionVersion(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=60, blank=True)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"], name="section_version_number_once"
            )
        ]

    def __str__(self):
        return f"{self.section_id} v{self.number}"


class Remark(TimeStampedModel):
    """What one person (for an organization they represent, or as a citizen) said about a
    section or about the whole act; and, after the end, the body's answer to it."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("remark answer", "accepted")
        PARTLY = "partly", pgettext_lazy("remark answer", "partly accepted")
        REJECTED = "rejected", pgettext_lazy("remark answer", "not accepted")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="remarks")
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remarks",
        verbose_name=_("section"),
    )
    # The wording of the section the remark was made on (it stays when the draft changes).
    section_version = models.ForeignKey(
        SectionVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultation_remarks"
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_remarks",
        verbose_name=_("on behalf of"),
    )
    proposed_wording = models.TextField(_("proposed wording"), blank=True)
    justification = models.TextField(
        _("justification or comment"), blank=True, help_text=_("Markdown is allowed.")
    )
    justification_html = models.TextField(blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField(editable=False)
    # The language of the page it was written on: the answer's notice speaks it.
    language = models.CharField(max_length=10, blank=True, editable=False)
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    answer_justification = models.TextField(
        _("justification of the answer"), blank=True, help_text=_("Markdown is allowed.")
    )
    answer_justification_html = models.TextField(blank=True, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("remark")
        verbose_name_plural = _("remarks")
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(
                fields=["consultation", "section", "submitted_at", "id"],
                # With what the report counts per section and answer, read from this index
                # alone: a large consultation's 20,000 remarks in 5 ms rather than 16 at 1x.
                include=["answer", "hidden_at"],
                name="remark_consultation_section",
            ),
            models.Index(fields=["section", "submitted_at", "id"], name="remark_section_submitted"),
            models.Index(fields=["author", "-submitted_at"], name="remark_author_newest"),
            models.Index(fields=["consultation", "answer"], name="remark_consultation_answer"),
            # The remarks shown, counted per consultation (the list) and per section (its pages)
            # from the index alone: a consultation of 20,000 remarks read them all from the table.
            models.Index(
                fields=["consultation", "section"], condition=Q(hidden_at__isnull=True), name="remark_shown"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(proposed_wording="") | ~Q(justification=""),
                name="remark_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(answer="") | ~Q(answer_justification=""),
                name="remark_answer_justified",
            ),
            models.CheckConstraint(
                condition=Q(section__isnull=True) | Q(section_version__isnull=False),
                name="remark_keeps_section_version",
            ),
        ]

    def __str__(self):
        return f"{self.consultation_id} #{self.pk}"

    def get_absolute_url(self):
        if self.section_id:
            url = reverse(
                "consultations:section_detail",
                kwargs={"pk": self.consultation_id, "section": self.section_id},
            )
        else:
            url = reverse("consultations:whole_act", kwargs={"pk": self.consultation_id})
        return f"{url}#remark-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class RemarkVersion(models.Model):
    """A remark's wording as it was before an edit (or at submission): nothing written is lost."""

    remark = models.ForeignKey(Remark, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    proposed_wording = models.TextField(blank=True)
    justification = models.TextField(blank=True)
    justification_html = models.TextField(blank=True)
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["remark", "number"]
        constraints = [
            models.UniqueConstraint(fields=["remark", "number"], name="remark_version_number_once")
        ]

    def __str__(self):
        return f"{self.remark_id} v{self.number}"


class Follower(models.Model):
    """Someone who asked to hear about a consultation (the reminder before its end)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="followers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_consultations"
    )
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"], name="consultation_follower_once"
            )
        ]

    def __str__(self):
        return f"{self.user_id} → {self.consultation_id}"
