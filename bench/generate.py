"""Dataset generator at national scale: bulk inserts, scale-configurable, resumable.

At scale 1: 200,000 organizations, 2,500 territories, 500,000 users (more than the
largest Polish NGO database and the largest civic participation platform), 200,000 events
with 2,000,000 registrations, 20,000 projects. Rows are
added up to the target counts, so scale 0.1 then 1 then 3 grows one database.
Synthetic territories carry no official code: codes come only from public sources.

    python -m bench.generate --scale 1
"""

import argparse
import random
import time
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from bench.draws import weighted

TARGETS = {"organizations": 200_000, "territories": 2_500, "users": 500_000, "calls": 20_000, "partner_requests": 5_000,
           "events": 200_000, "registrations": 2_000_000, "projects": 20_000}
BATCH = 5_000
REPRESENTED_SHARE = 0.25  # organizations with a representative among the users

PL_PREFIXES = [
    "Stowarzyszenie", "Fundacja", "Towarzystwo", "Klub Sportowy", "Koło Gospodyń Wiejskich",
    "Ochotnicza Straż Pożarna", "Uniwersytet Trzeciego Wieku", "Stowarzyszenie Rozwoju",
    "Fundacja Wspierania", "Związek Harcerstwa", "Spółdzielnia Socjalna", "Polski Związek",
]
PL_CORES = [
    "Przyjaciół", "Miłośników", "Rozwoju", "Pomocy", "Edukacji", "Kultury", "Ekologii", "Sportu",
    "Seniorów", "Młodzieży", "Dzieci", "Osób Niepełnosprawnych", "Historii", "Turystyki", "Zdrowia",
]
PL_TAILS = ["Ziemi", "Gminy", "Regionu", "Doliny", "Wsi", "Miasta", "Powiatu"]
TR_PREFIXES = ["Gençlik ve Spor Kulübü", "Kültür ve Dayanışma", "Eğitim", "Çevre Koruma", "Kadın Girişimciler", "Engelliler", "Sağlık", "Tarım Kalkınma"]
TR_TAILS = ["Derneği", "Vakfı", "Kooperatifi", "Platformu"]
# Partners abroad: about one organization in a hundred, in twinned cities and elsewhere.
ABROAD_SHARE = 0.01
ABROAD_PLACES = [("DE", "Wittenberg"), ("DE", "Hanau"), ("IT", "Bologna"), ("FR", "Grenoble"), ("CZ", "Ostrava"),
                 ("LT", "Kaunas"), ("NL", "Utrecht"), ("ES", "Valencia"), ("AT", "Graz"), ("UA", "Ivano-Frankivsk")]
ABROAD_NAMES = ["Verein für Jugendarbeit", "Associazione Giovani Europei", "Association Culture et Solidarité",
                "Spolek Přátel Regionu", "Jaunimo centras", "Stichting Samen Sterk", "Asociación Cultural del Barrio"]
DESCRIPTIONS = [
    "Działamy na rzecz mieszkańców: prowadzimy warsztaty, zajęcia dla dzieci i młodzieży oraz spotkania seniorów.",
    "Organizujemy wydarzenia kulturalne i sportowe, wspieramy wolontariat i współpracę z samorządem.",
    "Gençler için eğitim, kültür ve spor etkinlikleri düzenliyor, gönüllülüğü destekliyoruz.",
    "We run training for local organizations and help them write project applications.",
]
KINDS = [("ngo", "association", 70), ("ngo", "foundation", 14), ("informal_group", "informal", 4),
         ("school", "public_institution", 5), ("business", "company", 4), ("public_body", "local_government", 2),
         ("other", "other", 1)]


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ensure_territories(target: int, rng: random.Random) -> list:
    """Grow the territory tree with synthetic regions > counties > municipalities."""
    from civicbridge.core.models import Territory

    existing = Territory.objects.count()
    if existing >= target:
        return list(Territory.objects.filter(level__in=["municipality", "county"]))
    country = Territory.objects.get(country="PL", level="country")
    missing = target - existing
    region_number = Territory.objects.filter(name_en__startswith="Synthetic region").count()
    while missing > 0:
        region_number += 1
        region = _add_territory(Territory, country, f"Synthetic region {region_number}", "region")
        missing -= 1
        for county_number in range(1, 21):
            if missing <= 0:
                break
            county = _add_territory(Territory, region, f"Synthetic county {region_number}.{county_number}", "county")
            missing -= 1
            children = [
                Territory(
                    name_en=f"Synthetic municipality {region_number}.{county_number}.{n}",
                    name_pl=f"Gmina syntetyczna {region_number}.{county_number}.{n}",
                    level="municipality", country="PL", parent=county, path="",
                )
                for n in range(1, min(missing, 7) + 1)
            ]
            if not children:
                break
            created = Territory.objects.bulk_create(children)
            if not created[0].pk:  # backends without RETURNING: read them back
                created = list(Territory.objects.filter(parent=county))
            for child in created:
                child.path = f"{county.path}{child.pk}/"
            Territory.objects.bulk_update(created, ["path"])
            missing -= len(created)
    return list(Territory.objects.filter(level__in=["municipality", "county"]))


def _add_territory(model, parent, name, level):
    territory = model.objects.create(name_en=name, name_pl=name, level=level, country="PL", parent=parent, path="")
    territory.path = f"{parent.path}{territory.pk}/"
    territory.save(update_fields=["path"])
    return territory


def _organization_name(rng: random.Random, territory, number: int) -> tuple[str, str]:
    place = territory.name_pl or territory.name_en
    if territory.country == "TR":
        return f"{place} {rng.choice(TR_PREFIXES)} {rng.choice(TR_TAILS)} {number}", "tr_association"
    return f"{rng.choice(PL_PREFIXES)} {rng.choice(PL_CORES)} {rng.choice(PL_TAILS)} {place} {number}", "krs"


def ensure_organizations(target: int, territories: list, rng: random.Random) -> None:
    from civicbridge.core.models import ThematicArea
    from civicbridge.directory.models import Organization
    from civicbridge.directory.services import organization_search_document

    existing = Organization.objects.count()
    if existing >= target:
        return
    areas = list(ThematicArea.objects.values_list("pk", flat=True))
    through = Organization.thematic_areas.through
    kinds = [k for k in KINDS for _ in range(k[2])]
    start = Organization.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for batch in _chunks(range(start + 1, start + 1 + target - existing), BATCH):
        organizations = []
        for number in batch:
            if rng.random() < ABROAD_SHARE:
                organizations.append(_organization_abroad(rng, number, areas))
                continue
            territory = rng.choice(territories)
            name, register = _organization_name(rng, territory, number)
            kind, legal_form, _ = rng.choice(kinds)
            has_number = kind in ("ngo",) and rng.random() < 0.8
            organization = Organization(
                name=name, slug=f"org-{number}", kind=kind, legal_form=legal_form,
                registry_type=register if has_number else "",
                registry_number=(f"{9_000_000_000 + number:010d}" if register == "krs" else f"16-{number // 1000 % 1000:03d}-{number % 1000:03d}")
                if has_number else "",
                territory=territory, country=territory.country, description=rng.choice(DESCRIPTIONS),
                founding_year=rng.randint(1950, 2025), is_verified=rng.random() < 0.6,
                email=f"biuro@org-{number}.example.invalid",
            )
            organization.search_document = organization_search_document(organization)
            organizations.append(organization)
        with transaction.atomic():
            created = Organization.objects.bulk_create(organizations)
            if not created[0].pk:
                created = list(Organization.objects.filter(slug__in=[o.slug for o in organizations]))
            links = [
                through(organization_id=o.pk, thematicarea_id=area)
                for o in created for area in rng.sample(areas, rng.randint(1, 3))
            ]
            through.objects.bulk_create(links, ignore_conflicts=True)


def _organization_abroad(rng: random.Random, number: int, areas: list):
    from civicbridge.directory.models import Organization
    from civicbridge.directory.services import organization_search_document

    country, city = rng.choice(ABROAD_PLACES)
    organization = Organization(
        name=f"{rng.choice(ABROAD_NAMES)} {city} {number}", slug=f"org-{number}", kind="ngo",
        legal_form="association", registry_type="foreign" if rng.random() < 0.5 else "",
        country=country, city=city, description=rng.choice(DESCRIPTIONS),
        founding_year=rng.randint(1950, 2025), is_verified=rng.random() < 0.6,
        email=f"office@org-{number}.example.invalid",
    )
    if organization.registry_type:
        organization.registry_number = f"VR {number}"
    if rng.random() < 0.5:
        organization.pic = f"{900_000_000 + number:09d}"
    organization.search_document = organization_search_document(organization)
    return organization


PL_PEOPLE = (["Anna", "Katarzyna", "Maria", "Piotr", "Tomasz", "Krzysztof", "Agnieszka", "Marek"],
             ["Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zielińska", "Szymański"])
TR_PEOPLE = (["Ayşe", "Fatma", "Mehmet", "Mustafa", "Emine", "Ahmet", "Zeynep", "Hüseyin"],
             ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk"])


def ensure_plenipotentiaries(rng: random.Random) -> int:
    """One current plenipotentiary for every public body that has none (as every local
    government names one); the number of them."""
    from civicbridge.directory.models import Organization, Plenipotentiary

    bodies = (
        Organization.objects.public_bodies().exclude(plenipotentiaries__is_active=True)
        .values_list("pk", "slug", "territory__country").order_by("pk")
    )
    for batch in _chunks(bodies.iterator(chunk_size=BATCH), BATCH):
        people = []
        for pk, slug, country in batch:
            first, last = TR_PEOPLE if country == "TR" else PL_PEOPLE
            people.append(Plenipotentiary(
                public_body_id=pk, full_name=f"{rng.choice(first)} {rng.choice(last)}",
                position="Sivil toplumla ilişkiler sorumlusu" if country == "TR"
                else "Pełnomocnik ds. współpracy z organizacjami pozarządowymi",
                email=f"pelnomocnik@{slug}.example.invalid", phone=f"+48 77 {rng.randint(1_000_000, 9_999_999)}",
            ))
        Plenipotentiary.objects.bulk_create(people)
    return Plenipotentiary.objects.filter(is_active=True).count()


def ensure_users(target: int, rng: random.Random) -> None:
    from civicbridge.accounts.models import Membership, User
    from civicbridge.directory.models import Organization

    existing = User.objects.count()
    if existing >= target:
        return
    # One hash for all: hashing 500,000 passwords would measure the hasher, not the platform.
    password = make_password(PASSWORD)
    start = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    organization_ids = list(Organization.objects.values_list("pk", flat=True))
    taken = set(Membership.objects.values_list("organization_id", flat=True))
    for batch in _chunks(range(start + 1, start + 1 + target - existing), BATCH):
        users = [
            User(username=f"bench{n}", email=f"bench{n}@bench.example.invalid", password=password,
                 preferred_language=rng.choice(["pl", "en", "tr"]))
            for n in batch
        ]
        with transaction.atomic():
            created = User.objects.bulk_create(users)
            if not created[0].pk:
                created = list(User.objects.filter(username__in=[u.username for u in users]))
            memberships = []
            for user in created:
                if rng.random() < REPRESENTED_SHARE * len(organization_ids) / target:
                    organization = rng.choice(organization_ids)
                    if organization not in taken:
                        taken.add(organization)
                        memberships.append(Membership(user=user, organization_id=organization, status="approved", origin="coordinator"))
            Membership.objects.bulk_create(memberships, ignore_conflicts=True)


PARTNER_TITLES = [
    "Partner sought for an Erasmus+ youth exchange", "Szukamy partnera do projektu seniorów",
    "Gençlik değişimi için ortak aranıyor", "Town-twinning: citizens' meeting on local democracy",
    "Partnerzy do projektu edukacji ekologicznej", "Offering our sports club as a partner",
]


# What posters state, in the proportions a national partner search would see.
PARTNER_KINDS = [("ngo", 40), ("ngo,school", 15), ("school", 8), ("municipality", 6), ("ngo,public_body", 6),
                 ("informal_group", 5), ("university", 4), ("business", 4), ("", 12)]
PARTNER_COUNTRIES = [("", 50), ("PL", 15), ("TR", 5), ("PL,DE,CZ", 8), ("DE,FR,IT,ES,NL,AT", 7), ("PL,LT,LV,EE", 5),
                     ("UA,MD,GE", 3), ("PL,TR,DE", 7)]
REQUESTS_WITH_A_CALL = 0.4
POPULAR_CALLS = 150
REQUESTS_WITH_TERRITORIES = 0.2
REQUESTS_ANSWERED = 0.3  # each answered by 1 to 6 organizations, over the last year


def ensure_partner_requests(target: int, rng: random.Random) -> None:
    """Partner requests as posters write them: one to three thematic areas, kinds and countries
    sought (or none), some for a call, some limited to territories, most open and some past
    their deadline or closed; about a third answered by other organizations over the last year,
    so that matching meets experience with funders and recent answers as it would."""
    import datetime

    from civicbridge.core.models import Territory, ThematicArea
    from civicbridge.core.search import build_document
    from civicbridge.directory.models import Organization
    from civicbridge.funding.models import Call
    from civicbridge.partners.models import ExpressionOfInterest, PartnerRequest
    from civicbridge.partners.services import refresh_last_answers

    existing = PartnerRequest.objects.count()
    if existing >= target:
        return
    listed = Organization.objects.listed()
    poster_ids = list(listed.filter(kind__in=["ngo", "school", "municipality", "public_body", "university"])
                      .values_list("pk", flat=True)[:50_000])
    answerer_ids = list(listed.values_list("pk", flat=True)[:100_000])
    area_ids = list(ThematicArea.objects.values_list("pk", flat=True))
    territory_ids = list(Territory.objects.filter(level__in=["county", "municipality"]).values_list("pk", flat=True))
    # Partners are sought for calls still open, most of them for a few popular ones (as for
    # Erasmus+ rounds): a poster's choice weighs 1/rank among 150 of the open calls.
    open_calls = list(Call.objects.published().open().order_by("pk").values_list("pk", flat=True)[:5_000])
    call_ids = rng.sample(open_calls, min(len(open_calls), POPULAR_CALLS))
    call_weights = [1 / rank for rank in range(1, len(call_ids) + 1)]
    today = datetime.date.today()
    requests = []
    for number in range(existing, target):
        title = f"{rng.choice(PARTNER_TITLES)} {number}"
        description = "We look for an association with experience in youth work and volunteering."
        expired = rng.random() < 0.15
        requests.append(PartnerRequest(
            organization_id=rng.choice(poster_ids), title=title, description=description,
            direction=rng.choice(["seeking", "seeking", "offering"]),
            countries=weighted(rng, PARTNER_COUNTRIES), partner_kinds=weighted(rng, PARTNER_KINDS),
            call_id=rng.choices(call_ids, call_weights)[0] if call_ids and rng.random() < REQUESTS_WITH_A_CALL else None,
            status="closed" if rng.random() < 0.05 else "open",
            deadline=today + datetime.timedelta(days=-rng.randrange(1, 90) if expired else rng.randrange(7, 300)),
            search_document=build_document(title, description),
        ))
    last = PartnerRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for batch in _chunks(requests, BATCH):
        PartnerRequest.objects.bulk_create(batch)
    created = list(PartnerRequest.objects.filter(pk__gt=last).values_list("pk", "organization_id"))
    areas_of = PartnerRequest.thematic_areas.through
    territories_of = PartnerRequest.territories.through
    area_links, territory_links, answers = [], [], []
    for request_id, poster_id in created:
        for area_id in rng.sample(area_ids, min(len(area_ids), rng.choice([1, 2, 2, 3]))):
            area_links.append(areas_of(partnerrequest_id=request_id, thematicarea_id=area_id))
        if territory_ids and rng.random() < REQUESTS_WITH_TERRITORIES:
            for territory_id in rng.sample(territory_ids, min(len(territory_ids), rng.choice([1, 1, 2]))):
                territory_links.append(territories_of(partnerrequest_id=request_id, territory_id=territory_id))
        if rng.random() < REQUESTS_ANSWERED:
            for organization_id in {rng.choice(answerer_ids) for _ in range(rng.randint(1, 6))} - {poster_id}:
                answers.append(ExpressionOfInterest(
                    request_id=request_id, organization_id=organization_id, message="Chętnie dołączymy.",
                ))
    last_answer = ExpressionOfInterest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for model, rows in ((areas_of, area_links), (territories_of, territory_links), (ExpressionOfInterest, answers)):
        for batch in _chunks(rows, BATCH):
            model.objects.bulk_create(batch)
    # Answers given over the last year (created_at is set on insert): twelve monthly steps.
    answer_ids = list(ExpressionOfInterest.objects.filter(pk__gt=last_answer).values_list("pk", flat=True))
    rng.shuffle(answer_ids)
    now = datetime.datetime.now(datetime.UTC)
    for month, ids in enumerate(answer_ids[step::12] for step in range(12)):
        for batch in _chunks(ids, BATCH):
            ExpressionOfInterest.objects.filter(pk__in=batch).update(created_at=now - datetime.timedelta(days=30 * month + 1))
    refresh_last_answers()


COORDINATORS = 4
OFFICERS = 24
CALLS_PER_OFFICER = 5
PASSWORD = "bench-password"  # every bench account's: the load generator logs in through the form


def ensure_bench_roles(rng: random.Random) -> None:
    """Coordinators, and officers of public bodies with calls of their own, beside the representatives.

    Representatives come with the users (approved memberships of organizations). Officers
    are approved members of approved public bodies; each gets a few of the generated calls
    as entered by it, so that it has calls to edit. Rights granted here are the bench's
    setup, as a coordinator would have approved them.
    """
    from civicbridge.accounts.models import Membership, User
    from civicbridge.directory.models import Organization
    from civicbridge.funding.models import Call

    password = make_password(PASSWORD)
    for number in range(1, COORDINATORS + 1):
        User.objects.get_or_create(
            username=f"bench-coordinator-{number}",
            defaults={"email": f"coordinator{number}@bench.example.invalid", "password": password,
                      "is_coordinator": True, "preferred_language": "pl"},
        )
    bodies = list(
        Organization.objects.filter(kind__in=Organization.PUBLIC_KINDS, registration="approved").order_by("pk")[:OFFICERS]
    )
    free_calls = list(Call.objects.filter(created_by__isnull=True, published_at__isnull=False)
                      .order_by("pk").values_list("pk", flat=True)[: OFFICERS * CALLS_PER_OFFICER])
    for number, body in enumerate(bodies, start=1):
        officer, created = User.objects.get_or_create(
            username=f"bench-officer-{number}",
            defaults={"email": f"officer{number}@bench.example.invalid", "password": password, "preferred_language": "pl"},
        )
        if not created:
            continue
        Membership.objects.get_or_create(
            user=officer, organization=body, defaults={"status": "approved", "origin": "coordinator"},
        )
        mine = free_calls[(number - 1) * CALLS_PER_OFFICER: number * CALLS_PER_OFFICER]
        Call.objects.filter(pk__in=mine).update(created_by=officer)


def ensure_scale(scale: float, *, seed: int = 2026, stdout=print) -> dict:
    """Grow the database to the given scale; return the row counts reached and the seconds spent."""
    rng = random.Random(seed + int(scale * 1000))
    started = time.perf_counter()
    targets = {name: max(1, int(count * scale)) for name, count in TARGETS.items()}
    targets["territories"] = max(targets["territories"], 200)
    territories = ensure_territories(targets["territories"], rng)
    stdout(f"territories ready ({time.perf_counter() - started:.0f} s)")
    ensure_organizations(targets["organizations"], territories, rng)
    stdout(f"organizations ready ({time.perf_counter() - started:.0f} s)")
    targets["plenipotentiaries"] = ensure_plenipotentiaries(rng)
    stdout(f"plenipotentiaries ready ({time.perf_counter() - started:.0f} s)")
    ensure_users(targets["users"], rng)
    stdout(f"users ready ({time.perf_counter() - started:.0f} s)")
    from bench.generate_calls import ensure_calls

    ensure_calls(targets["calls"], rng)
    stdout(f"calls ready ({time.perf_counter() - started:.0f} s)")
    ensure_partner_requests(targets["partner_requests"], rng)
    stdout(f"partner requests ready ({time.perf_counter() - started:.0f} s)")
    ensure_bench_roles(rng)
    from bench.generate_events import ensure_events, ensure_projects

    ensure_events(targets["events"], targets["registrations"], rng)
    stdout(f"events ready ({time.perf_counter() - started:.0f} s)")
    ensure_projects(targets["projects"], rng)
    stdout(f"projects ready ({time.perf_counter() - started:.0f} s)")
    from bench.generate_consultations import ensure_consultations

    ensure_consultations(scale, rng)
    stdout(f"consultations ready ({time.perf_counter() - started:.0f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum leaves a database some minutes after an import: statistics taken,
            # the text indexes' pending lists merged (each search reads them whole until then).
            cursor.execute("VACUUM ANALYZE")
    return {"targets": targets, "seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
    django.setup()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print(ensure_scale(args.scale))


if __name__ == "__main__":
    main()
