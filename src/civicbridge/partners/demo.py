"""Demo data for the partner search: requests and answers, and city twinnings.

What is real and what is not:

- fictitious: every partner request and every answer. They are posted by organizations of the
  registry's demo (its real public bodies and its generated NGOs, schools and cooperatives),
  and each description ends with a note saying it is an example. The ideas follow the shape of
  real Erasmus+ actions (KA152 youth exchanges, KA210 small-scale partnerships, KA122 mobility),
  the European Solidarity Corps, CERV "Networks of towns" and BEBKA's calls.
- real: every twinning. Each comes from a public source named in its text and its website
  field; the year is given only where the source gives it. Contacts are left empty (people).

Each profile loads its own country's rows (DESIGN: "One authority per deployment"), in its
language: requests and answers of its own organizations, twinnings of its own towns. Partners
abroad appear as the countries a request looks in and as the twin cities; the registry's demo
holds a few fictitious organizations in those twin cities (directory.demo.ABROAD), which post
and answer nothing here.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from civicbridge.accounts.models import Membership
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory.models import Organization

from .models import ExpressionOfInterest, PartnerRequest, Twinning
from .services import refresh_last_answers, request_search_document

DEMO_NOTE = {
    "pl": "*Ogłoszenie przykładowe (dane demonstracyjne).*",
    "tr": "*Örnek ilan (demo verisi).*",
}
Kind = Organization.Kind


@dataclass
class Answer:
    organization: dict  # filters that pick the answering organization
    message: str
    status: str = ExpressionOfInterest.Status.PENDING


@dataclass
class Spec:
    key: str
    poster: dict
    language: str
    title: str
    description: str
    areas: tuple[str, ...]
    direction: str = PartnerRequest.Direction.SEEKING
    role_sought: str = ""
    partner_kinds: str = ""
    countries: str = ""
    territories: tuple[tuple[str, str], ...] = ()  # (country, code or English name)
    expected_contribution: str = ""
    deadline_in_days: int | None = 30
    status: str = PartnerRequest.Status.OPEN
    call: str = ""  # part of a call identifier: attached to that call if the funding demo has it open
    answers: list[Answer] = field(default_factory=list)


def _org(*, name=None, name_contains=None, kind=None, country=None, town=None, area=None, legal_form=None) -> dict:
    return {
        key: value
        for key, value in {
            "name": name, "name__icontains": name_contains, "kind": kind, "territory__country": country,
            "territory__name_en": town, "thematic_areas__code": area, "legal_form": legal_form,
        }.items()
        if value is not None
    }


HOME_NGO = {"home": "ngo"}

# Each profile's requests, posted and answered by its own country's organizations, in its
# language. A request may name the partner countries it looks for: those are places, not rows.
SPECS = {
    "opole": [
        Spec(
            key="seniors-online", poster=HOME_NGO, language="pl",
            title="Seniorzy w sieci – małe partnerstwo Erasmus+ w edukacji dorosłych (KA210-ADU)",
            description=(
                "Uniwersytet Trzeciego Wieku przygotowuje małe partnerstwo na rzecz współpracy w edukacji "
                "dorosłych. Chcemy wymienić się metodami nauczania seniorów bezpiecznego korzystania z "
                "bankowości internetowej, e-usług publicznych i wideorozmów z rodziną.\n\n"
                "Planujemy dwa spotkania partnerów (Opole i u partnera) oraz wspólny poradnik w trzech językach."
            ),
            areas=("pb-seniors", "eu-education-training", "eu-digital"),
            role_sought="partner (organizacja kształcenia dorosłych lub seniorów)",
            partner_kinds="ngo,university", countries="DE,CZ,TR",
            expected_contribution="Grupa 6–8 seniorów na spotkanie, jeden trener, wkład w poradnik.",
            deadline_in_days=28, call="KA210-ADU",
            answers=[
                Answer(_org(name_contains="Fundacja Aktywnych Seniorów", country="PL"),
                       "Prowadzimy kawiarenkę cyfrową dla seniorów; chętnie dołączymy jako partner krajowy."),
                Answer(_org(name_contains="Stowarzyszenie Seniorów", country="PL"),
                       "Nasi członkowie co tydzień uczą się obsługi smartfonów; chętnie podzielimy się "
                       "doświadczeniem i przyjedziemy na spotkanie w Opolu."),
            ],
        ),
        Spec(
            key="young-in-public-life", poster=_org(name="Urząd Marszałkowski Województwa Opolskiego"),
            language="pl",
            title="Młodzi w życiu publicznym – sieć miast (CERV, Sieci miast)",
            description=(
                "Samorząd województwa szuka gmin i miast do sieci, która przez dwa lata będzie wymieniać "
                "doświadczenia z młodzieżowymi radami gmin i budżetami obywatelskimi dla młodzieży.\n\n"
                "Każdy partner organizuje jedno wydarzenie międzynarodowe dla 40–60 uczestników."
            ),
            areas=("eu-civil-society-citizenship", "pb-european-integration", "eu-youth"),
            role_sought="partner sieci (gmina lub miasto)", partner_kinds="municipality,public_body",
            countries="DE,CZ,SK,UA",
            expected_contribution="Organizacja jednego wydarzenia i udział w trzech pozostałych.",
            deadline_in_days=45, call="CITIZENS-TOWN-NT",
            answers=[
                Answer(_org(name="Gmina Głuchołazy"),
                       "Gmina ma młodzieżową radę od kilku lat; chętnie przygotujemy wydarzenie o partycypacji.",
                       status=ExpressionOfInterest.Status.ACCEPTED),
                Answer(_org(name="Gmina Prudnik"),
                       "Gmina Prudnik chętnie dołączy do sieci i przygotuje jedno z wydarzeń dla młodzieży."),
            ],
        ),
        Spec(
            key="heritage-storytelling", poster=_org(name_contains="Liceum Ogólnokształcące nr 1 w Brzegu"),
            language="pl",
            title="Szukamy szkół partnerskich: europejskie dziedzictwo w cyfrowych opowieściach (Erasmus+ KA210-SCH)",
            description=(
                "Nasze liceum w Brzegu przygotowuje małe partnerstwo w edukacji szkolnej. Uczniowie w wieku "
                "15–17 lat badają zabytek swojego miasta, a potem opowiadają jego historię w krótkich filmach "
                "i na mapie internetowej wspólnej dla szkół partnerskich.\n\n"
                "Szukamy dwóch lub trzech szkół średnich; językiem roboczym projektu jest angielski."
            ),
            areas=("eu-education-training", "eu-digital", "eu-culture", "pb-education-science"),
            role_sought="szkoła partnerska", partner_kinds="school", countries="DE,CZ,TR,IT",
            expected_contribution="Klasa uczniów, dwoje nauczycieli, jeden krótki film i organizacja jednego spotkania.",
            deadline_in_days=21,
            answers=[
                Answer(_org(name_contains="Liceum Ogólnokształcące nr 1 w Głuchołazach"),
                       "Nasi uczniowie prowadzą szkolny kanał filmowy; chętnie dołączymy jako szkoła z Polski "
                       "i nakręcimy film o zabytku naszego miasta."),
            ],
        ),
        Spec(
            key="climate-volunteers", poster=_org(name_contains="Stowarzyszenie Ekologiczne Miasta Opola"),
            language="pl",
            title="Wolontariusze dla klimatu – projekt wolontariatu (Europejski Korpus Solidarności)",
            description=(
                "Szukamy organizacji wysyłających dla projektu wolontariatu: ośmiu młodych wolontariuszy "
                "przez dwa miesiące pomoże przy rekultywacji łąk nad Odrą i przy edukacji ekologicznej w szkołach."
            ),
            areas=("eu-environment-climate", "pb-ecology-animals", "pb-volunteering", "eu-youth"),
            role_sought="organizacja wysyłająca", partner_kinds="ngo,informal_group",
            expected_contribution="Rekrutacja i przygotowanie 2–3 wolontariuszy.", deadline_in_days=-6,
            answers=[
                Answer(_org(name_contains="Fundacja Ochrony Przyrody Miasta Opola"),
                       "Mamy grupę młodych wolontariuszy; możemy zrekrutować i przygotować dwie osoby."),
            ],
        ),
        Spec(
            key="girls-football",
            poster=_org(kind=Kind.NGO, country="PL", area="eu-sport", name_contains="Klub Sportowy"),
            language="pl",
            title="Piłka nożna dla dziewcząt – partnerstwo współpracy w sporcie (Erasmus+)",
            description=(
                "Klub sportowy szuka partnerów, by wymienić się metodami trenerskimi, dzięki którym "
                "dziewczęta w wieku 10–14 lat zostają w piłce nożnej, i zorganizować wspólny turniej."
            ),
            areas=("eu-sport", "pb-physical-culture", "eu-equality", "pb-gender-equality"),
            role_sought="klub partnerski", partner_kinds="ngo", countries="CZ,SK,TR", deadline_in_days=35,
            call="ERASMUS-SPORT",
            answers=[
                Answer(_org(name_contains="Uczniowski Klub Sportowy", town="Opole"),
                       "Mamy drużynę dziewcząt w tym wieku i dwoje trenerów z licencją; chętnie zagramy w turnieju."),
            ],
        ),
        Spec(
            key="social-economy-offer", poster=_org(name_contains="Spółdzielnia Socjalna „Mamy w Akcji”"),
            language="pl", direction=PartnerRequest.Direction.OFFERING,
            title="Partner z doświadczeniem w ekonomii społecznej i aktywizacji zawodowej matek",
            description=(
                "Spółdzielnia socjalna prowadzi catering i opiekę nad dziećmi, zatrudniając matki wracające "
                "na rynek pracy. Chętnie dołączymy jako partner do projektów o ekonomii społecznej, "
                "godzeniu pracy z rodzicielstwem i aktywizacji zawodowej."
            ),
            areas=("pb-social-economy", "eu-social-inclusion", "eu-employment-skills", "pb-employment"),
            role_sought="partner", partner_kinds="ngo,other,municipality", deadline_in_days=None, call="SOC-INNO",
        ),
        Spec(
            key="german-minority-offer", poster=_org(name_contains="Koło DFK w Głogówku"), language="pl",
            direction=PartnerRequest.Direction.OFFERING,
            title="Partner do wymian kulturalnych polsko-niemieckich",
            description=(
                "Koło mniejszości niemieckiej organizuje spotkania, koncerty i warsztaty dwujęzyczne. "
                "Oferujemy się jako partner do wymian kulturalnych i młodzieżowych z Niemcami."
            ),
            areas=("pb-minorities", "pb-culture-heritage", "eu-culture", "pb-european-integration"),
            role_sought="partner", countries="DE", deadline_in_days=None,
        ),
        Spec(
            key="odra-youth-exchange", poster=_org(name_contains="Stowarzyszenie Młodzieży Ziemi Nyskiej"),
            language="pl",
            title="Rzeka, która łączy – wymiana młodzieży o klimacie i rzekach (Erasmus+ KA152)",
            description=(
                "Planujemy ośmiodniową wymianę młodzieży w Nysie dla osób w wieku 16–20 lat: warsztaty o "
                "zmianach klimatu, spływ kajakowy i wspólne sprzątanie brzegów rzeki.\n\n"
                "Szukamy dwóch organizacji młodzieżowych, które przyślą po sześcioro uczestników i lidera."
            ),
            areas=("eu-youth", "eu-environment-climate", "pb-children-youth", "pb-ecology-animals"),
            role_sought="organizacja wysyłająca", partner_kinds="ngo,informal_group", countries="CZ,DE,SK",
            expected_contribution="Sześcioro uczestników i lider grupy; udział w spotkaniu przygotowawczym.",
            deadline_in_days=50,
        ),
        Spec(
            key="castles-trail", poster=_org(name_contains="Stowarzyszenie Historyczne Gminy Lewin Brzeski"),
            language="pl",
            title="Szlakiem zamków – partner z Czech do projektu turystyki kulturowej",
            description="Szukaliśmy partnera z Czech do wspólnego szlaku zamków i dworów po obu stronach granicy.",
            areas=("pb-culture-heritage", "pb-tourism", "eu-culture"),
            role_sought="partner", countries="CZ", deadline_in_days=10, status=PartnerRequest.Status.CLOSED,
            answers=[
                Answer(_org(name_contains="Towarzystwo Miłośników Ziemi Strzeleckiej"),
                       "Mamy kontakty z muzeum w Bruntálu.", status=ExpressionOfInterest.Status.ACCEPTED),
            ],
        ),
    ],
    "orhangazi": [
        Spec(
            key="intercultural-youth-exchange", poster=HOME_NGO, language="tr",
            title="Spor ve kültürle kaynaşma: kültürlerarası gençlik değişimi (Erasmus+ KA152)",
            description=(
                "Derneğimiz 18–25 yaş arası gençler için Orhangazi'de on günlük bir gençlik değişimi "
                "planlıyor: sabahları ortak spor etkinlikleri ve doğa yürüyüşleri, öğleden sonraları yerel "
                "mutfak ve el sanatları atölyeleri, akşamları büyüklerden dinlenen hikâyeler.\n\n"
                "Beş genç ve bir grup lideri gönderecek gençlik veya kültür kuruluşları arıyoruz."
            ),
            areas=("eu-youth", "eu-sport", "eu-culture", "eu-social-inclusion"),
            role_sought="gönderen kuruluş", partner_kinds="ngo,informal_group",
            countries="PL,DE,IT,ES", expected_contribution="5 genç ve 1 grup lideri; hazırlık toplantıları.",
            deadline_in_days=30,
            answers=[
                Answer(_org(name_contains="Gönüllü Gençler Grubu", town="Orhangazi"),
                       "Gönüllü gençlerimizle hazırlık toplantılarına katılabilir, atölyelerde görev alabiliriz."),
                Answer(_org(name_contains="Halk Dansları ve Folklor Derneği", town="Orhangazi"),
                       "Değişimin kültür gecesi için halk oyunları gösterisi ve atölyesi hazırlayabiliriz."),
            ],
        ),
        Spec(
            key="town-twinning-orhangazi", poster=_org(name="Orhangazi Kaymakamlığı"), language="tr",
            title="Yerel demokrasi ve gönüllülük üzerine vatandaş buluşması için AB'den kardeş belediye aranıyor",
            description=(
                "Kaymakamlığımız bünyesindeki AB projeleri ve dış ilişkiler koordinasyon merkezi, "
                "Orhangazi'de yerel demokrasi ve gönüllülük üzerine düzenlenecek bir vatandaş buluşması "
                "için Avrupa'dan belediyeler arıyor.\n\n"
                "Buluşmaya ilçemizin belediyesi, okulları ve dernekleri de katılacak."
            ),
            areas=("eu-civil-society-citizenship",),
            role_sought="ortak belediye", partner_kinds="municipality,public_body",
            countries="PL,DE,RO,BG,IT", deadline_in_days=40,
            answers=[
                Answer(_org(name="Orhangazi Belediyesi"),
                       "Belediyemiz buluşmaya ev sahipliği yapmaya hazır; gençlik meclisimiz de katılacak.",
                       status=ExpressionOfInterest.Status.ACCEPTED),
                Answer(_org(name="İznik Belediyesi"),
                       "Programa İznik'te düzenleyeceğimiz bir kültür gezisiyle katkı sunabiliriz."),
            ],
        ),
        Spec(
            key="job-shadowing-host", poster=_org(name_contains="Anadolu Lisesi", town="Orhangazi"),
            language="tr",
            title="İş başı gözlem için ev sahibi okul aranıyor (Erasmus+ KA122-SCH)",
            description=(
                "Okulumuzun dört öğretmeni dijital öğretim araçları üzerine beş günlük iş başı gözlem "
                "yapmak istiyor. Ev sahibi olacak bir ortaokul veya lise arıyoruz."
            ),
            areas=("eu-education-training", "eu-digital"),
            role_sought="ev sahibi okul", partner_kinds="school", countries="PL,CZ,FI",
            deadline_in_days=25, call="KA122-SCH",
        ),
        Spec(
            key="women-cooperative-offer", poster=_org(name_contains="Kadın Girişimi", town="Orhangazi"),
            language="tr", direction=PartnerRequest.Direction.OFFERING,
            title="Kadın kooperatifi olarak ortaklığa hazırız: kırsal kalkınma ve kadın girişimciliği",
            description=(
                "Kooperatifimiz yerel ürünleri işleyip satan kadın üreticileri bir araya getiriyor. Kırsal "
                "kalkınma, kadın girişimciliği ve sosyal ekonomi projelerinde ortak olmak istiyoruz."
            ),
            areas=("eu-rural-development", "eu-equality", "eu-entrepreneurship-smes"),
            role_sought="ortak", partner_kinds="other,ngo,municipality", deadline_in_days=60, call="SKMDP",
        ),
        Spec(
            key="girls-football", poster=_org(name_contains="Kartal Spor Kulübü", town="Orhangazi"),
            language="tr",
            title="Kız çocukları için futbol – spor alanında işbirliği ortaklığı (Erasmus+)",
            description=(
                "Kulübümüz, 10–14 yaş arası kız çocuklarının futbola devam etmesini sağlayan antrenörlük "
                "yöntemlerini paylaşmak ve ortak bir turnuva düzenlemek için ortak kulüpler arıyor."
            ),
            areas=("eu-sport", "eu-equality", "eu-youth"),
            role_sought="ortak kulüp", partner_kinds="ngo", countries="PL,CZ,SK", deadline_in_days=35,
            call="ERASMUS-SPORT",
            answers=[
                Answer(_org(name_contains="Atletik Spor Kulübü", town="Orhangazi"),
                       "Kız takımımızda 25 sporcu ve iki lisanslı antrenör var; ortak turnuvaya katılmak isteriz."),
            ],
        ),
        Spec(
            key="disability-partner", poster=_org(name="Orhangazi Belediyesi"), language="tr",
            title="Sosyal Kalkınma Mali Destek Programı için ortak dernek aranıyor (BEBKA)",
            description=(
                "Belediyemiz, engelli bireylerin ve ailelerinin sosyal hayata katılımını artıracak bir proje "
                "hazırlıyor. Projede eğitim ve gönüllü desteği verecek bir dernekle ortaklık kurmak istiyoruz."
            ),
            areas=("eu-social-inclusion", "eu-health", "eu-civil-society-citizenship"),
            role_sought="ortak dernek", partner_kinds="ngo", deadline_in_days=20, call="SKMDP",
            expected_contribution="Eğitimlerin düzenlenmesi ve gönüllülerin koordinasyonu.",
            answers=[
                Answer(_org(name_contains="Engelliler Derneği", town="Orhangazi"),
                       "Derneğimiz engelli bireyler ve aileleriyle çalışıyor; eğitim bölümünü üstlenebiliriz.",
                       status=ExpressionOfInterest.Status.ACCEPTED),
                Answer(_org(name="Orhangazi Gönüllüleri Derneği"),
                       "Gönüllülerimizle etkinliklerde destek verebiliriz."),
            ],
        ),
        Spec(
            key="seniors-digital", poster=_org(name_contains="Sağlıklı Yaşam ve Yaşlı Bakım Derneği", town="İznik"),
            language="tr",
            title="Yaşlılar için dijital okuryazarlık – yetişkin eğitiminde küçük ölçekli ortaklık (Erasmus+)",
            description=(
                "Derneğimiz 60 yaş üstü bireylere akıllı telefon, e-Devlet ve görüntülü görüşme eğitimleri "
                "vermek için yetişkin eğitimi alanında küçük ölçekli bir ortaklık hazırlıyor. Eğitim "
                "yöntemlerini paylaşacak ortak kuruluşlar arıyoruz."
            ),
            areas=("eu-education-training", "eu-digital", "eu-social-inclusion"),
            role_sought="ortak (yetişkin eğitimi kuruluşu)", partner_kinds="ngo,university",
            countries="PL,DE,CZ", deadline_in_days=45,
            answers=[
                Answer(_org(name_contains="Dijital Okuryazarlık Derneği", town="İznik"),
                       "Gönüllü eğitmenlerimizle kursların Türkçe materyallerini hazırlayabiliriz."),
            ],
        ),
        Spec(
            key="lake-volunteers", poster=_org(name_contains="Çevre ve Doğa Koruma Derneği", town="Orhangazi"),
            language="tr",
            title="Göl kıyısı için gönüllüler – gönüllülük projesi (Avrupa Dayanışma Programı)",
            description=(
                "Sekiz genç gönüllünün iki ay boyunca İznik Gölü kıyısında temizlik ve ağaçlandırma "
                "çalışmalarına, okullarda da çevre eğitimlerine katılacağı bir gönüllülük projesi için "
                "gönderen kuruluşlar arıyoruz."
            ),
            areas=("eu-environment-climate", "eu-youth", "eu-civil-society-citizenship"),
            role_sought="gönderen kuruluş", partner_kinds="ngo,informal_group",
            expected_contribution="2–3 gönüllünün seçilmesi ve hazırlanması.", deadline_in_days=-6,
            answers=[
                Answer(_org(name_contains="Hayvanları Koruma Derneği", town="Orhangazi"),
                       "Gönüllü gençlerimiz var; iki kişiyi gönderebiliriz."),
            ],
        ),
        Spec(
            key="culture-route",
            poster=_org(name_contains="Kent Kültürü ve Tarih Araştırmaları Derneği", town="Orhangazi"),
            language="tr",
            title="Kültür rotası: ilçelerimizin tarihî yapılarını tanıtan ortak gezi programı",
            description="İlçelerimizin tarihî yapılarını tanıtan ortak bir kültür rotası için Bursa'daki derneklerden ortak arıyorduk.",
            areas=("eu-culture",),
            role_sought="ortak dernek", partner_kinds="ngo", deadline_in_days=10, status=PartnerRequest.Status.CLOSED,
            answers=[
                Answer(_org(name_contains="Kültür ve Dayanışma Derneği", town="Orhangazi"),
                       "Üyelerimiz gezilerde rehberlik yapabilir.", status=ExpressionOfInterest.Status.ACCEPTED),
            ],
        ),
    ],
}


# --- twinnings ---------------------------------------------------------------------------------------

MULHEIM = "https://cms.muelheim-ruhr.de/leben-in-muelheim/stadtportrait/staedtepartnerschaften-und-patenschaften/opole-oppeln-polen"
OPOLE_PARTNER_NOTE = "Miasto partnerskie Opola (wymienione na stronie miasta partnerskiego Mülheim an der Ruhr)."
RADIO_OPOLE = "https://radio.opole.pl/102,732966,sport-i-turystyka&dtx=&szukaj=&go=morelist&s=50"
BALTURK = "https://balturk.org.tr/tag/mustafakemalpas-belediyesi"
KOSOVO_NOTE = (
    "Bursa ilçe belediyelerinin Kosova'daki belediyelerle imzaladığı kardeşlik protokollerinden biri "
    "(kaynak: balturk.org.tr)."
)

# (our town: (country, TERYT code or English name), partner city, country, since, areas, activities, source).
# The Turkish ones use the EU themes only: the Turkish deployment has no Polish statutory areas.
TWINNINGS = [
    (("PL", "1661011"), "Potsdam", "DE", 1973, ("pb-european-integration", "pb-culture-heritage", "pb-physical-culture"),
     "Najstarsze partnerstwo Poczdamu: pierwsze kontakty na początku lat 60., umowa w 1973 r. Od 2004 r. w "
     "Poczdamie działa Opole-Club, który wspiera kontakty sportowców, artystów i placówek opieki "
     "(źródło: potsdam.de).", "https://potsdam.de/de/content/opole"),
    (("PL", "1661011"), "Mülheim an der Ruhr", "DE", 1989, ("pb-european-integration",),
     "Partnerstwo miast od 1989 r. (źródło: muelheim-ruhr.de).", MULHEIM),
    (("PL", "1661011"), "Ingolstadt", "DE", 2005, ("pb-european-integration",),
     "Przyjaźń od 1999 r., umowa partnerska podpisana 4 listopada 2005 r. (źródło: ingolstadt.de).",
     "https://www.ingolstadt.de/partnerstaedte/partnerstaedte/opole.html"),
    (("PL", "1661011"), "Székesfehérvár", "HU", None, ("pb-european-integration",), OPOLE_PARTNER_NOTE, MULHEIM),
    (("PL", "1661011"), "Alytus", "LT", None, ("pb-european-integration",), OPOLE_PARTNER_NOTE, MULHEIM),
    (("PL", "1661011"), "Bruntál", "CZ", None, ("pb-european-integration",), OPOLE_PARTNER_NOTE, MULHEIM),
    (("PL", "1661011"), "Grasse", "FR", None, ("pb-european-integration",), OPOLE_PARTNER_NOTE, MULHEIM),
    (("PL", "1661011"), "Carrara", "IT", None, ("pb-european-integration",), OPOLE_PARTNER_NOTE, MULHEIM),
    (("PL", "1661011"), "Kuopio", "FI", None, ("pb-european-integration",), OPOLE_PARTNER_NOTE, MULHEIM),
    (("PL", "1661011"), "Iwano-Frankiwsk (Ivano-Frankivsk)", "UA", None, ("pb-european-integration",),
     OPOLE_PARTNER_NOTE, MULHEIM),
    (("PL", "1601011"), "Goslar", "DE", 2000, ("pb-european-integration", "pb-education-science", "pb-rescue-civil-protection", "pb-culture-heritage"),
     "Umowa partnerska z 7 maja 2000 r. Współpraca obejmuje szkoły, straż pożarną, dom kultury i "
     "kontakty prywatne; wspólnym partnerem obu miast jest czeski Beroun (źródło: brzeg.pl).",
     "https://en.brzeg.pl/town/partner-towns/"),
    (("PL", "1601011"), "Beroun", "CZ", 2002, ("pb-european-integration", "pb-education-science", "pb-culture-heritage"),
     "Umowa partnerska z 2002 r.; współpraca szkół i instytucji kultury (źródło: brzeg.pl).",
     "https://en.brzeg.pl/town/partner-towns/"),
    (("PL", "1601011"), "Bourg-en-Bresse", "FR", 2005, ("pb-european-integration",),
     "Miasto partnerskie od 5 października 2005 r. (źródło: brzeg.pl).", "http://fr.brzeg.pl/ville/villes-jumelees/"),
    (("PL", "1610043"), "Nadwórna (Nadvirna)", "UA", None, ("pb-european-integration", "pb-disaster-relief"),
     "Kontakty od ponad 20 lat; od wybuchu wojny współpraca to głównie pomoc rzeczowa dla Ukrainy "
     "(źródło: Radio Opole, 2023).", RADIO_OPOLE),
    (("PL", "1607013"), "Nieder-Olm", "DE", None, ("pb-european-integration", "pb-culture-heritage"),
     "Kontakty wznowione po pandemii; chór i organizacje pozarządowe z Głuchołaz są zapraszane do "
     "Nieder-Olm (źródło: Radio Opole, 2023).", RADIO_OPOLE),
    (("PL", "1607033"), "Boulleret", "FR", None, ("pb-european-integration", "pb-education-science"),
     "Wymiany uczniów: w 2023 r. do Boulleret pojechało 28 uczniów z opiekunami (źródło: Radio Opole, 2023).",
     RADIO_OPOLE),
    (("PL", "1610023"), "Kelmieńce (Kelmentsi)", "UA", None, ("pb-european-integration",),
     "Współpraca nawiązana oficjalnie w 2023 r. (źródło: Radio Opole, sierpień 2023).", RADIO_OPOLE),
    (("TR", "Gemlik"), "Năvodari", "RO", 2000, ("eu-civil-society-citizenship", "eu-entrepreneurship-smes"),
     "İki belediye meclisinin kararıyla 2000 yılından beri kardeş şehir; festivallerde ve özel günlerde "
     "karşılıklı ziyaretler; sanayi, turizm ve ticarette iş birliği (kaynak: bursanethaber.com, 2021).",
     "https://www.bursanethaber.com/belediyeler/gemlik-belediyesi-heyeti-navodaride-h2460.html"),
    (("TR", "Yıldırım"), "Gjilan (Gilan)", "XK", None, ("eu-civil-society-citizenship",), KOSOVO_NOTE, BALTURK),
    (("TR", "Osmangazi"), "Obiliq (Obiliç)", "XK", None, ("eu-civil-society-citizenship",), KOSOVO_NOTE, BALTURK),
    (("TR", "Osmangazi"), "Mamuşa (Mamusha)", "XK", None, ("eu-civil-society-citizenship",), KOSOVO_NOTE, BALTURK),
    (("TR", "Osmangazi"), "Viti (Vitia)", "XK", None, ("eu-civil-society-citizenship",), KOSOVO_NOTE, BALTURK),
    (("TR", "Yenişehir"), "Fushë Kosova (Fuşkosova)", "XK", None, ("eu-civil-society-citizenship",), KOSOVO_NOTE, BALTURK),
    (("TR", "İnegöl"), "Mitrovica (Mitrovisa)", "XK", None, ("eu-civil-society-citizenship",), KOSOVO_NOTE, BALTURK),
]


# --- loading ----------------------------------------------------------------------------------------------


PROFILE_COUNTRY = {"opole": "PL", "orhangazi": "TR"}


def load(*, profile: str, stdout) -> None:
    """Create the profile's demo partner requests, answers and twinnings; does nothing if they exist."""
    if PartnerRequest.objects.exists() or Twinning.objects.exists():
        stdout.write("Partner search demo data is already loaded; nothing to do.")
        return
    areas = {area.code: area for area in ThematicArea.objects.all()}
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    country = PROFILE_COUNTRY[profile]
    posted = answered = 0
    for spec in SPECS[profile]:
        poster = _pick(spec.poster, country=country)
        if poster is None:
            stdout.write(f"  skipped the demo request {spec.key!r}: no fitting organization in the registry.")
            continue
        partner_request = _create_request(spec, poster, areas, today)
        posted += 1
        for answer in spec.answers:
            organization = _pick(answer.organization, country=country)
            if organization is None or organization.pk == poster.pk:
                continue
            _create_answer(partner_request, organization, answer, poster)
            answered += 1
    twinnings = _create_twinnings(areas, country=country)
    stdout.write(
        f"  {posted} partner requests (fictitious), {answered} answers; {twinnings} city twinnings (real, with sources)."
    )


def _pick(filters: dict, *, country: str) -> Organization | None:
    """The first organization of the profile's country that fits ``filters``."""
    organizations = Organization.objects.filter(territory__country=country)
    if "home" in filters:
        # The organization a demo account represents, so that logging in shows its side.
        organizations = organizations.filter(
            memberships__in=Membership.objects.approved().filter(user__username=filters["home"])
        )
    else:
        organizations = organizations.filter(**filters)
    return organizations.order_by("pk").first()


def _call_for(identifier_part: str):
    """The funding demo's call of that identifier, if it is published and open or forthcoming."""
    if not identifier_part:
        return None
    from civicbridge.funding.models import Call

    now = timezone.now()
    return (
        Call.objects.filter(identifier__icontains=identifier_part, published_at__isnull=False)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gte=now))
        .exclude(status_from_source=Call.Status.CLOSED)
        .order_by("closes_at", "pk")
        .first()
    )


def _create_request(spec: Spec, poster: Organization, areas: dict, today: datetime.date) -> PartnerRequest:
    deadline = today + datetime.timedelta(days=spec.deadline_in_days) if spec.deadline_in_days is not None else None
    partner_request = PartnerRequest.objects.create(
        organization=poster, direction=spec.direction, title=spec.title,
        description=f"{spec.description}\n\n{DEMO_NOTE[spec.language]}", call=_call_for(spec.call),
        role_sought=spec.role_sought, partner_kinds=spec.partner_kinds, countries=spec.countries,
        expected_contribution=spec.expected_contribution, deadline=deadline, status=spec.status,
        created_by=_representative(poster),
    )
    partner_request.thematic_areas.set([areas[code] for code in spec.areas if code in areas])
    partner_request.search_document = request_search_document(partner_request)
    partner_request.save(update_fields=["search_document"])
    return partner_request


def _create_answer(partner_request, organization, answer: Answer, poster) -> None:
    decided = answer.status != ExpressionOfInterest.Status.PENDING
    ExpressionOfInterest.objects.create(
        request=partner_request, organization=organization, message=answer.message, status=answer.status,
        created_by=_representative(organization),
        decided_by=_representative(poster) if decided else None,
        decided_at=timezone.now() if decided else None,
    )
    refresh_last_answers([organization.pk])


def _representative(organization):
    membership = Membership.objects.approved().filter(organization=organization).select_related("user").first()
    return membership.user if membership else None


def _town(country: str, key: str) -> Territory | None:
    towns = Territory.objects.filter(country=country)
    return (towns.filter(code=key) if key.isdigit() else towns.filter(name_en=key, level=Territory.Level.COUNTY)).first()


def _create_twinnings(areas: dict, *, country: str) -> int:
    """The twin cities of the profile's own towns."""
    count = 0
    for (town_country, key), city, partner_country, since, area_codes, activities, website in TWINNINGS:
        if town_country != country:
            continue
        town = _town(town_country, key)
        if town is None:
            continue
        twinning = Twinning.objects.create(
            territory=town, partner_city=city, partner_country=partner_country, since=since,
            activities=activities, website=website,
        )
        twinning.thematic_areas.set([areas[code] for code in area_codes if code in areas])
        count += 1
    return count
