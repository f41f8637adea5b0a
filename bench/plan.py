"""What the load generator may ask for, read from the database at the start of a run.

Every organization, published call and open partner request (the load draws them with a
Zipf skew, so each can be hit and a few are hit often), the filter values, search terms
taken from the data (words of organization and call names as written, other inflected
forms of them, two-word phrases) and the accounts the load logs in with.
"""

import itertools
import math
import random
import re
from datetime import date, timedelta

from bench.generate import (
    ABROAD_PLACES,
    PARTNER_COUNTRIES,
    PARTNER_KINDS,
    PASSWORD,
    POPULAR_CALLS,
    REQUESTS_WITH_A_CALL,
    REQUESTS_WITH_TERRITORIES,
)

PAGE_SIZE = 25
WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
# Other forms of the words the registry's names are made of (Polish and Turkish inflect):
# a visitor types "stowarzyszenie" or "seniorzy" as often as the name's "Stowarzyszenia"
# or "Seniorów". Search must find them through its dictionaries, not by the exact form.
INFLECTED = {
    "stowarzyszenie": ["stowarzyszenia", "stowarzyszeń", "stowarzyszeniu"],
    "fundacja": ["fundacji", "fundacje", "fundację"], "towarzystwo": ["towarzystwa", "towarzystwie"],
    "przyjaciół": ["przyjaciele", "przyjaciel"], "miłośników": ["miłośnicy", "miłośnik"],
    "rozwoju": ["rozwój"], "pomocy": ["pomoc"], "edukacji": ["edukacja"], "kultury": ["kultura"],
    "ekologii": ["ekologia"], "sportu": ["sport", "sportowy"], "seniorów": ["seniorzy", "senior", "seniora"],
    "młodzieży": ["młodzież"], "dzieci": ["dziecko", "dzieciom"], "niepełnosprawnych": ["niepełnosprawni"],
    "historii": ["historia"], "turystyki": ["turystyka"], "zdrowia": ["zdrowie"], "ziemi": ["ziemia"],
    "gminy": ["gmina", "gminie"], "regionu": ["region"], "doliny": ["dolina"], "miasta": ["miasto"],
    "powiatu": ["powiat"], "gospodyń": ["gospodynie"], "wiejskich": ["wiejskie", "wieś"],
    "harcerstwa": ["harcerstwo", "harcerze"], "spółdzielnia": ["spółdzielni"], "związek": ["związku"],
    "derneği": ["dernek", "dernekler", "derneğine"], "vakfı": ["vakıf", "vakıflar"],
    "kooperatifi": ["kooperatif"], "gençlik": ["genç", "gençler"], "kadın": ["kadınlar"],
    "girişimciler": ["girişimci"], "engelliler": ["engelli"], "sağlık": ["sağlığı"], "eğitim": ["eğitimi"],
    "participation": ["participate"], "seniors": ["senior"], "partnerships": ["partnership"],
    "skills": ["skill"], "migrants": ["migrant", "migration"], "projeleri": ["proje"],
}


def _words(names: list[str]) -> list[str]:
    return [w.lower() for name in names for w in WORD.findall(name)]


def search_terms(names: list[str], rng: random.Random, *, limit: int = 1200) -> list[str]:
    """Single words, their other forms, and two-word phrases, as they occur in the names."""
    words = sorted(set(_words(names)))
    variants = sorted({form for word in words for form in INFLECTED.get(word, [])})
    pairs = set()
    for name in names:
        parts = [w.lower() for w in WORD.findall(name)]
        pairs.update(f"{a} {b}" for a, b in itertools.pairwise(parts))
    pairs = sorted(pairs)
    rng.shuffle(pairs)
    terms = words + variants + pairs[: max(0, limit - len(words) - len(variants))]
    return sorted(set(terms))


def build_plan(*, base_url: str, seed: int, phases: list[dict], max_accounts: int = 60) -> dict:
    from civicbridge.accounts.models import Membership, User
    from civicbridge.core.models import Territory, ThematicArea
    from civicbridge.directory.models import Organization, Plenipotentiary
    from civicbridge.funding.models import Call, Funder
    from civicbridge.partners.models import PartnerRequest

    rng = random.Random(seed)
    listed = Organization.objects.listed() if hasattr(Organization.objects, "listed") else Organization.objects.all()
    organizations = list(listed.order_by("pk").values_list("pk", "slug"))
    calls = list(Call.objects.filter(published_at__isnull=False).order_by("pk").values_list("identifier", flat=True))
    partner_requests = list(PartnerRequest.objects.filter(status="open").order_by("pk").values_list("pk", flat=True))
    sample_names = list(Organization.objects.order_by("?").values_list("name", flat=True)[:4000])
    territory_names = list(Territory.objects.exclude(name_en__startswith="Synthetic").values_list("name_pl", flat=True))
    call_titles = list(Call.objects.order_by("?").values_list("title", flat=True)[:2000])
    representatives = list(
        Membership.objects.approved()
        .exclude(organization__kind__in=Organization.PUBLIC_KINDS)
        .filter(user__username__startswith="bench", user__is_active=True)
        .order_by("?").values_list("user__username", "organization__slug")[:max_accounts]
    )
    officers = list(
        User.objects.filter(username__startswith="bench-officer-").order_by("pk")
        .values_list("username", flat=True)[: max(1, max_accounts // 3)]
    )
    # Published calls only: an edit is checked by an anonymous reader, and a draft left by a
    # phase that ended between its entry and its publication answers 404 to that reader.
    officer_calls = {}
    for username, identifier in Call.objects.filter(
        created_by__username__in=officers, published_at__isnull=False
    ).values_list(
        "created_by__username", "identifier"
    ):
        officer_calls.setdefault(username, []).append(identifier)
    coordinators = list(User.objects.filter(username__startswith="bench-coordinator-").order_by("pk")
                        .values_list("username", flat=True)[: max(1, max_accounts // 6)])
    counties = list(Territory.objects.filter(level="county").values_list("pk", flat=True))
    from django.utils import timezone

    from civicbridge.events.models import Event

    now = timezone.now()
    published_events = Event.objects.filter(published_at__isnull=False)
    upcoming = published_events.filter(starts_at__gte=now, cancelled_at__isnull=True)
    from civicbridge.projects.models import PUBLIC_STATUSES, Project
    data = {
        "organizations": organizations,
        "org_pages": max(1, math.ceil(len(organizations) / PAGE_SIZE)),
        "calls": calls,
        "call_pages": max(1, math.ceil(len(calls) / PAGE_SIZE)),
        "partner_requests": partner_requests,
        "partner_pages": max(1, math.ceil(len(partner_requests) / PAGE_SIZE)),
        "unverified": list(Organization.objects.filter(is_verified=False).order_by("?").values_list("slug", flat=True)[:5000]),
        "counties": counties,
        "plenipotentiary_pages": max(1, math.ceil(Plenipotentiary.objects.filter(is_active=True).count() / PAGE_SIZE)),
        "municipalities": list(Territory.objects.filter(level="municipality").values_list("pk", flat=True)[:2000]),
        "kinds": ["ngo", "informal_group", "school", "business", "public_body"],
        "countries_abroad": sorted({country for country, _ in ABROAD_PLACES}),
        "areas": list(ThematicArea.objects.values_list("pk", flat=True)),
        "funders": list(Funder.objects.values_list("pk", flat=True)),
        "search_terms": search_terms(sample_names + territory_names, rng),
        "call_search_terms": search_terms(call_titles, rng, limit=400),
        "future_date": (date.today() + timedelta(days=200)).isoformat(),
        "events": list(published_events.order_by("pk").values_list("pk", flat=True)),
        # Registration is open for every upcoming event the generator makes (full ones take a waiting list).
        "open_events": list(upcoming.order_by("?").values_list("pk", flat=True)[:20_000]),
        "event_pages": max(1, math.ceil(upcoming.count() / PAGE_SIZE)),
        "event_years": sorted({moment.year for moment in published_events.dates("starts_at", "year")}),
        "project_pages": max(1, math.ceil(Project.objects.filter(status__in=PUBLIC_STATUSES).count() / PAGE_SIZE)),
        "project_statuses": list(PUBLIC_STATUSES),
        "event_kinds": list(Event.Kind.values),
        **_consultations(),
        **_partner_posts(rng),
    }
    accounts = {
        "rep": [{"username": u, "password": PASSWORD, "org_slug": s} for u, s in representatives],
        "officer": [{"username": u, "password": PASSWORD, "calls": officer_calls.get(u, [])} for u in officers],
        "coordinator": [{"username": u, "password": PASSWORD} for u in coordinators],
    }
    return {"base_url": base_url, "seed": seed, "phases": phases, "data": data, "accounts": accounts}


def _partner_posts(rng: random.Random) -> dict:
    """What posters state in a partner request, drawn as in the generated ones
    (bench.generate.ensure_partner_requests): countries and kinds sought with their weights,
    the popular open calls they name, and the territories they may limit it to."""
    from civicbridge.core.models import Territory
    from civicbridge.funding.models import Call

    open_calls = list(Call.objects.published().open().order_by("pk").values_list("identifier", flat=True)[:5_000])
    territories = list(Territory.objects.filter(level__in=["county", "municipality"]).values_list("pk", flat=True))
    return {
        "partner_countries": PARTNER_COUNTRIES,
        "partner_kinds": PARTNER_KINDS,
        "partner_calls": rng.sample(open_calls, min(len(open_calls), POPULAR_CALLS)),
        "partner_territories": rng.sample(territories, min(len(territories), 2_000)),
        "partner_share_with_territories": REQUESTS_WITH_TERRITORIES,
        "partner_share_with_a_call": REQUESTS_WITH_A_CALL,
    }


def _consultations() -> dict:
    """The consultations readers open, and the two large ones (bench.generate_consultations)."""
    from bench.generate_consultations import TITLE_OPEN, TITLE_REPORTED
    from civicbridge.consultations.models import Consultation, Remark
    from civicbridge.consultations.selectors import REPORT_REMARKS_PER_PAGE
    from civicbridge.directory.models import Organization

    published = Consultation.objects.filter(published_at__isnull=False)
    large_open = published.filter(title=TITLE_OPEN).first()
    large_reported = published.filter(title=TITLE_REPORTED).first()
    if large_open is None or large_reported is None:
        return {}
    remarks = Remark.objects.filter(consultation=large_reported).count()
    bodies = list(
        Organization.objects.filter(pk__in=published.values("issuing_body")).order_by("?").values_list("name", flat=True)[:500]
    )
    return {
        "consultations": list(published.order_by("pk").values_list("pk", flat=True)),
        # What people type into the issuing body's find field: the start of a body's name.
        "issuing_bodies": bodies,
        "consultation_pages": max(1, math.ceil(published.count() / PAGE_SIZE)),
        "large_open_consultation": {
            "id": large_open.pk,
            "sections": list(large_open.sections.filter(withdrawn_at__isnull=True).values_list("pk", flat=True)),
        },
        "large_reported_consultation": {
            "id": large_reported.pk, "pages": max(1, math.ceil(remarks / REPORT_REMARKS_PER_PAGE)),
        },
    }

