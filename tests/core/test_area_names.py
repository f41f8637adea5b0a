"""The names of a list row's thematic areas, read for a page of rows (core.selectors.with_area_names)."""

from django.utils import translation

from civicbridge.core.models import ThematicArea
from civicbridge.core.selectors import with_area_names
from civicbridge.directory.models import Organization
from tests.directory.factories import OrganizationFactory


def test_each_row_gets_its_own_areas_names_in_the_areas_order_and_the_pages_language(municipality):
    first, second, third = ThematicArea.objects.order_by("scheme", "position", "code")[:3]
    untranslated = ThematicArea.objects.create(
        code="test-untranslated", scheme=ThematicArea.Scheme.EU_THEME, name_en="Only in English", position=999
    )
    one = OrganizationFactory(territory=municipality)
    one.thematic_areas.set([third, untranslated, first])
    other = OrganizationFactory(territory=municipality)
    other.thematic_areas.set([second])
    bare = OrganizationFactory(territory=municipality)
    rows = Organization.objects.filter(pk__in=[one.pk, other.pk, bare.pk]).order_by("pk")

    with translation.override("pl"):
        named = with_area_names(rows)
    assert [row.pk for row in named] == [one.pk, other.pk, bare.pk]
    expected = [area.name_pl or area.name_en for area in ThematicArea.objects.filter(pk__in=[first.pk, third.pk, untranslated.pk])]
    assert named[0].area_names == expected
    assert named[0].area_names[-1] == "Only in English"  # no Polish name: the English one, not a blank tag
    assert named[1].area_names == [second.name_pl]
    assert named[2].area_names == []

    with translation.override("en"):
        assert with_area_names(rows)[1].area_names == [second.name_en]


def test_a_page_of_rows_reads_its_names_in_one_query(municipality, django_assert_num_queries):
    area = ThematicArea.objects.first()
    organizations = [OrganizationFactory(territory=municipality) for _ in range(5)]
    for organization in organizations:
        organization.thematic_areas.set([area])
    with django_assert_num_queries(1):
        named = with_area_names(organizations)
    assert all(row.area_names == [area.name_en] for row in named)


def test_no_rows_ask_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert with_area_names(Organization.objects.none()) == []


def test_names_of_a_relation_without_translations_are_its_objects_names_in_their_order(municipality):
    from civicbridge.core.selectors import with_names
    from civicbridge.events.models import Event
    from tests.events.factories import EventFactory

    zeta = OrganizationFactory(territory=municipality, name="Zeta Foundation")
    alpha = OrganizationFactory(territory=municipality, name="Alpha Association")
    event = EventFactory(organizers=[zeta, alpha])
    alone = EventFactory()

    named = with_names(Event.objects.filter(pk__in=[event.pk, alone.pk]).order_by("pk"), "organizers", "organizer_names")

    assert named[0].organizer_names == ["Alpha Association", "Zeta Foundation"]  # the organizations' order
    assert named[1].organizer_names == []


def test_the_events_list_shows_each_event_s_organizers_by_name(client, municipality):
    from tests.events.factories import EventFactory

    zeta = OrganizationFactory(territory=municipality, name="Zeta Foundation")
    alpha = OrganizationFactory(territory=municipality, name="Alpha Association")
    EventFactory(title="Writing an offer", organizers=[zeta, alpha])

    page = client.get("/en/events/").content.decode()

    assert "Alpha Association, Zeta Foundation" in page


def test_the_query_compiled_once_reads_each_pages_own_rows_and_the_names_as_they_are_now(municipality):
    from civicbridge.core import selectors

    first, second = ThematicArea.objects.order_by("scheme", "position", "code")[:2]
    pages = []
    for area in (first, second):
        page = [OrganizationFactory(territory=municipality) for _ in range(2)]
        for organization in page:
            organization.thematic_areas.set([area])
        pages.append(page)
    selectors._compiled_related_values.cache_clear()

    with translation.override("en"):
        assert [row.area_names for row in with_area_names(pages[0])] == [[first.name_en]] * 2
        assert [row.area_names for row in with_area_names(pages[1])] == [[second.name_en]] * 2
        ThematicArea.objects.filter(pk=first.pk).update(name_en="Renamed a moment ago")
        assert [row.area_names for row in with_area_names(pages[0])] == [["Renamed a moment ago"]] * 2
        assert with_area_names(pages[0][:1])[0].area_names == ["Renamed a moment ago"]
    info = selectors._compiled_related_values.cache_info()
    assert (info.misses, info.hits) == (2, 2)  # pages of two rows, and of one
