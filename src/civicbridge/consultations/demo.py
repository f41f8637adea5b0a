"""Demo data for consultations: one open and one finished consultation per profile.

What is real and what is not:

- fictitious: every consultation's text, every remark and every answer below. They are
  ILLUSTRATIVE: written for the demo to look like the documents these offices consult, not
  copied from any real act. No resolution number, official code or legal rule is invented:
  the adopting act of the finished consultation is left without a number, and the durations
  follow the platform's default (7 days) rather than any body's real resolution.
- real: the shape of the work. In Opole, the regional standard of consulting draft normative
  acts (open now) and the annual cooperation programme with NGOs, which art. 5a of the Polish
  act on public benefit activity requires to be adopted after consultations by 30 November
  of the year before; its sections follow the eleven contents that article lists. In
  Orhangazi, district-level documents on cooperation with associations, in Turkish.

The issuing body is the demo's home body (the "officer" account is its officer); the "ngo"
account has a remark in the open consultation. Other remarks come from demo representatives
of generated NGOs, whose memberships a coordinator grants through the accounts service.
Each consultation's description ends with a note saying it is an example.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicbridge.accounts.models import Membership
from civicbridge.core.markdown import render_markdown
from civicbridge.directory.models import Organization, listed_q

from .models import Consultation, Remark, RemarkVersion, Section, SectionVersion
from .services import consultation_search_document

DEMO_NOTE = {
    "pl": "*Konsultacje przykładowe (dane demonstracyjne): tekst projektu i uwagi są fikcyjne.*",
    "tr": "*Örnek görüş alma (demo verisi): taslak metin ve görüşler kurgusaldır.*",
}
PROFILE_LANGUAGE = {"opole": "pl", "orhangazi": "tr"}
STANDARD_TITLE = (
    "Projekt Standardu konsultowania projektów aktów normatywnych z organizacjami pozarządowymi"
)
GRANT_REASON = {
    "pl": "Konto demonstracyjne: autor przykładowych uwag w konsultacjach.",
    "tr": "Tanıtım hesabı: örnek görüşlerin yazarı.",
}
ANSWER = Remark.Answer


@dataclass(frozen=True)
class RemarkSpec:
    section: int | None  # index into the sections; None: the whole act
    justification: str
    proposed: str = ""
    by_ngo_account: bool = False
    answer: str = ""
    answer_justification: str = ""


@dataclass(frozen=True)
class ConsultationSpec:
    title: str
    kind: str
    description: str
    legal_basis: str
    sections: list[tuple[str, str, str]]  # (number, heading, text)
    remarks: list[RemarkSpec]
    started_days_ago: int
    lasts_days: int
    summary: str = ""
    adopted_changes: dict[int, str] = field(default_factory=dict)  # section index -> adopted text


# --- Opole ----------------------------------------------------------------------------------------

OPOLE_STANDARD = ConsultationSpec(
    title=STANDARD_TITLE,
    kind=Consultation.Kind.STANDARD,
    description=(
        "Zespół roboczy przygotował projekt standardu, który opisuje, jak samorząd województwa konsultuje "
        "z organizacjami pozarządowymi projekty aktów normatywnych. Zgłoś uwagi do poszczególnych paragrafów "
        "albo do całego projektu."
    ),
    legal_basis="Art. 5 ust. 2 pkt 3 i ust. 5 ustawy o działalności pożytku publicznego i o wolontariacie.",
    sections=[
        (
            "§ 1.",
            "Przedmiot standardu",
            "Standard określa zasady i tryb konsultowania z organizacjami pozarządowymi "
            "projektów aktów normatywnych w dziedzinach dotyczących ich działalności statutowej.",
        ),
        (
            "§ 2.",
            "Zasady konsultacji",
            "Konsultacje prowadzi się zgodnie z zasadami pomocniczości, suwerenności "
            "stron, partnerstwa, efektywności, uczciwej konkurencji i jawności.",
        ),
        (
            "§ 3.",
            "Ogłoszenie konsultacji",
            "Informację o konsultacjach publikuje się na platformie współpracy "
            "i w Biuletynie Informacji Publicznej. Informacja wskazuje projekt, termin, formy konsultacji i osobę "
            "do kontaktu.",
        ),
        (
            "§ 4.",
            "Czas trwania konsultacji",
            "Konsultacje trwają nie krócej niż 14 dni od dnia ogłoszenia. "
            "W uzasadnionych przypadkach termin można skrócić do 7 dni, podając przyczynę w ogłoszeniu.",
        ),
        (
            "§ 5.",
            "Formy konsultacji",
            "Uwagi zgłasza się za pomocą formularza na platformie, pisemnie albo "
            "podczas otwartego spotkania konsultacyjnego.",
        ),
        (
            "§ 6.",
            "Odpowiedź na uwagi",
            "Do każdej uwagi organ odnosi się w raporcie z konsultacji, wskazując, "
            "czy ją uwzględnił w całości, w części, czy jej nie uwzględnił, wraz z uzasadnieniem.",
        ),
        (
            "§ 7.",
            "Raport z konsultacji",
            "Raport z konsultacji publikuje się w terminie 30 dni od ich zakończenia.",
        ),
        (
            "§ 8.",
            "Ocena stosowania standardu",
            "Stosowanie standardu ocenia się raz w roku wspólnie "
            "z przedstawicielami organizacji pozarządowych.",
        ),
    ],
    remarks=[
        RemarkSpec(
            3,
            "Dwa tygodnie to za mało dla małych stowarzyszeń, których zarządy pracują społecznie. "
            "Proponujemy **21 dni**, a skrócenie terminu tylko w sytuacjach nagłych.",
            proposed="Konsultacje trwają nie krócej niż 21 dni od dnia ogłoszenia.",
            by_ngo_account=True,
        ),
        RemarkSpec(
            3,
            "Skrócenie terminu do 7 dni powinno wymagać zgody rady działalności pożytku publicznego.",
        ),
        RemarkSpec(
            2,
            "Prosimy o wysyłanie informacji o konsultacjach także e-mailem do organizacji z bazy.",
            proposed="Informację o konsultacjach publikuje się na platformie współpracy i w Biuletynie "
            "Informacji Publicznej oraz przesyła organizacjom, które o to poproszą.",
        ),
        RemarkSpec(
            5,
            "Dobrze, że każda uwaga dostaje odpowiedź. Warto dodać, że autor uwagi jest o niej "
            "powiadamiany.",
        ),
        RemarkSpec(
            6,
            "30 dni to długo; raport powinien być gotowy przed przyjęciem aktu.",
            proposed="Raport z konsultacji publikuje się przed przyjęciem aktu, nie później niż w terminie "
            "21 dni od zakończenia konsultacji.",
        ),
        RemarkSpec(
            None,
            "Standard powinien obejmować również konsultacje z radami działalności pożytku "
            "publicznego, a nie tylko z organizacjami.",
        ),
    ],
    started_days_ago=4,
    lasts_days=21,
)


def opole_programme(year: int) -> ConsultationSpec:
    return ConsultationSpec(
        title=f"Projekt Programu współpracy Samorządu Województwa Opolskiego z organizacjami pozarządowymi na rok {year}",
        kind=Consultation.Kind.COOPERATION_PROGRAMME,
        description=(
            "Roczny program współpracy z organizacjami pozarządowymi, który sejmik województwa przyjmuje po "
            "konsultacjach do 30 listopada roku poprzedniego. Paragrafy odpowiadają elementom programu, "
            "które wymienia art. 5a ustawy."
        ),
        legal_basis="Art. 5a ust. 1 ustawy o działalności pożytku publicznego i o wolontariacie.",
        sections=[
            (
                "§ 1.",
                "Cel główny i cele szczegółowe programu",
                "Celem głównym programu jest rozwój współpracy "
                "samorządu województwa z organizacjami pozarządowymi w realizacji zadań publicznych.",
            ),
            (
                "§ 2.",
                "Zasady współpracy",
                "Współpraca opiera się na zasadach pomocniczości, suwerenności stron, "
                "partnerstwa, efektywności, uczciwej konkurencji i jawności.",
            ),
            (
                "§ 3.",
                "Zakres przedmiotowy",
                "Współpraca obejmuje sfery zadań publicznych, o których mowa w art. 4 "
                "ustawy, należące do zadań samorządu województwa.",
            ),
            (
                "§ 4.",
                "Formy współpracy",
                "Współpraca ma formę finansową (zlecanie zadań publicznych) i pozafinansową "
                "(wzajemne informowanie się, konsultowanie projektów aktów, zespoły doradcze).",
            ),
            (
                "§ 5.",
                "Priorytetowe zadania publiczne",
                "Za priorytetowe uznaje się zadania z zakresu pomocy "
                "społecznej, kultury, turystyki oraz działalności na rzecz osób starszych.",
            ),
            (
                "§ 6.",
                "Okres realizacji programu",
                f"Program realizuje się od 1 stycznia do 31 grudnia {year} r.",
            ),
            (
                "§ 7.",
                "Sposób realizacji programu",
                "Program realizuje zarząd województwa przy pomocy departamentów "
                "urzędu marszałkowskiego i wojewódzkich samorządowych jednostek organizacyjnych.",
            ),
            (
                "§ 8.",
                "Wysokość środków planowanych na realizację programu",
                "Wysokość środków na realizację "
                "programu określi uchwała budżetowa województwa na dany rok.",
            ),
            (
                "§ 9.",
                "Sposób oceny realizacji programu",
                "Realizację programu ocenia się na podstawie liczby "
                "ogłoszonych konkursów i złożonych ofert.",
            ),
            (
                "§ 10.",
                "Informacja o sposobie tworzenia programu oraz o przebiegu konsultacji",
                "Projekt programu "
                "przygotowano z udziałem organizacji pozarządowych i poddano konsultacjom na platformie współpracy.",
            ),
            (
                "§ 11.",
                "Tryb powoływania i zasady działania komisji konkursowych",
                "Komisje konkursowe powołuje "
                "zarząd województwa; w ich skład wchodzą także przedstawiciele organizacji pozarządowych.",
            ),
        ],
        remarks=[
            RemarkSpec(
                4,
                "Brakuje zadań z zakresu ochrony zdrowia, szczególnie zdrowia psychicznego młodzieży.",
                proposed="Za priorytetowe uznaje się zadania z zakresu pomocy społecznej, ochrony zdrowia, "
                "kultury, turystyki oraz działalności na rzecz osób starszych.",
                answer=ANSWER.ACCEPTED,
                answer_justification="Uwzględniono: ochronę zdrowia dodano do zadań priorytetowych.",
            ),
            RemarkSpec(
                8,
                "Ocena tylko na podstawie liczby konkursów nie mówi nic o jakości współpracy.",
                proposed="Realizację programu ocenia się na podstawie wskaźników liczby i jakości "
                "współpracy, w tym opinii organizacji zebranych w ankiecie.",
                answer=ANSWER.PARTLY,
                answer_justification="Uwzględniono częściowo: dodano ankietę wśród organizacji; "
                "wskaźniki jakości określi sprawozdanie z realizacji programu.",
            ),
            RemarkSpec(
                3,
                "Proponujemy wpisać regranting jako formę finansową współpracy.",
                answer=ANSWER.REJECTED,
                answer_justification="Nie uwzględniono: w roku objętym programem nie planuje się "
                "regrantingu; propozycja wróci przy pracach nad kolejnym programem.",
            ),
            RemarkSpec(
                10,
                "Prosimy, aby w komisjach zawsze zasiadało co najmniej dwóch przedstawicieli organizacji.",
                answer=ANSWER.PARTLY,
                answer_justification="Uwzględniono częściowo: program przewiduje udział organizacji "
                "w komisjach; ich liczbę określa ogłoszenie konkursu.",
            ),
            RemarkSpec(
                None,
                "Program powinien przewidywać małe granty w trybie art. 19a dla młodych organizacji.",
                answer=ANSWER.ACCEPTED,
                answer_justification="Uwzględniono w formach współpracy finansowej (§ 4).",
            ),
        ],
        started_days_ago=40,
        lasts_days=14,
        summary=(
            "Konsultacje trwały 14 dni. Odbyły się spotkania konsultacyjne w powiatach; uwagi zgłaszano także "
            "przez platformę. Wszystkie uwagi rozpatrzono; odpowiedzi podano przy każdej uwadze."
        ),
        adopted_changes={
            3: "Współpraca ma formę finansową (zlecanie zadań publicznych, w tym w trybie art. 19a ustawy) "
            "i pozafinansową (wzajemne informowanie się, konsultowanie projektów aktów, zespoły doradcze).",
            4: "Za priorytetowe uznaje się zadania z zakresu pomocy społecznej, ochrony zdrowia, kultury, turystyki "
            "oraz działalności na rzecz osób starszych.",
            8: "Realizację programu ocenia się na podstawie liczby ogłoszonych konkursów i złożonych ofert oraz "
            "ankiety wśród organizacji pozarządowych.",
        },
    )


# --- Orhangazi ------------------------------------------------------------------------------------

ORHANGAZI_OPEN = ConsultationSpec(
    title="Orhangazi İlçesi Kamu–STK İşbirliği Yönergesi Taslağı",
    kind=Consultation.Kind.OTHER,
    description=(
        "Kaymakamlık, ilçedeki kamu kurumları ile dernek ve vakıfların birlikte çalışma usullerini belirleyen bir "
        "yönerge taslağı hazırladı. Maddeler hakkında görüşlerinizi bekliyoruz."
    ),
    legal_basis="",
    sections=[
        (
            "Madde 1",
            "Amaç",
            "Bu yönergenin amacı, ilçedeki kamu kurumları ile sivil toplum kuruluşları arasındaki "
            "işbirliğinin usul ve esaslarını belirlemektir.",
        ),
        (
            "Madde 2",
            "Kapsam",
            "Yönerge, ilçede faaliyet gösteren dernek, vakıf ve kooperatiflerle yürütülen ortak "
            "çalışmaları kapsar.",
        ),
        (
            "Madde 3",
            "İstişare toplantıları",
            "Kaymakamlık, yılda en az iki kez sivil toplum kuruluşlarıyla "
            "istişare toplantısı düzenler.",
        ),
        (
            "Madde 4",
            "Görüş alma",
            "Sivil toplum kuruluşlarını ilgilendiren taslak belgeler, platformda en az 7 gün "
            "süreyle görüşe açılır.",
        ),
        (
            "Madde 5",
            "Bilgilendirme",
            "Hibe çağrıları ve eğitimler hakkında kuruluşlar platform ve e-posta yoluyla "
            "bilgilendirilir.",
        ),
        ("Madde 6", "Yürürlük", "Bu yönerge onaylandığı tarihte yürürlüğe girer."),
    ],
    remarks=[
        RemarkSpec(
            2,
            "Yılda iki toplantı az; üç ayda bir toplantı öneriyoruz.",
            proposed="Kaymakamlık, üç ayda bir sivil toplum kuruluşlarıyla istişare toplantısı düzenler.",
            by_ngo_account=True,
        ),
        RemarkSpec(
            3,
            "Yedi gün küçük dernekler için kısa; süre 14 gün olmalı.",
            proposed="Sivil toplum kuruluşlarını ilgilendiren taslak belgeler, platformda en az 14 gün "
            "süreyle görüşe açılır.",
        ),
        RemarkSpec(None, "Yönergeye gönüllülük faaliyetleri de eklenmeli."),
    ],
    started_days_ago=3,
    lasts_days=14,
)

ORHANGAZI_FINISHED = ConsultationSpec(
    title="Orhangazi İlçesi Gençlik ve Gönüllülük Eylem Planı Taslağı",
    kind=Consultation.Kind.STRATEGY,
    description=(
        "İlçede gençlerin gönüllü çalışmalara katılımını artırmaya yönelik eylem planı taslağı görüşe açılmıştı. "
        "Tüm görüşler yanıtlandı; rapor aşağıdadır."
    ),
    legal_basis="",
    sections=[
        (
            "Madde 1",
            "Amaç",
            "Eylem planının amacı, ilçedeki gençlerin gönüllülük faaliyetlerine katılımını "
            "artırmaktır.",
        ),
        (
            "Madde 2",
            "Faaliyetler",
            "Okullarda gönüllülük tanıtım günleri düzenlenir ve derneklerle gençler buluşturulur.",
        ),
        (
            "Madde 3",
            "Sorumlular",
            "Eylem planını Kaymakamlık, İlçe Milli Eğitim Müdürlüğü ve dernekler birlikte yürütür.",
        ),
        ("Madde 4", "İzleme", "Eylem planı yılda bir kez değerlendirilir."),
    ],
    remarks=[
        RemarkSpec(
            1,
            "Gönüllülük faaliyetlerine köylerdeki gençler de katılabilmeli; ulaşım desteği gerekli.",
            answer=ANSWER.ACCEPTED,
            answer_justification="Kabul edildi: köylerden ulaşım desteği eklendi.",
        ),
        RemarkSpec(
            3,
            "Değerlendirme altı ayda bir yapılmalı.",
            answer=ANSWER.PARTLY,
            answer_justification="Kısmen kabul edildi: altı ayda bir ara bilgi notu hazırlanacak, "
            "değerlendirme yıllık kalacak.",
        ),
        RemarkSpec(
            2,
            "Sorumlular arasına spor kulüpleri eklensin.",
            answer=ANSWER.REJECTED,
            answer_justification="Kabul edilmedi: spor kulüpleri dernek olarak zaten kapsamda.",
        ),
    ],
    started_days_ago=45,
    lasts_days=14,
    summary="Görüş alma süreci 14 gün sürdü. Gelen tüm görüşler değerlendirildi ve yanıtlandı.",
    adopted_changes={
        1: "Okullarda gönüllülük tanıtım günleri düzenlenir, derneklerle gençler buluşturulur ve köylerden "
        "katılım için ulaşım desteği sağlanır.",
    },
)


def specs(profile: str) -> tuple[ConsultationSpec, ConsultationSpec]:
    """(the open one, the finished one) of a profile."""
    if profile == "opole":
        now = timezone.localtime()
        # The programme for next year is consulted in autumn (adopted by 30 November).
        return OPOLE_STANDARD, opole_programme(now.year + 1 if now.month >= 6 else now.year)
    return ORHANGAZI_OPEN, ORHANGAZI_FINISHED


# --- loading --------------------------------------------------------------------------------------


def loaded_profiles() -> set[str]:
    found = set()
    for profile, language in PROFILE_LANGUAGE.items():
        if Consultation.objects.filter(description__contains=DEMO_NOTE[language]).exists():
            found.add(profile)
    return found


def standard_consultation() -> Consultation | None:
    """The Opole demo's open consultation of the standard of consulting draft acts (the groups
    app's demo links its standard to it), or None when this database has none."""
    return (
        Consultation.objects.filter(title=STANDARD_TITLE, kind=Consultation.Kind.STANDARD)
        .order_by("pk")
        .first()
    )


def load(*, profile: str, stdout) -> None:
    """Create the profile's demo consultations; does nothing if consultations exist."""
    if Consultation.objects.exists():
        stdout.write("Consultations demo data is already loaded; nothing to do.")
        return
    language = PROFILE_LANGUAGE[profile]
    body = _organization_of("officer")
    if body is None:
        stdout.write("  skipped the consultations demo: the officer account has no body.")
        return
    officer = get_user_model().objects.get(username="officer")
    ngo_user = get_user_model().objects.filter(username="ngo").first()
    ngo = _organization_of("ngo")
    authors = _demo_authors(profile, language, exclude=ngo)
    open_spec, finished_spec = specs(profile)
    now = timezone.now()
    opened = _create(
        open_spec, body=body, officer=officer, language=language, now=now, finished=False
    )
    _remarks(
        opened, open_spec, authors=authors, ngo=(ngo_user, ngo), language=language, officer=officer
    )
    finished = _create(
        finished_spec, body=body, officer=officer, language=language, now=now, finished=True
    )
    _remarks(
        finished,
        finished_spec,
        authors=authors,
        ngo=(ngo_user, ngo),
        language=language,
        officer=officer,
    )
    _meetings(finished, language)
    count = Remark.objects.count()
    stdout.write(
        f"  2 consultations (fictitious texts): one open, one finished with its report; {count} remarks."
    )


def _organization_of(username: str) -> Organization | None:
    membership = (
        Membership.objects.approved()
        .filter(user__username=username)
        .select_related("organization")
        .first()
    )
    return membership.organization if membership else None


def _demo_authors(profile: str, language: str, *, exclude) -> list[tuple]:
    """A few representatives of generated NGOs, each speaking for their organization."""
    from civicbridge.accounts.services import grant_membership

    coordinator = get_user_model().objects.get(username="coordinator")
    country = {"opole": "PL", "orhangazi": "TR"}[profile]
    organizations = list(
        Organization.objects.filter(
            listed_q(), kind=Organization.Kind.NGO, territory__country=country
        )
        .exclude(pk=getattr(exclude, "pk", None))
        .order_by("pk")[:5]
    )
    authors = []
    for number, organization in enumerate(organizations, start=1):
        user = get_user_model().objects.create_user(
            username=f"remark-author-{number}",
            email=f"remark-author-{number}@example.org",
            password=None,
            first_name=organization.name[:30],
            preferred_language=language,
        )
        grant_membership(
            user=user, organization=organization, by=coordinator, reason=GRANT_REASON[language]
        )
        authors.append((user, organization))
    return authors


def _create(
    spec: ConsultationSpec, *, body, officer, language, now, finished: bool
) -> Consultation:
    starts = now - datetime.timedelta(days=spec.started_days_ago)
    ends = starts + datetime.timedelta(days=spec.lasts_days)
    description = f"{spec.description}\n\n{DEMO_NOTE[language]}"
    consultation = Consultation.objects.create(
        title=spec.title,
        kind=spec.kind,
        issuing_body=body,
        legal_basis=spec.legal_basis,
        description=description,
        description_html=str(render_markdown(description)),
        territory=body.territory,
        starts_at=starts,
        ends_at=ends,
        published_at=starts - datetime.timedelta(days=1),
        created_by=officer,
    )
    sections = []
    for position, (label, heading, text) in enumerate(spec.sections, start=1):
        section = Section.objects.create(
            consultation=consultation, position=position, label=label, heading=heading, text=text
        )
        SectionVersion.objects.create(
            section=section, number=1, label=label, heading=heading, text=text, created_by=officer
        )
        sections.append(section)
    if finished:
        reported = ends + datetime.timedelta(days=7)
        consultation.reported_at = reported
        consultation.report_changed_at = reported
        consultation.report_summary = spec.summary
        consultation.report_summary_html = str(render_markdown(spec.summary))
        adopted = []
        for index, (label, heading, text) in enumerate(spec.sections):
            adopted.append(f"{label} {heading}\n{spec.adopted_changes.get(index, text)}")
        consultation.adopted_text = "\n".join(adopted)
        consultation.adopted_at = (ends + datetime.timedelta(days=14)).date()
        consultation.reminder_sent_at = ends - datetime.timedelta(days=1)
        consultation.announced_at = starts
    consultation.search_document = consultation_search_document(consultation)
    consultation.save()
    return consultation


def _remarks(consultation, spec: ConsultationSpec, *, authors, ngo, language, officer) -> None:
    sections = list(consultation.sections.order_by("position"))
    versions = {v.section_id: v for v in SectionVersion.objects.filter(section__in=sections)}
    ngo_user, ngo_organization = ngo
    for number, item in enumerate(spec.remarks):
        if item.by_ngo_account and ngo_user and ngo_organization:
            author, organization = ngo_user, ngo_organization
        elif authors:
            author, organization = authors[number % len(authors)]
        else:
            continue
        section = sections[item.section] if item.section is not None else None
        submitted = min(
            consultation.starts_at + datetime.timedelta(days=1 + number % 3, hours=number),
            timezone.now() - datetime.timedelta(hours=1 + number),
        )
        html = str(render_markdown(item.justification))
        remark = Remark.objects.create(
            consultation=consultation,
            section=section,
            section_version=versions.get(section.pk) if section else None,
            author=author,
            organization=organization,
            proposed_wording=item.proposed,
            justification=item.justification,
            justification_html=html,
            submitted_at=submitted,
            language=language,
            answer=item.answer,
            answer_justification=item.answer_justification,
            answer_justification_html=str(render_markdown(item.answer_justification))
            if item.answer
            else "",
            answered_at=consultation.ends_at + datetime.timedelta(days=3) if item.answer else None,
            answered_by=officer if item.answer else None,
            answer_notified_at=consultation.reported_at if item.answer else None,
        )
        RemarkVersion.objects.create(
            remark=remark,
            number=1,
            proposed_wording=item.proposed,
            justification=item.justification,
            justification_html=html,
            organization=organization,
            created_at=submitted,
        )


def _meetings(consultation, language: str) -> None:
    """The finished consultation's meetings: the events demo's consultation meetings around its time."""
    from civicbridge.events.models import Event

    words = {"pl": "Spotkanie konsultacyjne", "tr": "istişare toplantısı"}[language]
    around = Event.objects.filter(
        title__contains=words,
        starts_at__gte=consultation.starts_at - datetime.timedelta(days=20),
        starts_at__lte=consultation.ends_at,
    ).order_by("starts_at")[:2]
    consultation.meetings.set(list(around))
