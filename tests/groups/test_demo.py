"""Each profile's demo groups and standards: its own language, members who represent their
organizations, meetings that are events, standards at their stages with their history."""

import io

import pytest

from civicbridge.directory import demo as directory_demo
from civicbridge.directory.rules import is_representative_of
from civicbridge.events import demo as events_demo
from civicbridge.groups import demo
from civicbridge.groups.models import Member, Stage, StageChange, Standard, WorkingGroup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("profile", "groups", "language"), [("opole", 5, "pl"), ("orhangazi", 2, "tr")]
)
def test_the_demo_loads_its_profiles_groups_and_standards_once(profile, groups, language):
    out = io.StringIO()
    directory_demo.load(profile=profile, stdout=out)
    events_demo.load(profile=profile, stdout=out)

    demo.load(profile=profile, stdout=out)
    demo.load(profile=profile, stdout=out)

    assert WorkingGroup.objects.count() == groups
    assert "already loaded" in out.getvalue()
    assert all(demo.DEMO_NOTE[language] in group.purpose for group in WorkingGroup.objects.all())
    for group in WorkingGroup.objects.all():
        current = group.members.current()
        assert current.filter(is_chair=True).count() == 1
        assert {"public", "ngo"} <= set(current.values_list("sector", flat=True))  # cross-sector
        assert group.meetings.exists() and all(
            event.kind == "meeting" for event in group.meetings.all()
        )
    for member in Member.objects.select_related("user", "organization"):
        assert is_representative_of(member.user, member.organization)
    assert Member.objects.filter(user__username="officer", is_chair=True).exists()
    assert Member.objects.filter(user__username="ngo").exists()
    for standard in Standard.objects.exclude(stage=Stage.DRAFT):
        steps = list(
            StageChange.objects.filter(standard=standard)
            .order_by("id")
            .values_list("to_stage", flat=True)
        )
        assert steps[-1] == standard.stage and steps[0] == Stage.DRAFT
        if standard.resolution_number:
            assert standard.resolution_number.endswith(demo.DEMO_NUMBER[language])
    assert demo.loaded_profiles() == {profile}


def test_the_opole_demo_has_its_four_standards_at_their_stages():
    out = io.StringIO()
    directory_demo.load(profile="opole", stdout=out)
    events_demo.load(profile="opole", stdout=out)
    demo.load(profile="opole", stdout=out)

    stages = dict(Standard.objects.values_list("title", "stage"))
    assert len(stages) == 4
    assert (
        stages["Model finansowania zadań publicznych: otwarte konkursy ofert i małe granty"]
        == Stage.TRAINING_DELIVERED
    )
    assert stages["Model partnerstwa międzysektorowego"] == Stage.PUBLISHED
    assert stages["Standard Regionalnego Centrum Organizacji Pozarządowych"] == Stage.ADOPTED
    consulting = Standard.objects.get(title__startswith="Standard konsultowania")
    assert consulting.stage in (Stage.DRAFT, Stage.IN_CONSULTATION)
    assert consulting.versions.count() == 2
