"""Demo data for calls for proposals: real funders and programmes, example calls.

Each profile shows its own country's funders and calls and the EU's (DESIGN: "One authority
per deployment"): ``opole`` the Polish ones, ``orhangazi`` the Turkish ones and the World Bank.
An EU call whose eligible countries leave out the profile's country is not shown there. Titles,
summaries and descriptions are in the profile's language; identifiers, the portal's types of
action and the call documents' languages stay as the funder publishes them.

What is real and what is not:

- real: the funders (European Commission, Türkiye Ulusal Ajansı, T.C. Gençlik ve Spor
  Bakanlığı, BEBKA, the World Bank, Narodowy Instytut Wolności, the Opole Voivodeship) and
  their programmes, with facts from domain-facts.md §2.2–2.3, §3.2–3.5 and §4.1 (e.g. the
  National Agency's 12:00 Brussels deadlines, BEBKA's 17:00 deadlines and its 2012 direct
  activity support open until 30 November, GPDP's April application window of 2015, the
  21 days of an open competition, the 10 000 zł and 90 days of a small grant);
- examples: every call. Identifiers follow the real patterns, dates are placed around the
  day the demo is loaded so that open, forthcoming and closed calls all appear, and
  amounts are illustrative. Each summary says so.

Loading twice does nothing the second time.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicbridge.core.models import Territory, ThematicArea

from .models import Call, CallDeadline, Funder, Programme
from .services import aware_in_zone, call_search_document

BRUSSELS = "Europe/Brussels"
BOTH = ("opole", "orhangazi")
PROFILE_COUNTRY = {"opole": "PL", "orhangazi": "TR"}
PROFILE_LANGUAGE = {"opole": "pl", "orhangazi": "tr"}
# Ends every call's summary, in the profile's language.
EXAMPLE_NOTE = {
    "pl": (
        "*Przykładowy wpis w wersji demonstracyjnej: identyfikator, terminy i kwoty są poglądowe, "
        "to nie jest oficjalne ogłoszenie. Sprawdź dokumenty instytucji finansującej.*"
    ),
    "tr": (
        "*Tanıtım amaçlı örnek kayıt: çağrı kodu, tarihler ve tutarlar temsilidir, resmî çağrı "
        "değildir; kurumun kendi belgelerine bakınız.*"
    ),
}
EU_MEMBER_STATES = (
    "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE"
)
FT_PORTAL = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/calls-for-proposals"

# A name, description or programme name is one text, or one per profile language ({"pl": ..., "tr": ...})
# when the funder is shown in both. "profiles": the demos that show the funder and its calls.
FUNDERS = [
    {
        "key": "ec", "profiles": BOTH, "slug": "european-commission", "kind": Funder.Kind.EU,
        "name": {"pl": "Komisja Europejska", "tr": "Avrupa Komisyonu"},
        "country": "", "time_zone": BRUSSELS, "website": "https://commission.europa.eu",
        "description": {
            "pl": (
                "Organ wykonawczy Unii Europejskiej. Nabory wniosków ogłasza na **portalu Funding & "
                "Tenders**; terminy składania podaje w czasie brukselskim."
            ),
            "tr": (
                "Avrupa Birliği'nin yürütme organı. Hibe çağrılarını **Funding & Tenders portalında** "
                "yayımlar; son başvuru saatleri Brüksel saatine göredir."
            ),
        },
        "programmes": [
            ("ERASMUS", "Erasmus+", "2021-2027", "https://erasmus-plus.ec.europa.eu"),
            ("ESF", {"pl": "Europejski Fundusz Społeczny Plus (EFS+)", "tr": "Avrupa Sosyal Fonu Artı (ESF+)"},
             "2021-2027", "https://ec.europa.eu/european-social-fund-plus"),
            ("CERV", "Obywatele, Równość, Prawa i Wartości (CERV)", "2021-2027", ""),
            ("HORIZON", {"pl": "Horyzont Europa", "tr": "Ufuk Avrupa"}, "2021-2027", ""),
            ("LIFE", {"pl": "Program działań na rzecz środowiska i klimatu (LIFE)",
                      "tr": "Çevre ve İklim Eylemi Programı (LIFE)"}, "2021-2027", ""),
        ],
    },
    {
        "key": "ua", "profiles": ("orhangazi",), "name": "Türkiye Ulusal Ajansı", "slug": "turkiye-ulusal-ajansi", "kind": Funder.Kind.NATIONAL_AGENCY,
        "country": "TR", "time_zone": "Europe/Istanbul", "website": "https://www.ua.gov.tr",
        "organization": "Türkiye Ulusal Ajansı",
        "description": (
            "Erasmus+ ve Avrupa Dayanışma Programı'nın Türkiye ulusal ajansı. Başvurular çevrimiçi "
            "formlarla, koordinatör kuruluş tarafından tüm ortaklar adına yapılır; kurumlar **OID** "
            "ile başvurur. Son başvuru saati Brüksel saatiyle 12:00'dir."
        ),
        "programmes": [
            ("ERASMUS", "Erasmus+ (ulusal ajans faaliyetleri)", "2021-2027", "https://www.ua.gov.tr"),
            ("ESC", "Avrupa Dayanışma Programı (European Solidarity Corps)", "2021-2027", ""),
        ],
    },
    {
        "key": "gsb", "profiles": ("orhangazi",), "name": "T.C. Gençlik ve Spor Bakanlığı", "slug": "tc-genclik-ve-spor-bakanligi",
        "kind": Funder.Kind.MINISTRY, "country": "TR", "time_zone": "Europe/Istanbul",
        "website": "https://gsb.gov.tr", "organization": "T.C. Gençlik ve Spor Bakanlığı",
        "description": (
            "Bakanlık 2012'den bu yana Gençlik Projeleri Destek Programı'nı (GPDP) yürütür; destek "
            "tutarları, temalar ve kurallar her yıl değişir."
        ),
        "programmes": [("GPDP", "Gençlik Projeleri Destek Programı", "", "")],
    },
    {
        "key": "bebka", "profiles": ("orhangazi",), "name": "Bursa Eskişehir Bilecik Kalkınma Ajansı (BEBKA)", "slug": "bebka",
        "kind": Funder.Kind.DEVELOPMENT_AGENCY, "country": "TR", "time_zone": "Europe/Istanbul",
        "website": "https://www.bebka.org.tr", "organization": "Bursa Eskişehir Bilecik Kalkınma Ajansı (BEBKA)",
        "description": (
            "TR41 bölgesinin kalkınma ajansı. Mali destek programlarını proje teklif çağrısı ile "
            "yürütür; başvurular **KAYS** üzerinden yapılır. Teknik destek ve doğrudan faaliyet "
            "desteği de sağlar."
        ),
        "programmes": [
            ("MDP", "Mali Destek Programı", "2024-2028", ""),
            ("DFD", "Doğrudan Faaliyet Desteği", "2024-2028", ""),
            ("TD", "Teknik Destek Programı", "2024-2028", ""),
        ],
    },
    {
        # Among the funders whose calls the Orhangazi coordination centre announces (DESIGN).
        "key": "wb", "profiles": ("orhangazi",), "name": "Dünya Bankası", "slug": "world-bank",
        "kind": Funder.Kind.INTERNATIONAL,
        "country": "", "time_zone": "America/New_York", "website": "https://www.worldbank.org",
        "description": "Uluslararası finans kuruluşu; bazı güven fonları hibe verir.",
        "programmes": [("JSDF", "Japonya Sosyal Kalkınma Fonu (JSDF)", "", "")],
    },
    {
        "key": "niw", "profiles": ("opole",), "name": "Narodowy Instytut Wolności – Centrum Rozwoju Społeczeństwa Obywatelskiego",
        "slug": "narodowy-instytut-wolnosci", "kind": Funder.Kind.NATIONAL_AGENCY, "country": "PL",
        "time_zone": "Europe/Warsaw", "website": "https://niw.gov.pl",
        "description": "Rządowa agencja wspierająca rozwój społeczeństwa obywatelskiego i organizacji pozarządowych.",
        "programmes": [
            ("NOWEFIO", "Rządowy Program Fundusz Inicjatyw Obywatelskich NOWEFIO", "2021-2030", ""),
            ("PROO", "Program Rozwoju Organizacji Obywatelskich", "2018-2030", ""),
            ("KS", "Korpus Solidarności – program wspierania wolontariatu", "2018-2030", ""),
        ],
    },
    {
        "key": "opole", "profiles": ("opole",), "name": "Województwo Opolskie (Zarząd Województwa Opolskiego)", "slug": "wojewodztwo-opolskie",
        "kind": Funder.Kind.LOCAL_GOVERNMENT, "country": "PL", "time_zone": "Europe/Warsaw",
        "website": "https://www.opolskie.pl", "organization": "Urząd Marszałkowski Województwa Opolskiego",
        "description": (
            "Samorząd województwa zleca organizacjom pozarządowym zadania publiczne w otwartych "
            "konkursach ofert (art. 11–19 ustawy o działalności pożytku publicznego i o wolontariacie) "
            "i w trybie małych grantów (art. 19a)."
        ),
        "programmes": [
            ("OKO", "Otwarte konkursy ofert na zadania publiczne", "", ""),
            ("MG", "Małe granty (art. 19a)", "", ""),
        ],
    },
]

FUNDERS_BY_KEY = {funder["key"]: funder for funder in FUNDERS}


@dataclass
class CallSpec:
    funder: str
    programme: str  # the programme's code
    identifier: str  # "{year}" and "{yy}": the year of its first deadline (or of its opening)
    title: str | dict  # one text, or one per profile language
    summary: str | dict  # the same; the example note is added in the profile's language
    opens: int | None  # days from the day of loading; None: open since before anyone remembers
    deadlines: list = field(default_factory=list)  # (days, "HH:MM"[, zone]) on the funder's clock
    model: str = Call.DeadlineModel.SINGLE_STAGE
    # The funder's own label (an F&T portal value stays as published); a dict where it is ours.
    type_of_action: str | dict = ""
    currency: str = "EUR"
    total_budget: str | None = None
    min_grant: str | None = None
    max_grant: str | None = None
    co_financing: str | None = None
    kinds: str = ""
    countries: str = ""
    territories: tuple = ()  # ("PL"|"TR", level, code)
    areas: tuple = ()
    languages: str = "en"
    documents_url: str = ""
    draft: bool = False
    by: str = "coordinator"


PROJECT_GRANTS = {"pl": "Dotacje na projekty", "tr": "Proje hibeleri"}
NA_DEADLINE = "12:00"  # National Agency deadlines: 12:00 Brussels time (domain-facts §3.4)

CALLS = [
    # --- European Commission: Erasmus+ --------------------------------------------------------------
    CallSpec(
        "ec", "ERASMUS", "ERASMUS-EDU-{year}-PI-ALL-INNO",
        {"pl": "Sojusze na rzecz innowacji", "tr": "İnovasyon İttifakları"},
        {
            "pl": "Partnerstwa na rzecz innowacji łączące szkolnictwo wyższe, kształcenie i szkolenie zawodowe "
                  "oraz świat pracy, które wzmacniają zdolność Europy do innowacji.",
            "tr": "Yükseköğretim, mesleki eğitim ve öğretim ile iş dünyası arasında, Avrupa'nın yenilik "
                  "kapasitesini güçlendiren inovasyon ortaklıkları.",
        },
        opens=-10, deadlines=[(102, "17:00")], type_of_action="ERASMUS Lump Sum Grants",
        total_budget="20000000", max_grant="1000000", co_financing="80", kinds="university,school,business,ngo",
        areas=("eu-education-training", "eu-research-innovation"), documents_url=FT_PORTAL,
    ),
    CallSpec(
        "ec", "ERASMUS", "ERASMUS-YOUTH-{year}-CB",
        {"pl": "Budowanie potencjału w dziedzinie młodzieży", "tr": "Gençlik alanında kapasite geliştirme"},
        {
            "pl": "Współpraca i wymiany w dziedzinie młodzieży między państwami programu a państwami trzecimi "
                  "niestowarzyszonymi z programem.",
            "tr": "Program ülkeleri ile programla ilişkili olmayan üçüncü ülkeler arasında gençlik alanında "
                  "işbirliği ve değişimler.",
        },
        opens=18, deadlines=[(88, "17:00")], type_of_action="ERASMUS Lump Sum Grants",
        min_grant="100000", max_grant="300000", co_financing="80", kinds="ngo,informal_group,public_body",
        areas=("eu-youth",), documents_url=FT_PORTAL,
    ),
    CallSpec(
        "ec", "ERASMUS", "ERASMUS-SPORT-{year}-SCP",
        {"pl": "Partnerstwa współpracy w dziedzinie sportu", "tr": "Spor alanında işbirliği ortaklıkları"},
        {
            "pl": "Międzynarodowe projekty w sporcie powszechnym: aktywność fizyczna dla zdrowia, uczciwość w "
                  "sporcie, edukacja w sporcie i przez sport, włączenie społeczne i równe szanse.",
            "tr": "Kitle sporunda ulusötesi projeler: sağlığı geliştiren fiziksel aktivite, sporda dürüstlük, "
                  "sporda ve spor yoluyla eğitim, sosyal içerme ve fırsat eşitliği.",
        },
        opens=31, deadlines=[(108, "17:00")], type_of_action="ERASMUS Lump Sum Grants",
        min_grant="120000", max_grant="400000", kinds="ngo,public_body,municipality,school",
        areas=("eu-sport",), documents_url=FT_PORTAL,
    ),
    CallSpec(
        "ec", "ERASMUS", "ERASMUS-JMO-{year}-HEI-TCH-RSCH",
        {
            "pl": "Działania „Jean Monnet” w dziedzinie szkolnictwa wyższego",
            "tr": "Yükseköğretim alanında Jean Monnet faaliyetleri",
        },
        {
            "pl": "Nauczanie i badania w dziedzinie studiów nad Unią Europejską: moduły, katedry i centra "
                  "doskonałości.",
            "tr": "Avrupa Birliği çalışmaları alanında öğretim ve araştırma: modüller, kürsüler ve mükemmeliyet "
                  "merkezleri.",
        },
        opens=-230, deadlines=[(-47, "17:00")], type_of_action="ERASMUS Lump Sum Grants",
        max_grant="50000", kinds="university", areas=("eu-education-training",), documents_url=FT_PORTAL,
    ),
    # --- European Commission: ESF+ -----------------------------------------------------------------
    CallSpec(
        "ec", "ESF", "ESF-{year}-SOC-INNO",
        {
            "pl": "Innowacje społeczne na rzecz włączenia grup w trudnej sytuacji",
            "tr": "Dezavantajlı grupların sosyal içermesi için sosyal inovasyon",
        },
        {
            "pl": "Testowanie i upowszechnianie innowacji społecznych w dziedzinie zatrudnienia i włączenia "
                  "społecznego (komponent EFS+ dotyczący zatrudnienia i innowacji społecznych).",
            "tr": "İstihdam ve sosyal içerme alanında sosyal yeniliklerin denenmesi ve yaygınlaştırılması "
                  "(ESF+'ın istihdam ve sosyal inovasyon bileşeni).",
        },
        opens=-40, deadlines=[(11, "17:00")], type_of_action=PROJECT_GRANTS, total_budget="8000000",
        min_grant="500000", max_grant="1500000", co_financing="80", kinds="ngo,public_body,municipality",
        areas=("eu-social-inclusion", "eu-employment-skills"), documents_url=FT_PORTAL,
    ),
    CallSpec(
        "ec", "ESF", "ESF-{year}-EMPL-SKILLS",
        {
            "pl": "Umiejętności na potrzeby transformacji ekologicznej i cyfrowej",
            "tr": "Yeşil ve dijital dönüşüm için beceriler",
        },
        {
            "pl": "Projekty, które pomagają pracownikom i osobom poszukującym pracy zdobyć umiejętności "
                  "potrzebne w transformacji ekologicznej i cyfrowej.",
            "tr": "Çalışanların ve iş arayanların yeşil ve dijital dönüşümün gerektirdiği becerileri "
                  "kazanmasına yardımcı olan projeler.",
        },
        opens=-150, deadlines=[(-38, "17:00")], type_of_action=PROJECT_GRANTS, max_grant="750000",
        kinds="ngo,public_body,business", areas=("eu-employment-skills", "eu-digital"), documents_url=FT_PORTAL,
    ),
    # --- European Commission: CERV (EU Member States only, so the Polish demo alone) ---------------------
    CallSpec(
        "ec", "CERV", "CERV-{year}-CITIZENS-TOWN-TT", {"pl": "Partnerstwo miast"},
        {
            "pl": "Spotkania mieszkańców miast partnerskich, by rozmawiać o projekcie europejskim, wymieniać "
                  "się doświadczeniami i budować przyjaźń ponad granicami. Dwa terminy składania wniosków.",
        },
        opens=-3, deadlines=[(96, "17:00"), (300, "17:00")], model=Call.DeadlineModel.MULTIPLE_CUT_OFF,
        type_of_action="CERV Lump Sum Grants", max_grant="60000", kinds="municipality,ngo,public_body",
        countries=EU_MEMBER_STATES, areas=("eu-civil-society-citizenship",), documents_url=FT_PORTAL,
    ),
    CallSpec(
        "ec", "CERV", "CERV-{year}-CITIZENS-TOWN-NT", {"pl": "Sieci miast"},
        {
            "pl": "Długofalowa współpraca miast i gmin we wspólnym temacie, z udziałem mieszkańców w "
                  "demokratycznym życiu Unii.",
        },
        opens=-3, deadlines=[(96, "17:00")], type_of_action="CERV Lump Sum Grants", max_grant="200000",
        kinds="municipality,ngo,public_body", countries=EU_MEMBER_STATES,
        areas=("eu-civil-society-citizenship",), documents_url=FT_PORTAL,
    ),
    CallSpec(
        "ec", "CERV", "CERV-{year}-CHAR-LITI",
        {"pl": "Wiedza o Karcie praw podstawowych UE i postępowania strategiczne"},
        {
            "pl": "Budowanie potencjału i podnoszenie świadomości na temat Karty praw podstawowych oraz wsparcie "
                  "postępowań strategicznych.",
        },
        opens=-160, deadlines=[(-62, "17:00")], type_of_action="CERV Project Grants", min_grant="75000",
        kinds="ngo,university", countries=EU_MEMBER_STATES, areas=("eu-equality",), documents_url=FT_PORTAL,
    ),
    CallSpec(
        "ec", "CERV", "CERV-{year}-EQUAL",
        {"pl": "Równość oraz przeciwdziałanie rasizmowi, ksenofobii i dyskryminacji"},
        {
            "pl": "Projekty, które promują równość oraz zapobiegają nietolerancji, rasizmowi, ksenofobii i "
                  "dyskryminacji i je zwalczają.",
        },
        opens=58, deadlines=[(150, "17:00")], type_of_action="CERV Project Grants", min_grant="75000",
        kinds="ngo,public_body,municipality", countries=EU_MEMBER_STATES, areas=("eu-equality",),
        documents_url=FT_PORTAL,
    ),
    # --- European Commission: Horizon Europe ------------------------------------------------------------
    CallSpec(
        "ec", "HORIZON", "HORIZON-CL2-{year}-TRANSFORMATIONS-01-04",
        {
            "pl": "Społeczeństwo obywatelskie i ekonomia społeczna w czasach przemian",
            "tr": "Dönüşüm döneminde sivil toplum ve sosyal ekonomi",
        },
        {
            "pl": "Klaster 2 (Kultura, kreatywność i społeczeństwo integracyjne): badania nad przemianami "
                  "społecznymi i gospodarczymi z organizacjami społeczeństwa obywatelskiego jako partnerami.",
            "tr": "Küme 2 (Kültür, Yaratıcılık ve Kapsayıcı Toplum): sivil toplum kuruluşlarının ortak olduğu, "
                  "toplumsal ve ekonomik dönüşümler üzerine araştırmalar.",
        },
        opens=-14, deadlines=[(119, "17:00")], type_of_action="HORIZON Research and Innovation Actions",
        total_budget="9000000", max_grant="3000000", co_financing="100",
        areas=("eu-research-innovation", "eu-civil-society-citizenship"), documents_url=FT_PORTAL,
    ),
    CallSpec(
        "ec", "HORIZON", "HORIZON-CL6-{year}-COMMUNITIES-01-03-two-stage",
        {
            "pl": "Odporne społeczności wiejskie rozwijane przez lokalne podmioty",
            "tr": "Yerel aktörlerin öncülüğünde dayanıklı kırsal topluluklar",
        },
        {
            "pl": "Klaster 6: innowacje tworzone przez społeczności wiejskie, samorządy i społeczeństwo "
                  "obywatelskie. Dwa etapy: najpierw krótki wniosek, potem pełny wniosek od zaproszonych.",
            "tr": "Küme 6: kırsal toplulukların, yerel yönetimlerin ve sivil toplumun geliştirdiği yenilikler. "
                  "İki aşamalı: önce kısa başvuru, ardından davet edilenlerden tam başvuru.",
        },
        opens=-30, deadlines=[(8, "17:00"), (250, "17:00")], model=Call.DeadlineModel.TWO_STAGE,
        type_of_action="HORIZON Innovation Actions", total_budget="12000000", max_grant="6000000",
        co_financing="70", areas=("eu-rural-development", "eu-environment-climate"), documents_url=FT_PORTAL,
    ),
    CallSpec(
        "ec", "HORIZON", "HORIZON-CL2-{year}-DEMOCRACY-01-05",
        {"pl": "Demokracja partycypacyjna na poziomie lokalnym", "tr": "Yerel düzeyde katılımcı demokrasi"},
        {
            "pl": "Badania nad udziałem obywateli w podejmowaniu decyzji lokalnych i rolą społeczeństwa "
                  "obywatelskiego.",
            "tr": "Vatandaşların yerel karar alma süreçlerine katılımı ve sivil toplumun rolü üzerine "
                  "araştırmalar.",
        },
        opens=-200, deadlines=[(-35, "17:00")], type_of_action="HORIZON Research and Innovation Actions",
        max_grant="3000000", areas=("eu-research-innovation", "eu-civil-society-citizenship"), documents_url=FT_PORTAL,
    ),
    # --- European Commission: LIFE ---------------------------------------------------------------------
    CallSpec(
        "ec", "LIFE", "LIFE-{year}-SAP-ENV-GOV",
        {
            "pl": "Projekty działań standardowych: zarządzanie środowiskiem",
            "tr": "Standart eylem projeleri: çevre yönetişimi",
        },
        {
            "pl": "Projekty, które poprawiają zarządzanie środowiskiem, w tym świadomość, przestrzeganie "
                  "przepisów i dostęp do wymiaru sprawiedliwości, często prowadzone przez organizacje "
                  "pozarządowe i władze publiczne.",
            "tr": "Farkındalık, mevzuata uyum ve yargıya erişim dahil çevre yönetişimini iyileştiren, çoğunlukla "
                  "sivil toplum kuruluşları ve kamu kurumlarınca yürütülen projeler.",
        },
        opens=140, deadlines=[(290, "17:00")], type_of_action="LIFE Action Grants", max_grant="2000000",
        co_financing="60", kinds="ngo,public_body,municipality", areas=("eu-environment-climate",),
        documents_url=FT_PORTAL,
    ),
    CallSpec(
        "ec", "LIFE", "LIFE-{year}-SAP-NAT-NATURE",
        {
            "pl": "Projekty działań standardowych: przyroda i różnorodność biologiczna",
            "tr": "Standart eylem projeleri: doğa ve biyolojik çeşitlilik",
        },
        {
            "pl": "Projekty, które chronią i odtwarzają przyrodę i różnorodność biologiczną.",
            "tr": "Doğayı ve biyolojik çeşitliliği koruyan ve onaran projeler.",
        },
        opens=-190, deadlines=[(-70, "17:00")], type_of_action="LIFE Action Grants", co_financing="60",
        areas=("eu-environment-climate",), documents_url=FT_PORTAL,
    ),
    # --- Türkiye Ulusal Ajansı ----------------------------------------------------------------------
    CallSpec(
        "ua", "ERASMUS", "KA220-YOU-{year}-R1-TR", "Gençlik alanında işbirliği ortaklıkları (KA220-YOU)",
        ("Farklı ülkelerden kuruluşların gençlik alanında ortak projeler yürütmesi. Başvuruyu koordinatör "
            "kuruluş, tüm ortaklar adına Türkiye Ulusal Ajansı'na yapar; son başvuru Brüksel saatiyle 12:00."),
        opens=-3, deadlines=[(104, NA_DEADLINE, BRUSSELS)], type_of_action="Erasmus+ KA2",
        min_grant="120000", max_grant="400000", kinds="ngo,public_body,municipality,school",
        countries="TR", territories=(("TR", "country", ""),), areas=("eu-youth",), languages="tr,en",
        documents_url="https://www.ua.gov.tr",
    ),
    CallSpec(
        "ua", "ERASMUS", "KA122-SCH-{year}-R1-TR", "Okul eğitiminde kısa dönemli hareketlilik projeleri (KA122-SCH)",
        ("Okul öğrencileri ve personeli için yurt dışı hareketlilik faaliyetleri."),
        opens=-3, deadlines=[(83, NA_DEADLINE, BRUSSELS)], type_of_action="Erasmus+ KA1",
        kinds="school", countries="TR", territories=(("TR", "country", ""),),
        areas=("eu-education-training",), languages="tr", documents_url="https://www.ua.gov.tr",
    ),
    CallSpec(
        "ua", "ERASMUS", "KA210-ADU-{year}-R2-TR", "Yetişkin eğitiminde küçük ölçekli ortaklıklar (KA210-ADU)",
        ("Yeni ve küçük kuruluşlar için yetişkin eğitimi alanında küçük ölçekli ortaklıklar."),
        opens=-120, deadlines=[(-51, NA_DEADLINE, BRUSSELS)], type_of_action="Erasmus+ KA2",
        max_grant="60000", kinds="ngo,public_body,school", countries="TR", territories=(("TR", "country", ""),),
        areas=("eu-education-training",), languages="tr", documents_url="https://www.ua.gov.tr",
    ),
    CallSpec(
        "ua", "ESC", "ESC30-SOL-{year}-R1-TR", "Dayanışma projeleri (ESC30)",
        ("Gençlerin kendi yerel topluluklarında gerçekleştirdiği dayanışma projeleri."),
        opens=10, deadlines=[(74, NA_DEADLINE, BRUSSELS)], type_of_action="Avrupa Dayanışma Programı",
        kinds="informal_group,ngo", countries="TR", territories=(("TR", "country", ""),),
        areas=("eu-youth",), languages="tr", documents_url="https://www.ua.gov.tr",
    ),
    # --- Gençlik ve Spor Bakanlığı ---------------------------------------------------------------------
    CallSpec(
        "gsb", "GPDP", "GSB-GPDP-{year}", "{year} Yılı Gençlik Projeleri Destek Programı",
        ("Gençlik alanında çalışan kuruluşların projelerine destek. Temalar ve destek tutarları her yıl "
            "yeniden belirlenir (2020 çağrısında 25 000–350 000 TL, sekiz tema). Başvurular çevrimiçi "
            "yapılır, son gün saat 23:59'a kadar."),
        opens=131, deadlines=[(145, "23:59")], type_of_action="Proje desteği", currency="TRY",
        kinds="ngo,university,municipality", countries="TR", territories=(("TR", "country", ""),),
        areas=("eu-youth", "eu-sport"), languages="tr", documents_url="https://gsb.gov.tr",
    ),
    CallSpec(
        "gsb", "GPDP", "GSB-GPDP-{year}", "{year} Yılı Gençlik Projeleri Destek Programı",
        ("Gençlik alanında çalışan kuruluşların projelerine destek; başvurular çevrimiçi alındı."),
        opens=-234, deadlines=[(-220, "23:59")], type_of_action="Proje desteği", currency="TRY",
        kinds="ngo,university,municipality", countries="TR", territories=(("TR", "country", ""),),
        areas=("eu-youth", "eu-sport"), languages="tr", documents_url="https://gsb.gov.tr",
    ),
    # --- BEBKA -----------------------------------------------------------------------------------------
    CallSpec(
        "bebka", "MDP", "TR41-{yy}-SKMDP", "{year} Yılı Sosyal Kalkınma Mali Destek Programı",
        ("Kâr amacı gütmeyen kuruluşlar için proje teklif çağrısı. Başvurular KAYS üzerinden yapılır; ön "
            "inceleme, bağımsız değerlendirme, değerlendirme komitesi ve Yönetim Kurulu onayı ile "
            "sonuçlanır. Başvuru rehberi: EK-A başvuru formu, EK-B bütçe, EK-C mantıksal çerçeve."),
        opens=-20, deadlines=[(45, "17:00")], type_of_action="Mali destek", currency="TRY",
        min_grant="250000", max_grant="2500000", co_financing="75", kinds="ngo,municipality,public_body,university",
        countries="TR", territories=(("TR", "region", "16"),), areas=("eu-social-inclusion", "eu-civil-society-citizenship"),
        languages="tr", documents_url="https://www.bebka.org.tr",
    ),
    CallSpec(
        "bebka", "DFD", "TR41-{yy}-DFD", "{year} Yılı Doğrudan Faaliyet Desteği",
        ("Bölgenin kalkınmasına katkı sağlayacak analiz, strateji ve planlama faaliyetleri. Başvurular "
            "dönem boyunca geldikçe değerlendirilir."),
        opens=-203, deadlines=[(9, "17:00")], type_of_action="Doğrudan faaliyet desteği", currency="TRY",
        max_grant="1000000", co_financing="75", kinds="ngo,municipality,public_body,university",
        countries="TR", territories=(("TR", "region", "16"),), areas=("eu-entrepreneurship-smes",),
        languages="tr", documents_url="https://www.bebka.org.tr",
    ),
    # --- World Bank --------------------------------------------------------------------------------------
    CallSpec(
        "wb", "JSDF", "WB-JSDF-{year}-01", "Toplum odaklı kalkınma hibeleri",
        ("En yoksul ve en kırılgan gruplara toplum odaklı yaklaşımlarla ulaşan projeler için hibeler."),
        opens=-300, deadlines=[(-90, "17:00")], type_of_action="Hibe", currency="USD",
        kinds="ngo,public_body", areas=("eu-social-inclusion",), documents_url="https://www.worldbank.org",
    ),
    # --- Narodowy Instytut Wolności -------------------------------------------------------------------------
    CallSpec(
        "niw", "NOWEFIO", "NOWEFIO-{year}", "Fundusz Inicjatyw Obywatelskich NOWEFIO – edycja {year}",
        ("Dotacje na projekty organizacji pozarządowych, które angażują obywateli w życie publiczne."),
        opens=52, deadlines=[(80, "16:00")], type_of_action="Dotacja", currency="PLN", max_grant="160000",
        kinds="ngo", countries="PL", territories=(("PL", "country", ""),),
        areas=("pb-ngo-support", "eu-civil-society-citizenship"), languages="pl", documents_url="https://niw.gov.pl",
    ),
    CallSpec(
        "niw", "KS", "KORPUS-SOLIDARNOSCI-{year}", "Korpus Solidarności – wsparcie wolontariatu długoterminowego ({year})",
        ("Wsparcie organizacji, które prowadzą programy wolontariatu długoterminowego."),
        opens=-180, deadlines=[(-150, "16:00")], type_of_action="Dotacja", currency="PLN",
        kinds="ngo", countries="PL", territories=(("PL", "country", ""),), areas=("pb-volunteering",),
        languages="pl", documents_url="https://niw.gov.pl",
    ),
    # --- Województwo Opolskie --------------------------------------------------------------------------------
    CallSpec(
        "opole", "OKO", "OPOLSKIE-{year}-OKO-KULTURA", "Otwarty konkurs ofert: kultura, sztuka i dziedzictwo narodowe {year}",
        ("Wspieranie realizacji zadań publicznych w dziedzinie kultury (art. 11 ust. 1 pkt 1). Oferty "
            "przyjmowane są co najmniej 21 dni od ogłoszenia."),
        opens=-7, deadlines=[(20, "15:30")], type_of_action="Wspieranie zadania publicznego", currency="PLN",
        total_budget="300000", min_grant="5000", max_grant="30000", co_financing="90", kinds="ngo",
        countries="PL", territories=(("PL", "region", "16"),), areas=("pb-culture-heritage",), languages="pl",
        documents_url="https://www.opolskie.pl", by="officer",
    ),
    CallSpec(
        "opole", "OKO", "OPOLSKIE-{year}-OKO-SENIORZY", "Otwarty konkurs ofert: działalność na rzecz osób w wieku emerytalnym {year}",
        ("Powierzenie lub wsparcie zadań na rzecz seniorów: aktywizacja, integracja i zdrowie."),
        opens=-17, deadlines=[(5, "15:30")], type_of_action="Wspieranie zadania publicznego", currency="PLN",
        total_budget="150000", max_grant="20000", kinds="ngo", countries="PL", territories=(("PL", "region", "16"),),
        areas=("pb-seniors",), languages="pl", documents_url="https://www.opolskie.pl", by="officer",
    ),
    CallSpec(
        "opole", "OKO", "OPOLSKIE-{year}-OKO-SPORT", "Otwarty konkurs ofert: wspieranie i upowszechnianie kultury fizycznej {year}",
        ("Zadania z zakresu kultury fizycznej i sportu."),
        opens=-50, deadlines=[(-25, "15:30")], type_of_action="Wspieranie zadania publicznego", currency="PLN",
        max_grant="25000", kinds="ngo", countries="PL", territories=(("PL", "region", "16"),),
        areas=("pb-physical-culture",), languages="pl", documents_url="https://www.opolskie.pl", by="officer",
    ),
    CallSpec(
        "opole", "MG", "OPOLSKIE-MALE-GRANTY", "Małe granty (art. 19a): zadania do 10 000 zł i do 90 dni",
        ("Oferty składane w każdym czasie, bez konkursu: zadanie o znaczeniu lokalnym lub regionalnym, "
            "dotacja do 10 000 zł, realizacja do 90 dni. Oferta jest publikowana na 7 dni, w tym czasie każdy "
            "może zgłosić uwagi."),
        opens=None, model=Call.DeadlineModel.PERMANENT, type_of_action="Tryb pozakonkursowy", currency="PLN",
        max_grant="10000", kinds="ngo", countries="PL", territories=(("PL", "region", "16"),),
        areas=("pb-local-communities",), languages="pl", documents_url="https://www.opolskie.pl", by="officer",
    ),
    CallSpec(
        "opole", "OKO", "OPOLSKIE-{year}-OKO-TURYSTYKA", "Otwarty konkurs ofert: turystyka i krajoznawstwo {year} (projekt)",
        ("Projekt ogłoszenia, jeszcze nieopublikowany: widzą go tylko urzędnicy, którzy go przygotowują."),
        opens=14, deadlines=[(40, "15:30")], type_of_action="Wspieranie zadania publicznego", currency="PLN",
        max_grant="15000", kinds="ngo", countries="PL", territories=(("PL", "region", "16"),),
        areas=("pb-tourism",), languages="pl", by="officer", draft=True,
    ),
    CallSpec(
        "bebka", "TD", "TR41-{yy}-TD", "{year} Yılı Teknik Destek Programı (taslak)",
        ("Henüz yayımlanmamış taslak: yalnızca hazırlayan merkez çalışanları görür. Kurumlara eğitim, "
            "danışmanlık ve program hazırlama konularında teknik destek."),
        opens=30, deadlines=[(120, "17:00")], type_of_action="Teknik destek", currency="TRY",
        kinds="ngo,municipality,public_body", countries="TR", territories=(("TR", "region", "16"),),
        areas=("eu-civil-society-citizenship",), languages="tr", by="officer", draft=True,
    ),
]


def load(*, profile: str, stdout) -> None:
    """Create the profile's funders, programmes and example calls; nothing if they are already there.

    ``loaddemo`` refuses beforehand to load a profile into another profile's demo
    (:func:`loaded_profiles`).
    """
    if Funder.objects.filter(slug="european-commission").exists():
        stdout.write("Calls demo data is already loaded; nothing to do.")
        return
    language = PROFILE_LANGUAGE[profile]
    programmes = _create_funders(profile)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=("coordinator", "officer"))}
    today = timezone.localdate()
    now = timezone.now()
    territories = _territories()
    areas = {area.code: area for area in ThematicArea.objects.all()}
    for spec in CALLS:
        if _shown_in(spec, profile):
            _create_call(
                spec, language=language, programmes=programmes, users=users, today=today, now=now,
                territories=territories, areas=areas,
            )
    statuses = [call.status(now) for call in Call.objects.published().prefetch_related("deadlines")]
    stdout.write(
        f"  {Funder.objects.count()} funders, {Programme.objects.count()} programmes, {Call.objects.count()} calls "
        f"({statuses.count('open')} open, {statuses.count('forthcoming')} forthcoming, "
        f"{statuses.count('closed')} closed, {Call.objects.filter(published_at__isnull=True).count()} drafts); "
        "the calls are examples."
    )


def loaded_profiles() -> set[str]:
    """The demo profiles whose funders this database holds (a funder shown in one profile only)."""
    slugs = set(Funder.objects.values_list("slug", flat=True))
    return {
        funder["profiles"][0] for funder in FUNDERS if len(funder["profiles"]) == 1 and funder["slug"] in slugs
    }


def _shown_in(spec: CallSpec, profile: str) -> bool:
    """A call is shown where its funder is, unless its eligible countries leave the profile's out."""
    if profile not in FUNDERS_BY_KEY[spec.funder]["profiles"]:
        return False
    return not spec.countries or PROFILE_COUNTRY[profile] in spec.countries.split(",")


def _in(text: str | dict, language: str) -> str:
    return text if isinstance(text, str) else text[language]


def _create_funders(profile: str) -> dict:
    from civicbridge.directory.models import Organization

    language = PROFILE_LANGUAGE[profile]
    # A programme whose every demo call is left out of the profile is left out too (CERV in Türkiye).
    with_calls = {(call.funder, call.programme) for call in CALLS}
    shown = {(call.funder, call.programme) for call in CALLS if _shown_in(call, profile)}
    programmes = {}
    for spec in FUNDERS:
        if profile not in spec["profiles"]:
            continue
        name = _in(spec["name"], language)
        organization = Organization.objects.filter(name=spec.get("organization", name)).first()
        funder = Funder.objects.create(
            name=name, slug=spec["slug"], kind=spec["kind"], country=spec["country"],
            time_zone=spec["time_zone"], website=spec["website"], description=_in(spec["description"], language),
            organization=organization,
        )
        for code, programme_name, period, website in spec["programmes"]:
            if (spec["key"], code) in with_calls - shown:
                continue
            programmes[(spec["key"], code)] = Programme.objects.create(
                funder=funder, code=code, name=_in(programme_name, language), period=period, website=website,
            )
    return programmes


def _territories() -> dict:
    found = {}
    for territory in Territory.objects.exclude(level=Territory.Level.MUNICIPALITY).exclude(level=Territory.Level.COUNTY):
        found[(territory.country, territory.level, territory.code)] = territory
    return found


def _moment(today, days: int, clock: str, zone: ZoneInfo) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return aware_in_zone(datetime.combine(today + timedelta(days=days), time(hours, minutes)), zone)


def _create_call(spec: CallSpec, *, language, programmes, users, today, now, territories, areas) -> Call:
    programme = programmes[(spec.funder, spec.programme)]
    zone = ZoneInfo(programme.funder.time_zone)
    deadlines = sorted(_moment(today, d[0], d[1], ZoneInfo(d[2]) if len(d) > 2 else zone) for d in spec.deadlines)
    opens_at = _moment(today, spec.opens, "00:00", zone) if spec.opens is not None else None
    anchor = deadlines[0] if deadlines else (opens_at or now)
    year = anchor.astimezone(zone).year
    published_at = None
    if not spec.draft:
        published_at = min(opens_at or now, now) - timedelta(days=3)
    call = Call(
        identifier=spec.identifier.format(year=year, yy=f"{year % 100:02d}"),
        title=_in(spec.title, language).format(year=year),
        summary=f"{_in(spec.summary, language)}\n\n{EXAMPLE_NOTE[language]}",
        programme=programme,
        type_of_action=_in(spec.type_of_action, language),
        deadline_model=spec.model,
        opens_at=opens_at,
        closes_at=deadlines[-1] if deadlines else None,
        total_budget=Decimal(spec.total_budget) if spec.total_budget else None,
        min_grant=Decimal(spec.min_grant) if spec.min_grant else None,
        max_grant=Decimal(spec.max_grant) if spec.max_grant else None,
        currency=spec.currency,
        co_financing_rate=Decimal(spec.co_financing) if spec.co_financing else None,
        eligible_kinds=spec.kinds,
        eligible_countries=spec.countries,
        languages=spec.languages,
        documents_url=spec.documents_url,
        published_at=published_at,
        created_by=users.get(spec.by) or users.get("coordinator"),
    )
    call.search_document = call_search_document(call)
    call.save()
    CallDeadline.objects.bulk_create(CallDeadline.stages_of(call, deadlines))
    call.thematic_areas.set([areas[code] for code in spec.areas if code in areas])
    call.eligible_territories.set([territories[key] for key in spec.territories if key in territories])
    return call
