"""Full-text search: words are normalized in Python (lemmas, folded accents, Turkish i),
then matched by SQLite FTS5 or PostgreSQL full-text search."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicbridge.core.search import MAX_QUERY_TERMS, build_document, query_terms, search, word_forms
from civicbridge.directory.models import Organization
from tests.directory.factories import OrganizationFactory


def _document_words(*parts):
    return set(build_document(*parts).split())


def _found_by(query: str, document_text: str) -> bool:
    """Does ``query`` match ``document_text`` the way the search backends match it?

    Pure-Python model of both backends: every query word must match one document
    word exactly, by its folded form or one of its lemmas; the last query word may
    also be the beginning of a document word (it may still be being typed).
    """
    document = _document_words(document_text)
    terms = query_terms(query)
    return all(
        term.folded in document or any(form in document for form in term.forms)
        or any(all(set(forms) & document for forms in phrase) for phrase in term.phrases)
        or (index == len(terms) - 1 and any(word.startswith(term.folded) for word in document))
        for index, term in enumerate(terms)
    )


# --- normalization -----------------------------------------------------------------------


def test_a_plural_polish_query_finds_the_singular_in_a_document():
    assert _found_by("organizacje", "Organizacja Pożytku Publicznego")


def test_a_polish_query_in_another_case_finds_the_document():
    assert _found_by("stowarzyszeniu", "Stowarzyszenie Przyjaciół Nysy")


def test_a_turkish_possessive_query_finds_the_bare_noun():
    assert _found_by("derneği", "Orhangazi Kültür Dernek Merkezi")


def test_a_turkish_possessive_query_finds_the_same_possessive():
    assert _found_by("derneği", "Orhangazi Kültür ve Sanat Derneği")


def test_a_bare_turkish_noun_finds_the_possessive_in_a_document():
    assert _found_by("dernek", "Orhangazi Kültür ve Sanat Derneği")


def test_a_query_typed_without_turkish_letters_finds_them():
    assert _found_by("Ozel", "Özel Eğitim Vakfı")
    assert _found_by("egitim vakfi", "Özel Eğitim Vakfı")


def test_turkish_dotted_capital_i_folds_like_the_lower_case_word():
    assert word_forms("İstanbul") == word_forms("istanbul")
    assert _found_by("istanbul", "İstanbul Gönüllüleri")
    assert _found_by("İSTANBUL", "istanbul gönüllüleri")


def test_turkish_dotless_capital_i_folds_to_plain_i():
    assert word_forms("IĞDIR") == word_forms("Iğdır")
    assert _found_by("igdir", "IĞDIR Gençlik Derneği")


def test_polish_diacritics_fold_to_plain_letters():
    assert word_forms("Łódź") == word_forms("lodz")
    assert _found_by("lodz", "Fundacja Łódź Kreatywna")
    assert _found_by("ŻÓŁW", "zolw")


def test_a_word_prefix_finds_the_whole_word():
    assert _found_by("stowarz", "Stowarzyszenie Przyjaciół Nysy")


def test_only_the_last_word_may_be_unfinished():
    assert _found_by("przyjaciół ny", "Stowarzyszenie Przyjaciół Nysy")
    assert not _found_by("przyjac nysy", "Stowarzyszenie Przyjaciół Nysy")


def test_every_query_word_must_match():
    assert _found_by("stowarzyszenie nysy", "Stowarzyszenie Przyjaciół Nysy")
    assert not _found_by("stowarzyszenie opola", "Stowarzyszenie Przyjaciół Nysy")


def test_a_document_lists_each_form_once():
    document = build_document("Dernek dernek DERNEK", "dernek")

    assert document.split().count("dernek") == 1


def test_a_document_skips_empty_parts():
    assert build_document(None, "", "Nysa") == build_document("Nysa")


def test_a_number_written_in_groups_finds_the_number_stored_as_digits():
    assert _found_by("123-456-32-18", "1234563218")
    assert _found_by("123-45-63-218", "1234563218")
    assert _found_by("fundacja 000 012 3456", "Fundacja 0000123456")


@pytest.mark.parametrize("query", ["PL1234563218", "PL 123-456-32-18", "pl 1234563218", "EL 1234563218"])
def test_a_tax_number_with_its_eu_vat_prefix_finds_the_number_alone(query):
    assert _found_by(query, "1234563218")


def test_two_letters_before_a_number_stay_a_word_unless_they_are_a_vat_prefix():
    assert [term.folded for term in query_terms("ul 1234563218")] == ["ul", "1234563218"]
    assert [term.folded for term in query_terms("PL 2024")] == ["pl", "2024"]


def test_a_number_in_groups_still_finds_a_document_that_holds_the_groups():
    assert _found_by("16-123-4567", "Dernek 16-123-4567")


def test_a_date_or_a_period_in_a_query_stays_separate_words():
    assert [term.folded for term in query_terms("Erasmus+ 2021-2027")] == ["erasmus", "2021", "2027"]
    assert [term.folded for term in query_terms("2024-01-23")] == ["2024", "01", "23"]


def test_a_query_keeps_at_most_the_maximum_number_of_terms():
    query = " ".join(f"word{n}" for n in range(MAX_QUERY_TERMS + 5))

    assert len(query_terms(query)) == MAX_QUERY_TERMS


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "-", ":", "(", ")", "^", "'", "&|!", "_"])
def test_a_query_without_words_has_no_terms(query):
    assert query_terms(query) == []


# --- search() against the database ----------------------------------------------------------


@pytest.fixture
def nysa_association(municipality):
    return OrganizationFactory(name="Stowarzyszenie Przyjaciół Nysy", territory=municipality, description="")


@pytest.fixture
def turkish_association(municipality):
    return OrganizationFactory(name="Orhangazi Kültür ve Sanat Derneği", territory=municipality, description="")


@pytest.fixture
def special_education_foundation(municipality):
    return OrganizationFactory(name="Özel Eğitim Vakfı", territory=municipality, description="")


@pytest.fixture
def lodz_foundation(municipality):
    return OrganizationFactory(name="Fundacja Łódź Kreatywna", territory=municipality, description="")


@pytest.fixture
def catalogue(nysa_association, turkish_association, special_education_foundation, lodz_foundation):
    return [nysa_association, turkish_association, special_education_foundation, lodz_foundation]


def _names(query):
    return set(search(Organization.objects.all(), query).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stowarz", "Stowarzyszenie Przyjaciół Nysy"),
        ("stowarzyszeniu", "Stowarzyszenie Przyjaciół Nysy"),
        ("derneği", "Orhangazi Kültür ve Sanat Derneği"),
        ("dernek", "Orhangazi Kültür ve Sanat Derneği"),
        ("Ozel", "Özel Eğitim Vakfı"),
        ("EGITIM", "Özel Eğitim Vakfı"),
        ("lodz", "Fundacja Łódź Kreatywna"),
        ("ŁÓDŹ", "Fundacja Łódź Kreatywna"),
    ],
)
def test_search_finds_exactly_the_matching_organization(catalogue, query, expected):
    assert _names(query) == {expected}


def test_search_finds_an_organization_by_its_territory(catalogue):
    # Nysa is the municipality of all four; the document holds its names in three languages.
    assert len(_names("Nysa")) == 4


def test_search_requires_every_query_word(catalogue):
    assert _names("fundacja kreatywna") == {"Fundacja Łódź Kreatywna"}
    assert _names("fundacja derneği") == set()


def test_search_with_a_word_found_nowhere_returns_nothing(catalogue):
    assert _names("kolarstwo") == set()


@pytest.mark.parametrize("query", ["", "   ", "!!!", '""'])
def test_an_empty_or_wordless_query_returns_everything(catalogue, query):
    assert search(Organization.objects.all(), query).count() == len(catalogue)


def test_search_narrows_the_given_queryset_and_not_the_whole_table(catalogue, nysa_association):
    others = Organization.objects.exclude(pk=nysa_association.pk)

    assert not search(others, "stowarzyszenie").exists()


def test_search_composes_with_ordering_and_further_filters(catalogue):
    found = search(Organization.objects.filter(name__startswith="F"), "Nysa").order_by("-name")

    assert list(found.values_list("name", flat=True)) == ["Fundacja Łódź Kreatywna"]


def test_search_follows_a_changed_search_document(nysa_association):
    Organization.objects.filter(pk=nysa_association.pk).update(search_document=build_document("Klub Sportowy"))

    assert _names("klub") == {"Stowarzyszenie Przyjaciół Nysy"}
    assert _names("stowarzyszenie") == set()


def test_a_deleted_organization_is_no_longer_found(nysa_association):
    nysa_association.delete()

    assert _names("stowarzyszenie") == set()


@pytest.mark.parametrize(
    "query",
    [
        '"', '""', '"stowarz', "stowarz*", "*", "**", "OR", "AND", "NOT", "NEAR", "stowarz OR nysa", "a AND",
        "-", "-stowarz", "--", ":", "name:stowarz", "search_document:x", "(", ")", "(stowarz", "stowarz)",
        "^stowarz", "{stowarz}", "[x]", "'", "stow'arz", "a & b", "a | b", "!a", "a <-> b", "a:*", "\\",
        "%", "_", "a\u0000b", "NEAR(stowarz nysa)", "x" * 500, "ǅ ﬁ ² 中文", "🙂 organizacje",
    ],
)
def test_query_syntax_characters_never_raise(catalogue, query):
    list(search(Organization.objects.all(), query))


def test_fts_operator_words_in_a_query_are_searched_as_words(municipality):
    OrganizationFactory(name="Klub OR Not", territory=municipality, description="")
    OrganizationFactory(name="Klub Tenisowy", territory=municipality, description="")

    assert _names("klub not") == {"Klub OR Not"}


# --- property: every word of a text finds the text -----------------------------------------------------

POLISH = "aąbcćdeęfghijklłmnńoóprsśtuwyzźż"
TURKISH = "abcçdefgğhıijklmnoöprsştuüvyz"
LETTERS = "".join(sorted(set(POLISH + POLISH.upper() + TURKISH + TURKISH.upper() + "İ")))

texts = st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=15), min_size=1, max_size=6).map(" ".join)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_every_word_of_a_text_finds_the_document_built_from_it(organization, text):
    Organization.objects.filter(pk=organization.pk).update(search_document=build_document(text))
    mine = Organization.objects.filter(pk=organization.pk)

    for word in text.split():
        assert search(mine, word).exists(), (word, build_document(text))


# --- a search's matches: newest first, counted exactly, every page reachable -----------------


@pytest.fixture
def five_sports_clubs_among_others(municipality):
    OrganizationFactory.create_batch(3, territory=municipality)
    clubs = [OrganizationFactory(name=f"Klub Sportowy Nr {n}", territory=municipality) for n in range(5)]
    OrganizationFactory.create_batch(2, territory=municipality)
    return clubs


def _listed_names(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [organization.name for organization in response.context["page"].object_list], response


def test_a_search_lists_its_newest_matches_first_page_after_page_with_the_true_count(
    client, settings, five_sports_clubs_among_others
):
    settings.CIVICBRIDGE_PAGE_SIZE = 2
    newest_first = [club.name for club in reversed(five_sports_clubs_among_others)]

    first, response = _listed_names(client, "/en/organizations/?q=klub+sportowy")
    second, _ = _listed_names(client, "/en/organizations/?q=klub+sportowy&page=2")
    third, last = _listed_names(client, "/en/organizations/?q=klub+sportowy&page=3")

    assert first != second
    assert first + second + third == newest_first
    assert "5 organizations" in response.content.decode()
    assert "Page 3 of 3" in last.content.decode()
    assert "narrow the search" not in response.content.decode()


def test_the_api_search_lists_its_newest_matches_first_with_the_exact_count(client, five_sports_clubs_among_others):
    body = client.get("/api/v1/organizations/", {"search": "klub sportowy"}).json()

    names = [item["name"] for item in body["results"]]
    assert names == [c.name for c in reversed(five_sports_clubs_among_others)]
    assert body["count"] == 5
    assert body["count_is_exact"] is True


def test_hundreds_of_matches_are_counted_and_paged_to_the_last(client, settings, municipality):
    settings.CIVICBRIDGE_PAGE_SIZE = 100
    clubs = OrganizationFactory.create_batch(260, territory=municipality, name="Klub Sportowy")
    OrganizationFactory.create_batch(5, territory=municipality)

    names, response = _listed_names(client, "/en/organizations/?q=klub&page=3")

    assert "260 organizations" in response.content.decode()
    assert len(names) == 60
    assert list(response.context["page"].object_list)[-1].pk == clubs[0].pk  # the oldest match, last


def test_a_search_with_a_chosen_order_keeps_it(client, five_sports_clubs_among_others):
    names, _ = _listed_names(client, "/en/organizations/?q=klub&ordering=name")

    assert names == sorted(club.name for club in five_sports_clubs_among_others)


def test_a_search_and_a_filter_both_count_exactly(client, five_sports_clubs_among_others):
    assert "5 organizations" in client.get("/en/organizations/?q=klub").content.decode()
    assert "10 organizations" in client.get("/en/organizations/?kind=ngo").content.decode()


# --- what people type: abbreviations and registry numbers ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "name"), [
    ("OSP", "Ochotnicza Straż Pożarna w Nysie"),
    ("kgw nysa", "Koło Gospodyń Wiejskich w Nysie"),
    ("UKS", "Uczniowski Klub Sportowy Orlik"),
    ("osp", "OSP Głuchołazy"),
])
def test_an_abbreviation_finds_the_names_it_stands_for(query, name):
    wanted = OrganizationFactory(name=name)
    OrganizationFactory(name="Stowarzyszenie Przyjaciół Nysy")

    assert list(search(Organization.objects.all(), query)) == [wanted]
    assert _found_by(query, name)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["0000123456", "123456", "fundacja 123456", "0000-123-456", "fundacja 0000 123 456"])
def test_a_krs_number_is_found_with_or_without_its_leading_zeros_or_in_groups(query):
    wanted = OrganizationFactory(name="Fundacja Pomocy", registry_type="krs", registry_number="0000123456")
    OrganizationFactory(name="Fundacja Inna", registry_type="krs", registry_number="0000654321")

    assert list(search(Organization.objects.all(), query)) == [wanted]


@pytest.mark.django_db
def test_a_word_that_is_no_abbreviation_does_not_widen_the_search():
    OrganizationFactory(name="Ochotnicza Straż Pożarna w Nysie")

    assert not search(Organization.objects.all(), "osa").exists()


def test_a_searched_queryset_inside_another_query_tests_its_own_rows(catalogue):
    # In a subquery the search tests the subquery's rows, not the outer query's: the first match
    # by name is the association, whichever organization the outer query looks at.
    first_match = search(Organization.objects.all(), "stowarzyszenie").order_by("name").values("pk")[:1]

    assert list(Organization.objects.filter(pk__in=first_match).values_list("name", flat=True)) == [
        "Stowarzyszenie Przyjaciół Nysy",
    ]
    assert Organization.objects.exclude(pk__in=first_match).count() == 3
