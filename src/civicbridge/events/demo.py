"""Demo data for events: the coordination office's meetings and trainings across the territory.

What is real and what is not:

- fictitious: every event, every person registered and every attendance. Each description
  ends with a note saying it is an example. Names of people come from Faker (seeded).
- real: the shape of the work. In Opole, the regional programme's activities the issue
  names (consultation meetings and trainings for NGOs in the voivodeship's counties); in
  Orhangazi, the district's meetings and trainings with associations, in the Bursa districts.

Each profile loads its own country's events, in its language, organized by the demo's home
public body (the "officer" account represents it) and by the "ngo" account's association.
Past events have their participants' attendance taken (the KPI dashboard counts them);
upcoming ones take registrations, one of them full with a waiting list.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from faker import Faker

from civicbridge.accounts.models import Membership
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory.models import Organization

from .models import Event, Registration, RegistrationChange
from .services import event_search_document, rebuild_attendance_figures

DEMO_NOTE = {
    "pl": "*Wydarzenie przykładowe (dane demonstracyjne).*",
    "tr": "*Örnek etkinlik (demo verisi).*",
}
FAKER_LOCALE = {"pl": "pl_PL", "tr": "tr_TR"}
PROFILE_LANGUAGE = {"opole": "pl", "orhangazi": "tr"}
PROFILE_COUNTRY = {"opole": "PL", "orhangazi": "TR"}
Kind = Event.Kind


@dataclass(frozen=True)
class Spec:
    kind: str
    title: str
    description: str
    hours: Decimal
    days_from_today: int  # negative: in the past
    start_hour: int
    capacity: int | None
    participants: int  # registrations made (attended, for past events)
    areas: tuple[str, ...] = ()
    by_ngo: bool = False  # organized by the "ngo" account's association, else by the home body


def _opole_specs() -> list[Spec]:
    meetings = [
        Spec(Kind.MEETING, f"Spotkanie konsultacyjne programu współpracy z organizacjami pozarządowymi – {n}",
             "Spotkanie z organizacjami pozarządowymi powiatu: projekt rocznego programu współpracy, "
             "priorytety otwartych konkursów ofert i pytania organizacji.",
             Decimal("3"), -150 + 8 * n, 10, 30, 15 + (n % 4)) for n in range(1, 13)
    ]
    trainings = [
        Spec(Kind.TRAINING, "Szkolenie: jak napisać ofertę w otwartym konkursie ofert",
             "Formularz oferty, kosztorys, rezultaty zadania publicznego i najczęstsze błędy formalne.",
             Decimal("8"), -120, 9, 12, 10, ("culture",)),
        Spec(Kind.TRAINING, "Szkolenie: rozliczanie dotacji i sprawozdanie z realizacji zadania publicznego",
             "Sprawozdanie końcowe, dokumentowanie kosztów, przesunięcia w kosztorysie.",
             Decimal("8"), -90, 9, 12, 11),
        Spec(Kind.TRAINING, "Szkolenie: partnerstwa w projektach Erasmus+ i CERV",
             "Jak znaleźć partnera za granicą, umowa partnerska, podział zadań i budżetu.",
             Decimal("8"), -60, 9, 12, 9),
        Spec(Kind.WORKSHOP, "Warsztaty: ekonomia społeczna w gminie",
             "Spółdzielnie socjalne, zlecanie zadań podmiotom ekonomii społecznej, klauzule społeczne.",
             Decimal("6"), -30, 10, 20, 14, by_ngo=True),
        Spec(Kind.TRAINING, "Szkolenie: ochrona danych osobowych w organizacji pozarządowej",
             "Obowiązki administratora danych w stowarzyszeniu i fundacji, wzory dokumentów.",
             Decimal("6"), 9, 9, 12, 14),
        Spec(Kind.SEMINAR, "Seminarium: standardy współpracy samorządu z organizacjami pozarządowymi",
             "Prezentacja standardów i dyskusja nad ich wdrożeniem w gminach.",
             Decimal("4"), 16, 10, 60, 8),
        Spec(Kind.FORUM, "Forum Organizacji Pozarządowych Województwa Opolskiego",
             "Doroczne spotkanie organizacji, samorządów i biznesu; wręczenie nagród.",
             Decimal("6"), 30, 10, None, 6),
        Spec(Kind.MONITORING, "Spotkanie monitorujące realizację programu współpracy",
             "Przegląd wskaźników programu i wniosków z konsultacji.",
             Decimal("2"), 45, 12, 25, 3),
    ]
    return meetings + trainings


def _orhangazi_specs() -> list[Spec]:
    meetings = [
        Spec(Kind.MEETING, f"Kamu–STK istişare toplantısı – {n}",
             "İlçedeki derneklerle ortak sorunlar, hibe çağrıları ve iş birliği olanakları üzerine toplantı.",
             Decimal("3"), -140 + 12 * n, 14, 40, 12 + (n % 5)) for n in range(1, 9)
    ]
    trainings = [
        Spec(Kind.TRAINING, "Eğitim: STK'lar için proje yazma",
             "Proje döngüsü, mantıksal çerçeve, bütçe ve başvuru formu.",
             Decimal("12"), -100, 9, 25, 20),
        Spec(Kind.TRAINING, "Eğitim: dernek yönetimi ve DERBİS bildirimleri",
             "Genel kurul, beyanname ve DERBİS üzerinden yapılan bildirimler.",
             Decimal("6"), -50, 10, 25, 18, by_ngo=True),
        Spec(Kind.WORKSHOP, "Atölye: gençlik projelerinde ortaklık",
             "Yurt içi ve yurt dışı ortak bulma, ortaklık anlaşması, görev dağılımı.",
             Decimal("4"), 12, 13, 10, 10),
        Spec(Kind.TRAINING, "Eğitim: hibe projelerinde raporlama",
             "Ara ve nihai rapor, harcama belgeleri, görünürlük kuralları.",
             Decimal("6"), 26, 10, 30, 7),
        Spec(Kind.FAIR, "STK Fuarı – Orhangazi",
             "Derneklerin ve kooperatiflerin tanıtım standları, gönüllü buluşması.",
             Decimal("5"), 40, 11, None, 4),
    ]
    return meetings + trainings


SPECS = {"opole": _opole_specs, "orhangazi": _orhangazi_specs}


def loaded_profiles() -> set[str]:
    found = set()
    for profile, language in PROFILE_LANGUAGE.items():
        if Event.objects.filter(description__contains=DEMO_NOTE[language]).exists():
            found.add(profile)
    return found


def load(*, profile: str, stdout) -> None:
    """Create the profile's demo events and registrations; does nothing if events exist."""
    if Event.objects.exists():
        stdout.write("Events demo data is already loaded; nothing to do.")
        return
    language = PROFILE_LANGUAGE[profile]
    home_body = _organization_of("officer")
    home_ngo = _organization_of("ngo")
    counties = _counties(PROFILE_COUNTRY[profile])
    if home_body is None or not counties:
        stdout.write("  skipped the events demo: no home body or no county in the registry.")
        return
    areas = {area.code: area for area in ThematicArea.objects.all()}
    faker = Faker(FAKER_LOCALE[language])
    faker.seed_instance(2026)
    chooser = random.Random(2026)
    guests = _guests(faker, chooser, count=80)
    now = timezone.now()
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    made = registered = 0
    for index, spec in enumerate(SPECS[profile]()):
        organizer = home_ngo if spec.by_ngo and home_ngo else home_body
        event = _create_event(spec, index, organizer=organizer, territory=counties[index % len(counties)],
                              areas=areas, language=language, today=today)
        registered += _register(event, spec, guests, chooser, language=language, now=now)
        made += 1
    _register_demo_person(language=language, now=now)
    rebuild_attendance_figures()  # written in bulk here: count the attendance as the services would
    stdout.write(f"  {made} events (fictitious), {registered} registrations with attendance for past events.")


def _organization_of(username: str) -> Organization | None:
    membership = Membership.objects.approved().filter(user__username=username).select_related("organization").first()
    return membership.organization if membership else None


def _counties(country: str) -> list[Territory]:
    """The profile's counties (Polish powiaty, Turkish ilçeler), in the tree's order."""
    return list(Territory.objects.filter(country=country, level=Territory.Level.COUNTY).order_by("path"))


def _guests(faker, chooser, *, count: int) -> list[tuple[str, str, str]]:
    people = []
    for number in range(count):
        first, last = faker.first_name(), faker.last_name()
        email = f"participant{number + 1}@example.org"  # example.org: no real mailbox is ever written to
        people.append((f"{first} {last}", email, faker.company() if chooser.random() < 0.7 else ""))
    return people


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), timezone.get_default_timezone())


def _create_event(spec: Spec, index: int, *, organizer, territory, areas, language, today) -> Event:
    day = today + datetime.timedelta(days=spec.days_from_today)
    if day.weekday() >= 5:  # offices meet on working days: a weekend moves to the Monday after
        day += datetime.timedelta(days=7 - day.weekday())
    hours_per_day = 8
    days = max(1, int(-(-spec.hours // hours_per_day)))
    starts_at = _moment(day, spec.start_hour)
    ends_at = starts_at + datetime.timedelta(days=days - 1, hours=min(int(spec.hours), hours_per_day))
    event = Event.objects.create(
        kind=spec.kind, title=spec.title, description=f"{spec.description}\n\n{DEMO_NOTE[language]}",
        starts_at=starts_at, ends_at=ends_at, hours=spec.hours, venue=_venue(language, territory),
        territory=territory, county=territory, capacity=spec.capacity, published_at=starts_at - datetime.timedelta(days=30),
        audience=_audience(language),
    )
    event.organizers.set([organizer])
    event.thematic_areas.set([areas[code] for code in spec.areas if code in areas])
    event.search_document = event_search_document(event)
    event.save(update_fields=["search_document"])
    return event


def _venue(language: str, territory: Territory) -> str:
    return {"pl": "Starostwo Powiatowe, sala konferencyjna", "tr": "Kaymakamlık toplantı salonu"}[language]


def _audience(language: str) -> str:
    return {"pl": "Organizacje pozarządowe i samorządy", "tr": "Dernekler, vakıflar ve kamu kurumları"}[language]


def _register(event: Event, spec: Spec, guests, chooser, *, language: str, now) -> int:
    past = event.ends_at < now
    people = chooser.sample(guests, k=min(spec.participants, len(guests)))
    capacity = event.capacity
    made = 0
    for number, (name, email, organization_name) in enumerate(people, start=1):
        has_seat = capacity is None or number <= capacity
        registered_at = event.published_at + datetime.timedelta(hours=number)
        registration = Registration.objects.create(
            event=event, name=name, email=email, organization_name=organization_name, language=language,
            status=Registration.Status.CONFIRMED if has_seat else Registration.Status.WAITING,
            seat=number if has_seat else None,
            attended_at=event.starts_at if past and has_seat and chooser.random() < 0.92 else None,
            reminder_sent_at=event.starts_at - datetime.timedelta(hours=20) if past else None,
        )
        Registration.objects.filter(pk=registration.pk).update(created_at=registered_at)
        RegistrationChange.objects.create(
            registration=registration, status_from="", status_to=registration.status, at=registered_at,
        )
        made += 1
    return made


def _register_demo_person(*, language: str, now) -> None:
    """The "ngo" account has a seat at the next training, so that its profile shows one."""
    user = get_user_model().objects.filter(username="ngo").first()
    if user is None:
        return
    for upcoming in Event.objects.filter(kind__in=Event.TRAINING_KINDS, starts_at__gt=now).order_by("starts_at"):
        taken = set(upcoming.registrations.filter(seat__isnull=False).values_list("seat", flat=True))
        seat = next(number for number in range(1, len(taken) + 2) if number not in taken)
        if upcoming.capacity is None or seat <= upcoming.capacity:
            break
    else:
        return
    registration = Registration.objects.create(
        event=upcoming, user=user, name=user.get_full_name() or user.username, email=user.email,
        language=language, status=Registration.Status.CONFIRMED, seat=seat,
    )
    RegistrationChange.objects.create(registration=registration, status_from="", status_to=registration.status, at=now)
