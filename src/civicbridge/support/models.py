from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicbridge.core.models import TimeStampedModel


class SupportRequestQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=SupportRequest.Status.CLOSED)


class SupportRequest(TimeStampedModel):
    """An organization asks the coordination office for technical support or advice.

    Written only through ``support.services``: each change of status or assignee is recorded
    (``HistoryEntry``), time is logged per entry (``TimeEntry``), the thread is ``Message``s.
    """

    class Topic(models.TextChoices):
        PROJECT_WRITING = "project_writing", _("project writing")
        PARTNER_SEARCH = "partner_search", _("partner search")
        REPORTING = "reporting", _("reporting")
        OTHER = "other", pgettext_lazy("support topic", "other")

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("support request", "new")
        IN_PROGRESS = "in_progress", pgettext_lazy("support request", "in progress")
        WAITING = "waiting", pgettext_lazy("support request", "answered, waiting for the organization")
        CLOSED = "closed", pgettext_lazy("support request", "closed")

    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="support_requests",
        verbose_name=_("organization"),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), help_text=_("Markdown is allowed."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("asked by"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("assigned coordinator"),
    )

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="support_request_organization"),
            models.Index(fields=["status", "-created_at"], name="support_request_queue"),
            models.Index(fields=["assigned_to", "status"], name="support_request_assignee"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["new", "in_progress", "waiting", "closed"]),
                name="support_request_known_status",
            ),
            models.CheckConstraint(
                condition=models.Q(topic__in=["project_writing", "partner_search", "reporting", "other"]),
                name="support_request_known_topic",
            ),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("support:request_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class Message(models.Model):
    """One message of a request's thread, from the organization or from the office."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author"),
    )
    # Who spoke, as it was when they wrote: a coordinator who later leaves still wrote for the office.
    from_office = models.BooleanField(_("from the coordination office"), default=False)
    body = models.TextField(_("message"), help_text=_("Markdown is allowed."))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"], name="support_message_thread")]

    def __str__(self):
        return f"{self.request} – {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return f"{self.request.get_absolute_url()}#message-{self.pk}"


class HistoryEntry(models.Model):
    """A change of a request's status or assignee: who, when, from what to what. Never edited."""

    class Kind(models.TextChoices):
        CREATED = "created", _("request filed")
        STATUS = "status", _("status changed")
        ASSIGNED = "assigned", _("coordinator assigned")

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    old_status = models.CharField(_("old status"), max_length=12, choices=SupportRequest.Status.choices, blank=True)
    new_status = models.CharField(_("new status"), max_length=12, choices=SupportRequest.Status.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("assigned coordinator"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of a support request")
        verbose_name_plural = _("changes of support requests")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "at"], name="support_history_of_request")]

    def __str__(self):
        return f"{self.request} – {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.request.get_absolute_url()


class TimeEntry(models.Model):
    """Time a coordinator spent on a request, logged after the work; a request's time is their sum."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="time_entries")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("coordinator"),
    )
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("what was done"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        verbose_name = _("time spent")
        verbose_name_plural = _("time spent")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"], name="support_time_of_request")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1) & models.Q(minutes__lte=24 * 60), name="support_time_minutes_in_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.request} – {self.minutes} min"

    def get_absolute_url(self):
        return self.request.get_absolute_url()
