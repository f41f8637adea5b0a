"""Demo data of working groups and standards, each profile in its own country's language.

What is real and what is not:

- real: the shape of the Opole programme's work. It names five cross-sector working groups
  and four standards (consulting draft normative acts with NGOs, financing public tasks,
  partnerships, the standard of the regional NGO centre), consulted, adopted by resolution,
  published and followed by trainings. In Orhangazi, a public–NGO cooperation group of the
  district governorship.
- illustrative: every group's name (no official names of the five groups are known to us),
  every member (Faker names, seeded, addresses at example.org), every meeting, post and
  document, every stage reached and date, and above all every resolution number: each is
  marked "demo data" in the data itself, and no number is an official one.

The demo's "coordinator" manages the groups; "officer" chairs the first group, for the home
public body, and sits in others; "ngo" sits in several, for its association. Meetings are
events of kind "meeting" made through ``events.services`` (organized by the chair's
organization). The standard on consulting draft acts is "in consultation", linked to the
consultation that ``civicbridge.consultations.demo.standard_consultation()`` answers when that
function exists (and the link exists here); otherwise it stays a draft.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from faker import Faker

from civicbridge.accounts.models import Membership
from civicbridge.core.models import Territory
from civicbridge.directory.models import Organization, listed_q

from . import services
from .models import (
    Member,
    MemberChange,
    Post,
    Stage,
    StageChange,
    Standard,
    StandardVersion,
    WorkingGroup,
)

PROFILE_LANGUAGE = {"opole": "pl", "orhangazi": "tr"}
GRANT_REASON = {
    "pl": "Konto demonstracyjne: członek przykładowego zespołu roboczego.",
    "tr": "Tanıtım hesabı: örnek çalışma grubunun üyesi.",
}
PROFILE_COUNTRY = {"opole": "PL", "orhangazi": "TR"}
DEMO_NOTE = {
    "pl": "*Przykładowy zespół roboczy (dane demonstracyjne): nazwa i skład są ilustracyjne.*",
    "tr": "*Örnek çalışma grubu (demo verisi): ad ve üyeler temsilîdir.*",
}
# Appended to every resolution number: none of them is an official one.
DEMO_NUMBER = {
    "pl": " (numer przykładowy – dane demonstracyjne)",
    "tr": " (örnek karar no – demo verisi)",
}
FAKER_LOCALE = {"pl": "pl_PL", "tr": "tr_TR"}


@dataclass(frozen=True)
class GroupSpec:
    name: str
    purpose: str
    officer: bool = False  # the demo "officer" chairs it
    ngo: bool = False  # the demo "ngo" sits in it
    public_members: int = 2
    ngo_members: int = 3
    meetings: tuple[tuple[str, int], ...] = ()  # (title, days from today)
    posts: tuple[str, ...] = ()


@dataclass(frozen=True)
class StandardSpec:
    group: int  # index of its group
    title: str
    summary: str
    versions: tuple[tuple[str, str], ...]  # (text, what changed)
    stage: str
    resolution: str = ""  # before DEMO_NUMBER
    resolution_days_ago: int = 0
    consulted_note: str = ""
    training: tuple[str, int] | None = None  # (title, days from today), a training on it
    wants_consultation: bool = False  # linked to the consultations app's demo consultation
    step_days_ago: tuple[int, ...] = field(default=())


def _opole() -> tuple[list[GroupSpec], list[StandardSpec]]:
    groups = [
        GroupSpec(
            "Zespół ds. standardu konsultacji aktów prawa miejscowego",
            "Przygotowuje standard konsultowania projektów aktów prawa miejscowego z organizacjami "
            "pozarządowymi (art. 5 ust. 2 pkt 3 ustawy o działalności pożytku publicznego i o wolontariacie): "
            "formy konsultacji, terminy, informacja zwrotna o uwagach.",
            officer=True,
            ngo=True,
            meetings=(
                ("Posiedzenie zespołu: projekt standardu konsultacji", -40),
                ("Posiedzenie zespołu: uwagi z konsultacji standardu", 12),
            ),
            posts=(
                "Przesyłam projekt standardu po ostatnim posiedzeniu. Proszę o uwagi do § 4 (terminy).",
                "Proponujemy, aby **informacja zwrotna** o uwagach była publikowana w ciągu 30 dni.",
                "Dziękuję, uwzględnię to w kolejnej wersji.",
            ),
        ),
        GroupSpec(
            "Zespół ds. finansowania zadań publicznych",
            "Opracowuje model finansowania zadań publicznych: otwarte konkursy ofert, tryb pozakonkursowy "
            "(małe granty) i regranting, z jednolitymi wzorami ogłoszeń i kryteriów oceny.",
            ngo=True,
            meetings=(
                ("Posiedzenie zespołu: model finansowania", -120),
                ("Posiedzenie zespołu: małe granty", -75),
            ),
        ),
        GroupSpec(
            "Zespół ds. partnerstwa międzysektorowego",
            "Przygotowuje model partnerstwa samorządów, organizacji pozarządowych i biznesu: umowa partnerska, "
            "podział zadań, wspólne projekty.",
            meetings=(("Posiedzenie zespołu: model partnerstwa", -90),),
        ),
        GroupSpec(
            "Zespół ds. Regionalnego Centrum Organizacji Pozarządowych",
            "Opracowuje standard usług regionalnego centrum wspierania organizacji pozarządowych: doradztwo, "
            "szkolenia, udostępnianie sal, informacja.",
            officer=True,
            meetings=(("Posiedzenie zespołu: standard centrum NGO", -60),),
        ),
        GroupSpec(
            "Zespół ds. monitoringu programu współpracy",
            "Monitoruje realizację rocznego programu współpracy z organizacjami pozarządowymi i przygotowuje "
            "wnioski do kolejnego programu.",
            ngo=True,
            meetings=(("Posiedzenie zespołu: wskaźniki programu współpracy", 25),),
        ),
    ]
    standards = [
        StandardSpec(
            0,
            "Standard konsultowania projektów aktów prawa miejscowego z organizacjami pozarządowymi",
            "Formy i terminy konsultacji, sposób zgłaszania uwag i informacja zwrotna.",
            (
                (
                    "## § 1\nKonsultacje obejmują projekty aktów prawa miejscowego w dziedzinach dotyczących "
                    "działalności statutowej organizacji.\n\n## § 2\nTermin konsultacji ustala organ; informacja o "
                    "konsultacjach jest publikowana na platformie.",
                    "Pierwszy projekt",
                ),
                (
                    "## § 1\nKonsultacje obejmują projekty aktów prawa miejscowego w dziedzinach dotyczących "
                    "działalności statutowej organizacji.\n\n## § 2\nTermin konsultacji ustala organ; informacja o "
                    "konsultacjach jest publikowana na platformie.\n\n## § 3\nOrgan publikuje informację zwrotną o "
                    "każdej uwadze.",
                    "Dodano § 3 po dyskusji zespołu",
                ),
            ),
            Stage.IN_CONSULTATION,
            wants_consultation=True,
        ),
        StandardSpec(
            1,
            "Model finansowania zadań publicznych: otwarte konkursy ofert i małe granty",
            "Jednolite zasady ogłaszania konkursów, oceny ofert i rozliczania dotacji.",
            (
                (
                    "## Zasady\n1. Ogłoszenie konkursu zawiera kryteria oceny i ich wagi.\n2. Komisja konkursowa "
                    "obejmuje przedstawicieli organizacji.\n3. Małe granty w trybie art. 19a ustawy.",
                    "Wersja przyjęta",
                ),
            ),
            Stage.TRAINING_DELIVERED,
            resolution="1021/2024",
            resolution_days_ago=420,
            consulted_note="Konsultacje z organizacjami w Biuletynie Informacji Publicznej (przed uruchomieniem platformy).",
            training=("Szkolenie: model finansowania zadań publicznych w praktyce", -200),
            step_days_ago=(520, 480, 420, 400, 200),
        ),
        StandardSpec(
            2,
            "Model partnerstwa międzysektorowego",
            "Jak samorząd, organizacje pozarządowe i biznes zawierają i prowadzą partnerstwa.",
            (
                (
                    "## Partnerstwo\nPartnerzy zawierają umowę partnerską określającą cele, zadania, budżet i sposób "
                    "podejmowania decyzji.",
                    "Projekt zespołu",
                ),
                (
                    "## Partnerstwo\nPartnerzy zawierają umowę partnerską określającą cele, zadania, budżet i sposób "
                    "podejmowania decyzji.\n\n## Ocena\nPartnerstwo ocenia swoją pracę raz w roku.",
                    "Po konsultacjach",
                ),
            ),
            Stage.PUBLISHED,
            resolution="1187/2025",
            resolution_days_ago=150,
            consulted_note="Konsultacje z organizacjami w Biuletynie Informacji Publicznej.",
            step_days_ago=(300, 240, 150, 130),
        ),
        StandardSpec(
            3,
            "Standard Regionalnego Centrum Organizacji Pozarządowych",
            "Usługi centrum: doradztwo, szkolenia, udostępnianie sal i informacja dla organizacji.",
            (
                (
                    "## Usługi\n- doradztwo prawne i finansowe,\n- szkolenia,\n- udostępnianie sal,\n- informacja o "
                    "naborach.",
                    "Wersja przyjęta",
                ),
            ),
            Stage.ADOPTED,
            resolution="1302/2025",
            resolution_days_ago=20,
            consulted_note="Konsultacje z organizacjami w Biuletynie Informacji Publicznej.",
            step_days_ago=(90, 60, 20),
        ),
    ]
    return groups, standards


def _orhangazi() -> tuple[list[GroupSpec], list[StandardSpec]]:
    groups = [
        GroupSpec(
            "Kamu–STK İşbirliği Çalışma Grubu",
            "Kaymakamlık, belediye ve ilçedeki derneklerin birlikte çalışma ilkelerini hazırlar; hibe "
            "çağrılarının duyurulması ve ortak projeler için öneriler geliştirir.",
            officer=True,
            ngo=True,
            meetings=(
                ("Çalışma grubu toplantısı: işbirliği ilkeleri", -50),
                ("Çalışma grubu toplantısı: hibe duyuruları", 15),
            ),
            posts=(
                "İşbirliği ilkelerinin taslağını paylaştım; görüşlerinizi bekliyorum.",
                "Derneklerin görüşleri için **iki hafta** süre önermek isteriz.",
            ),
        ),
        GroupSpec(
            "Gençlik Projeleri Çalışma Grubu",
            "Gençlik kuruluşlarının proje hazırlığına destek ve ortak bulma üzerine çalışır.",
            ngo=True,
            meetings=(("Çalışma grubu toplantısı: gençlik projeleri", -20),),
        ),
    ]
    standards = [
        StandardSpec(
            0,
            "Kamu–STK İşbirliği İlkeleri",
            "Kamu kurumları ile sivil toplum kuruluşlarının bilgi paylaşımı, görüş alma ve ortak proje ilkeleri.",
            (
                (
                    "## İlkeler\n1. Hibe çağrıları tüm kuruluşlara duyurulur.\n2. Görüş alma süresi en az iki haftadır.\n"
                    "3. Ortak projelerde görev dağılımı yazılı olarak belirlenir.",
                    "İlk taslak",
                ),
            ),
            Stage.PUBLISHED,
            resolution="2025/14",
            resolution_days_ago=60,
            consulted_note="Görüş alma, ilçedeki derneklerle yapılan toplantılarda.",
            step_days_ago=(150, 110, 60, 45),
        ),
    ]
    return groups, standards


SPECS = {"opole": _opole, "orhangazi": _orhangazi}


def loaded_profiles() -> set[str]:
    return {
        profile
        for profile, language in PROFILE_LANGUAGE.items()
        if WorkingGroup.objects.filter(purpose__contains=DEMO_NOTE[language]).exists()
    }


def load(*, profile: str, stdout) -> None:
    """Create the profile's working groups, members, meetings, posts and standards; once."""
    if WorkingGroup.objects.exists():
        stdout.write("Working groups demo data is already loaded; nothing to do.")
        return
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=("coordinator", "officer", "ngo"))
    }
    if len(users) < 3:
        stdout.write("  skipped the working groups demo: the demo accounts are missing.")
        return
    language = PROFILE_LANGUAGE[profile]
    with transaction.atomic():
        made = _load(profile, language, users, stdout)
    stdout.write(
        f"  {made['groups']} working groups, {made['members']} members, {made['meetings']} meetings, "
        f"{made['standards']} standards."
    )


def _load(profile: str, language: str, users: dict, stdout) -> dict:
    coordinator, officer, ngo_user = users["coordinator"], users["officer"], users["ngo"]
    home_body = _organization_of(officer)
    home_ngo = _organization_of(ngo_user)
    country = PROFILE_COUNTRY[profile]
    bodies = list(
        Organization.objects.filter(listed_q(), country=country, kind__in=Organization.PUBLIC_KINDS)
        .exclude(pk=home_body.pk)
        .order_by("pk")[:12]
    )
    ngos = list(
        Organization.objects.filter(listed_q(), country=country, kind=Organization.Kind.NGO)
        .exclude(pk=home_ngo.pk)
        .order_by("pk")[:20]
    )
    territory = (
        home_body.territory
        if home_body.territory_id
        else Territory.objects.filter(country=country).first()
    )
    faker = Faker(FAKER_LOCALE[language])
    faker.seed_instance(55)
    group_specs, standard_specs = SPECS[profile]()
    made = {"groups": 0, "members": 0, "meetings": 0, "standards": 0}
    groups = []
    people = iter(range(1, 1000))
    for index, spec in enumerate(group_specs):
        group = services.create_group(
            by=coordinator, name=spec.name, purpose=f"{spec.purpose}\n\n{DEMO_NOTE[language]}"
        )
        members = []
        if spec.officer:
            members.append(
                services.appoint_member(
                    by=coordinator, group=group, user=officer, organization=home_body
                )
            )
        if spec.ngo:
            members.append(
                services.appoint_member(
                    by=coordinator, group=group, user=ngo_user, organization=home_ngo
                )
            )
        for number in range(spec.public_members):
            body = bodies[(index * 2 + number) % len(bodies)] if bodies else home_body
            members.append(_appoint_new_person(faker, next(people), coordinator, group, body, language))
        for number in range(spec.ngo_members):
            organization = ngos[(index * 3 + number) % len(ngos)] if ngos else home_ngo
            members.append(
                _appoint_new_person(faker, next(people), coordinator, group, organization, language)
            )
        chair = members[0]
        services.set_chair(by=coordinator, member=chair)
        made["members"] += len(members)
        for title, days in spec.meetings:
            _meeting(group, chair, title, days, territory, coordinator, language)
            made["meetings"] += 1
        for number, text in enumerate(spec.posts):
            author = members[number % 2] if len(members) > 1 else chair
            Post.objects.create(
                group=group, member=author, body=text, body_html=services.render_markdown(text)
            )
        _backdate_appointments(group)
        groups.append((group, chair))
        made["groups"] += 1
    for spec in standard_specs:
        if _standard(spec, groups, coordinator, home_body, territory, language, stdout):
            made["standards"] += 1
    return made


def _organization_of(user) -> Organization:
    return (
        Membership.objects.approved()
        .filter(user=user)
        .select_related("organization")
        .first()
        .organization
    )


def _appoint_new_person(faker, number: int, coordinator, group, organization, language: str) -> Member:
    """A fictitious representative of ``organization`` (granted by the coordinator), appointed."""
    from civicbridge.accounts.services import grant_membership

    first, last = faker.first_name(), faker.last_name()
    person = get_user_model().objects.create_user(
        username=f"group-member-{number}",
        email=f"group-member-{number}@example.org",
        first_name=first,
        last_name=last,
        password=None,
    )
    grant_membership(user=person, organization=organization, by=coordinator, reason=GRANT_REASON[language])
    return services.appoint_member(
        by=coordinator, group=group, user=person, organization=organization
    )


def _backdate_appointments(group) -> None:
    # The groups were set up about a year and a half ago (demo dates).
    moment = timezone.now() - datetime.timedelta(days=540)
    Member.objects.filter(group=group).update(joined_at=moment)
    MemberChange.objects.filter(member__group=group).update(at=moment)


def _moment(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate(timezone=timezone.get_default_timezone()) + datetime.timedelta(
        days=days
    )
    if day.weekday() >= 5:
        day += datetime.timedelta(days=7 - day.weekday())
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour)), timezone.get_default_timezone()
    )


def _event(
    title: str, days: int, kind: str, organizer, territory, by, language: str, hours: int = 2
):
    from civicbridge.events import services as event_services
    from civicbridge.events.demo import DEMO_NOTE as EVENT_NOTE

    starts = _moment(days)
    venue = {"pl": "Urząd Marszałkowski, sala konferencyjna", "tr": "Kaymakamlık toplantı salonu"}[
        language
    ]
    data = {
        "kind": kind,
        "title": title,
        "description": EVENT_NOTE[language],
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours),
        "hours": hours,
        "venue": venue,
        "territory": territory,
    }
    return event_services.create_event(by=by, data=data, organizers=[organizer], publish=True)


def _meeting(group, chair, title, days, territory, by, language):
    from civicbridge.events.models import Event

    event = _event(title, days, Event.Kind.MEETING, chair.organization, territory, by, language)
    group.meetings.add(event)
    return event


def _standard(
    spec: StandardSpec, groups, coordinator, home_body, territory, language, stdout
) -> Standard | None:
    from civicbridge.events.models import Event

    group, chair = groups[spec.group]
    (first_text, first_note), *later = spec.versions
    standard = services.create_standard(
        by=chair.user,
        group=group,
        title=spec.title,
        summary=spec.summary,
        text=first_text,
        note=first_note,
    )
    for text, note in later:
        services.add_standard_version(by=chair.user, standard=standard, text=text, note=note)
    steps = list(Stage.values[1 : Stage.values.index(spec.stage) + 1])
    for to_stage in steps:
        extra = {}
        if to_stage == Stage.IN_CONSULTATION:
            consultation = _demo_consultation() if spec.wants_consultation else None
            if spec.wants_consultation and consultation is None:
                stdout.write(
                    f"  “{spec.title}” stays a draft: the consultations demo has no consultation for it."
                )
                break
            extra = {"consultation": consultation, "note": spec.consulted_note}
        elif to_stage == Stage.ADOPTED:
            extra = {
                "resolution_number": spec.resolution + DEMO_NUMBER[language],
                "resolution_date": timezone.localdate()
                - datetime.timedelta(days=spec.resolution_days_ago),
                "adopting_body": home_body,
            }
        elif to_stage == Stage.TRAINING_DELIVERED:
            title, days = spec.training
            extra = {
                "trainings": [
                    _event(
                        title,
                        days,
                        Event.Kind.TRAINING,
                        home_body,
                        territory,
                        coordinator,
                        language,
                        hours=6,
                    )
                ]
            }
        services.move_standard(by=coordinator, standard=standard, to_stage=to_stage, **extra)
    _backdate_history(standard, spec)
    return standard


def _demo_consultation():
    """The consultation the consultations app's demo made for the standard, when it has one and
    the function is there."""
    try:
        from civicbridge.consultations import demo as consultations_demo
    except ImportError:
        return None
    finder = getattr(consultations_demo, "standard_consultation", None)
    return finder() if finder else None


def _backdate_history(standard: Standard, spec: StandardSpec) -> None:
    """Demo dates: each step (and the versions) on the day the spec gives, oldest first."""
    days = spec.step_days_ago
    if not days:
        return
    now = timezone.now()
    steps = list(StageChange.objects.filter(standard=standard).order_by("id"))
    for step, ago in zip(steps, days, strict=False):
        StageChange.objects.filter(pk=step.pk).update(at=now - datetime.timedelta(days=ago))
    StandardVersion.objects.filter(standard=standard).update(
        created_at=now - datetime.timedelta(days=days[0])
    )
    if standard.published_at and len(days) >= 4:
        Standard.objects.filter(pk=standard.pk).update(
            published_at=now - datetime.timedelta(days=days[3])
        )
