"""Two people moving the same standard at once: one step is taken, the other reads why not."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from civicbridge.groups import services
from civicbridge.groups.models import Member, Stage, StageChange

from .factories import WorkingGroupFactory


@pytest.mark.skipif(connection.vendor == "sqlite", reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_moving_a_standard_at_once_make_one_step(coordinator, officer, public_body):
    group = WorkingGroupFactory()
    services.appoint_member(
        by=coordinator, group=group, user=officer, organization=public_body, as_chair=True
    )
    standard = services.create_standard(by=officer, group=group, title="Standard", text="Tekst")
    outcomes, barrier = [], threading.Barrier(2)

    def move(person):
        barrier.wait()
        try:
            outcomes.append(
                services.move_standard(
                    by=person, standard=standard, to_stage=Stage.IN_CONSULTATION, note="BIP"
                ).stage
            )
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(person,)) for person in (coordinator, officer)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]

    standard.refresh_from_db()
    assert standard.stage == Stage.IN_CONSULTATION
    assert (
        StageChange.objects.filter(standard=standard, to_stage=Stage.IN_CONSULTATION).count() == 1
    )
    refused = [outcome for outcome in outcomes if outcome != Stage.IN_CONSULTATION]
    assert len(refused) == 1 and "cannot move" in refused[0]


@pytest.mark.skipif(connection.vendor == "sqlite", reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_coordinators_naming_different_chairs_at_once_leave_one_chair(
    coordinator, officer, public_body, activist, ngo
):
    from tests.accounts.factories import UserFactory

    group = WorkingGroupFactory()
    first = services.appoint_member(
        by=coordinator, group=group, user=officer, organization=public_body
    )
    second = services.appoint_member(by=coordinator, group=group, user=activist, organization=ngo)
    other = UserFactory(is_coordinator=True)
    barrier = threading.Barrier(2)

    def name(person, member):
        barrier.wait()
        try:
            services.set_chair(by=person, member=member)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=name, args=args) for args in ((coordinator, first), (other, second))
    ]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]

    assert Member.objects.filter(group=group, is_chair=True).count() == 1
