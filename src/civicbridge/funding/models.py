from zoneinfo import available_timezones

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core import deployment
from civicbridge.core.models import Territory, ThematicArea, TimeStampedModel
from civicbridge.core.phases import SUBMIT, Phase, Timeline
from civicbridge.core.row_counts import RowCounter

TIME_ZONES = sorted((name, name) for name in available_timezones() if "/" in name)


def home_rank(country_field: str = "country") -> models.Case:
    """0 for a funder of the deployment's own country, 1 for an international one (EU, World
    Bank), 2 for another country's (an embassy): the order people look for them in."""
    home = deployment.current().country
    return models.Case(
        models.When(**{country_field: home}, then=0), models.When(**{country_field: ""}, then=1), default=2,
        output_field=models.IntegerField(),
    )


class FunderQuerySet(models.QuerySet):
    def home_first(self) -> "FunderQuerySet":
        return self.alias(home=home_rank()).order_by("home", "name", "id")


class Funder(TimeStampedModel):
    """Who gives the money: an EU institution, the World Bank, an embassy, a national agency..."""

    class Kind(models.TextChoices):
        EU = "eu", _("European Union institution or programme")
        INTERNATIONAL = "international", _("international organization (e.g. World Bank)")
        EMBASSY = "embassy", _("embassy")
        NATIONAL_AGENCY = "national_agency", _("national agency")
        MINISTRY = "ministry", _("ministry")
        DEVELOPMENT_AGENCY = "development_agency", _("regional development agency")
        FOUNDATION = "foundation", _("foundation")
        LOCAL_GOVERNMENT = "local_government", _("local government")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("address name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    country = models.CharField(_("country code"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2; empty for international bodies"))
    time_zone = models.CharField(
        _("time zone of its deadlines"), max_length=64, choices=TIME_ZONES, default="Europe/Brussels"
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown is allowed."))
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("entry in the registry"),
    )

    objects = FunderQuerySet.as_manager()

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("funding:call_list") + f"?funder={self.pk}"


class Programme(TimeStampedModel):
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("funder"))
    code = models.CharField(_("code"), max_length=40, blank=True, help_text=_("E.g. ERASMUS, HORIZON, CERV"))
    name = models.CharField(_("name"), max_length=300)
    period = models.CharField(_("period"), max_length=20, blank=True, help_text=_("E.g. 2021-2027"))
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["funder__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["funder", "name"], name="programme_unique_name_per_funder"),
        ]

    def __str__(self):
        return self.display_name(self.name, self.code)

    @staticmethod
    def display_name(name: str, code: str) -> str:
        """The name with the code in brackets: "Erasmus+ (ERASMUS)". A name that already ends
        with its code, as official names often do ("Citizens, Equality, Rights and Values
        (CERV)"), or that is the code, is left as it is."""
        if not code:
            return name
        written = name.rstrip()
        if written.casefold() == code.casefold() or written.casefold().endswith(f"({code.casefold()})"):
            return name
        return f"{name} ({code})"

    def get_absolute_url(self):
        return reverse("funding:call_list") + f"?programme={self.pk}"


def status_condition(status: str, now) -> models.Q:
    """The calls whose dates give ``status`` at ``now`` (the source's own status aside)."""
    if status == "forthcoming":
        return models.Q(opens_at__gt=now)
    if status == "open":
        return (models.Q(opens_at__isnull=True) | models.Q(opens_at__lte=now)) & (
            models.Q(closes_at__isnull=True) | models.Q(closes_at__gte=now)
        )
    if status == "closed":
        return models.Q(closes_at__lt=now)
    raise ValueError(status)


# How many calls are published (``CallQuerySet.published``), kept by the database (core.row_counts,
# installed by migration 0012).
PUBLISHED_COUNT = RowCounter("funding.published_calls", table="funding_call", condition="{row}published_at IS NOT NULL")


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def open(self, now=None):
        return self.filter(status_condition("open", now or timezone.now()))


class Call(TimeStampedModel):
    """A call for proposals, as the EU Funding & Tenders portal describes one, and more.

    Its status (forthcoming, open, closed) is computed from the dates whenever it is
    asked, never stored; ``closes_at`` (the last deadline) is kept by the services so
    that lists can filter on it.
    """

    class DeadlineModel(models.TextChoices):
        SINGLE_STAGE = "single_stage", _("single-stage")
        TWO_STAGE = "two_stage", _("two-stage")
        MULTIPLE_CUT_OFF = "multiple_cut_off", _("multiple cut-off")
        PERMANENT = "permanent", _("permanent (no deadline)")

    class Status(models.TextChoices):
        FORTHCOMING = "forthcoming", _("forthcoming")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    identifier = models.CharField(_("identifier"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=400)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown is allowed."))
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls", verbose_name=_("programme"))
    type_of_action = models.CharField(_("type of action"), max_length=200, blank=True)
    deadline_model = models.CharField(_("deadline model"), max_length=20, choices=DeadlineModel.choices)
    opens_at = models.DateTimeField(_("opening date"), null=True, blank=True)
    closes_at = models.DateTimeField(_("last deadline"), null=True, blank=True, editable=False, db_index=True)
    status_from_source = models.CharField(
        _("status given by the source"), max_length=12, choices=Status.choices, blank=True,
        help_text=_("Overrides the status computed from the dates, e.g. a call closed early."),
    )
    total_budget = models.DecimalField(_("total budget"), max_digits=14, decimal_places=2, null=True, blank=True)
    min_grant = models.DecimalField(_("minimum grant"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_grant = models.DecimalField(_("maximum grant"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    co_financing_rate = models.DecimalField(
        _("co-financing rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # Comma-separated codes ("ngo,school"): queried with a delimited contains on any database.
    eligible_kinds = models.CharField(_("eligible applicant kinds"), max_length=300, blank=True)
    eligible_countries = models.CharField(_("eligible countries"), max_length=300, blank=True, help_text=_("ISO codes, comma-separated"))
    eligible_territories = models.ManyToManyField(Territory, blank=True, related_name="calls", verbose_name=_("eligible territories"))
    thematic_areas = models.ManyToManyField(ThematicArea, blank=True, related_name="calls", verbose_name=_("thematic areas"))
    languages = models.CharField(_("languages"), max_length=100, blank=True, help_text=_("Language codes, comma-separated"))
    documents_url = models.URLField(_("official documents"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    deadlines_revision = models.PositiveIntegerField(default=0, editable=False)
    # When ``deadlines_revision`` last went up: the digests tell of changes since their last run.
    deadlines_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    search_document = models.TextField(blank=True, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["closes_at", "id"]
        indexes = [
            # The deadline order's parts (selectors.CallsInDeadlineOrder), each read in index
            # order: deadlines ahead soonest first; closed calls latest deadline first, those
            # closed early by their source apart.
            models.Index(fields=["closes_at", "id"], name="call_deadline_ahead_order"),
            models.Index(models.F("closes_at").desc(), models.F("id").desc(), name="call_closed_order"),
            models.Index(
                models.F("closes_at").desc(), models.F("id").desc(),
                condition=models.Q(status_from_source="closed"), name="call_closed_early_order",
            ),
            # The parts' sizes are counted from this index alone (an index-only scan on
            # PostgreSQL), not from the calls' wide rows: 3.7 ms instead of 10 at 20,000 calls,
            # by status, funder or applicant kind too.
            models.Index(
                fields=["closes_at"], include=["status_from_source", "opens_at", "programme", "eligible_kinds"],
                condition=models.Q(published_at__isnull=False), name="call_status_window",
            ),
            # The same for one funder's or programme's calls: only their entries are counted, not
            # every call's (a large funder's 4,600 of 19,000 at 1x).
            models.Index(
                fields=["programme", "closes_at"], include=["status_from_source", "opens_at", "eligible_kinds"],
                condition=models.Q(published_at__isnull=False), name="call_programme_window",
            ),
            # A call typed by its identifier in any case (a partner request's or a project's
            # form): without it, every call was read to compare (36 ms at 20,000 calls).
            models.Index(Upper("identifier"), name="call_identifier_any_case"),
            # The newest announcements first: the home page, the feed, "newest announcements".
            models.Index(
                models.F("published_at").desc(), models.F("id").desc(),
                condition=models.Q(published_at__isnull=False), name="call_newest_first",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_grant__isnull=True) | models.Q(max_grant__isnull=True)
                | models.Q(min_grant__lte=models.F("max_grant")),
                name="call_min_grant_not_above_max",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funding:call_detail", kwargs={"identifier": self.identifier})

    @property
    def kinds(self) -> list[str]:
        return [k for k in self.eligible_kinds.split(",") if k]

    @property
    def timeline(self) -> Timeline:
        """Forthcoming, then one submission phase per stage, then closed (deadlines prefetched)."""
        phases = []
        if self.opens_at:
            phases.append(Phase("forthcoming", str(self.Status.FORTHCOMING.label), None, self.opens_at))
        start = self.opens_at
        deadlines = sorted(self.deadlines.all(), key=lambda d: d.deadline_at)
        for deadline in deadlines:
            phases.append(Phase(f"stage-{deadline.stage}", deadline.label or str(self.Status.OPEN.label), start, deadline.deadline_at, frozenset({SUBMIT})))
            start = deadline.deadline_at
        if self.deadline_model == self.DeadlineModel.PERMANENT or not deadlines:
            phases.append(Phase("open", str(self.Status.OPEN.label), start, None, frozenset({SUBMIT})))
        else:
            phases.append(Phase("closed", str(self.Status.CLOSED.label), start, None))
        return Timeline(phases)

    def status(self, now=None) -> str:
        if self.status_from_source:
            return self.status_from_source
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return self.Status.FORTHCOMING
        if self.closes_at and now > self.closes_at:
            return self.Status.CLOSED
        return self.Status.OPEN

    def get_status_display(self) -> str:
        return self.Status(self.status()).label

    def next_deadline(self, now=None):
        now = now or timezone.now()
        upcoming = [d for d in self.deadlines.all() if d.deadline_at >= now]
        return min(upcoming, key=lambda d: d.deadline_at) if upcoming else None


class CallDeadline(models.Model):
    """One stage's deadline; a two-stage call has two, a multiple cut-off call several."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="deadlines")
    stage = models.PositiveSmallIntegerField(_("stage"), default=1)
    deadline_at = models.DateTimeField(_("deadline"))
    label = models.CharField(_("label"), max_length=120, blank=True)
    # The call's last deadline (its closes_at): only the others can make a call's next deadline
    # sooner than its last, and the calls list finds them in a small index of their own.
    is_last = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["deadline_at"]
        constraints = [models.UniqueConstraint(fields=["call", "stage"], name="deadline_unique_stage")]
        indexes = [
            # The calls closing soon (the home page, "closing soon"): a range of deadlines and
            # their calls, read from the index alone, where a scan reads every deadline.
            models.Index(fields=["deadline_at"], include=["call"], name="deadline_at_call"),
            models.Index(fields=["deadline_at"], include=["call"], condition=models.Q(is_last=False), name="deadline_before_last"),
        ]

    def __str__(self):
        return f"{self.call.identifier} – {self.deadline_at:%Y-%m-%d %H:%M}"

    @classmethod
    def stages_of(cls, call: "Call", moments) -> list["CallDeadline"]:
        """Unsaved deadlines of ``call`` at ``moments``, stage 1 the earliest, the last marked so:
        every writer of a call's deadlines builds them here (the admin's inline keeps the mark
        with ``mark_last``)."""
        ordered = sorted(moments)
        return [
            cls(call=call, stage=stage, deadline_at=moment, is_last=moment == ordered[-1])
            for stage, moment in enumerate(ordered, start=1)
        ]

    @classmethod
    def mark_last(cls, call: "Call") -> None:
        """Mark ``call``'s last deadlines (those at its ``closes_at``) as such, and only them."""
        cls.objects.filter(call=call).exclude(deadline_at=call.closes_at).update(is_last=False)
        if call.closes_at is not None:
            cls.objects.filter(call=call, deadline_at=call.closes_at).update(is_last=True)


def attachment_path(instance, filename):
    return f"calls/{instance.call_id}/{filename}"


class CallAttachment(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title
