"""Demo data for the partner search: requests and answers, and city twinnings.

What is real and what is not:

- fictitious: every partner request and every answer. They are posted by organizations of the
  registry's demo (its real public bodies and its generated NGOs, schools and cooperatives),
  and each description ends with a note saying it is an example. The ideas follow the shape of
  real Erasmus+ actions (KA152 youth exchanges, KA210 small-scale partnerships, KA122 mobility),
  the European Solidarity Corps and CERV "Town twinning" / "Networks of towns".
- real: every twinning. Each comes from a public source named in its text and its website
  field; the year is given only where the source gives it. Contacts are left empty (people).

Both profiles load the same rows: the registry's demo holds Opole and Bursa organizations in
either, and the partner search is where they meet.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from civicbridge.accounts.models import Membership
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory.models import Organization

from .models import ExpressionOfInterest, PartnerRequest, Twinning
from .services import request_search_document

DEMO_NOTE = {
    "pl": "*Ogłoszenie przykładowe (dane demonstracyjne).*",
    "tr": "*Örnek ilan (demo verisi).*",
    "en": "*Example announcement (demo data).*",
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

SPECS = [
    Spec(
        key="seniors-online", poster=_org(name_contains="Uniwersytet Trzeciego Wieku w Opolu"), language="pl",
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
            Answer(_org(name_contains="Sağlıklı Yaşam ve Yaşlı Bakım", country="TR"),
                   "We run digital literacy courses for 60+ in Orhangazi and would gladly host the second meeting."),
            Answer(_org(name_contains="Aktywnych Seniorów", country="PL"),
                   "Prowadzimy kawiarenkę cyfrową dla seniorów; chętnie dołączymy jako partner krajowy."),
        ],
    ),
    Spec(
        key="young-in-public-life", poster=_org(name="Urząd Marszałkowski Województwa Opolskiego"), language="pl",
        title="Młodzi w życiu publicznym – sieć miast (CERV, Networks of Towns)",
        description=(
            "Samorząd województwa szuka gmin i miast do sieci, która przez dwa lata będzie wymieniać "
            "doświadczenia z młodzieżowymi radami gmin i budżetami obywatelskimi dla młodzieży.\n\n"
            "Każdy partner organizuje jedno wydarzenie międzynarodowe dla 40–60 uczestników."
        ),
        areas=("eu-civil-society-citizenship", "pb-european-integration", "eu-youth"),
        role_sought="partner sieci (gmina lub miasto)", partner_kinds="municipality,public_body",
        countries="DE,CZ,SK,UA,TR", expected_contribution="Organizacja jednego wydarzenia i udział w trzech pozostałych.",
        deadline_in_days=45, call="CITIZENS-TOWN-NT",
        answers=[
            Answer(_org(name="Orhangazi Belediyesi"),
                   "Orhangazi Belediyesi olarak gençlik meclisimizle ağa katılmak istiyoruz. "
                   "We can host an event by Lake İznik in spring.",
                   status=ExpressionOfInterest.Status.ACCEPTED),
            Answer(_org(name="Gmina Głuchołazy"),
                   "Gmina ma młodzieżową radę od kilku lat; chętnie przygotujemy wydarzenie o partycypacji."),
        ],
    ),
    Spec(
        key="heritage-storytelling", poster=_org(name_contains="Liceum Ogólnokształcące nr 1 w Brzegu"), language="en",
        title="Partner schools wanted: European heritage through digital storytelling (Erasmus+ KA210-SCH)",
        description=(
            "Our secondary school in Brzeg plans a small-scale partnership in school education. Pupils "
            "aged 15–17 research a monument of their town, then tell its story in short films and an "
            "online map shared by the partner schools.\n\n"
            "We look for two or three secondary schools; English is the working language."
        ),
        areas=("eu-education-training", "eu-digital", "eu-culture", "pb-education-science"),
        role_sought="partner school", partner_kinds="school", countries="DE,CZ,TR,IT",
        expected_contribution="A class of pupils, two teachers, one short film and hosting one meeting.",
        deadline_in_days=21,
        answers=[
            Answer(_org(name_contains="Namık Kemal Anadolu Lisesi", town="Orhangazi"),
                   "Our pupils already made a short film about the Orhangazi mosque; we would love to join."),
        ],
    ),
    Spec(
        key="climate-volunteers", poster=_org(name_contains="Stowarzyszenie Ekologiczne Miasta Opola"), language="pl",
        title="Wolontariusze dla klimatu – projekt wolontariatu (Europejski Korpus Solidarności)",
        description=(
            "Szukamy organizacji wysyłających dla projektu wolontariatu: ośmiu młodych wolontariuszy "
            "przez dwa miesiące pomoże przy rekultywacji łąk nad Odrą i przy edukacji ekologicznej w szkołach."
        ),
        areas=("eu-environment-climate", "pb-ecology-animals", "pb-volunteering", "eu-youth"),
        role_sought="organizacja wysyłająca", partner_kinds="ngo,informal_group",
        expected_contribution="Rekrutacja i przygotowanie 2–3 wolontariuszy.", deadline_in_days=-6,
        answers=[
            Answer(_org(name_contains="Hayvanları Koruma Derneği", town="Orhangazi"),
                   "Gönüllü gençlerimiz var; iki kişiyi gönderebiliriz."),
        ],
    ),
    Spec(
        key="girls-football", poster=_org(kind=Kind.NGO, country="PL", area="eu-sport", name_contains="Klub Sportowy"),
        language="en",
        title="Grassroots football for girls – cooperation partnership in sport (Erasmus+)",
        description=(
            "A local sports club looks for partners to exchange coaching methods that keep girls aged "
            "10–14 in grassroots football, and to run a joint tournament."
        ),
        areas=("eu-sport", "pb-physical-culture", "eu-equality", "pb-gender-equality"),
        role_sought="partner club", partner_kinds="ngo", countries="TR,CZ,SK", deadline_in_days=35,
        call="ERASMUS-SPORT",
        answers=[
            Answer(_org(name_contains="Kartal Spor Kulübü", town="Orhangazi"),
                   "We have a girls' team of 25 players and two licensed coaches."),
        ],
    ),
    Spec(
        key="social-economy-offer", poster=_org(name_contains="Spółdzielnia Socjalna „Mamy w Akcji”"), language="pl",
        direction=PartnerRequest.Direction.OFFERING,
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
        key="castles-trail", poster=_org(name_contains="Stowarzyszenie Historyczne Gminy Lewin Brzeski"), language="pl",
        title="Szlakiem zamków – partner z Czech do projektu turystyki kulturowej",
        description="Szukaliśmy partnera z Czech do wspólnego szlaku zamków i dworów po obu stronach granicy.",
        areas=("pb-culture-heritage", "pb-tourism", "eu-culture"),
        role_sought="partner", countries="CZ", deadline_in_days=10, status=PartnerRequest.Status.CLOSED,
        answers=[
            Answer(_org(name_contains="Towarzystwo Miłośników Ziemi Strzeleckiej"),
                   "Mamy kontakty z muzeum w Bruntálu.", status=ExpressionOfInterest.Status.ACCEPTED),
        ],
    ),
    Spec(
        key="intercultural-youth-exchange", poster=HOME_NGO, language="tr",
        title="Kültürlerarası gençlik değişimi: mutfak, el sanatları ve hikâyeler (Erasmus+ KA152)",
        description=(
            "Derneğimiz 18–25 yaş arası gençler için Orhangazi'de on günlük bir gençlik değişimi "
            "planlıyor: yerel mutfak atölyeleri, el sanatları ve büyüklerden dinlenen hikâyelerle "
            "kültürel mirası birlikte keşfetmek.\n\n"
            "*In English:* a ten-day youth exchange in Orhangazi on cultural heritage (food, crafts and "
            "stories); we seek youth or cultural organizations sending five young people and a leader."
        ),
        areas=("eu-youth", "eu-culture", "eu-social-inclusion", "pb-children-youth", "pb-culture-heritage"),
        role_sought="gönderen kuruluş (sending organization)", partner_kinds="ngo,informal_group",
        countries="PL,DE,IT,ES", expected_contribution="5 genç ve 1 grup lideri; hazırlık toplantıları.",
        deadline_in_days=30,
        answers=[
            Answer(_org(name_contains="Fundacja Dziedzictwa Kulturowego Gminy Paczków"),
                   "We can send five young volunteers from our heritage workshops and a leader."),
            Answer(_org(name="Ochotnicza Straż Pożarna w Opolu"),
                   "Nasza młodzieżowa drużyna pożarnicza chętnie weźmie udział."),
        ],
    ),
    Spec(
        key="town-twinning-orhangazi", poster=_org(name="Orhangazi Kaymakamlığı"), language="en",
        title="EU towns wanted for a town-twinning project on local democracy (CERV Town Twinning)",
        description=(
            "The district governorship's EU projects and foreign relations coordination centre seeks "
            "European towns for a citizens' meeting in Orhangazi on local democracy and volunteering.\n\n"
            "*Türkçe:* AB projeleri ve dış ilişkiler koordinasyon merkezi, yerel demokrasi ve gönüllülük "
            "üzerine bir vatandaş buluşması için AB'den kardeş belediye arıyor."
        ),
        areas=("eu-civil-society-citizenship", "pb-european-integration", "pb-volunteering"),
        role_sought="partner town (municipality)", partner_kinds="municipality,public_body",
        countries="PL,DE,RO,BG,IT", deadline_in_days=40, call="CITIZENS-TOWN-TT",
        answers=[
            Answer(_org(name="Urząd Miasta Opola"),
                   "Opole has long experience of twinning; our office for international cooperation can join."),
            Answer(_org(name="Gmina Nysa"), "Gmina Nysa chętnie przyjmie zaproszenie do projektu."),
        ],
    ),
    Spec(
        key="job-shadowing-host", poster=_org(name_contains="Mehmet Akif Ersoy Anadolu Lisesi", town="Orhangazi"),
        language="tr",
        title="İş başı gözlem için ev sahibi okul aranıyor (Erasmus+ KA122-SCH)",
        description=(
            "Okulumuzun dört öğretmeni dijital öğretim araçları üzerine beş günlük iş başı gözlem "
            "(job shadowing) yapmak istiyor. Ev sahibi olacak bir ortaokul veya lise arıyoruz."
        ),
        areas=("eu-education-training", "eu-digital", "pb-education-science"),
        role_sought="ev sahibi okul (host school)", partner_kinds="school", countries="PL,CZ,FI",
        deadline_in_days=25, call="KA122-SCH",
        answers=[
            Answer(_org(name_contains="Liceum Ogólnokształcące nr 1 w Brzegu"),
                   "We can host four teachers in March; our maths and IT teachers use tablets daily.",
                   status=ExpressionOfInterest.Status.ACCEPTED),
        ],
    ),
    Spec(
        key="women-cooperative-offer", poster=_org(name_contains="Nilüfer Kadın Girişimi"), language="tr",
        direction=PartnerRequest.Direction.OFFERING,
        title="Kadın kooperatifi olarak ortaklığa hazırız: kırsal kalkınma ve kadın girişimciliği",
        description=(
            "Kooperatifimiz yerel ürünleri işleyip satan kadın üreticileri bir araya getiriyor. Kırsal "
            "kalkınma, kadın girişimciliği ve sosyal ekonomi projelerinde ortak olmak istiyoruz."
        ),
        areas=("eu-rural-development", "eu-equality", "eu-entrepreneurship-smes", "pb-social-economy", "pb-gender-equality"),
        role_sought="ortak (partner)", partner_kinds="other,ngo", countries="PL,GR,BG", deadline_in_days=60,
        call="SKMDP",
    ),
]


# --- twinnings ---------------------------------------------------------------------------------------

MULHEIM = "https://cms.muelheim-ruhr.de/leben-in-muelheim/stadtportrait/staedtepartnerschaften-und-patenschaften/opole-oppeln-polen"
OPOLE_PARTNER_NOTE = "Miasto partnerskie Opola (wymienione na stronie miasta partnerskiego Mülheim an der Ruhr)."
RADIO_OPOLE = "https://radio.opole.pl/102,732966,sport-i-turystyka&dtx=&szukaj=&go=morelist&s=50"
BALTURK = "https://balturk.org.tr/tag/mustafakemalpas-belediyesi"
KOSOVO_NOTE = (
    "Bursa ilçe belediyelerinin Kosova'daki belediyelerle imzaladığı kardeşlik protokollerinden biri "
    "(kaynak: balturk.org.tr)."
)

# (our town: (country, TERYT code or English name), partner city, country, since, areas, activities, source)
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
    (("TR", "Gemlik"), "Năvodari", "RO", 2000, ("pb-european-integration", "pb-tourism"),
     "İki belediye meclisinin kararıyla 2000 yılından beri kardeş şehir; festivallerde ve özel günlerde "
     "karşılıklı ziyaretler; sanayi, turizm ve ticarette iş birliği (kaynak: bursanethaber.com, 2021).",
     "https://www.bursanethaber.com/belediyeler/gemlik-belediyesi-heyeti-navodaride-h2460.html"),
    (("TR", "Yıldırım"), "Gjilan (Gilan)", "XK", None, ("pb-european-integration",), KOSOVO_NOTE, BALTURK),
    (("TR", "Osmangazi"), "Obiliq (Obiliç)", "XK", None, ("pb-european-integration",), KOSOVO_NOTE, BALTURK),
    (("TR", "Osmangazi"), "Mamuşa (Mamusha)", "XK", None, ("pb-european-integration",), KOSOVO_NOTE, BALTURK),
    (("TR", "Osmangazi"), "Viti (Vitia)", "XK", None, ("pb-european-integration",), KOSOVO_NOTE, BALTURK),
    (("TR", "Yenişehir"), "Fushë Kosova (Fuşkosova)", "XK", None, ("pb-european-integration",), KOSOVO_NOTE, BALTURK),
    (("TR", "İnegöl"), "Mitrovica (Mitrovisa)", "XK", None, ("pb-european-integration",), KOSOVO_NOTE, BALTURK),
]


# --- loading ----------------------------------------------------------------------------------------------


def load(*, profile: str, stdout) -> None:
    """Create the demo partner requests, answers and twinnings; does nothing if they exist."""
    if PartnerRequest.objects.exists() or Twinning.objects.exists():
        stdout.write("Partner search demo data is already loaded; nothing to do.")
        return
    areas = {area.code: area for area in ThematicArea.objects.all()}
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    posted = answered = 0
    for spec in SPECS:
        poster = _pick(spec.poster, profile=profile)
        if poster is None:
            stdout.write(f"  skipped the demo request {spec.key!r}: no fitting organization in the registry.")
            continue
        partner_request = _create_request(spec, poster, areas, today)
        posted += 1
        for answer in spec.answers:
            organization = _pick(answer.organization, profile=profile)
            if organization is None or organization.pk == poster.pk:
                continue
            _create_answer(partner_request, organization, answer, poster)
            answered += 1
    twinnings = _create_twinnings(areas)
    stdout.write(
        f"  {posted} partner requests (fictitious), {answered} answers; {twinnings} city twinnings (real, with sources)."
    )


def _pick(filters: dict, *, profile: str) -> Organization | None:
    if "home" in filters:
        # The organization a demo account represents, so that logging in shows its side.
        membership = (
            Membership.objects.approved().filter(user__username=filters["home"]).select_related("organization").first()
        )
        home = membership.organization if membership else None
        if home is not None and home.territory.country == "TR":
            return home
        return _pick(_org(town="Orhangazi", kind=Kind.NGO, area="eu-culture"), profile=profile)
    return Organization.objects.filter(**filters).select_related("territory").order_by("pk").first()


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


def _representative(organization):
    membership = Membership.objects.approved().filter(organization=organization).select_related("user").first()
    return membership.user if membership else None


def _town(country: str, key: str) -> Territory | None:
    towns = Territory.objects.filter(country=country)
    return (towns.filter(code=key) if key.isdigit() else towns.filter(name_en=key, level=Territory.Level.COUNTY)).first()


def _create_twinnings(areas: dict) -> int:
    count = 0
    for (country, key), city, partner_country, since, area_codes, activities, website in TWINNINGS:
        town = _town(country, key)
        if town is None:
            continue
        twinning = Twinning.objects.create(
            territory=town, partner_city=city, partner_country=partner_country, since=since,
            activities=activities, website=website,
        )
        twinning.thematic_areas.set([areas[code] for code in area_codes if code in areas])
        count += 1
    return count
