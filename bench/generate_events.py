"""Events and registrations at national scale for the benchmark: bulk inserts, resumable.

At scale 1: 200,000 events over three years back and half a year ahead (every meeting and
training a country's coordination offices would hold), 2,000,000 registrations (ten per
event on average) by 400,000 people. Past events have their attendance taken; upcoming
ones take registrations, some full with a waiting list. The KPIs' figures are then counted
as the attendance service keeps them (``rebuild_attendance_figures``).

    from bench.generate_events import ensure_events
    ensure_events(200_000, 2_000_000, random.Random(7))
"""

import random
import uuid
from datetime import timedelta
from decimal import Decimal
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

BATCH = 5_000
PEOPLE_PER_REGISTRATION = 0.2  # 400,000 people for 2,000,000 registrations
PRESENT_SHARE = 0.85
TITLES = {
    "meeting": ["Spotkanie konsultacyjne programu współpracy", "Kamu–STK istişare toplantısı", "Meeting of the NGO council"],
    "training": ["Szkolenie: oferta w otwartym konkursie ofert", "Eğitim: proje yazma", "Training: EU grants for NGOs"],
    "seminar": ["Seminarium o standardach współpracy", "Seminer: gönüllülük"],
    "workshop": ["Warsztaty ekonomii społecznej", "Atölye: ortaklık kurma"],
    "conference": ["Konferencja organizacji pozarządowych", "STK konferansı"],
    "forum": ["Forum Organizacji Pozarządowych", "Sivil Toplum Forumu"],
    "fair": ["Targi organizacji pozarządowych", "STK Fuarı"],
    "study_visit": ["Wizyta studyjna w centrum NGO", "Çalışma ziyareti"],
    "monitoring": ["Spotkanie monitorujące program", "İzleme toplantısı"],
}
KIND_WEIGHTS = {"meeting": 35, "training": 25, "seminar": 8, "workshop": 12, "conference": 4, "forum": 4,
                "fair": 2, "study_visit": 3, "monitoring": 7}


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ensure_events(target: int, registrations: int, rng: random.Random) -> None:
    from civicbridge.core.models import Territory
    from civicbridge.core.search import build_document
    from civicbridge.directory.models import Organization
    from civicbridge.events.models import Event
    from civicbridge.events.services import rebuild_attendance_figures

    existing = Event.objects.count()
    if existing >= target:
        return
    counties = list(Territory.objects.filter(level="county").values_list("pk", flat=True))
    organizers = list(Organization.objects.filter(kind__in=["ngo", "public_body", "municipality"])
                      .values_list("pk", flat=True)[:50_000])
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    now = timezone.now()
    people = max(1, int(registrations * PEOPLE_PER_REGISTRATION))
    per_event = registrations / target
    for batch in _chunks(range(existing, target), BATCH):
        events = []
        for number in batch:
            kind = rng.choices(kinds, weights)[0]
            starts = now + timedelta(days=rng.uniform(-3 * 365, 180), hours=rng.randint(0, 8))
            starts = starts.replace(minute=0, second=0, microsecond=0)
            hours = Decimal(rng.choice([2, 3, 4, 6, 8]))
            title = f"{rng.choice(TITLES[kind])} {number}"
            county = rng.choice(counties)
            events.append(Event(
                kind=kind, title=title, description="Wydarzenie wygenerowane do testu wydajności.",
                starts_at=starts, ends_at=starts + timedelta(hours=int(hours)), hours=hours,
                venue="Sala konferencyjna", territory_id=county, county_id=county,
                capacity=rng.choice([None, 20, 30, 50, 80]), published_at=starts - timedelta(days=30),
                search_document=build_document(title, "Sala konferencyjna"),
            ))
        with transaction.atomic():
            created = Event.objects.bulk_create(events)
            if not created[0].pk:
                created = list(Event.objects.order_by("-pk")[: len(events)])[::-1]
            Event.organizers.through.objects.bulk_create(
                Event.organizers.through(event_id=event.pk, organization_id=rng.choice(organizers)) for event in created
            )
            _registrations(created, per_event, people, rng, now)
    rebuild_attendance_figures()


def _registrations(events, per_event: float, people: int, rng: random.Random, now) -> None:
    from civicbridge.events.models import Registration

    rows = []
    for event in events:
        count = max(0, int(rng.gauss(per_event, per_event / 3)))
        past = event.ends_at < now
        emails = {f"p{rng.randrange(people)}@bench.example.invalid" for _ in range(count)}
        for seat, email in enumerate(sorted(emails), start=1):
            confirmed = event.capacity is None or seat <= event.capacity
            registered = event.published_at + timedelta(hours=seat)
            rows.append(Registration(
                event_id=event.pk, name=f"Uczestnik {email.split('@')[0]}", email=email, language="pl",
                status="confirmed" if confirmed else "waiting", seat=seat if confirmed else None,
                attended_at=event.starts_at if past and confirmed and rng.random() < PRESENT_SHARE else None,
                reminder_sent_at=event.starts_at - timedelta(hours=20) if past else None,
                token=uuid.UUID(int=rng.getrandbits(128), version=4), created_at=registered, updated_at=registered,
            ))
    if connection.vendor == "postgresql":
        _copy(rows)
    else:
        Registration.objects.bulk_create(rows, batch_size=2_000)


def _copy(rows) -> None:
    """PostgreSQL's COPY: millions of registrations in seconds, where INSERTs take minutes."""
    from civicbridge.events.models import Registration

    columns = ["event_id", "name", "email", "organization_name", "language", "status", "seat", "attended_at",
               "reminder_sent_at", "token", "created_at", "updated_at"]
    table = Registration._meta.db_table
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([
                row.event_id, row.name, row.email, "", row.language, row.status, row.seat, row.attended_at,
                row.reminder_sent_at, row.token, row.created_at, row.updated_at,
            ])


PROJECT_TITLES = ["Aktywni seniorzy", "Młodzież w działaniu", "Gençlik köprüsü", "Green towns", "Kultura bez barier",
                  "Dijital beceriler", "Wolontariat w gminie", "Kadın kooperatifleri"]


def ensure_projects(target: int, rng: random.Random) -> None:
    """Projects of the registry's organizations at every status, with their funders, over five years."""
    from datetime import date

    from civicbridge.core.search import build_document
    from civicbridge.directory.models import Organization
    from civicbridge.funding.models import Funder
    from civicbridge.projects.models import Project, Status

    existing = Project.objects.count()
    if existing >= target:
        return
    leads = list(Organization.objects.filter(kind="ngo").values_list("pk", flat=True)[:50_000])
    funders = list(Funder.objects.values_list("pk", flat=True)) or [None]
    counties = list(_county_ids())
    statuses = [Status.RUNNING] * 4 + [Status.CLOSED] * 3 + [Status.APPROVED, Status.FINAL_REPORT, Status.SUBMITTED,
                                                             Status.IN_PREPARATION, Status.IDEA, Status.REJECTED]
    this_year = timezone.localdate().year
    for batch in _chunks(range(existing, target), BATCH):
        projects = []
        for number in batch:
            start = date(rng.randint(this_year - 4, this_year), rng.randint(1, 12), 1)
            title = f"{rng.choice(PROJECT_TITLES)} {number}"
            budget = Decimal(rng.randrange(20, 2000) * 1000)
            projects.append(Project(
                title=title, lead_organization_id=rng.choice(leads), funder_id=rng.choice(funders), budget=budget,
                co_financing=(budget / 10).quantize(Decimal("1")), currency=rng.choice(["PLN", "EUR", "TRY"]),
                start_date=start, end_date=date(start.year + rng.randint(1, 2), start.month, 1),
                territory_id=rng.choice(counties), status=rng.choice(statuses), summary="Projekt do testu wydajności.",
                search_document=build_document(title, "Projekt do testu wydajności."),
            ))
        Project.objects.bulk_create(projects)


def _county_ids():
    from civicbridge.core.models import Territory

    return Territory.objects.filter(level="county").values_list("pk", flat=True)
