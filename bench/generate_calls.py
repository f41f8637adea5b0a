"""Calls for proposals at national scale for the benchmark: bulk inserts, resumable.

At scale 1: 20,000 calls (about ten years of every call a national coordination office
would announce), each with one or two deadlines, thematic areas, and for a third of them
eligible territories. Calls are added up to the target, so growing the scale keeps the
calls already made. Dates spread from two years back to one year ahead, so that open,
forthcoming and closed calls all appear.

    from bench.generate_calls import ensure_calls
    ensure_calls(20_000, random.Random(7))
"""

import random
from datetime import timedelta
from itertools import islice

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from unidecode import unidecode

BATCH = 2_000
PUBLISHED_SHARE = 0.95
TWO_STAGE_SHARE = 0.1
RESTRICTED_SHARE = 0.35

FUNDERS = [
    ("Bench European Commission", "eu", "Europe/Brussels", ["ERASMUS", "CERV", "HORIZON", "LIFE", "ESF"]),
    ("Bench Ulusal Ajans", "national_agency", "Europe/Istanbul", ["KA1", "KA2", "ESC"]),
    ("Bench Kalkınma Ajansı", "development_agency", "Europe/Istanbul", ["MDP", "DFD"]),
    ("Bench Województwo", "local_government", "Europe/Warsaw", ["OKO", "MG"]),
]
TOPICS = [
    "Youth participation", "Town-twinning", "Social inclusion of seniors", "Cooperation partnerships in sport",
    "Environmental governance", "Digital skills for adults", "Culture and heritage", "Rural development",
    "Gençlik projeleri", "Kadın girişimciliği", "Kultura i dziedzictwo", "Aktywizacja seniorów",
    "Volunteering", "Integration of migrants", "Civil society capacity building", "Local democracy",
]
SUMMARIES = [
    "Grants for associations, foundations and municipalities working with local communities.",
    "Projects that help young people take part in public life, with partners from several countries.",
    "Dernekler ve belediyeler için proje teklif çağrısı; başvurular çevrimiçi yapılır.",
    "Wspieranie realizacji zadań publicznych przez organizacje pozarządowe.",
]
KINDS = ["ngo", "ngo,informal_group", "ngo,public_body,municipality", "school,university", ""]


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _programmes():
    from civicbridge.funding.models import Funder, Programme

    programmes = []
    for name, kind, zone, codes in FUNDERS:
        funder, _ = Funder.objects.get_or_create(
            slug=slugify(unidecode(name)),
            defaults={"name": name, "kind": kind, "time_zone": zone},
        )
        for code in codes:
            programme, _ = Programme.objects.get_or_create(
                funder=funder, name=f"{name} {code}", defaults={"code": code, "period": "2021-2027"}
            )
            programmes.append(programme)
    return programmes


def ensure_calls(target: int, rng: random.Random) -> None:
    """Add calls until there are ``target`` of them (with deadlines, areas and territories)."""
    from civicbridge.core.models import Territory, ThematicArea
    from civicbridge.funding.models import Call, CallDeadline
    from civicbridge.funding.services import call_search_document

    existing = Call.objects.count()
    if existing >= target:
        return
    programmes = _programmes()
    areas = list(ThematicArea.objects.values_list("pk", flat=True))
    territories = list(Territory.objects.exclude(level="municipality").values_list("pk", flat=True))
    area_links = Call.thematic_areas.through
    territory_links = Call.eligible_territories.through
    now = timezone.now()
    start = Call.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for batch in _chunks(range(start + 1, start + 1 + target - existing), BATCH):
        calls, deadlines_of = [], {}
        for number in batch:
            programme = rng.choice(programmes)
            opens_at = now + timedelta(days=rng.uniform(-730, 365))
            first = opens_at + timedelta(days=rng.uniform(21, 120))
            two_stage = rng.random() < TWO_STAGE_SHARE
            deadlines = [first, first + timedelta(days=rng.uniform(60, 180))] if two_stage else [first]
            call = Call(
                identifier=f"BENCH-{programme.code}-{first.year}-{number:06d}",
                title=f"{rng.choice(TOPICS)} {first.year} ({number})",
                summary=rng.choice(SUMMARIES),
                programme=programme,
                deadline_model="two_stage" if two_stage else "single_stage",
                opens_at=opens_at,
                closes_at=deadlines[-1],
                max_grant=rng.choice([None, 10_000, 60_000, 250_000, 1_000_000]),
                currency="EUR",
                eligible_kinds=rng.choice(KINDS),
                published_at=opens_at - timedelta(days=7) if rng.random() < PUBLISHED_SHARE else None,
            )
            call.search_document = call_search_document(call)
            calls.append(call)
            deadlines_of[call.identifier] = deadlines
        with transaction.atomic():
            created = Call.objects.bulk_create(calls)
            if not created[0].pk:  # backends without RETURNING: read them back
                created = list(Call.objects.filter(identifier__in=[c.identifier for c in calls]))
            CallDeadline.objects.bulk_create(
                deadline for call in created for deadline in CallDeadline.stages_of(call, deadlines_of[call.identifier])
            )
            area_links.objects.bulk_create(
                [
                    area_links(call_id=call.pk, thematicarea_id=area)
                    for call in created for area in rng.sample(areas, rng.randint(1, 3))
                ],
                ignore_conflicts=True,
            )
            territory_links.objects.bulk_create(
                [
                    territory_links(call_id=call.pk, territory_id=rng.choice(territories))
                    for call in created if territories and rng.random() < RESTRICTED_SHARE
                ],
                ignore_conflicts=True,
            )
