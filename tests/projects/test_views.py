"""The portfolio's pages: what each person sees, the filters, exports that keep them, the forms."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from civicbridge.projects.models import Project, ProjectPartner
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import FunderFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db
S = Project.Status
PORTFOLIO = reverse("projects:portfolio")


def titles(response) -> list[str]:
    return re.findall(r'<h3><a href="/en/projects/\d+/">([^<]+)</a>', response.content.decode())


def test_visitors_see_the_public_portfolio_only(client):
    ProjectFactory(title="Running one", status=S.RUNNING)
    ProjectFactory(title="Just an idea", status=S.IDEA)
    ProjectFactory(title="Rejected one", status=S.REJECTED)

    assert titles(client.get(PORTFOLIO)) == ["Running one"]


def test_a_representative_also_sees_its_organizations_proposals_and_a_coordinator_all(client, representative, organization, coordinator):
    ProjectFactory(title="Ours", status=S.IDEA, lead_organization=organization)
    ProjectFactory(title="Theirs", status=S.IDEA)

    client.force_login(representative)
    assert titles(client.get(PORTFOLIO)) == ["Ours"]
    client.force_login(coordinator)
    assert sorted(titles(client.get(PORTFOLIO))) == ["Ours", "Theirs"]


def test_an_unpublished_project_is_not_found_for_others(client, user):
    project = ProjectFactory(status=S.SUBMITTED)
    assert client.get(project.get_absolute_url()).status_code == 404
    client.force_login(user)
    assert client.get(project.get_absolute_url()).status_code == 404
    assert client.get(reverse("projects:project_sheet", args=[project.pk])).status_code == 404


def test_the_filters_take_status_funder_slug_year_and_territory_code(client, county, other_county):
    funder = FunderFactory(slug="bebka")
    nysa = county.children.get(code="1607053")
    ProjectFactory(title="A", status=S.RUNNING, funder=funder, territory=nysa,
                   start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2025, 6, 30))
    ProjectFactory(title="B", status=S.CLOSED, funder=funder, territory=other_county,
                   start_date=datetime.date(2022, 1, 1), end_date=datetime.date(2022, 12, 31))
    ProjectFactory(title="C", status=S.RUNNING, territory=nysa,
                   start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 12, 31))

    assert sorted(titles(client.get(PORTFOLIO, {"funder": "bebka"}))) == ["A", "B"]
    assert sorted(titles(client.get(PORTFOLIO, {"funder": funder.pk, "status": "running"}))) == ["A"]
    assert sorted(titles(client.get(PORTFOLIO, {"year": 2025}))) == ["A", "C"]
    assert sorted(titles(client.get(PORTFOLIO, {"territory": "1607"}))) == ["A", "C"]
    assert sorted(titles(client.get(PORTFOLIO, {"territory": "1601", "year": "2022"}))) == ["B"]


@pytest.mark.parametrize("query", [{"funder": "no-such-funder"}, {"status": "lost"}, {"year": "twenty"}, {"territory": "9999999"}])
def test_a_bad_filter_value_lists_nothing_and_says_so(client, query):
    ProjectFactory(status=S.RUNNING)
    response = client.get(PORTFOLIO, query)
    assert response.status_code == 200
    assert titles(response) == []
    assert 'class="error-summary" role="alert"' in response.content.decode()


def test_pagination_and_export_links_keep_the_filters(client, settings):
    settings.CIVICBRIDGE_PAGE_SIZE = 2
    # Led by an organization in the KRS: the page offers the IATI file too.
    lead = OrganizationFactory(registry_type="krs", registry_number="0000123456")
    for n in range(3):
        ProjectFactory(title=f"P{n}", status=S.RUNNING, lead_organization=lead)
    html = client.get(PORTFOLIO, {"status": "running", "year": "2026"}).content.decode()
    assert 'href="?status=running&amp;year=2026&amp;page=2"' in html
    assert f'href="{reverse("projects:export_csv")}?status=running&amp;year=2026' in html
    assert f'href="{reverse("projects:export_xlsx")}?status=running&amp;year=2026' in html
    assert f'href="{reverse("projects:export_iati")}?status=running&amp;year=2026' in html


def test_the_portfolio_reads_a_bounded_number_of_queries(client, coordinator, django_assert_max_num_queries):
    for _ in range(30):
        project = ProjectFactory(status=S.RUNNING, funder=FunderFactory())
        ProjectPartner.objects.create(project=project, organization=OrganizationFactory())
    client.force_login(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(PORTFOLIO, {"status": "running"})
    assert response.status_code == 200


def test_the_pages_are_counted_by_the_totals_of_what_the_viewer_may_see(
    client, representative, organization, settings, django_assert_num_queries,
):
    """The totals and the pages count the same projects, the representative's own proposal with
    the public ones, and are read once: no separate count of the page's rows."""
    settings.CIVICBRIDGE_PAGE_SIZE = 2
    ProjectFactory(title="Ours", status=S.IDEA, lead_organization=organization, currency="PLN", budget=500, co_financing=0)
    for n in range(3):
        ProjectFactory(title=f"Public {n}", status=S.RUNNING, currency="PLN", budget=1000, co_financing=0)
    ProjectFactory(title="Someone's idea", status=S.IDEA)
    client.force_login(representative)
    client.get(PORTFOLIO)  # the session and the menus read once

    # Session, user, the totals, the menus of funders and territories, the person's organizations
    # and right to add a project, whether the IATI file would hold an activity, the page's rows.
    with django_assert_num_queries(9) as captured:
        response = client.get(PORTFOLIO, {"page": "2"})
    assert not [query for query in captured.captured_queries if '"__count"' in query["sql"]]
    page = response.context["page"]
    assert page.paginator.count == 4 == sum(row["projects"] for row in response.context["totals"])
    assert (page.number, page.paginator.num_pages, len(page.object_list)) == (2, 2, 2)
    assert {(row["status"], row["projects"]) for row in response.context["totals"]} == {(S.IDEA, 1), (S.RUNNING, 3)}
    # A filter narrows both alike.
    response = client.get(PORTFOLIO, {"status": S.RUNNING})
    assert response.context["page"].paginator.count == 3 == sum(row["projects"] for row in response.context["totals"])


def test_the_project_page_reads_a_bounded_number_of_queries(client, representative, organization, django_assert_max_num_queries):
    project = ProjectFactory(status=S.RUNNING, lead_organization=organization)
    for n in range(5):
        ProjectPartner.objects.create(project=project, organization=OrganizationFactory())
        project.milestones.create(title=f"Kamień milowy {n}", due_date=datetime.date(2026, 5, n + 1))
    client.force_login(representative)
    with django_assert_max_num_queries(12):
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    # A title no random token can contain ("M0" was found in CSRF tokens now and then).
    assert response.content.decode().count("Kamień milowy 0") == 1


def test_an_organizations_portfolio_lists_what_it_leads_and_partners(client, organization):
    ProjectFactory(title="Led", status=S.RUNNING, lead_organization=organization)
    partnered = ProjectFactory(title="Partnered", status=S.APPROVED)
    ProjectPartner.objects.create(project=partnered, organization=organization)
    ProjectFactory(title="Elsewhere", status=S.RUNNING)

    response = client.get(reverse("projects:organization_portfolio", args=[organization.slug]))
    assert sorted(titles(response)) == ["Led", "Partnered"]


def test_the_csv_export_follows_the_filters_and_its_cells_cannot_run_formulas(client):
    ProjectFactory(title="=HYPERLINK(\"http://x\")", status=S.RUNNING)
    ProjectFactory(title="Closed", status=S.CLOSED)
    ProjectFactory(title="Hidden idea", status=S.IDEA)

    response = client.get(reverse("projects:export_csv"), {"status": "running"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "Title", "Status"]
    assert [row[1] for row in rows[1:]] == ["'=HYPERLINK(\"http://x\")"]


def test_the_xlsx_export_holds_the_visible_projects(client):
    ProjectFactory(title="Public", status=S.RUNNING)
    ProjectFactory(title="Hidden idea", status=S.IDEA)
    response = client.get(reverse("projects:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Public"]


def test_an_export_of_an_unknown_organization_is_not_found(client):
    ProjectFactory(status=S.RUNNING)
    assert client.get(reverse("projects:export_csv"), {"organization": "nobody"}).status_code == 404


def test_a_representative_adds_a_project_through_the_form(client, representative, organization):
    client.force_login(representative)
    response = client.post(reverse("projects:project_create") + f"?organization={organization.slug}", {
        "title": "Nowy projekt", "summary": "Opis.", "budget": "1000", "co_financing": "100", "currency": "PLN",
        "start_date": "2026-05-01", "end_date": "2026-12-31",
    })
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert (project.title, project.lead_organization, project.status) == ("Nowy projekt", organization, S.IDEA)


def test_a_form_error_keeps_what_was_typed(client, representative, organization):
    client.force_login(representative)
    response = client.post(reverse("projects:project_create") + f"?organization={organization.slug}", {
        "title": "Mój tytuł", "summary": "Mój długi opis.", "budget": "1000", "co_financing": "5000", "currency": "PLN",
        "start_date": "2026-05-01", "end_date": "2026-04-01",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert not Project.objects.exists()
    assert "The end cannot be before the start." in html
    assert 'value="Mój tytuł"' in html and "Mój długi opis." in html


def test_another_organizations_representative_may_not_add_or_edit(client, other_representative, organization):
    client.force_login(other_representative)
    assert client.get(reverse("projects:project_create") + f"?organization={organization.slug}").status_code == 403
    project = ProjectFactory(lead_organization=organization, status=S.RUNNING)
    assert client.get(reverse("projects:project_edit", args=[project.pk])).status_code == 403
    assert client.post(reverse("projects:project_move", args=[project.pk]), {"to_status": "closed"}).status_code == 403


def test_a_step_off_the_graph_shows_its_message_on_the_page(client, representative, organization):
    project = ProjectFactory(lead_organization=organization, status=S.IDEA)
    client.force_login(representative)
    response = client.post(reverse("projects:project_move", args=[project.pk]), {"to_status": "running", "note": "why"})
    assert response.status_code == 400
    assert "cannot move to “running”" in response.content.decode()
    project.refresh_from_db()
    assert project.status == S.IDEA


def test_moving_a_project_shows_the_step_in_its_history(client, representative, organization):
    project = ProjectFactory(lead_organization=organization, status=S.IDEA)
    client.force_login(representative)
    response = client.post(reverse("projects:project_move", args=[project.pk]), {"to_status": "in_preparation", "note": "Piszemy wniosek"})
    assert response.status_code == 302
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Piszemy wniosek" in html and "in preparation" in html


def test_documents_and_reports_are_for_the_projects_organizations(client, user, organization):
    project = ProjectFactory(lead_organization=organization, status=S.RUNNING)
    report = project.reports.create(kind="interim", period_start=datetime.date(2026, 3, 1), period_end=datetime.date(2026, 6, 1),
                                    activities="a", results="r", indicators="i", spending_to_date=1)
    client.force_login(user)
    assert client.get(project.get_absolute_url()).status_code == 200
    assert client.get(report.get_absolute_url()).status_code == 403


def test_the_search_finds_a_project_by_its_words_and_its_lead(client):
    lead = OrganizationFactory(name="Fundacja Zielona Dolina")
    ProjectFactory(title="Ogrody społeczne", status=S.RUNNING, lead_organization=lead)
    ProjectFactory(title="Inny projekt", status=S.RUNNING)
    assert titles(client.get(PORTFOLIO, {"q": "ogrody"})) == ["Ogrody społeczne"]
    assert titles(client.get(PORTFOLIO, {"q": "Zielona"})) == ["Ogrody społeczne"]


def test_a_final_report_through_its_form_moves_the_project_to_final_report(client, representative, organization):
    project = ProjectFactory(lead_organization=organization, status=S.RUNNING)
    client.force_login(representative)
    response = client.post(reverse("projects:report_create", args=[project.pk, "final"]), {
        "period_start": "2026-03-01", "period_end": "2027-02-28", "activities": "Szkolenia.", "results": "120 osób.",
        "indicators": "uczestnicy: 100 / 120", "problems": "", "spending_to_date": "99000",
    })
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.FINAL_REPORT
    assert project.status_changes.filter(from_status=S.RUNNING, to_status=S.FINAL_REPORT, by=representative).exists()


def test_an_uploaded_document_is_downloaded_by_the_projects_people_only(client, representative, organization, user, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(lead_organization=organization, status=S.RUNNING)
    client.force_login(representative)
    response = client.post(reverse("projects:document_add", args=[project.pk]), {
        "title": "Umowa o dofinansowanie", "file": SimpleUploadedFile("umowa.pdf", b"%PDF-1.7 umowa"),
    })
    assert response.status_code == 302
    document = project.documents.get()
    url = reverse("projects:document_download", args=[project.pk, document.pk])
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.7 umowa"

    client.force_login(user)
    assert client.get(url).status_code == 403


def test_a_refused_upload_keeps_the_title_typed(client, representative, organization):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = ProjectFactory(lead_organization=organization, status=S.RUNNING)
    client.force_login(representative)
    response = client.post(reverse("projects:document_add", args=[project.pk]), {
        "title": "Mój skan", "file": SimpleUploadedFile("skan.exe", b"MZ..."),
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Mój skan"' in html and "Upload a file of one of these kinds" in html
    assert not project.documents.exists()


def test_a_coordinator_adds_a_project_for_any_organization_and_gains_no_membership(client, coordinator, organization):
    from civicbridge.accounts.models import Membership

    client.force_login(coordinator)
    assert 'name="organization"' in client.get(reverse("projects:project_create")).content.decode()
    response = client.post(reverse("projects:project_create") + f"?organization={organization.slug}", {
        "title": "Projekt koordynatora", "summary": "Opis.", "budget": "1000", "co_financing": "0", "currency": "EUR",
        "start_date": "2026-05-01", "end_date": "2026-12-31",
    })
    assert response.status_code == 302
    assert Project.objects.get().lead_organization == organization
    assert not Membership.objects.filter(user=coordinator).exists()


def test_the_account_page_lists_the_projects_of_ones_organizations(client, representative, organization):
    ProjectFactory(title="Nasz pomysł", status=S.IDEA, lead_organization=organization)
    ProjectFactory(title="Cudzy projekt", status=S.RUNNING)
    client.force_login(representative)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Your organizations&#x27; projects" in html or "Your organizations' projects" in html
    assert "Nasz pomysł" in html and "Cudzy projekt" not in html


def test_the_totals_name_the_currency(client):
    ProjectFactory(status=S.RUNNING, currency="EUR", budget=1000, co_financing=0)
    html = client.get(PORTFOLIO).content.decode()
    assert "1,000.00 euro" in html


def test_the_partner_field_is_typed_not_a_menu_of_the_whole_registry(client, representative, organization):
    for _ in range(5):
        OrganizationFactory()
    project = ProjectFactory(lead_organization=organization, status=S.RUNNING)
    client.force_login(representative)
    html = client.get(project.get_absolute_url()).content.decode()
    assert re.search(r'<input type="text" name="organization"[^>]*id="id_organization"', html)
    assert '<select name="organization"' not in html


def test_a_partner_is_added_by_its_address_name(client, representative, organization):
    partner = OrganizationFactory(territory=None, country="DE", city="Nieder-Olm")
    project = ProjectFactory(lead_organization=organization, status=S.RUNNING)
    client.force_login(representative)
    response = client.post(reverse("projects:partner_add", args=[project.pk]), {"organization": partner.slug, "role": "associated"})
    assert response.status_code == 302
    assert list(project.partners.values_list("organization", "role")) == [(partner.pk, "associated")]
