"""Demo data for support requests: a few requests of the demo "ngo" account's organization to the
coordination office, at every stage of the workflow, with their threads, history and time.

Everything here is fictitious (the requests name real kinds of calls: open competitions for
public tasks and Erasmus+ in Opole, BEBKA's programmes and Erasmus+ in Orhangazi). Each
profile loads its own language's rows; the demo "coordinator" answers, so logging in as
``ngo`` shows the organization's side and as ``coordinator`` the queue.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicbridge.accounts.models import Membership

from .models import HistoryEntry, Message, SupportRequest, TimeEntry

Status = SupportRequest.Status
Topic = SupportRequest.Topic

DEMO_NOTE = {
    "pl": "*Zgłoszenie przykładowe (dane demonstracyjne).*",
    "tr": "*Örnek talep (demo verisi).*",
}
PROFILE_LANGUAGE = {"opole": "pl", "orhangazi": "tr"}


@dataclass
class Spec:
    topic: str
    subject: str
    description: str
    days_ago: int
    # What happened next, in order: ("office", text, days ago), ("organization", text, days ago),
    # ("assign", days ago), ("status", new status, days ago), ("time", minutes, note, days ago).
    steps: list[tuple] = field(default_factory=list)


SPECS = {
    "opole": [
        Spec(
            Topic.PROJECT_WRITING,
            "Budżet oferty w otwartym konkursie ofert – jak pokazać koszty administracyjne?",
            "Przygotowujemy ofertę w otwartym konkursie ofert województwa na zadanie z pomocy społecznej. "
            "Nie wiemy, jaką część budżetu mogą stanowić koszty administracyjne i czy wolno do nich "
            "wliczyć księgowość.\n\nTermin składania ofert mija za dwa tygodnie.",
            days_ago=1,
        ),
        Spec(
            Topic.PARTNER_SEARCH,
            "Szukamy partnera z Czech do wspólnego projektu o dziedzictwie pogranicza",
            "Chcemy przygotować mały projekt z organizacją z Czech (spotkania młodzieży, wspólna "
            "wystawa). Czy biuro koordynacji zna organizacje po drugiej stronie granicy, które "
            "szukają partnera?",
            days_ago=12,
            steps=[
                ("assign", 11),
                ("office", "Dzień dobry! Sprawdź proszę ogłoszenia o partnerstwie z Czech w wyszukiwarce "
                           "partnerów. Czy projekt ma już wybrany nabór wniosków?", 10),
                ("time", 30, "przegląd ogłoszeń o partnerstwie i kontaktów", 10),
                ("organization", "Dziękujemy. Myślimy o naborze na małe projekty w programie Interreg; "
                                 "dwie organizacje z ogłoszeń nie odpowiedziały.", 8),
                ("time", 20, "rozmowa telefoniczna z koordynatorem czeskiego partnera", 6),
            ],
        ),
        Spec(
            Topic.REPORTING,
            "Sprawozdanie końcowe z małej dotacji – jak rozliczyć wkład osobowy?",
            "Kończymy zadanie z małej dotacji (tryb uproszczony). W ofercie wpisaliśmy wkład osobowy "
            "wolontariuszy. Jak go wykazać w sprawozdaniu końcowym i jakie dokumenty zachować?",
            days_ago=6,
            steps=[
                ("assign", 5),
                ("office", "Wkład osobowy wykazujesz w części finansowej sprawozdania, w kolumnie wkładu "
                           "osobowego, według stawek z oferty. Zachowaj porozumienia z wolontariuszami i "
                           "karty czasu pracy. Daj znać, jeśli coś będzie niejasne.", 4),
                ("time", 40, "odpowiedź z przykładem wypełnionego sprawozdania", 4),
            ],
        ),
        Spec(
            Topic.PROJECT_WRITING,
            "Konsultacja wniosku Erasmus+ (małe partnerstwo w edukacji dorosłych)",
            "Prosimy o przeczytanie opisu działań i budżetu naszego wniosku przed złożeniem.",
            days_ago=30,
            steps=[
                ("assign", 29),
                ("status", Status.IN_PROGRESS, 29),
                ("time", 90, "lektura wniosku i uwagi na piśmie", 27),
                ("office", "Przesyłamy uwagi: rezultaty opisz liczbami, a harmonogram rozpisz na miesiące. "
                           "Budżet jest zgodny z zasadami ryczałtów.", 27),
                ("organization", "Dziękujemy, poprawiliśmy wniosek i złożyliśmy go w terminie.", 24),
                ("time", 15, "sprawdzenie poprawionej wersji", 24),
                ("status", Status.CLOSED, 23),
            ],
        ),
    ],
    "orhangazi": [
        Spec(
            Topic.PROJECT_WRITING,
            "BEBKA Sosyal Kalkınma programı için bütçe hazırlığında destek",
            "Derneğimiz BEBKA'nın sosyal kalkınma mali destek programına başvurmak istiyor. Eş finansman "
            "oranını ve personel giderlerinin nasıl gösterileceğini öğrenmek istiyoruz.\n\n"
            "Son başvuru tarihine üç hafta var.",
            days_ago=2,
        ),
        Spec(
            Topic.PARTNER_SEARCH,
            "Gençlik değişimi için Polonya'dan ortak kuruluş arıyoruz",
            "Erasmus+ gençlik değişimi projemiz için Polonya'dan bir gençlik derneği ile çalışmak "
            "istiyoruz. Koordinasyon biriminin önerebileceği kuruluşlar var mı?",
            days_ago=14,
            steps=[
                ("assign", 13),
                ("office", "Merhaba, ortaklık ilanları arasında Polonya'dan gençlik kuruluşları var. "
                           "Projenizin hangi hibe çağrısına başvuracağını paylaşır mısınız?", 12),
                ("time", 25, "ortaklık ilanlarının taranması", 12),
                ("organization", "Ulusal Ajansın KA152 çağrısına başvuracağız; iki kuruluşa yazdık ama "
                                 "henüz yanıt gelmedi.", 9),
            ],
        ),
        Spec(
            Topic.REPORTING,
            "Ara rapor için katılımcı listelerini nasıl sunmalıyız?",
            "Kaymakamlık destekli eğitim projemizin ara raporunu hazırlıyoruz. Katılımcı listelerini ve "
            "fotoğrafları hangi biçimde eklememiz gerekiyor?",
            days_ago=5,
            steps=[
                ("assign", 5),
                ("office", "İmzalı katılımcı listelerini PDF olarak, fotoğrafları ise tarih ve etkinlik adıyla "
                           "adlandırarak ekleyebilirsiniz. Kişisel verileri içeren belgeleri yalnızca rapora "
                           "ekleyin, kamuya açık paylaşmayın.", 3),
                ("time", 30, "rapor şablonunun açıklanması", 3),
            ],
        ),
        Spec(
            Topic.OTHER,
            "Proje yazma eğitimine katılım belgesi",
            "Geçen ay düzenlenen proje yazma eğitimine katılan üyelerimiz katılım belgesi almak istiyor.",
            days_ago=25,
            steps=[
                ("assign", 24),
                ("office", "Katılım belgeleri hazırlandı; derneğinizin e-posta adresine gönderdik.", 22),
                ("time", 15, "belgelerin hazırlanması", 22),
                ("status", Status.CLOSED, 20),
            ],
        ),
    ],
}


def load(*, profile: str, stdout) -> None:
    """Create the profile's demo support requests; does nothing if any request exists."""
    if SupportRequest.objects.exists():
        stdout.write("Support requests demo data is already loaded; nothing to do.")
        return
    users = get_user_model().objects
    coordinator = users.filter(username="coordinator").first()
    membership = (
        Membership.objects.approved().filter(user__username="ngo").select_related("user", "organization").first()
    )
    if coordinator is None or membership is None:
        stdout.write("  skipped the support requests: the registry's demo accounts are missing.")
        return
    language = PROFILE_LANGUAGE[profile]
    now = timezone.now()
    for spec in SPECS[profile]:
        _create(spec, organization=membership.organization, asker=membership.user, coordinator=coordinator,
                language=language, now=now)
    stdout.write(f"  {len(SPECS[profile])} support requests (fictitious) of {membership.organization.name}.")


def _create(spec: Spec, *, organization, asker, coordinator, language: str, now) -> SupportRequest:
    def ago(days: int) -> datetime.datetime:
        return now - datetime.timedelta(days=days)

    support_request = SupportRequest.objects.create(
        organization=organization, topic=spec.topic, subject=spec.subject,
        description=f"{spec.description}\n\n{DEMO_NOTE[language]}", created_by=asker,
    )
    created = HistoryEntry.objects.create(
        request=support_request, kind=HistoryEntry.Kind.CREATED, new_status=Status.NEW, by=asker,
    )
    HistoryEntry.objects.filter(pk=created.pk).update(at=ago(spec.days_ago))
    status = Status.NEW
    last = spec.days_ago

    def change(new_status, by, days):
        nonlocal status
        entry = HistoryEntry.objects.create(
            request=support_request, kind=HistoryEntry.Kind.STATUS, old_status=status, new_status=new_status, by=by,
        )
        HistoryEntry.objects.filter(pk=entry.pk).update(at=ago(days))
        status = new_status

    for step in spec.steps:
        kind, days = step[0], step[-1]
        last = min(last, days)
        if kind == "assign":
            support_request.assigned_to = coordinator
            entry = HistoryEntry.objects.create(
                request=support_request, kind=HistoryEntry.Kind.ASSIGNED, assignee=coordinator, by=coordinator,
            )
            HistoryEntry.objects.filter(pk=entry.pk).update(at=ago(days))
        elif kind in ("office", "organization"):
            office = kind == "office"
            message = Message.objects.create(
                request=support_request, author=coordinator if office else asker, from_office=office, body=step[1],
            )
            Message.objects.filter(pk=message.pk).update(created_at=ago(days))
            # The same moves as services.post_message.
            if office and status in (Status.NEW, Status.IN_PROGRESS):
                change(Status.WAITING, coordinator, days)
            elif not office and status == Status.WAITING:
                change(Status.IN_PROGRESS, asker, days)
        elif kind == "status":
            change(step[1], coordinator, days)
        elif kind == "time":
            entry = TimeEntry.objects.create(request=support_request, coordinator=coordinator, minutes=step[1], note=step[2])
            TimeEntry.objects.filter(pk=entry.pk).update(created_at=ago(days))
    support_request.status = status
    support_request.save(update_fields=["status", "assigned_to"])
    SupportRequest.objects.filter(pk=support_request.pk).update(created_at=ago(spec.days_ago), updated_at=ago(last))
    return support_request
