"""Working groups (members, chair, meetings, documents, discussion) and the standards they draft.

Nothing here is ever deleted by the services: a member who leaves keeps a row with the date
and the person who removed them, each appointment and removal is a ``MemberChange``, each
document and standard keeps every version, and each step of a standard's adoption is a
``StageChange``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicbridge.core.models import TimeStampedModel


class Sector(models.TextChoices):
    PUBLIC = "public", _("public administration")
    NGO = "ngo", _("non-governmental organization")


class WorkingGroup(TimeStampedModel):
    """A cross-sector working group: people of public bodies and NGOs who draft standards together."""

    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), help_text=_("Markdown is allowed."))
    purpose_html = models.TextField(editable=False, blank=True)
    meetings = models.ManyToManyField(
        "events.Event",
        blank=True,
        related_name="working_groups",
        verbose_name=_("meetings"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    search_document = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:group_detail", kwargs={"pk": self.pk})


class MemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_at__isnull=True)


class Member(models.Model):
    """A person sitting in a group for an organization they represent, with its sector.

    A member who leaves keeps this row (``left_at``): their posts still name them.
    """

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    # An erased account leaves the seat's history (and its posts) without a name.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="group_memberships",
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="group_members",
        verbose_name=_("organization"),
        help_text=_("The organization the person sits for (one they represent)."),
    )
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    is_chair = models.BooleanField(_("chair"), default=False)
    joined_at = models.DateTimeField(_("appointed"))
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(left_at__isnull=True),
                name="group_member_once",
                violation_error_message=_("This person is already a member of the group."),
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(is_chair=True, left_at__isnull=True),
                name="group_one_chair",
                violation_error_message=_("The group already has a chair."),
            ),
            models.CheckConstraint(
                condition=Q(is_chair=False) | Q(left_at__isnull=True), name="group_chair_is_current"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.group}"

    @property
    def name(self) -> str:
        if self.user is None:
            return _("(erased account)")
        return self.user.get_full_name() or self.user.get_username()


class MemberChange(models.Model):
    """One appointment or removal (of a member or of the chair): who did it, and when."""

    class Action(models.TextChoices):
        APPOINTED = "appointed", _("appointed a member")
        REMOVED = "removed", _("removed a member")
        CHAIR = "chair", _("appointed the chair")
        CHAIR_REMOVED = "chair_removed", _("removed the chair")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.member_id}: {self.action}"


def group_file_path(instance, filename):
    return f"groups/{instance.document.group_id}/{filename}"


class Document(models.Model):
    """A working document of a group; each upload is a new version, all kept."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    latest_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=group_file_path, max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="group_document_version_once"
            )
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class Post(models.Model):
    """A message in the group's own discussion thread, by a member; Markdown rendered once at save."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="posts")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="posts")
    body = models.TextField(_("message"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["group", "-created_at"], name="group_post_newest")]

    def __str__(self):
        return f"{self.group_id}: {self.body[:40]}"


class Stage(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("standard stage", "draft")
    IN_CONSULTATION = "in_consultation", pgettext_lazy("standard stage", "in consultation")
    ADOPTED = "adopted", pgettext_lazy("standard stage", "adopted")
    PUBLISHED = "published", pgettext_lazy("standard stage", "published")
    TRAINING_DELIVERED = "training_delivered", pgettext_lazy("standard stage", "training delivered")


# The adoption workflow: one step at a time, forward only.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.DRAFT: (Stage.IN_CONSULTATION,),
    Stage.IN_CONSULTATION: (Stage.ADOPTED,),
    Stage.ADOPTED: (Stage.PUBLISHED,),
    Stage.PUBLISHED: (Stage.TRAINING_DELIVERED,),
    Stage.TRAINING_DELIVERED: (),
}
# A standard's page is public from its consultation on (the consultation and the resolution are
# public acts); a draft is the group's work, seen by its members and coordinators. The library
# lists the published ones.
PUBLIC_STAGES = (Stage.IN_CONSULTATION, Stage.ADOPTED, Stage.PUBLISHED, Stage.TRAINING_DELIVERED)
LIBRARY_STAGES = (Stage.PUBLISHED, Stage.TRAINING_DELIVERED)
# A new version of the text only before adoption: the adopted text is the resolution's.
EDITABLE_STAGES = (Stage.DRAFT, Stage.IN_CONSULTATION)


class StandardQuerySet(models.QuerySet):
    def public(self):
        return self.filter(stage__in=PUBLIC_STAGES)

    def in_library(self):
        return self.filter(stage__in=LIBRARY_STAGES)


class Standard(TimeStampedModel):
    """A standard (or another document a group drafts) and its way to adoption and publication."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("standard")
        MODEL = "model", _("model")
        GUIDELINES = "guidelines", _("guidelines")
        OTHER = "other", _("other document")

    group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        related_name="standards",
        verbose_name=_("working group"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STANDARD)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="standards",
        verbose_name=_("consultation"),
    )
    resolution_number = models.CharField(_("resolution number"), max_length=100, blank=True)
    resolution_date = models.DateField(_("resolution date"), null=True, blank=True)
    adopting_body = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_standards",
        verbose_name=_("adopted by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    trainings = models.ManyToManyField(
        "events.Event", blank=True, related_name="standards", verbose_name=_("trainings")
    )
    latest_version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    search_document = models.TextField(blank=True, editable=False)

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["stage", "title"], name="standard_stage_title")]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=["draft", "in_consultation"])
                | (
                    ~Q(resolution_number="")
                    & Q(resolution_date__isnull=False)
                    & Q(adopting_body__isnull=False)
                ),
                name="standard_adopted_by_resolution",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=["draft", "in_consultation", "adopted"])
                | Q(published_at__isnull=False),
                name="standard_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("groups:standard_detail", kwargs={"pk": self.pk})

    @property
    def next_stages(self) -> tuple[str, ...]:
        return TRANSITIONS[self.stage]

    @property
    def is_public(self) -> bool:
        return self.stage in PUBLIC_STAGES

    @property
    def is_editable(self) -> bool:
        return self.stage in EDITABLE_STAGES


def standard_file_path(instance, filename):
    return f"standards/{instance.standard_id}/{filename}"


class StandardVersion(models.Model):
    """One version of a standard's text (Markdown, rendered once at save) and/or its file."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True, help_text=_("Markdown is allowed."))
    text_html = models.TextField(editable=False, blank=True)
    file = models.FileField(_("file"), upload_to=standard_file_path, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="standard_version_once"),
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file=""), name="standard_version_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.standard} v{self.number}"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class StageChange(models.Model):
    """One step of a standard's adoption workflow: from, to, who, when, and the note given."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["standard", "at"], name="standard_history")]

    def __str__(self):
        return f"{self.standard_id}: {self.from_stage or '-'} → {self.to_stage}"
