"""The shared import pipeline (core.imports) as people meet it: template, preview, confirm, errors.

Exercised through both importers that use it (organizations, calls) and their pages.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from civicbridge.core.models import PendingImport
from civicbridge.directory.models import Organization
from civicbridge.funding.models import Call, Funder
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory, PublicBodyFactory
from tests.funding.factories import FunderFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "/{lang}/organizations/import/"
CALLS = "/{lang}/calls/import/"


@pytest.fixture
def programme():
    return ProgrammeFactory(funder=FunderFactory(kind=Funder.Kind.EU), code="CERV", name="CERV")


@pytest.fixture
def officer(municipality):
    person = UserFactory()
    MembershipFactory(user=person, organization=PublicBodyFactory(territory=municipality))
    return person


def _template_url(page_url: str, kind: str) -> str:
    """The template of the importer whose page this is: /<lang>/imports/<importer>/<kind>/."""
    lang = page_url.split("/")[1]
    name = "organizations" if "/organizations/" in page_url else "calls"
    return f"/{lang}/imports/{name}/{kind}/"


def _download(client, url: str, kind: str):
    response = client.get(_template_url(url, kind))
    assert response.status_code == 200
    return response


def _xlsx_template(client, url: str):
    return load_workbook(io.BytesIO(_download(client, url, "xlsx").content))


def _filled_xlsx(workbook, rows: list[dict]) -> bytes:
    """The template with rows written under its headers (by header), its codes sheet left as it is."""
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _filled_csv(template: bytes, rows: list[dict]) -> bytes:
    headers = next(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _post(client, url, name, content, mode="check", **data):
    return client.post(url, {"file": SimpleUploadedFile(name, content), "mode": mode, **data})


# --- the template ----------------------------------------------------------------------------------------


def test_the_xlsx_template_has_headers_in_the_users_language_and_the_codes_on_its_second_sheet(client, coordinator):
    client.force_login(coordinator)

    workbook = _xlsx_template(client, ORGANIZATIONS.format(lang="pl"))

    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers[:3] == ["Nazwa", "Rodzaj", "Forma prawna"]
    assert "Kod jednostki terytorialnej" in headers
    assert workbook.worksheets[0]["B1"].comment is not None  # says what the column accepts
    codes = {row[2] for row in workbook.worksheets[1].iter_rows(values_only=True)}
    assert {"ngo", "public_body", "krs", "1607053", "pb-ecology-animals"} <= codes


def test_the_calls_template_explains_status_codes_and_programmes(client, coordinator, programme):
    client.force_login(coordinator)

    workbook = _xlsx_template(client, CALLS.format(lang="tr"))

    codes = {row[2]: row[3] for row in workbook.worksheets[1].iter_rows(values_only=True) if row[2]}
    assert {"31094501", "31094502", "31094503", "single-stage", "CERV"} <= set(codes)
    assert workbook.worksheets[0]["A1"].value == "Çağrı kodu"


def test_the_codes_csv_lists_every_accepted_code(client, coordinator):
    client.force_login(coordinator)

    text = _download(client, ORGANIZATIONS.format(lang="en"), "codes").content.decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Column", "Code", "Meaning"]
    assert ["Kind", "ngo", "non-governmental organization"] in rows
    assert any(row[1] == "1607053" for row in rows)


def test_an_unknown_download_is_not_found(client, coordinator):
    client.force_login(coordinator)

    assert client.get("/en/imports/organizations/pdf/").status_code == 404
    assert client.get("/en/imports/nothing/xlsx/").status_code == 404


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_blank_template_sent_back_says_it_holds_no_rows(client, coordinator, kind):
    client.force_login(coordinator)
    url = ORGANIZATIONS.format(lang="tr")

    response = _post(client, url, f"template.{kind}", _download(client, url, kind).content)

    assert response.context["form"].errors["file"] == ["Dosyada başlıkların altında hiç satır yok."]


def test_the_xlsx_template_filled_in_re_imports_cleanly(client, coordinator, municipality):
    client.force_login(coordinator)
    url = ORGANIZATIONS.format(lang="pl")
    content = _filled_xlsx(_xlsx_template(client, url), [{
        "Nazwa": "Stowarzyszenie Szablon", "Rodzaj": "ngo", "Rejestr": "krs", "Numer w rejestrze": "0000123456",
        "Kod jednostki terytorialnej": "1607053", "Obszary tematyczne": "pb-ecology-animals",
    }])

    preview = _post(client, url, "szablon.xlsx", content)

    report = preview.context["report"]
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 0)
    assert not Organization.objects.filter(name="Stowarzyszenie Szablon").exists()

    client.post(url, {"mode": "confirm", "pending": preview.context["pending"].pk})

    organization = Organization.objects.get(name="Stowarzyszenie Szablon")
    assert organization.territory == municipality
    assert [a.code for a in organization.thematic_areas.all()] == ["pb-ecology-animals"]


def test_the_csv_template_filled_in_re_imports_cleanly_for_calls(client, coordinator, programme):
    client.force_login(coordinator)
    url = CALLS.format(lang="tr")
    template = _download(client, url, "csv").content
    content = _filled_csv(template, [{
        "Çağrı kodu": "CERV-2027-TEMPLATE", "Başlık": "Şablon çağrısı", "Program": "CERV",
        "Son başvuru tarihleri": "2027-03-02",
    }])

    preview = _post(client, url, "calls.csv", content)

    report = preview.context["report"]
    assert report.ok, report.errors
    assert report.created == 1 and not Call.objects.exists()
    client.post(url, {"mode": "confirm", "pending": preview.context["pending"].pk})
    assert Call.objects.get().identifier == "CERV-2027-TEMPLATE"


# --- row errors name the column as the file does -------------------------------------------------------------


def test_a_bad_row_names_the_column_in_polish(client, coordinator, municipality):
    client.force_login(coordinator)
    url = ORGANIZATIONS.format(lang="pl")
    content = _filled_xlsx(_xlsx_template(client, url), [
        {"Nazwa": "Dobra", "Rodzaj": "ngo", "Kod jednostki terytorialnej": "1607053"},
        {"Nazwa": "Zła", "Rodzaj": "ngo", "Kod jednostki terytorialnej": "9999999", "Rok założenia": "dawno"},
    ])

    response = _post(client, url, "szablon.xlsx", content)

    errors = [(e.row, e.column) for e in response.context["report"].errors]
    assert errors == [(3, "Kod jednostki terytorialnej"), (3, "Rok założenia")]
    assert "Kod jednostki terytorialnej" in response.content.decode()
    assert response.context["pending"] is None  # nothing to confirm while a row fails
    assert not Organization.objects.filter(name="Dobra").exists()


def test_a_bad_row_names_the_column_in_turkish(client, coordinator, programme):
    client.force_login(coordinator)
    url = CALLS.format(lang="tr")
    content = _filled_csv(_download(client, url, "csv").content, [{
        "Çağrı kodu": "CERV-2027-X", "Başlık": "X", "Program": "CERV", "Kaynağın bildirdiği durum": "açık",
    }])

    response = _post(client, url, "calls.csv", content)

    assert [(e.row, e.column) for e in response.context["report"].errors] == [(2, "Kaynağın bildirdiği durum")]


def test_a_missing_required_column_is_named_in_the_users_language(client, coordinator):
    client.force_login(coordinator)

    response = _post(client, ORGANIZATIONS.format(lang="pl"), "x.csv", "Nazwa\r\nCoś\r\n".encode())

    assert "Brakujące kolumny: Rodzaj." in " ".join(response.context["form"].errors["file"])


# --- preview, confirm, re-import ------------------------------------------------------------------------------


def _organization_csv(**values) -> bytes:
    row = {"name": "Klub Biegacza", "kind": "ngo", "registry_type": "krs", "registry_number": "0000000777",
           "territory_code": "1607053", "phone": ""} | values
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue().encode()


def test_a_preview_writes_nothing_not_even_an_update(client, coordinator, municipality):
    existing = OrganizationFactory(
        name="Klub Biegacza", territory=municipality, registry_type="krs", registry_number="0000000777", phone="1",
    )
    client.force_login(coordinator)

    response = _post(client, ORGANIZATIONS.format(lang="en"), "x.csv", _organization_csv(name="Klub Maratończyka"))

    assert response.context["report"].updated == 1
    existing.refresh_from_db()
    assert (existing.name, existing.phone) == ("Klub Biegacza", "1")
    assert Organization.objects.count() == 1


def test_importing_the_same_file_twice_changes_nothing_the_second_time(client, coordinator, municipality):
    client.force_login(coordinator)
    url = ORGANIZATIONS.format(lang="en")

    for _ in range(2):
        preview = _post(client, url, "x.csv", _organization_csv())
        client.post(url, {"mode": "confirm", "pending": preview.context["pending"].pk})

    assert (preview.context["report"].created, preview.context["report"].unchanged) == (0, 1)
    assert Organization.objects.filter(registry_number="0000000777").count() == 1


def test_an_organization_without_a_registry_number_is_matched_by_name_and_territory(coordinator, municipality):
    from civicbridge.directory.imports import import_organizations

    existing = OrganizationFactory(name="Grupa Sąsiedzka", territory=municipality, registry_number="")
    content = _organization_csv(name="grupa sąsiedzka", registry_type="", registry_number="", phone="77 000")

    report = import_organizations(by=coordinator, name="x.csv", content=content, dry_run=False)

    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.phone == "77 000"


def test_an_update_keeps_what_the_file_leaves_out(coordinator, municipality):
    from civicbridge.directory.imports import import_organizations

    existing = OrganizationFactory(
        name="Klub Biegacza", territory=municipality, registry_type="krs", registry_number="0000000777",
        phone="+48 77 000 00 00", description="Biegamy.",
    )
    content = b"name,kind,registry_type,registry_number\r\nKlub Biegacza Nysa,ngo,krs,0000000777\r\n"

    report = import_organizations(by=coordinator, name="x.csv", content=content, dry_run=False)

    assert report.written and report.updated == 1
    existing.refresh_from_db()
    assert (existing.name, existing.phone, existing.description) == ("Klub Biegacza Nysa", "+48 77 000 00 00", "Biegamy.")
    assert existing.territory == municipality


def test_a_confirmation_sent_twice_imports_once(client, coordinator, municipality):
    client.force_login(coordinator)
    url = ORGANIZATIONS.format(lang="en")
    preview = _post(client, url, "x.csv", _organization_csv())
    pending = preview.context["pending"].pk

    first = client.post(url, {"mode": "confirm", "pending": pending})
    second = client.post(url, {"mode": "confirm", "pending": pending}, follow=True)

    assert first.status_code == 302
    assert "already imported" in second.content.decode()
    assert Organization.objects.filter(registry_number="0000000777").count() == 1
    assert not PendingImport.objects.exists()


def test_nobody_can_confirm_another_persons_preview(client, coordinator, municipality):
    client.force_login(coordinator)
    preview = _post(client, ORGANIZATIONS.format(lang="en"), "x.csv", _organization_csv())
    client.force_login(UserFactory(is_coordinator=True, is_staff=True))

    response = client.post(ORGANIZATIONS.format(lang="en"), {"mode": "confirm", "pending": preview.context["pending"].pk})

    assert response.status_code == 302
    assert not Organization.objects.filter(registry_number="0000000777").exists()
    assert PendingImport.objects.filter(user=coordinator).exists()  # still the author's to confirm


# --- who may import ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/en/organizations/import/", "/en/imports/organizations/xlsx/", "/en/imports/organizations/csv/",
     "/en/imports/organizations/codes/", "/en/calls/import/", "/en/imports/calls/xlsx/"],
)
def test_a_citizen_may_not_import_nor_download_a_template(client, user, url):
    client.force_login(user)

    assert client.get(url).status_code == 403


def test_an_officer_imports_calls_but_not_organizations(client, officer):
    client.force_login(officer)

    assert client.get(CALLS.format(lang="en")).status_code == 200
    assert client.get("/en/imports/calls/xlsx/").status_code == 200
    assert client.get(ORGANIZATIONS.format(lang="en")).status_code == 403
    response = _post(client, ORGANIZATIONS.format(lang="en"), "x.csv", _organization_csv())
    assert response.status_code == 403
    assert not Organization.objects.filter(registry_number="0000000777").exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/en/imports/organizations/xlsx/")

    assert response.status_code == 302 and "login" in response["Location"]


def test_the_import_page_runs_a_bounded_number_of_queries(client, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)

    with django_assert_max_num_queries(12):
        response = client.get(ORGANIZATIONS.format(lang="en"))

    assert response.status_code == 200


def test_no_header_names_two_columns_in_any_language():
    from civicbridge.core.registry import importers

    for importer_class in importers:
        owners: dict[str, str] = {}
        for column in importer_class().columns:
            for header in column.headers():
                assert owners.setdefault(header, column.key) == column.key, (importer_class.name, header)


def test_a_choice_may_be_written_as_its_meaning_in_any_language(coordinator, municipality):
    from civicbridge.directory.imports import import_organizations

    content = (
        "name,kind,registry_type,territory_code\r\n"
        "Stowarzyszenie A,Organizacja pozarządowa,KRS (Polish National Court Register),1607053\r\n"
        "Dernek B,sivil toplum kuruluşu,,1607053\r\n"
        "Klub C,ngo,,1607053\r\n"
    ).encode()

    report = import_organizations(by=coordinator, name="x.csv", content=content, dry_run=False)

    assert report.ok, report.errors
    assert set(Organization.objects.filter(name__in=["Stowarzyszenie A", "Dernek B", "Klub C"])
               .values_list("kind", flat=True)) == {"ngo"}
    assert Organization.objects.get(name="Stowarzyszenie A").registry_type == "krs"


def test_an_unknown_choice_is_a_row_error_in_the_users_language(client, coordinator, municipality):
    client.force_login(coordinator)
    content = b"Nazwa,Rodzaj,Kod jednostki terytorialnej\r\nKlub,klub,1607053\r\n"

    response = _post(client, ORGANIZATIONS.format(lang="pl"), "x.csv", content)

    assert [(e.row, e.column, e.message) for e in response.context["report"].errors] == [
        (2, "Rodzaj", "Nieznana wartość klub: użyj kodu z arkusza Kody."),
    ]
