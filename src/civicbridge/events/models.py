import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicbridge.core.models import Territory, ThematicArea, TimeStampedModel
from civicbridge.core.row_counts import RowCounter

# How many events are published (what ``EventQuerySet.published`` returns), kept by the database
# (core.row_counts, installed by migration 0003): the home page's figure without counting them.
PUBLISHED_COUNT = RowCounter("events.published", table="events_event", condition="{row}published_at IS NOT NULL")
# The published events by the day they start (UTC) and their kind, kept by the database as well
# (migration 0006): how many are ahead, of every kind or some, without counting the 85,000 ahead
# at three times the national scale (selectors.UpcomingEvents).
STARTS_COUNT = RowCounter(
    "events.starts", table="events_event", condition="{row}published_at IS NOT NULL",
    key=(
        ("postgresql", "to_char({row}starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ':' || {row}kind"),
        ("sqlite", "substr({row}starts_at, 1, 10) || ':' || {row}kind"),
    ),
)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class Event(TimeStampedModel):
    """A meeting, training or other activity: when, where, by whom, for whom, and its seats."""

    class Kind(models.TextChoices):
        MEETING = "meeting", pgettext_lazy("event kind", "meeting")
        TRAINING = "training", pgettext_lazy("event kind", "training")
        SEMINAR = "seminar", pgettext_lazy("event kind", "seminar")
        WORKSHOP = "workshop", pgettext_lazy("event kind", "workshop")
        CONFERENCE = "conference", pgettext_lazy("event kind", "conference")
        FORUM = "forum", pgettext_lazy("event kind", "forum")
        FAIR = "fair", pgettext_lazy("event kind", "fair")
        STUDY_VISIT = "study_visit", pgettext_lazy("event kind", "study visit")
        MONITORING = "monitoring", pgettext_lazy("event kind", "monitoring and evaluation meeting")

    # Hours of these kinds are hours of training (the rest: hours of debate); they give certificates.
    TRAINING_KINDS = frozenset({Kind.TRAINING, Kind.WORKSHOP, Kind.SEMINAR})

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown is allowed."))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1,
        help_text=_("Hours of programme delivered (of debate, or of training for trainings)."),
    )
    venue = models.CharField(_("venue"), max_length=300, help_text=_("Address, or “online” with the link."))
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name=_("territory"),
        help_text=_("The county (or municipality) where it takes place."),
    )
    # The county of ``territory`` (itself when it is one), set by the services: the KPIs count per county.
    county = models.ForeignKey(Territory, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False)
    organizers = models.ManyToManyField(
        "directory.Organization", related_name="organized_events", verbose_name=_("organizers"),
    )
    thematic_areas = models.ManyToManyField(ThematicArea, blank=True, related_name="+", verbose_name=_("thematic areas"))
    project = models.ForeignKey(
        "projects.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
        verbose_name=_("project"), help_text=_("The project this event is part of, if any."),
    )
    audience = models.CharField(_("audience"), max_length=300, blank=True, help_text=_("Who it is for."))
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Leave empty for no limit; beyond it people join the waiting list."),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: until the event starts."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown is allowed."))
    minutes_added_at = models.DateTimeField(null=True, blank=True, editable=False)
    # People marked present, kept by the attendance service (the KPIs add them up without
    # reading the registrations).
    attended_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    search_document = models.TextField(blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [
            # Newest first (past, all): what the filters test is in the index, so that a page's
            # ids are found in it alone, without reading the rows the filters leave out
            # (selectors.filtered_events).
            models.Index(fields=["starts_at", "id"], include=["ends_at", "territory", "kind"], name="event_published_start",
                         condition=Q(published_at__isnull=False)),
            models.Index(fields=["territory", "starts_at"], name="event_territory_start"),
            # The events under way (selectors.UpcomingEvents): their end is ahead, their start past.
            models.Index(fields=["ends_at"], include=["starts_at", "id", "kind", "territory"], name="event_published_end",
                         condition=Q(published_at__isnull=False)),
            # The past events of some kinds, counted: a range of it per kind, where the end
            # index above holds every past event (80 ms at 3x).
            models.Index(fields=["kind", "ends_at"], include=["starts_at"], name="event_published_kind_end",
                         condition=Q(published_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="event_hours_not_negative"),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="event_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event_detail", kwargs={"pk": self.pk})

    @property
    def is_training(self) -> bool:
        return self.kind in self.TRAINING_KINDS


class Registration(TimeStampedModel):
    """One person's place at an event: a seat, or a place on the waiting list, until cancelled.

    A cancelled registration stays (with its changes): an event's history is never lost.
    The database holds the truth about seats: a seat number is unique per event, and only
    a confirmed registration holds one.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("registration", "confirmed")
        WAITING = "waiting", pgettext_lazy("registration", "on the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration", "cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organization_name = models.CharField(_("organization"), max_length=300, blank=True)
    # The language of the page it was made on: its e-mails (reminders too) speak it.
    language = models.CharField(max_length=10, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    seat = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(_("attended"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Lets a guest (no account) see and cancel the registration from the confirmation e-mail.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["event", "status", "created_at", "id"], name="registration_event_queue"),
            models.Index(fields=["user", "-created_at"], name="registration_user_newest"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "seat"], name="registration_one_person_per_seat"),
            models.CheckConstraint(
                condition=(Q(status="confirmed") & Q(seat__isnull=False)) | (~Q(status="confirmed") & Q(seat__isnull=True)),
                name="registration_seat_iff_confirmed",
            ),
            models.UniqueConstraint(
                "event", Lower("email"), condition=~Q(status="cancelled"), name="registration_once_per_email",
            ),
            models.CheckConstraint(
                condition=Q(attended_at__isnull=True) | Q(status="confirmed"), name="registration_attendance_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.event}"

    def get_absolute_url(self):
        return reverse("events:registration_detail", kwargs={"token": self.token})


class RegistrationChange(models.Model):
    """Each change of a registration's status (or attendance): who, when, from what to what."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="changes")
    status_from = models.CharField(max_length=10, blank=True)
    status_to = models.CharField(max_length=10)
    note = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.registration_id}: {self.status_from} → {self.status_to}"


class Attendee(models.Model):
    """A person (by e-mail address) present at least once in a year, within one scope: the
    whole territory, a county, or a kind of event. The KPIs' unique participants are these
    rows' counts (``AttendeeCount``); the attendance service keeps both."""

    class Scope(models.TextChoices):
        ALL = "all"
        COUNTY = "county"
        KIND = "kind"

    year = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=10, choices=Scope.choices)
    key = models.CharField(max_length=40, blank=True)  # the county's id, or the kind; empty for all
    email = models.CharField(max_length=254)  # lower-cased

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "scope", "key", "email"], name="attendee_once_per_scope")]

    def __str__(self):
        return f"{self.year} {self.scope} {self.key}"


class AttendeeCount(models.Model):
    """How many ``Attendee`` rows a year's scope and key hold: unique participants, read at once."""

    year = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=10, choices=Attendee.Scope.choices)
    key = models.CharField(max_length=40, blank=True)
    people = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "scope", "key"], name="attendee_count_key")]

    def __str__(self):
        return f"{self.year} {self.scope} {self.key}: {self.people}"


class EventFigure(models.Model):
    """The held events' figures summed up, so that the KPI dashboard reads a few thousand rows
    instead of a year of events: per year by county and kind (``month`` 0), and per month by
    kind (``county_key`` 0). An event counts once published and until cancelled, in the year
    and month of its start on the deployment's clock. The event services keep these rows in the
    transaction of each write that changes them; ``services.rebuild_attendance_figures``
    recounts them for data written in bulk."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()  # 1-12, or 0 for the whole year by county
    county_key = models.PositiveIntegerField()  # the county's id; 0 for none, and in a month's rows
    kind = models.CharField(max_length=20)
    events = models.IntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=1, default=0)
    training_hours = models.DecimalField(max_digits=14, decimal_places=1, default=0)
    participants = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "month", "county_key", "kind"], name="event_figure_key"),
        ]

    def __str__(self):
        return f"{self.year}-{self.month} {self.county_key} {self.kind}: {self.events}"
