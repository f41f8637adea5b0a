"""Two people moving the same project at once: one step is taken, the other reads why not."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from civicbridge.projects import services
from civicbridge.projects.models import Project, StatusChange
from tests.accounts.factories import MembershipFactory, UserFactory

from .factories import ProjectFactory


@pytest.mark.skipif(connection.vendor == "sqlite", reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_deciding_a_submitted_project_at_once_record_one_decision(representative, organization):
    project = ProjectFactory(lead_organization=organization, status=Project.Status.SUBMITTED)
    colleague = UserFactory()
    MembershipFactory(user=colleague, organization=organization)
    outcomes, barrier = [], threading.Barrier(2)

    def decide(person, status):
        barrier.wait()
        try:
            outcomes.append(services.move_project(by=person, project=project, to_status=status).status)
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(representative, Project.Status.APPROVED)),
        threading.Thread(target=decide, args=(colleague, Project.Status.REJECTED)),
    ]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]

    project.refresh_from_db()
    assert project.status in (Project.Status.APPROVED, Project.Status.REJECTED)
    assert StatusChange.objects.filter(project=project, from_status=Project.Status.SUBMITTED).count() == 1
    refused = [outcome for outcome in outcomes if outcome not in Project.Status.values]
    assert len(refused) == 1 and "cannot" in refused[0]
