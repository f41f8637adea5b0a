"""The report's pages read in the draft's order without sorting every remark for each page."""

import pytest
from django.db.models import Count, Q

from civicbridge.consultations import selectors, services
from civicbridge.core.pagination import page_of
from tests.accounts.factories import UserFactory
from tests.consultations.factories import ConsultationFactory, remark_on

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("per_page", [1, 3, 7, 100])
def test_pages_in_draft_order_hold_every_remark_once_in_the_order_of_one_sort(
    body, officer, per_page, django_assert_max_num_queries
):
    consultation = ConsultationFactory(issuing_body=body, sections=5)
    sections = list(consultation.sections.order_by("position"))
    # The draft is reordered after remarks came in: ids no longer follow positions.
    services.move_section(by=officer, section=sections[4], offset=-1)
    services.move_section(by=officer, section=sections[4], offset=-1)
    people = [UserFactory() for _ in range(2)]
    for number in range(17):
        section = None if number % 6 == 0 else sections[(number * 3) % 5]
        remark_on(
            section,
            consultation=consultation,
            author=people[number % 2],
            justification=f"Uwaga {number}",
        )
    expected = [remark.pk for remark in selectors.report_remarks(consultation)]

    sequence = selectors.report_page_remarks(consultation)
    got = []
    number = 1
    while True:
        with django_assert_max_num_queries(5):
            page = page_of(selectors.report_page_remarks(consultation), number, per_page=per_page)
            got += [remark.pk for remark in page.object_list]
        if not page.has_next():
            break
        number += 1

    assert got == expected and len(sequence) == 17
    answered = selectors.report_page_remarks(consultation, section=sections[0].pk)
    assert [r.pk for r in answered[0:100]] == [
        r.pk for r in selectors.report_remarks(consultation, section=sections[0].pk)
    ]


def test_the_reports_counts_are_read_from_one_index_without_the_remarks_rows(body, officer):
    """The counts by section and answer (``report_summary``) need no column the remarks'
    section index lacks: a large consultation's counts are read from it alone."""
    import json

    from django.db import connection

    from civicbridge.consultations.models import Remark

    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    consultation = ConsultationFactory(issuing_body=body, sections=2)
    remark_on(consultation.sections.first(), consultation=consultation, author=UserFactory(), justification="Uwaga")
    summary = selectors.report_summary(consultation, answers_shown=True)
    assert summary.total == 1
    counts = (
        Remark.objects.filter(consultation=consultation).values("section_id", "answer")
        .annotate(n=Count("id"), hidden=Count("id", filter=Q(hidden_at__isnull=False))).order_by()
    )
    with connection.cursor() as cursor:
        # Only to ask which index covers the query: a table this small would be read whole.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = json.dumps(json.loads(counts.explain(format="json")))
    assert '"Index Only Scan"' in plan and "remark_consultation_section" in plan
