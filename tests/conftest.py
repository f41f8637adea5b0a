import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_cache_and_lockouts():
    # Throttling and lock-out counters live in the cache; tests must not inherit them.
    cache.clear()
    # A transactional test's flush recreates the content types under new ids; the ids this
    # process remembers would then name nothing (former slugs, the admin's log).
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    cache.clear()


@pytest.fixture
def region(db):
    from civicbridge.core.models import Territory

    return Territory.objects.get(country="PL", level=Territory.Level.REGION, code="16")


@pytest.fixture
def county(region):
    return region.children.get(code="1607")  # powiat nyski


@pytest.fixture
def municipality(county):
    return county.children.get(code="1607053")  # Nysa


@pytest.fixture
def other_county(region):
    return region.children.get(code="1601")  # powiat brzeski


@pytest.fixture
def user(db):
    from tests.accounts.factories import UserFactory

    return UserFactory()


@pytest.fixture
def coordinator(db):
    from tests.accounts.factories import UserFactory

    return UserFactory(is_coordinator=True, is_staff=True)


@pytest.fixture
def organization(municipality):
    from tests.directory.factories import OrganizationFactory

    return OrganizationFactory(territory=municipality)


@pytest.fixture
def representative(organization):
    from tests.accounts.factories import MembershipFactory, UserFactory

    person = UserFactory()
    MembershipFactory(user=person, organization=organization)
    return person


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher takes most of a second per user by design; tests make hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reference_data(request):
    # Transactional tests end with a flush that empties the territories and thematic areas
    # the migrations loaded; a test that runs after one in the same process reloads them.
    names = set(request.fixturenames)
    uses_database = bool(request.node.get_closest_marker("django_db"))
    if not uses_database and names & {"db", "transactional_db"}:
        # Asked for through another fixture: open the database before looking at it.
        request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
        uses_database = True
    if uses_database:
        from civicbridge.core.models import Territory

        if not Territory.objects.exists():
            from civicbridge.core.reference import load_territories, load_thematic_areas

            load_territories()
            load_thematic_areas()
    yield


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise():
    # A request under /pl/ or /tr/ leaves its language active in the thread; messages
    # asserted in English would then depend on which test ran before.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
