"""The support requests' filters: one set per list, shared by its page (and the API's by the API)."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicbridge.core.filters import StrictFilterSet

from .models import SupportRequest

OPEN = "open"
ANY = "any"
UNASSIGNED = "none"
MINE = "me"


def status_choices():
    return [
        (OPEN, pgettext_lazy("support requests", "open (not closed)")),
        *SupportRequest.Status.choices,
        (ANY, pgettext_lazy("support requests", "any status")),
    ]


def coordinator_choices():
    coordinators = get_user_model().objects.filter(is_active=True, is_coordinator=True).only(
        "pk", "first_name", "last_name", "username",
    ).order_by("first_name", "last_name", "pk")
    return [
        (MINE, _("assigned to me")),
        (UNASSIGNED, _("nobody yet")),
        *((str(user.pk), str(user)) for user in coordinators),
    ]


class OrganizationRequestFilter(StrictFilterSet):
    """The list of one's organizations' requests: by status (any by default) and topic."""

    default_status = ANY

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=status_choices, empty_label=None, method="filter_status",
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), choices=SupportRequest.Topic.choices, empty_label=_("any topic"),
    )

    class Meta:
        model = SupportRequest
        fields = ["status", "topic"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["status"].initial = self.default_status

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = self.filter_status(queryset, "status", self.default_status)
        return queryset

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.open()
        if value == ANY:
            return queryset
        return queryset.filter(status=value)


class QueueFilter(OrganizationRequestFilter):
    """The coordinators' queue: open requests by default, by status, topic and assignee."""

    default_status = OPEN

    assignee = django_filters.ChoiceFilter(
        label=_("Assigned to"), choices=coordinator_choices, empty_label=_("anyone or nobody"),
        method="filter_assignee",
    )

    class Meta:
        model = SupportRequest
        fields = ["status", "topic", "assignee"]

    def filter_assignee(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(assigned_to__isnull=True)
        if value == MINE:
            return queryset.filter(assigned_to=self.request.user) if self.request else queryset.none()
        return queryset.filter(assigned_to_id=int(value))


class SupportRequestApiFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SupportRequest.Status.choices)
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=SupportRequest.Topic.choices)

    class Meta:
        model = SupportRequest
        fields = ["status", "topic"]

