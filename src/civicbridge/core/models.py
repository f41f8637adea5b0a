from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from . import deployment
from .duplicates import SubmissionKey  # noqa: F401  (a model of this app, kept with its mechanism)
from .slugs import FormerSlug  # noqa: F401  (likewise)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        # Django's get_FOO_display hashes every label of the field's choices, and so translates
        # each, to show one: a list of 25 organizations translated 225 labels. Compared by
        # value, only the label shown is translated.
        value = getattr(self, field.attname)
        for choice, label in field.flatchoices:
            if choice == value:
                return force_str(label, strings_only=True)
        return force_str(value, strings_only=True)


def name_column() -> str:
    """The column of a ``TranslatedNameMixin`` name in the active language (also for reads of
    plain values); where it is empty, ``name_en`` stands for it."""
    language = (get_language() or "en")[:2]
    return f"name_{language}" if language in {"pl", "tr"} else "name_en"


def path_depth(path: str) -> int:
    """How deep a unit with this tree ``path`` lies: 1 for a country (``/1/``)."""
    return path.count("/") - 1


class TranslatedNameMixin:
    """Names kept in the three platform languages; ``name`` follows the active language."""

    @property
    def name(self) -> str:
        return getattr(self, name_column()) or self.name_en


class TerritoryQuerySet(models.QuerySet):
    def within(self, territory: "Territory") -> "TerritoryQuerySet":
        """The territory and every unit below it."""
        return self.filter(path__startswith=territory.path)


class Territory(TranslatedNameMixin, models.Model):
    """An administrative unit: country > region > county > municipality."""

    class Level(models.TextChoices):
        COUNTRY = "country", _("country")
        REGION = "region", _("region")
        COUNTY = "county", _("county")
        MUNICIPALITY = "municipality", _("municipality")

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_pl = models.CharField(_("name (Polish)"), max_length=200, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(
        _("kind"), max_length=60, blank=True,
        help_text=_("The unit's own legal kind, e.g. urban-rural municipality, city with county rights."),
    )
    country = models.CharField(_("country code"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    code = models.CharField(
        _("official code"), max_length=20, blank=True,
        help_text=_("TERYT (Poland) or another official code; empty where no public source gives one."),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent unit"),
    )
    # Materialized path of primary keys ("/1/4/27/") so "this unit and all below it" is one
    # indexed prefix match, not a recursive query.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["path"]
        # Every territory menu reads the units of a few levels in tree order (directory.filters).
        indexes = [models.Index(fields=["level", "path"], name="territory_level_path")]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "level", "code"], condition=~models.Q(code=""),
                name="territory_code_unique_per_country_level",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:organization_list") + f"?territory={self.pk}"

    @cached_property
    def subtree_ids(self) -> list[int]:
        """Ids of this unit and every unit below it (``core.selectors.territory_subtree_ids``),
        read once per object: a filtered list counts and reads with the same ids."""
        return list(Territory.objects.within(self).order_by().values_list("pk", flat=True))

    @property
    def depth(self) -> int:
        return path_depth(self.path)


class ThematicAreaQuerySet(models.QuerySet):
    def offered(self, *, keep=()) -> "ThematicAreaQuerySet":
        """The areas people choose from in this deployment (its lists: the Polish act's areas
        only in Poland), and ``keep``: the areas an entry already has, which a form keeps."""
        kept = [area.pk if isinstance(area, ThematicArea) else area for area in keep]
        return self.filter(models.Q(scheme__in=deployment.current().thematic_schemes) | models.Q(pk__in=kept))


class ThematicArea(TranslatedNameMixin, models.Model):
    """One taxonomy of fields of activity: Polish public-benefit areas and EU programme themes."""

    class Scheme(models.TextChoices):
        PUBLIC_BENEFIT = "public_benefit", _("Public-benefit area (Polish act)")
        EU_THEME = "eu_theme", _("EU programme theme")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_pl = models.CharField(_("name (Polish)"), max_length=300, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ThematicAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")
        ordering = ["scheme", "position", "code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:organization_list") + f"?thematic_area={self.pk}"


class SharedCounter(models.Model):
    """One counter that every process and server sees (log-in failures, rate limits).

    Used by ``core.counters`` when the deployment has no Redis. ``expires_at`` is in
    seconds since the epoch, compared inside one SQL statement on every database.
    """

    key = models.CharField(max_length=200, primary_key=True)
    value = models.BigIntegerField(default=0)
    expires_at = models.FloatField(db_index=True)

    class Meta:
        verbose_name = _("shared counter")
        verbose_name_plural = _("shared counters")

    def __str__(self):
        return f"{self.key}={self.value}"


class RowCount(models.Model):
    """How many rows of a table meet a condition, kept by the database's triggers
    (``core.row_counts``): read it with ``row_counts.row_count``; never write to it."""

    kept_by_the_database = True  # never dumped (core's dumpdata): loading the rows counts them

    name = models.CharField(max_length=100, primary_key=True)
    n = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}: {self.n}"


class OutgoingMail(models.Model):
    """One e-mail in the outbox: queued by a service, sent by ``civicbridge.core.notifications``.

    ``key`` names the delivery (who is told what, on which occasion): queueing the
    same key twice queues one e-mail, and its Message-ID is derived from the key.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("e-mail", "queued")
        SENDING = "sending", pgettext_lazy("e-mail", "being sent")
        SENT = "sent", pgettext_lazy("e-mail", "sent")
        FAILED = "failed", pgettext_lazy("e-mail", "failed")

    key = models.CharField(_("delivery key"), max_length=200, unique=True)
    to = models.CharField(_("recipient"), max_length=254)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=8)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # A worker holds the rows it sends until this moment; past it, another worker may take them.
    lease_expires_at = models.DateTimeField(_("held until"), null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            # The workers' two questions, each on a small partial index: what is due, whose lease expired.
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(status="queued"), name="outgoingmail_due",
            ),
            models.Index(
                fields=["lease_expires_at"], condition=models.Q(status="sending"), name="outgoingmail_leased",
            ),
            # The sweep prunes what is past its retention, oldest first.
            models.Index(fields=["created_at"], name="outgoingmail_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "sending", "sent", "failed"]),
                name="outgoingmail_known_status",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sending") | models.Q(lease_expires_at__isnull=False),
                name="outgoingmail_sending_has_lease",
            ),
        ]

    def __str__(self):
        return f"{self.key} → {self.to} ({self.status})"


class WorkerHeartbeat(models.Model):
    """A running ``civicbridge worker`` process, as it last reported itself alive.

    A task RUNNING under a worker whose heartbeat is older than
    ``CIVICBRIDGE_WORKER_LEASE_SECONDS`` belongs to a dead process: another worker puts
    it back in the queue (see ``core.workers``).
    """

    worker_id = models.CharField(pgettext_lazy("worker", "worker id"), max_length=64, unique=True)
    hostname = models.CharField(pgettext_lazy("worker", "host"), max_length=255)
    pid = models.PositiveIntegerField(pgettext_lazy("worker", "process id"))
    started_at = models.DateTimeField(pgettext_lazy("worker", "started"))
    seen_at = models.DateTimeField(pgettext_lazy("worker", "last seen"), db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("worker", "worker")
        verbose_name_plural = pgettext_lazy("worker", "workers")
        ordering = ["-seen_at"]

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class PeriodicJobSlot(models.Model):
    """One run of a periodic job at one scheduled time: enqueued once by whichever worker gets there first.

    Every worker schedules; the unique (job, scheduled_for) pair, not a single
    scheduler process, keeps a digest from going out twice.
    """

    job = models.CharField(pgettext_lazy("worker", "job"), max_length=100)
    scheduled_for = models.DateTimeField(pgettext_lazy("worker", "scheduled for"))
    enqueued_at = models.DateTimeField(pgettext_lazy("worker", "enqueued"), auto_now_add=True)
    worker_id = models.CharField(pgettext_lazy("worker", "enqueued by worker"), max_length=64)
    task_ids = models.JSONField(pgettext_lazy("worker", "tasks"), default=list)

    class Meta:
        verbose_name = pgettext_lazy("worker", "periodic job run")
        verbose_name_plural = pgettext_lazy("worker", "periodic job runs")
        ordering = ["-scheduled_for"]
        constraints = [
            models.UniqueConstraint(fields=["job", "scheduled_for"], name="periodic_job_slot_once"),
        ]

    def __str__(self):
        return f"{self.job} @ {self.scheduled_for:%Y-%m-%d %H:%M}"


class PendingImport(models.Model):
    """An import file between its preview and the confirmation (``core.imports``).

    Kept in the database rather than in uploaded media: it is private to the person who sent
    it, reachable from every server, and removed on confirmation or after a day.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    importer = models.CharField(max_length=40)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    options = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.importer}: {self.file_name}"


class SitePage(models.Model):
    """One version of a page the authority publishes about itself: its privacy notice, its
    accessibility statement, how to contact it. Versions are only added, never changed: a
    consent names the version of the privacy notice it was given to, and an earlier text
    stays on record."""

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("privacy notice")
        ACCESSIBILITY = "accessibility", _("accessibility statement")
        CONTACT = "contact", _("contact")

    kind = models.CharField(_("page"), max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_pl = models.CharField(_("title (Polish)"), max_length=200, blank=True)
    title_tr = models.CharField(_("title (Turkish)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True, help_text=_("Markdown is allowed."))
    body_pl = models.TextField(_("text (Polish)"), blank=True, help_text=_("Markdown is allowed."))
    body_tr = models.TextField(_("text (Turkish)"), blank=True, help_text=_("Markdown is allowed."))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        constraints = [
            # Two coordinators saving at once cannot both publish "version 3".
            models.UniqueConstraint(fields=["kind", "version"], name="site_page_one_version_number"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.version})"

    def _in_language(self, field: str) -> str:
        # The visitor's language, else the deployment's default, else any language written.
        languages = [(get_language() or "")[:2], deployment.current().default_language, "en", "pl", "tr"]
        return next((getattr(self, f"{field}_{code}") for code in languages if getattr(self, f"{field}_{code}", "")), "")

    @property
    def title(self) -> str:
        return self._in_language("title")

    @property
    def body(self) -> str:
        return self._in_language("body")
