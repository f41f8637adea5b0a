"""Demo data of the project portfolio: each profile's projects, in its own language.

What is real and what is not: every project here is fictitious (its summary ends with a note
saying so). The shapes follow the two offices' work: the Orhangazi centre keeps seven
projects with their funders (the EU through the national agency, the Ministry of Youth and
Sports, BEBKA, the World Bank); the Opole programme its NGOs' projects with the voivodeship
and the national institute. Lead organizations and partners are the registry's demo rows of
the profile's own country, partners abroad its demo organizations abroad; funders, programmes
and calls are the funding demo's.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from civicbridge.accounts.models import Membership
from civicbridge.directory.models import Organization
from civicbridge.funding.models import Call, Funder

from .models import Milestone, Project, ProjectPartner, StatusChange
from .services import project_search_document

DEMO_NOTE = {
    "pl": "*Projekt przykładowy (dane demonstracyjne).*",
    "tr": "*Örnek proje (demo verisi).*",
}
PROFILE = {"opole": ("PL", "pl", "PLN"), "orhangazi": ("TR", "tr", "TRY")}
# The funder the demo keeps only in one profile (funding.demo): it tells which profile is loaded.
OWN_FUNDERS = {"opole": ("narodowy-instytut-wolnosci", "wojewodztwo-opolskie"),
               "orhangazi": ("turkiye-ulusal-ajansi", "bebka", "tc-genclik-ve-spor-bakanligi", "world-bank")}


@dataclass
class Spec:
    title: str
    summary: str
    funder: str  # the funder's slug in the funding demo
    status: str
    start_in_days: int
    months: int
    budget: int
    co_financing: int
    lead: dict  # filters that pick the lead organization
    call: str = ""  # part of a call identifier
    partner_abroad: bool = False
    results: str = ""
    milestones: tuple[tuple[str, int], ...] = ()


S = Project.Status
SPECS = {
    "orhangazi": [
        Spec("Gençler için proje yazma eğitimi", "İlçedeki 50 gence ve STK gönüllüsüne AB ve ulusal hibe çağrılarına proje yazma eğitimi.",
             "turkiye-ulusal-ajansi", S.CLOSED, -700, 12, 1_200_000, 120_000, {"home": "ngo"}, partner_abroad=True,
             results="50 katılımcı eğitimi tamamladı; 9 proje önerisi hazırlandı.", milestones=(("Eğitim programının tamamlanması", -450),)),
        Spec("Zeytin üreticileri için dijital pazarlama", "Orhangazi'deki zeytin üreticisi kooperatiflerine e-ticaret ve dijital pazarlama desteği.",
             "bebka", S.RUNNING, -200, 18, 2_400_000, 600_000, {"kind": Organization.Kind.NGO},
             milestones=(("Kooperatif ihtiyaç analizi", -150), ("E-ticaret sitesinin açılışı", 90))),
        Spec("Gençlik merkezi spor ve kültür programı", "Gençlerin spor ve kültür etkinliklerine katılımını artıran bir yıllık program.",
             "tc-genclik-ve-spor-bakanligi", S.FINAL_REPORT, -420, 12, 350_000, 35_000, {"kind": Organization.Kind.NGO}),
        Spec("İznik Gölü havzasında çevre bilinci", "Okullarda ve köylerde su kaynaklarının korunması üzerine seminer günleri.",
             "european-commission", S.APPROVED, 30, 24, 4_800_000, 480_000, {"kind": Organization.Kind.SCHOOL}, partner_abroad=True),
        Spec("Kadın girişimciler için mentorluk", "Kadın girişimcilere iş planı ve finansmana erişim konusunda mentorluk.",
             "world-bank", S.SUBMITTED, 120, 12, 900_000, 90_000, {"kind": Organization.Kind.NGO}),
        Spec("Engelsiz ilçe: erişilebilir kamu binaları", "Kamu binalarının erişilebilirlik denetimi ve iyileştirme planı.",
             "bebka", S.IN_PREPARATION, 200, 12, 1_500_000, 375_000, {"kind": Organization.Kind.MUNICIPALITY}),
        Spec("İstanbul'da gençlik çalıştayı", "İstanbul'da ortak kuruluşlarla gençlik katılımı üzerine çalıştay fikri.",
             "turkiye-ulusal-ajansi", S.IDEA, 300, 6, 250_000, 25_000, {"home": "ngo"}),
    ],
    "opole": [
        Spec("Akademia aktywnego obywatela", "Cykl szkoleń dla liderów organizacji pozarządowych z 12 powiatów województwa opolskiego.",
             "narodowy-instytut-wolnosci", S.RUNNING, -150, 24, 480_000, 48_000, {"home": "ngo"}, partner_abroad=True,
             milestones=(("Szkolenia w pierwszych sześciu powiatach", -30), ("Szkolenia w kolejnych powiatach", 180))),
        Spec("Opolskie forum organizacji pozarządowych", "Coroczne forum i targi organizacji pozarządowych województwa.",
             "wojewodztwo-opolskie", S.CLOSED, -500, 8, 120_000, 12_000, {"kind": Organization.Kind.NGO},
             results="Forum odwiedziło 640 osób; 85 organizacji zaprezentowało swoje działania."),
        Spec("Seniorzy w sieci", "Warsztaty kompetencji cyfrowych dla seniorów w gminach wiejskich.",
             "wojewodztwo-opolskie", S.APPROVED, 20, 10, 90_000, 9_000, {"kind": Organization.Kind.NGO}),
        Spec("Młodzież dla klimatu", "Wymiana młodzieży z miastami partnerskimi na temat ochrony klimatu.",
             "european-commission", S.SUBMITTED, 150, 12, 260_000, 26_000, {"kind": Organization.Kind.SCHOOL}, partner_abroad=True),
        Spec("Wolontariat sąsiedzki", "Pomysł sieci wolontariuszy pomagających sąsiadom w małych miejscowościach.",
             "narodowy-instytut-wolnosci", S.IDEA, 250, 12, 150_000, 15_000, {"kind": Organization.Kind.NGO}),
    ],
}


def loaded_profiles() -> set[str]:
    """The profiles whose demo projects the database holds (by their funders)."""
    found = set()
    for profile, slugs in OWN_FUNDERS.items():
        if Project.objects.filter(funder__slug__in=slugs).exists():
            found.add(profile)
    return found


MAIN_LINE = [S.IDEA, S.IN_PREPARATION, S.SUBMITTED, S.APPROVED, S.RUNNING, S.FINAL_REPORT, S.CLOSED]


def _path_to(status: str) -> list[str]:
    """The workflow's steps from "idea" to ``status``."""
    if status == S.REJECTED:
        return [*MAIN_LINE[:3], S.REJECTED]
    return MAIN_LINE[: MAIN_LINE.index(status) + 1]


def _pick(filters: dict, *, country: str, used: set) -> Organization | None:
    organizations = Organization.objects.listed().filter(territory__country=country).exclude(pk__in=used)
    if "home" in filters:
        organizations = organizations.filter(
            memberships__in=Membership.objects.approved().filter(user__username=filters["home"])
        )
    else:
        organizations = organizations.filter(**filters)
    return organizations.order_by("pk").first()


def _representative(organization):
    membership = Membership.objects.approved().filter(organization=organization).select_related("user").first()
    return membership.user if membership else None


def load(*, profile: str, stdout) -> None:
    """Create the profile's demo projects; does nothing if there are projects already."""
    if Project.objects.exists():
        stdout.write("Project portfolio demo data is already loaded; nothing to do.")
        return
    country, language, currency = PROFILE[profile]
    today = timezone.localdate()
    funders = {funder.slug: funder for funder in Funder.objects.all()}
    abroad = list(Organization.objects.filter(territory__isnull=True).exclude(country=country).order_by("pk")[:3])
    created = 0
    used: set[int] = set()
    for index, spec in enumerate(SPECS[profile]):
        lead = _pick(spec.lead, country=country, used=set()) or _pick({}, country=country, used=set())
        if lead is None:
            stdout.write(f"  skipped the demo project {spec.title!r}: no organization in the registry.")
            continue
        funder = funders.get(spec.funder)
        call = None
        if funder is not None:
            call = Call.objects.filter(programme__funder=funder).filter(Q(published_at__isnull=False)).order_by("pk").first()
        start = today + datetime.timedelta(days=spec.start_in_days)
        end = start + datetime.timedelta(days=30 * spec.months)
        author = _representative(lead)
        project = Project.objects.create(
            title=spec.title, lead_organization=lead, funder=funder,
            programme=call.programme if call else None, call=call,
            budget=Decimal(spec.budget), co_financing=Decimal(spec.co_financing), currency=currency,
            start_date=start, end_date=end, summary=f"{spec.summary}\n\n{DEMO_NOTE[language]}",
            results=spec.results, territory=lead.territory, status=spec.status, created_by=author,
        )
        moment = timezone.now() - datetime.timedelta(days=400)
        previous = ""
        for step in _path_to(spec.status):
            StatusChange.objects.create(project=project, from_status=previous, to_status=step, by=author, at=moment)
            previous = step
            moment += datetime.timedelta(days=30)
        partner = _pick({"kind": Organization.Kind.NGO}, country=country, used={lead.pk})
        if partner is not None and index % 2 == 0:
            ProjectPartner.objects.create(project=project, organization=partner, role=ProjectPartner.Role.PARTNER)
        if spec.partner_abroad and abroad:
            ProjectPartner.objects.create(project=project, organization=abroad[index % len(abroad)],
                                          role=ProjectPartner.Role.PARTNER)
        for title, due_in in spec.milestones:
            due = today + datetime.timedelta(days=due_in)
            Milestone.objects.create(project=project, title=title, due_date=due, done=due < today,
                                     done_at=timezone.now() if due < today else None)
        project.search_document = project_search_document(project)
        project.save(update_fields=["search_document"])
        used.add(lead.pk)
        created += 1
    stdout.write(f"  {created} projects (fictitious examples).")
