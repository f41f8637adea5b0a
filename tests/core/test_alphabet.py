"""Names and menus in the alphabet of their language (core.text.alphabetical_key,
core.collation): Polish "Łask" after every name in L, Turkish "Çorum" after every name in C,
where folding each letter to its base letter mixed them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.utils import translation

from civicbridge.core.collation import collation_locale, compare_names
from civicbridge.core.countries import country_choices
from civicbridge.core.text import alphabetical_key, lower
from civicbridge.directory.models import Organization
from tests.directory.factories import OrganizationFactory

POLISH = ["Lubin", "Łask", "Ostrów", "Ósemka", "Zabrze", "Źródła", "Żary"]
TURKISH = ["Cide", "Çorum", "Hopa", "Ilgaz", "İzmir", "Ordu", "Ödemiş", "Sinop", "Şile", "Uşak", "Üsküdar"]


def _shuffled(names):
    return list(reversed(names[::2])) + names[1::2]


def test_polish_letters_come_after_their_base_letters():
    assert sorted(_shuffled(POLISH), key=lambda name: alphabetical_key(name, "pl")) == POLISH


def test_turkish_letters_come_after_their_base_letters_and_dotless_i_before_i():
    assert sorted(_shuffled(TURKISH), key=lambda name: alphabetical_key(name, "tr")) == TURKISH


def test_case_does_not_count_in_the_language_s_own_capitals():
    assert alphabetical_key("IŞIK", "tr") == alphabetical_key("ışık", "tr")
    assert alphabetical_key("İZMİR", "tr") == alphabetical_key("izmir", "tr")
    assert alphabetical_key("ŁÓDŹ", "pl") == alphabetical_key("łódź", "pl")
    assert lower("IŞIK", "tr") == "ışık"
    assert lower("IŞIK", "en") == "işik"


def test_other_languages_sort_a_letter_as_its_base_letter():
    assert sorted(["Lubin", "Łask", "Ćma", "Cyprian"], key=lambda name: alphabetical_key(name, "en")) == [
        "Ćma", "Cyprian", "Łask", "Lubin",
    ]


def _position(choices, name):
    return [label for _code, label in choices].index(name)


def test_country_menus_follow_the_page_s_alphabet():
    with translation.override("pl"):
        polish = country_choices()
    assert _position(polish, "Litwa") < _position(polish, "Luksemburg") < _position(polish, "Łotwa")
    assert _position(polish, "Łotwa") < _position(polish, "Macedonia Północna")


def test_a_country_menu_is_in_the_language_of_each_page_drawn_in_turn():
    menus = {}
    for language in ("pl", "tr", "en", "pl", "tr"):
        with translation.override(language):
            menus.setdefault(language, []).append(country_choices())
    assert all(first == again for first, again in (menus["pl"], menus["tr"]))
    names = {language: dict(choices[0])["DE"] for language, choices in menus.items()}
    assert names == {"pl": "Niemcy", "tr": "Almanya", "en": "Germany"}
    turkish = menus["tr"][0]
    # Turkish order: Ç after every C, İ among the I's after H
    assert _position(turkish, "Bulgaristan") < _position(turkish, "Çekya") < _position(turkish, "Danimarka")
    assert _position(turkish, "Hırvatistan") < _position(turkish, "İrlanda") < _position(turkish, "Kıbrıs")


def test_the_database_collation_follows_the_deployment_s_language():
    with override_settings(LANGUAGE_CODE="pl"):
        assert collation_locale() == "pl"
    with override_settings(LANGUAGE_CODE="tr"):
        assert collation_locale() == "tr"
    with override_settings(LANGUAGE_CODE="en"):
        assert collation_locale() == "und"


def test_sqlite_s_collation_compares_in_the_deployment_s_alphabet():
    with override_settings(LANGUAGE_CODE="pl"):
        assert compare_names("Łask", "Lubin") == 1
        assert compare_names("Lubin", "Lubin") == 0
    with override_settings(LANGUAGE_CODE="tr"):
        assert compare_names("Çorum", "Cide") == 1
        assert compare_names("Ilgaz", "İzmir") == -1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's collation is made by the migration (below)")
@pytest.mark.django_db
@pytest.mark.parametrize(("language", "names"), [
    ("pl", ["Cyprian", "Czapla", "Ćma", "Lubin", "Łask", "Zabrze", "Źródła", "Żary"]),
    ("tr", ["Cide", "Çorum", "Ilgaz", "İzmir", "Sinop", "Şile"]),
])
def test_the_registry_lists_names_in_the_deployment_s_alphabet(municipality, language, names):
    with override_settings(LANGUAGE_CODE=language):
        for name in _shuffled(names):
            OrganizationFactory(name=name, territory=municipality)

        assert list(Organization.objects.order_by("name").values_list("name", flat=True)) == names
        assert list(Organization.objects.order_by("-name").values_list("name", flat=True)) == names[::-1]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's collation is made by the migration")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_moves_the_names_from_the_root_order_to_the_deployment_s_and_back(municipality):
    for name in ["Czapla", "Ćma", "Cyprian", "Łask", "Lubin", "Çorum", "Cide"]:
        OrganizationFactory(name=name, territory=municipality)

    def names():
        return list(Organization.objects.order_by("name").values_list("name", flat=True))

    before = [("core", "0013_name_collation")]
    try:
        _migrate(before)
        # ICU's root order: ć and ç beside c, ł beside l.
        assert names() == ["Cide", "Ćma", "Çorum", "Cyprian", "Czapla", "Łask", "Lubin"]
        with override_settings(LANGUAGE_CODE="pl"):
            _migrate(None)
        assert names() == ["Cide", "Çorum", "Cyprian", "Czapla", "Ćma", "Lubin", "Łask"]
        _migrate(before)
        with override_settings(LANGUAGE_CODE="tr"):
            _migrate(None)
        assert names() == ["Cide", "Ćma", "Cyprian", "Czapla", "Çorum", "Łask", "Lubin"]
    finally:
        _migrate(before)
        _migrate(None)  # the tests' own language again
