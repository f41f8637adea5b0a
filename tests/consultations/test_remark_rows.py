"""What a remark shows, and to whom, on every page that lists remarks (drawn by
consultations/remark_macros.html): its author, its wording, its answer, its links."""

import os
from pathlib import Path

import pytest
from django.db.models import F
from django.urls import reverse

from civicbridge.consultations import services
from civicbridge.consultations.models import Remark, Section, SectionVersion
from tests.accounts.factories import UserFactory
from tests.consultations.factories import end, remark_on
from tests.directory.factories import OrganizationFactory


def url(name, consultation, **kwargs):
    return reverse(f"consultations:{name}", kwargs={"pk": consultation.pk, **kwargs})


def page(client, address, name=""):
    html = client.get(address).content.decode()
    # DUMP_REMARK_PAGES=<dir>: keep the pages to compare two ways of drawing them.
    if os.environ.get("DUMP_REMARK_PAGES") and name:
        Path(os.environ["DUMP_REMARK_PAGES"], f"{name}.html").write_text(html)
    return html


@pytest.fixture
def remarks(consultation, citizen, officer):
    """A remark of each kind on the first section: by an organization with a proposed
    wording, a citizen's on an earlier wording (changed since), a hidden one; and one on the
    whole act."""
    section = consultation.sections.first()
    organization = OrganizationFactory(name='Stowarzyszenie "Razem" & Przyjaciele')
    by_organization = remark_on(
        section, author=UserFactory(), organization=organization, proposed_wording="Brzmienie <nowe>.",
        justification="Uzasadnienie **ważne**.",
    )
    earlier = remark_on(section, author=citizen, proposed_wording="", justification="Do starego brzmienia.")
    Section.objects.filter(pk=section.pk).update(version=F("version") + 1, text="Nowa treść paragrafu.")
    SectionVersion.objects.create(section=section, number=2, label=section.label, heading=section.heading,
                                  text="Nowa treść paragrafu.")
    Remark.objects.filter(pk=earlier.pk).update(version=2)
    hidden = remark_on(section, author=UserFactory(), justification="Tekst obraźliwy.")
    services.hide_remark(by=officer, remark=hidden, reason="Naruszenie regulaminu")
    whole = remark_on(None, consultation=consultation, author=citizen, justification="Do całości.")
    return {"section": section, "by_organization": by_organization, "earlier": earlier, "hidden": hidden,
            "whole": whole, "organization": organization}


def test_a_section_shows_each_remark_with_its_author_wording_and_state(client, consultation, remarks):
    html = page(client, remarks["section"].get_absolute_url(), "section-anonymous")
    assert "Stowarzyszenie &#34;Razem&#34; &amp; Przyjaciele" in html
    assert "Brzmienie &lt;nowe&gt;." in html and "Uzasadnienie <strong>ważne</strong>." in html
    assert "Citizen" in html and "changed" in html
    assert "Made on an earlier wording of the section (version 1)." in html
    assert "Treść paragrafu" in html  # the wording it was made on, under "details"
    assert "Hidden by the moderator: Naruszenie regulaminu" in html and "Tekst obraźliwy." not in html
    assert 'class="remark remark-hidden"' in html
    assert "Do całości." not in html  # a remark on the whole act is on its own page
    assert "Change your remark" not in html and "Hide" not in html


def test_the_author_may_change_their_own_remark_while_the_consultation_is_open(client, consultation, remarks, citizen):
    client.force_login(citizen)
    html = page(client, remarks["section"].get_absolute_url(), "section-author")
    edit = url("remark_edit", consultation, remark=remarks["earlier"].pk)
    assert html.count("Change your remark") == 1 and f'href="{edit}"' in html
    end(consultation)
    assert "Change your remark" not in page(client, remarks["section"].get_absolute_url())


def test_the_bodys_officer_moderates_and_after_the_end_answers(client, consultation, remarks, officer):
    client.force_login(officer)
    html = page(client, remarks["section"].get_absolute_url(), "section-officer")
    hide = url("remark_hide", consultation, remark=remarks["by_organization"].pk)
    assert f'href="{hide}"' in html and f"remark {remarks['by_organization'].pk}" in html
    assert "Moderation" in html  # the hidden one: its moderation, not "Hide"
    assert "remark_answer" not in html and "/answer/" not in html
    end(consultation)
    html = page(client, remarks["section"].get_absolute_url(), "section-officer-closed")
    answer = url("remark_answer", consultation, remark=remarks["by_organization"].pk)
    assert f'href="{answer}"' in html
    assert url("remark_answer", consultation, remark=remarks["hidden"].pk) not in html


def test_the_whole_act_page_and_the_report_show_their_remarks(client, consultation, remarks, officer):
    html = page(client, url("whole_act", consultation), "whole-act")
    assert "Do całości." in html and "Uzasadnienie" not in html
    end(consultation)
    Remark.objects.filter(hidden_at__isnull=True).update(
        answer="rejected", answer_justification="Nie.", answer_justification_html="<p>Nie.</p>"
    )
    Remark.objects.filter(pk=remarks["by_organization"].pk).update(
        answer="accepted", answer_justification="Tak.", answer_justification_html="<p>Przyjęta w całości.</p>"
    )
    services.publish_report(by=officer, consultation=consultation)
    report = page(client, url("report", consultation), "report")
    assert report.count('class="remark') == 4
    assert "Przyjęta w całości." in report and "Answer" in report
    assert f'href="{remarks["section"].get_absolute_url()}"' in report and "whole act" in report
    assert "Change your remark" not in report


def test_the_answer_pages_show_the_remark_they_answer(client, consultation, remarks, officer):
    end(consultation)
    client.force_login(officer)
    one = page(client, url("remark_answer", consultation, remark=remarks["by_organization"].pk), "remark-answer")
    assert f'<h2 id="remark-{remarks["by_organization"].pk}-heading"' in one
    assert "Brzmienie &lt;nowe&gt;." in one and f'href="{remarks["section"].get_absolute_url()}"' in one
    listing = page(client, url("answers", consultation), "answers")
    assert listing.count('class="remark') >= 4 and "Do całości." in listing


def test_remarks_speak_the_readers_language(client, consultation, remarks):
    html = page(client, remarks["section"].get_absolute_url().replace("/en/", "/pl/", 1), "section-pl")
    assert "Ukryta przez moderatora: Naruszenie regulaminu" in html
    assert "Mieszkaniec" in html and "Citizen" not in html
