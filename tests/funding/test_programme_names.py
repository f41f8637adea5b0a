"""A programme is named with its code once: "Erasmus+ (ERASMUS)", and an official name that ends
with its code ("Citizens, Equality, Rights and Values (CERV)") is not followed by it again."""

import pytest

from civicbridge.funding.models import Programme
from tests.funding.factories import CallFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "code", "label"), [
    ("Erasmus+", "ERASMUS", "Erasmus+ (ERASMUS)"),
    ("Obywatele, Równość, Prawa i Wartości (CERV)", "CERV", "Obywatele, Równość, Prawa i Wartości (CERV)"),
    ("Japonya Sosyal Kalkınma Fonu (JSDF)", "JSDF", "Japonya Sosyal Kalkınma Fonu (JSDF)"),
    ("Programme for the Environment and Climate Action (Life)", "LIFE",
     "Programme for the Environment and Climate Action (Life)"),
    ("LIFE", "LIFE", "LIFE"),
    ("Gençlik Projeleri Destek Programı", "", "Gençlik Projeleri Destek Programı"),
])
def test_a_programme_s_label_names_its_code_once(name, code, label):
    assert Programme.display_name(name, code) == label
    assert str(Programme(name=name, code=code)) == label


def test_the_call_list_menu_the_call_page_and_the_funders_page_name_the_code_once(client):
    programme = ProgrammeFactory(name="Çevre ve İklim Eylemi Programı (LIFE)", code="LIFE")
    call = CallFactory(programme=programme)

    for url in ("/en/calls/", call.get_absolute_url(), "/en/funders/"):
        page = client.get(url).content.decode()
        assert "Çevre ve İklim Eylemi Programı (LIFE)" in page, url
        assert "(LIFE) (LIFE)" not in page, url
