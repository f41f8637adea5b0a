"""The consultations' pages: what people see and do, the refusals, and bounded queries."""

import csv
import datetime
import html
import io
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from civicbridge.consultations import services
from civicbridge.consultations.models import Consultation, Remark, RemarkVersion, Section
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.consultations.factories import ConsultationFactory, end, remark_on
from tests.directory.factories import OrganizationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db


def url(name, consultation, **kwargs):
    return reverse(f"consultations:{name}", kwargs={"pk": consultation.pk, **kwargs})


def many_remarks(consultation, count, organization=None):
    people = [UserFactory() for _ in range(3)]
    sections = list(consultation.sections.all())
    for number in range(count):
        remark_on(
            sections[number % len(sections)],
            author=people[number % 3],
            organization=organization,
            justification=f"Uwaga numer {number} z **pogrubieniem**.",
        )


# --- public pages -------------------------------------------------------------------------------------------


def test_the_list_shows_open_consultations_first_and_filters(client, body, county, other_county):
    ended = ConsultationFactory(issuing_body=body, title="Zakończone konsultacje")
    end(ended)
    ConsultationFactory(issuing_body=body, title="Otwarte konsultacje")
    ConsultationFactory(issuing_body=body, title="Szkic urzędu", published_at=None)

    page = client.get(reverse("consultations:consultation_list")).content.decode()
    assert page.index("Otwarte konsultacje") < page.index("Zakończone konsultacje")
    assert "Szkic urzędu" not in page

    open_only = client.get(
        reverse("consultations:consultation_list"), {"status": "open"}
    ).content.decode()
    assert "Otwarte konsultacje" in open_only and "Zakończone konsultacje" not in open_only
    by_code = client.get(
        reverse("consultations:consultation_list"), {"territory": "1607"}
    ).content.decode()
    assert "Otwarte konsultacje" in by_code
    elsewhere = client.get(
        reverse("consultations:consultation_list"), {"territory": other_county.code}
    ).content.decode()
    assert "Otwarte konsultacje" not in elsewhere
    unknown = client.get(reverse("consultations:consultation_list"), {"territory": "9999999"})
    assert (
        "9999999" in unknown.content.decode()
        and "Otwarte konsultacje" not in unknown.content.decode()
    )


def titles(response) -> set[str]:
    return {row.title for row in response.context["consultations"]}


def test_the_issuing_body_is_typed_by_name_and_found_by_its_address_too(client, municipality):
    """No menu of every body that ever consulted: a text field, found by a link's id or address
    name (its name then shown in the field), by the whole name in any case, or by part of it."""
    opole = PublicBodyFactory(territory=municipality, name="Gmina Opole", slug="gmina-opole")
    lubelskie = PublicBodyFactory(territory=municipality, name="Gmina Opole Lubelskie", slug="gmina-opole-lubelskie")
    prudnik = PublicBodyFactory(territory=municipality, name="Powiat Prudnicki")
    ConsultationFactory(issuing_body=opole, title="Program Opola")
    ConsultationFactory(issuing_body=lubelskie, title="Program Opola Lubelskiego")
    ConsultationFactory(issuing_body=prudnik, title="Program Prudnika")
    list_url = reverse("consultations:consultation_list")

    page = client.get(list_url).content.decode()
    assert '<input type="text" name="body"' in page
    assert '<select name="body"' not in page and "Powiat Prudnicki</option>" not in page

    by_id = client.get(list_url, {"body": opole.pk})
    assert titles(by_id) == {"Program Opola"}
    assert 'value="Gmina Opole"' in by_id.content.decode()  # the name, not the number, in the field
    assert titles(client.get(list_url, {"body": "gmina-opole-lubelskie"})) == {"Program Opola Lubelskiego"}
    # The whole name is that body, though another's name holds it.
    assert titles(client.get(list_url, {"body": "GMINA OPOLE"})) == {"Program Opola"}
    assert titles(client.get(list_url, {"body": "opole"})) == {"Program Opola", "Program Opola Lubelskiego"}


@pytest.mark.parametrize(("count", "heading"), [
    (1, "1 konsultacja"), (2, "2 konsultacje"), (5, "5 konsultacji"), (22, "22 konsultacje"),
])
def test_the_list_counts_consultations_in_polishs_three_plural_forms(client, body, count, heading):
    ConsultationFactory.create_batch(count, issuing_body=body, sections=0)

    page = client.get("/pl/consultations/", {"status": "open"}).content.decode()

    assert re.search(r'<h2 class="result-count"[^>]*>([^<]*)</h2>', page).group(1) == heading


def test_the_next_page_of_a_list_filtered_by_a_typed_body_keeps_the_body(client, municipality, settings):
    settings.CIVICBRIDGE_PAGE_SIZE = 2
    opole = PublicBodyFactory(territory=municipality, name="Gmina Opole")
    for number in range(3):
        ConsultationFactory(issuing_body=opole, title=f"Program {number}")
    ConsultationFactory(issuing_body=PublicBodyFactory(territory=municipality, name="Powiat Prudnicki"))
    list_url = reverse("consultations:consultation_list")

    first = client.get(list_url, {"body": "opole"})
    next_url = html.unescape(re.search(r'href="([^"]*)" rel="next"', first.content.decode()).group(1))
    second = client.get(list_url + next_url)

    assert "body=opole" in next_url and "page=2" in next_url
    assert titles(first) | titles(second) == {"Program 0", "Program 1", "Program 2"}
    assert len(titles(first)) == 2 and len(titles(second)) == 1


def test_a_body_that_published_nothing_is_not_found_and_the_list_says_so(client, body, municipality):
    ConsultationFactory(issuing_body=body, title="Opublikowane")
    silent = PublicBodyFactory(territory=municipality, name="Urząd Milczący")
    ConsultationFactory(issuing_body=silent, title="Szkic", published_at=None)

    response = client.get(reverse("consultations:consultation_list"), {"body": "Milczący"})

    page = response.content.decode()
    assert "No body that published a consultation has “Milczący” in its name." in page
    assert titles(response) == set()
    assert 'value="Milczący"' in page  # what was typed stays, to be corrected


def test_suggestions_offer_the_bodies_that_published_whose_name_holds_the_text(client, municipality):
    for number in range(12):
        ConsultationFactory(issuing_body=PublicBodyFactory(territory=municipality, name=f"Gmina Wieś {number:02}"))
    ConsultationFactory(
        issuing_body=PublicBodyFactory(territory=municipality, name="Gmina Wieś Szkic"), published_at=None,
    )
    ConsultationFactory(issuing_body=PublicBodyFactory(territory=municipality, name="Starostwo"))
    suggestions_url = reverse("consultations:body_suggestions")

    response = client.get(suggestions_url, {"body": "wieś"})

    options = re.findall(r'<option value="([^"]*)"', response.content.decode())
    assert options == [f"Gmina Wieś {number:02}" for number in range(10)]  # the first ten, by name
    assert client.get(suggestions_url, {"body": "s"}).content.decode().strip() == ""  # one letter: not yet
    assert client.get(suggestions_url, {"body": "Szkic"}).content.decode().strip() == ""
    page = client.get(reverse("consultations:consultation_list")).content.decode()
    assert f'data-hx-get="{suggestions_url}"' in page and 'list="id_body_suggestions"' in page


def test_every_page_keeps_the_lists_order_and_the_rows_carry_their_body_and_territory(
    client, body, settings, django_assert_num_queries,
):
    """Open (ending soonest first), then forthcoming, then ended (latest first), page after
    page; a page's rows are found by id, then read with their body and territory."""
    settings.CIVICBRIDGE_PAGE_SIZE = 2
    now = timezone.now()
    later = ConsultationFactory(issuing_body=body, title="Open, ends later", ends_at=now + datetime.timedelta(days=20))
    sooner = ConsultationFactory(issuing_body=body, title="Open, ends sooner", ends_at=now + datetime.timedelta(days=3))
    ahead = ConsultationFactory(
        issuing_body=body, title="Forthcoming", starts_at=now + datetime.timedelta(days=5),
        ends_at=now + datetime.timedelta(days=30),
    )
    long_ago = end(ConsultationFactory(issuing_body=body, title="Ended long ago"), days_ago=30)
    lately = end(ConsultationFactory(issuing_body=body, title="Ended lately"), days_ago=2)
    list_url = reverse("consultations:consultation_list")
    client.get(list_url)  # the menus read once

    seen = []
    for number in (1, 2, 3):
        with django_assert_num_queries(6):  # count, ids, rows, remark counts, menus of territories and areas
            response = client.get(list_url, {"page": number})
        rows = response.context["consultations"]
        assert all(row.issuing_body.name == body.name and row.territory.name for row in rows)
        seen += [row.pk for row in rows]
    assert seen == [sooner.pk, later.pk, ahead.pk, lately.pk, long_ago.pk]
    assert response.context["page"].paginator.count == 5


def test_the_list_runs_a_bounded_number_of_queries(client, body, django_assert_max_num_queries):
    for _ in range(3):
        many_remarks(ConsultationFactory(issuing_body=body), 4)
    client.get(reverse("consultations:consultation_list"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("consultations:consultation_list")).status_code == 200
    for _ in range(6):
        many_remarks(ConsultationFactory(issuing_body=body), 4)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("consultations:consultation_list")).status_code == 200


def test_the_detail_lists_sections_with_their_remark_counts(
    client, consultation, django_assert_max_num_queries
):
    many_remarks(consultation, 7)
    author = UserFactory()
    for text in ("O całości.", "Też o całości.", "Ukryta."):
        remark_on(None, consultation=consultation, author=author, justification=text)
    consultation.remarks.filter(justification="Ukryta.").update(hidden_at=timezone.now())
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as queries:
        page = client.get(consultation.get_absolute_url()).content.decode()
    first = consultation.sections.order_by("position").first()
    assert url("section_detail", consultation, section=first.pk) in page
    assert "3 remarks" in page  # 7 remarks over 3 sections: 3, 2, 2
    assert "2 remarks" in page.split(url("whole_act", consultation))[1].split("</li>")[0]  # the hidden one not counted
    counted = [query for query in queries.captured_queries if "COUNT" in query["sql"] and "consultations_remark" in query["sql"]]
    assert len(counted) == 1  # the sections' and the whole act's counts, read once


def test_a_draft_is_hidden_from_visitors_but_not_from_its_officers(client, body, officer):
    draft = ConsultationFactory(issuing_body=body, published_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(officer)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_section_view_shows_its_text_remarks_and_a_labelled_form(
    client, consultation, citizen, django_assert_max_num_queries
):
    section = consultation.sections.first()
    many_remarks(consultation, 30)
    client.force_login(citizen)
    client.get(section.get_absolute_url())
    with django_assert_max_num_queries(14):
        response = client.get(section.get_absolute_url())
    page = response.content.decode()
    assert section.text in page
    assert "Uwaga numer 0 z <strong>pogrubieniem</strong>" in page
    assert '<label for="id_justification">' in page and 'id="remark-form-heading"' in page
    assert f'action="{section.get_absolute_url()}"' in page


def test_a_remark_on_a_section_is_submitted_from_its_page(
    client, consultation, representative, organization
):
    section = consultation.sections.first()
    client.force_login(representative)
    response = client.post(
        section.get_absolute_url(),
        {
            "organization": str(organization.pk),
            "proposed_wording": "§ 1. Lepsze brzmienie.",
            "justification": "Bo tak.",
        },
    )
    remark = Remark.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#remark-{remark.pk}")
    assert (remark.section, remark.organization, remark.author) == (
        section,
        organization,
        representative,
    )
    assert organization.name in client.get(section.get_absolute_url()).content.decode()


def test_a_remark_after_the_end_is_refused_on_the_page_in_the_visitors_language(
    client, consultation, citizen
):
    from django.utils import translation

    client.force_login(citizen)
    end(consultation)
    with translation.override("pl"):
        address = consultation.sections.first().get_absolute_url()
    assert address.startswith("/pl/")
    response = client.post(address, {"organization": "citizen", "justification": "Za późno."})
    assert response.status_code == 400
    assert "zakończyły się" in response.content.decode()
    assert not Remark.objects.exists()


def test_the_page_says_why_no_form_after_the_end(client, consultation, citizen):
    end(consultation)
    client.force_login(citizen)
    page = client.get(consultation.sections.first().get_absolute_url()).content.decode()
    assert "remarks can no longer be made or changed" in page
    assert 'id="remark-form-heading"' not in page


def test_people_not_invited_cannot_post_and_visitors_are_sent_to_log_in(
    client, consultation, citizen
):
    Consultation.objects.filter(pk=consultation.pk).update(invitation=Consultation.Invitation.NGOS)
    section = consultation.sections.first()
    response = client.post(
        section.get_absolute_url(), {"organization": "citizen", "justification": "x"}
    )
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(citizen)
    assert (
        client.post(
            section.get_absolute_url(), {"organization": "citizen", "justification": "x"}
        ).status_code
        == 403
    )
    assert (
        "organizations that you do not represent"
        in client.get(section.get_absolute_url()).content.decode()
    )
    assert not Remark.objects.exists()


def test_the_hourly_limit_answers_429(client, consultation, citizen, settings):
    settings.CIVICBRIDGE_CONSULTATION_REMARKS_PER_HOUR = 1
    client.force_login(citizen)
    whole = url("whole_act", consultation)
    assert (
        client.post(whole, {"organization": "citizen", "justification": "Pierwsza"}).status_code
        == 302
    )
    response = client.post(whole, {"organization": "citizen", "justification": "Druga"})
    assert response.status_code == 429 and "Try again later" in response.content.decode()
    assert Remark.objects.count() == 1


def test_remarks_after_the_end_only_are_hidden_until_then(client, consultation, citizen, officer):
    Consultation.objects.filter(pk=consultation.pk).update(
        remarks_visibility=Consultation.Visibility.AFTER_END
    )
    consultation.refresh_from_db()
    services.submit_remark(
        by=citizen,
        consultation=consultation,
        section=consultation.sections.first(),
        justification="Tajna do końca.",
    )
    section_url = consultation.sections.first().get_absolute_url()
    assert "Tajna do końca." not in client.get(section_url).content.decode()
    client.force_login(officer)
    assert "Tajna do końca." in client.get(section_url).content.decode()
    end(consultation)
    assert "Tajna do końca." in Client().get(section_url).content.decode()


def test_editing_ones_remark_keeps_versions_and_others_get_403(
    client, consultation, citizen, officer
):
    remark = services.submit_remark(
        by=citizen, consultation=consultation, justification="Pierwsza wersja."
    )
    edit = url("remark_edit", consultation, remark=remark.pk)
    client.force_login(officer)
    assert client.get(edit).status_code == 403
    client.force_login(citizen)
    assert (
        client.post(edit, {"organization": "citizen", "justification": "Druga wersja."}).status_code
        == 302
    )
    page = client.get(edit).content.decode()
    assert "Pierwsza wersja." in page and "Druga wersja." in page
    end(consultation)
    response = client.post(edit, {"organization": "citizen", "justification": "Trzecia."})
    assert (
        response.status_code == 400 and "no longer be made or changed" in response.content.decode()
    )
    assert RemarkVersion.objects.filter(remark=remark).count() == 2


def test_my_remarks_lists_mine_only(client, consultation, citizen, django_assert_max_num_queries):
    services.submit_remark(by=citizen, consultation=consultation, justification="Moja uwaga.")
    remark_on(consultation.sections.first(), author=UserFactory(), justification="Cudza.")
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("consultations:my_remarks")).content.decode()
    assert consultation.title in page
    assert page.count('data-label="Consultation"') == 1


# --- officers ------------------------------------------------------------------------------------------------


OFFICER_PAGES = [
    "consultation_edit",
    "sections_manage",
    "sections_import",
    "attachments_manage",
    "answers",
    "report_publish",
    "adopted_text",
]


@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_officer_pages_refuse_others(client, consultation, representative, name):
    assert client.get(url(name, consultation)).status_code == 302  # to log in
    client.force_login(representative)
    assert client.get(url(name, consultation)).status_code == 403


def test_an_officer_creates_imports_previews_and_publishes(client, officer, body, county):
    client.force_login(officer)
    starts = timezone.localtime() + timezone.timedelta(hours=2)
    response = client.post(
        reverse("consultations:consultation_create"),
        {
            "title": "Projekt strategii",
            "kind": "strategy",
            "issuing_body": body.pk,
            "territory": county.pk,
            "invitation": "all",
            "remarks_visibility": "at_once",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timezone.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400 and "at least 7 days" in response.content.decode()
    response = client.post(
        reverse("consultations:consultation_create"),
        {
            "title": "Projekt strategii",
            "kind": "strategy",
            "issuing_body": body.pk,
            "territory": county.pk,
            "invitation": "all",
            "remarks_visibility": "at_once",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timezone.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302

    draft = "§ 1. Przyjmuje się strategię.\n§ 2. Wykonanie powierza się Zarządowi."
    preview = client.post(url("sections_import", consultation), {"text": draft, "confirm": "0"})
    assert (
        preview.status_code == 200 and "The text splits into 2 sections" in preview.content.decode()
    )
    assert not Section.objects.exists()
    client.post(url("sections_import", consultation), {"text": draft, "confirm": "1"})
    assert list(consultation.sections.values_list("label", flat=True)) == ["§ 1.", "§ 2."]

    client.post(url("consultation_publish", consultation))
    consultation.refresh_from_db()
    assert consultation.published_at is not None


def test_a_docx_upload_is_previewed(client, consultation, officer):
    from tests.consultations.test_splitting import make_docx

    client.force_login(officer)
    upload = io.BytesIO(make_docx(["Art. 1. Pierwszy.", "Art. 2. Drugi."]))
    upload.name = "projekt.docx"
    response = client.post(url("sections_import", consultation), {"file": upload, "confirm": "0"})
    assert (
        response.status_code == 200
        and "The text splits into 2 sections" in response.content.decode()
    )


def test_answers_one_by_one_with_htmx_and_in_a_list(client, consultation, citizen, officer):
    first = services.submit_remark(by=citizen, consultation=consultation, justification="Pierwsza.")
    second = services.submit_remark(by=citizen, consultation=consultation, justification="Druga.")
    end(consultation)
    client.force_login(officer)
    one = client.post(
        url("remark_answer", consultation, remark=first.pk),
        {f"r{first.pk}-answer": "accepted", f"r{first.pk}-justification": "Uwzględniona."},
        HTTP_HX_REQUEST="true",
    )
    assert one.status_code == 200 and "The answer is saved." in one.content.decode()
    listing = client.post(
        url("answers", consultation),
        {
            f"r{first.pk}-answer": "accepted",
            f"r{first.pk}-justification": "Uwzględniona.",
            f"r{second.pk}-answer": "rejected",
            f"r{second.pk}-justification": "Sprzeczna z ustawą.",
        },
    )
    assert listing.status_code == 302
    assert dict(Remark.objects.values_list("pk", "answer")) == {
        first.pk: "accepted",
        second.pk: "rejected",
    }


def test_the_report_lists_every_remark_with_hidden_ones_marked(
    client, consultation, citizen, officer, organization, django_assert_max_num_queries
):
    many_remarks(consultation, 120, organization=organization)
    hidden = remark_on(
        consultation.sections.first(), author=citizen, justification="Tekst obraźliwy."
    )
    end(consultation)
    services.hide_remark(by=officer, remark=hidden, reason="Naruszenie regulaminu")
    Remark.objects.exclude(pk=hidden.pk).update(
        answer="accepted", answer_justification="Tak.", answer_justification_html="<p>Tak.</p>"
    )
    services.publish_report(by=officer, consultation=consultation)

    client.get(url("report", consultation))
    with django_assert_max_num_queries(10):
        first_page = client.get(url("report", consultation)).content.decode()
    second_page = client.get(url("report", consultation), {"page": 2}).content.decode()
    assert (
        "121 remarks in all" in first_page and "121 remarks in all" in second_page
    )  # the summary on each page
    both = first_page + second_page
    assert "Naruszenie regulaminu" in both and "Tekst obraźliwy." not in both
    assert both.count('class="remark') == 121
    assert organization.name in first_page
    filtered = client.get(
        url("report", consultation),
        {"answer": "accepted", "section": consultation.sections.first().pk},
    )
    assert (
        filtered.content.decode().count('class="remark') == 40
    )  # 120 over three sections; the hidden one left out
    everything = client.get(
        url("report", consultation), {"section": consultation.sections.first().pk}
    )
    assert everything.content.decode().count('class="remark') == 41


def test_the_report_is_not_shown_before_the_end(client, consultation):
    assert client.get(url("report", consultation)).status_code == 404


def test_the_report_pdf_reads_back(client, consultation, citizen, officer, organization):
    remark_on(
        consultation.sections.first(),
        author=citizen,
        organization=organization,
        justification="Uwaga o zakresie.",
    )
    hidden = remark_on(
        consultation.sections.first(), author=citizen, justification="Obraźliwa treść."
    )
    end(consultation)
    services.hide_remark(by=officer, remark=hidden, reason="Obraźliwy język")
    response = client.get(url("report_pdf", consultation))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(
        page.extract_text()
        for page in PdfReader(
            io.BytesIO(
                b"".join(response.streaming_content) if response.streaming else response.content
            )
        ).pages
    )
    assert (
        "Report of the consultation" in text
        and organization.name in text
        and "Uwaga o zakresie." in text
    )
    assert "Obraźliwy język" in text and "Obraźliwa treść." not in text


def test_a_large_report_pdf_is_drawn_by_a_task_and_then_served(
    client, consultation, citizen, officer, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    from civicbridge.consultations import reports

    many_remarks(consultation, 6)
    end(consultation)
    settings_limit = reports.INLINE_PDF_REMARKS
    reports.INLINE_PDF_REMARKS = 2
    try:
        first = client.get(url("report_pdf", consultation))
        assert first.status_code == 200  # drawn by the (immediate) task, then served from storage
        consultation.refresh_from_db()
        assert consultation.report_pdf and reports.pdf_is_fresh(consultation)
    finally:
        reports.INLINE_PDF_REMARKS = settings_limit


def test_the_comparison_marks_words_removed_and_added(client, consultation, officer):
    sections = list(consultation.sections.order_by("position"))
    end(consultation)
    adopted = "\n".join(
        [
            f"{sections[0].label} {sections[0].text}",
            f"{sections[1].label} Nowe słowa w paragrafie.",
            "§ 9. Dodany.",
        ]
    )
    client.force_login(officer)
    client.post(url("adopted_text", consultation), {"text": adopted, "reference": "Uchwała"})
    page = Client().get(url("comparison", consultation)).content.decode()
    import re

    assert re.search(r"<ins><span[^>]*>added: </span>Nowe słowa w paragrafie.</ins>", page)
    assert re.search(r"<del><span[^>]*>removed: </span>[^<]*organizacje pozarządowe", page)
    assert "Sections unchanged: 1; changed: 1; added: 1; removed: 1." in page


def test_the_export_is_for_the_bodys_officers(client, consultation, citizen, officer, organization):
    remark_on(
        consultation.sections.first(),
        author=citizen,
        organization=organization,
        justification="=HYPERLINK(1)",
    )
    client.force_login(citizen)
    assert client.get(url("export_remarks", consultation, format="csv")).status_code == 403
    client.force_login(officer)
    response = client.get(url("export_remarks", consultation, format="csv"))
    # A byte order mark first, so that spreadsheet programs read it as UTF-8 (core.exports).
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert (
        rows[0][0] == "Number"
        and rows[1][4] == organization.name
        and rows[1][7] == "'=HYPERLINK(1)"
    )
    workbook = load_workbook(
        io.BytesIO(client.get(url("export_remarks", consultation, format="xlsx")).content)
    )
    assert workbook.active.max_row == 2
    assert client.get(url("export_remarks", consultation, format="pdf")).status_code == 404


def test_hiding_from_the_page(client, consultation, citizen, officer, representative):
    remark = services.submit_remark(
        by=citizen, consultation=consultation, justification="Spam spam."
    )
    client.force_login(representative)
    assert (
        client.post(url("remark_hide", consultation, remark=remark.pk), {"reason": "x"}).status_code
        == 403
    )
    client.force_login(officer)
    client.post(url("remark_hide", consultation, remark=remark.pk), {"reason": "Reklama"})
    page = Client().get(url("whole_act", consultation)).content.decode()
    assert "Reklama" in page and "Spam spam." not in page


def test_following_needs_a_log_in(client, consultation, citizen):
    assert client.post(url("follow", consultation)).status_code == 302
    client.force_login(citizen)
    client.post(url("follow", consultation), {"follow": "1"})
    assert consultation.followers.filter(user=citizen).exists()


def test_the_calendar_file_carries_the_end(client, consultation):
    from icalendar import Calendar

    calendar = Calendar.from_ical(client.get(url("consultation_ics", consultation)).content)
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("dtend") == consultation.ends_at.replace(microsecond=0)


def test_minimum_durations_page(client, officer, body, citizen):
    client.force_login(citizen)
    assert client.get(reverse("consultations:minimum_durations")).status_code == 403
    client.force_login(officer)
    client.post(
        reverse("consultations:minimum_durations"),
        {"body": body.pk, "kind": "cooperation_programme", "days": 7},
    )
    assert body.consultation_minimums.get().days == 7


@pytest.mark.skipif(connection.vendor == "sqlite", reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_edits_of_a_remark_at_once_keep_both_versions(consultation, citizen):
    remark = services.submit_remark(
        by=citizen, consultation=consultation, justification="Wersja pierwsza."
    )
    barrier, errors = threading.Barrier(2), []

    def edit(text):
        try:
            barrier.wait()
            services.edit_remark(
                by=citizen, remark=Remark.objects.get(pk=remark.pk), justification=text
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(text,)) for text in ("Wersja A.", "Wersja B.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    versions = list(
        RemarkVersion.objects.filter(remark=remark)
        .order_by("number")
        .values_list("number", "justification")
    )
    assert [number for number, _text in versions] == [1, 2, 3]
    assert {text for _number, text in versions[1:]} == {"Wersja A.", "Wersja B."}
    remark.refresh_from_db()
    assert remark.version == 3 and remark.justification == versions[-1][1]


def test_an_organization_listed_as_invited_sees_the_form(client, consultation):
    invited = OrganizationFactory()
    person = UserFactory()
    MembershipFactory(user=person, organization=invited)
    Consultation.objects.filter(pk=consultation.pk).update(invitation=Consultation.Invitation.LIST)
    consultation.invited_organizations.set([invited])
    client.force_login(person)
    page = client.get(consultation.sections.first().get_absolute_url()).content.decode()
    assert f'<option value="{invited.pk}"' in page and 'value="citizen"' not in page


def test_the_home_page_lists_open_consultations_and_the_profile_ones_remarks(
    client, consultation, citizen
):
    ended = end(
        ConsultationFactory(issuing_body=consultation.issuing_body, title="Dawno zakończone")
    )
    home = client.get(reverse("core:home")).content.decode()
    assert consultation.title in home and ended.title not in home
    services.submit_remark(by=citizen, consultation=consultation, justification="Moja uwaga.")
    client.force_login(citizen)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Your remarks in consultations" in profile and consultation.title in profile


def test_the_site_search_finds_published_consultations_only(client, body):
    ConsultationFactory(issuing_body=body, title="Strategia rozwoju ekonomii społecznej")
    ConsultationFactory(issuing_body=body, title="Strategia szkicowa ekonomii", published_at=None)
    page = client.get(reverse("core:search"), {"q": "ekonomii"}).content.decode()
    assert "Strategia rozwoju ekonomii społecznej" in page and "Strategia szkicowa" not in page


def test_meetings_are_events_of_the_issuing_body(client, consultation, officer, body, organization):
    from tests.events.factories import EventFactory

    own = EventFactory(organizers=[body], title="Spotkanie konsultacyjne w Nysie")
    other = EventFactory(organizers=[organization], title="Cudze spotkanie")
    with pytest.raises(services.ValidationError):
        services.update_consultation(
            by=officer, consultation=consultation, data={}, meetings=[other]
        )
    services.update_consultation(by=officer, consultation=consultation, data={}, meetings=[own])
    assert list(consultation.meetings.all()) == [own]
    assert (
        "Spotkanie konsultacyjne w Nysie"
        in client.get(consultation.get_absolute_url()).content.decode()
    )
    client.force_login(officer)
    form = client.get(url("consultation_edit", consultation)).content.decode()
    assert "Spotkanie konsultacyjne w Nysie" in form and "Cudze spotkanie" not in form


def test_the_answers_list_and_the_api_report_run_bounded_queries(
    client, consultation, officer, django_assert_max_num_queries
):
    many_remarks(consultation, 80)
    end(consultation)
    client.force_login(officer)
    client.get(url("answers", consultation))
    with django_assert_max_num_queries(14):
        page = client.get(url("answers", consultation)).content.decode()
    assert page.count("Answer to remark") == 50
    with django_assert_max_num_queries(14):
        assert (
            client.get(f"/api/v1/consultations/{consultation.pk}/report/?page=1").status_code == 200
        )


def test_publishing_the_report_stores_its_pdf(consultation, citizen, officer, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    from django.test import TestCase

    remark = remark_on(consultation.sections.first(), author=citizen)
    end(consultation)
    services.answer_remark(by=officer, remark=remark, answer="accepted", justification="Tak.")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.publish_report(by=officer, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.report_pdf.name.endswith(".pdf")
    text = PdfReader(consultation.report_pdf.open("rb")).pages[0].extract_text()
    assert "Report of the consultation" in text or "Raport z konsultacji" in text


def test_the_reports_table_by_section_counts_each_section_links_to_its_remarks_and_escapes_its_name(
    client, consultation, citizen, officer
):
    first, second = consultation.sections.order_by("position")[:2]
    Section.objects.filter(pk=first.pk).update(heading="<b>Cele</b> & zasady")
    for _ in range(3):
        remark_on(first, author=citizen)
    remark_on(second, author=citizen)
    end(consultation)

    html = client.get(url("report", consultation), {"answer": "none", "page": "1"}).content.decode()

    assert "&lt;b&gt;Cele&lt;/b&gt; &amp; zasady" in html and "<b>Cele</b>" not in html
    # Each section's row links to the report of its remarks, keeping the other filters, on page 1.
    assert f'<a href="?answer=none&amp;section={first.pk}">' in html
    assert '<td data-label="Remarks">3</td>' in html and '<td data-label="Remarks">1</td>' in html
    linked = client.get(url("report", consultation), {"answer": "none", "section": first.pk}).content.decode()
    assert linked.count('class="remark') == 3


def test_the_table_of_contents_links_each_section_with_its_count_of_remarks_in_the_visitors_language(
    client, consultation, citizen
):
    first, second, third = consultation.sections.order_by("position")
    Section.objects.filter(pk=second.pk).update(heading="Cele <i>i</i> zasady")
    remark_on(first, author=citizen)
    for _ in range(2):
        remark_on(second, author=citizen)

    english = client.get(url("consultation_detail", consultation)).content.decode()
    polish = client.get(f"/pl/consultations/{consultation.pk}/").content.decode()

    assert f'<a href="/en/consultations/{consultation.pk}/sections/{first.pk}/">' in english
    assert "Cele &lt;i&gt;i&lt;/i&gt; zasady" in english
    assert "<span>1 remark</span>" in english and "<span>2 remarks</span>" in english and "<span>0 remarks</span>" in english
    assert f'<a href="/pl/consultations/{consultation.pk}/sections/{third.pk}/">' in polish
    assert "<span>2 uwagi</span>" in polish and "<span>1 uwaga</span>" in polish


def test_after_submitting_a_remark_the_page_that_lists_it_opens_at_it(client, consultation, citizen):
    section = consultation.sections.order_by("position").first()
    people = [UserFactory() for _ in range(3)]
    for number in range(55):  # more than a page of remarks before it
        remark_on(section, author=people[number % 3], justification=f"Uwaga {number}")
    client.force_login(citizen)

    response = client.post(section.get_absolute_url(), {"organization": "citizen", "justification": "Moja uwaga na końcu."})

    mine = Remark.objects.get(author=citizen)
    assert response.status_code == 302
    assert response["Location"] == f"{section.get_absolute_url()}?page=2#remark-{mine.pk}"
    assert "Moja uwaga na końcu." in client.get(response["Location"].split("#")[0]).content.decode()
    first = client.post(url("whole_act", consultation), {"organization": "citizen", "justification": "O całości."})
    assert first["Location"].endswith(f"/whole-act/#remark-{Remark.objects.get(section=None).pk}")
