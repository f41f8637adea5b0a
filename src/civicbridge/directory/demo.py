"""Demo data for the registry of organizations.

Each profile is one deployment with its own country's registry only (DESIGN: "One authority
per deployment"): ``opole`` holds the Opole voivodeship (TERYT 16), ``orhangazi`` the districts
of Bursa province. The texts are in the profile's language.

What is real and what is not:

- real: the administrative units (reference data) and the public bodies named after them
  (opole: the Marshal's Office, the county offices, the 71 gminas; orhangazi: Bursa's
  governorship, metropolitan municipality and civil-society office, each district's
  kaymakamlık and belediye), and the funders, described only with facts from the domain
  notes (domain-facts.md §3.1–3.5, each with its public source);
- fictitious: every plenipotentiary (names, e-mails, phones), every generated organization
  with its registry number, tax number, address and coordinates, the organizations abroad in
  the profile's towns' twin cities (the cities and twinnings are real, see partners.demo; the
  organizations, their EU PICs and texts are not), and the four demo accounts. E-mails use
  the reserved ``.invalid`` top-level domain so nothing can ever be delivered.

Generation is seeded, so every run produces the same registry.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from stdnum.tr import vkn
from unidecode import unidecode

from civicbridge.accounts.services import grant_membership
from civicbridge.core.models import Territory, ThematicArea

from .models import Organization, Plenipotentiary
from .services import organization_search_document

SEED = 20240101
BATCH_SIZE = 500
VERIFIED_SHARE = 0.6
DEMO_EMAIL_DOMAIN = "demo.civicbridge.invalid"
DEMO_USERNAMES = ("coordinator", "officer", "ngo", "citizen")


@dataclass(frozen=True)
class Profile:
    """What one demo deployment holds."""

    language: str
    country: str  # ISO 3166-1 alpha-2: every organization of the demo is in this country
    home_body: str  # the officer account's body; its row marks the database as this profile's
    generated: int  # how many organizations are generated beside the public bodies


PROFILES = {
    "opole": Profile(
        language="pl", country="PL", home_body="Urząd Marszałkowski Województwa Opolskiego", generated=2000,
    ),
    "orhangazi": Profile(language="tr", country="TR", home_body="Orhangazi Kaymakamlığı", generated=1200),
}
# Far above the KRS numbers issued so far (about 0001xxxxxx), so a demo number cannot be
# mistaken for a real entry; KRS has no check digit, any 10 digits are well-formed.
FAKE_KRS_START = 990_000_000
# Tax numbers (NIP, VKN) of the generated organizations: computed with their check digit, from
# a serial number after 000, so that they stand out as the demo's. A real NIP begins with the
# three-digit code of the tax office that issued it; none has 000. Never a looked-up number.
FAKE_TAX_NUMBER_PREFIX = "000"
# The EU PICs of the demo's organizations abroad: 9 digits (no check digit is documented),
# from the same kind of range.
FAKE_PIC_PREFIX = "000"
# The glossary's terms (the Turkish one is marked "proposed" there).
PLENIPOTENTIARY_POSITION = {
    "pl": "Pełnomocnik ds. współpracy z organizacjami pozarządowymi",
    "tr": "Sivil toplumla ilişkiler sorumlusu",
}
FICTITIOUS_PERSONS_NOTE = {
    "pl": "*Dane pełnomocnika w wersji demonstracyjnej są fikcyjne.*",
    "tr": "*Tanıtım sürümündeki sorumlunun adı ve iletişim bilgileri kurgusaldır.*",
}

Kind = Organization.Kind
LegalForm = Organization.LegalForm
RegistryType = Organization.RegistryType

# --- Polish place names ------------------------------------------------------------------
# Locative ("w Nysie") of each gmina's seat, for names such as "Ochotnicza Straż Pożarna w ...".
LOCATIVE = {
    "Brzeg": "Brzegu", "Skarbimierz": "Skarbimierzu", "Grodków": "Grodkowie",
    "Lewin Brzeski": "Lewinie Brzeskim", "Lubsza": "Lubszy", "Olszanka": "Olszance",
    "Baborów": "Baborowie", "Branice": "Branicach", "Głubczyce": "Głubczycach", "Kietrz": "Kietrzu",
    "Kędzierzyn-Koźle": "Kędzierzynie-Koźlu", "Bierawa": "Bierawie", "Cisek": "Cisku",
    "Pawłowiczki": "Pawłowiczkach", "Polska Cerekiew": "Polskiej Cerekwi",
    "Reńska Wieś": "Reńskiej Wsi", "Byczyna": "Byczynie", "Kluczbork": "Kluczborku",
    "Lasowice Wielkie": "Lasowicach Wielkich", "Wołczyn": "Wołczynie", "Gogolin": "Gogolinie",
    "Krapkowice": "Krapkowicach", "Strzeleczki": "Strzeleczkach", "Walce": "Walcach",
    "Zdzieszowice": "Zdzieszowicach", "Domaszowice": "Domaszowicach", "Namysłów": "Namysłowie",
    "Pokój": "Pokoju", "Świerczów": "Świerczowie", "Wilków": "Wilkowie",
    "Głuchołazy": "Głuchołazach", "Kamiennik": "Kamienniku", "Korfantów": "Korfantowie",
    "Łambinowice": "Łambinowicach", "Nysa": "Nysie", "Otmuchów": "Otmuchowie",
    "Paczków": "Paczkowie", "Pakosławice": "Pakosławicach", "Skoroszyce": "Skoroszycach",
    "Dobrodzień": "Dobrodzieniu", "Gorzów Śląski": "Gorzowie Śląskim", "Olesno": "Oleśnie",
    "Praszka": "Praszce", "Radłów": "Radłowie", "Rudniki": "Rudnikach", "Zębowice": "Zębowicach",
    "Chrząstowice": "Chrząstowicach", "Dąbrowa": "Dąbrowie", "Dobrzeń Wielki": "Dobrzeniu Wielkim",
    "Komprachcice": "Komprachcicach", "Łubniany": "Łubnianach", "Murów": "Murowie",
    "Niemodlin": "Niemodlinie", "Ozimek": "Ozimku", "Popielów": "Popielowie",
    "Prószków": "Prószkowie", "Tarnów Opolski": "Tarnowie Opolskim", "Tułowice": "Tułowicach",
    "Turawa": "Turawie", "Biała": "Białej", "Głogówek": "Głogówku", "Lubrza": "Lubrzy",
    "Prudnik": "Prudniku", "Izbicko": "Izbicku", "Jemielnica": "Jemielnicy",
    "Kolonowskie": "Kolonowskiem", "Leśnica": "Leśnicy",
    "Strzelce Opolskie": "Strzelcach Opolskich",
    "Ujazd": "Ujeździe", "Zawadzkie": "Zawadzkiem", "Opole": "Opolu",
}
# Genitive of the three towns that are urban gminas ("Przyjaciół Miasta Brzegu").
URBAN_GENITIVE = {"Brzeg": "Brzegu", "Kędzierzyn-Koźle": "Kędzierzyna-Koźla", "Opole": "Opola"}
# The seat of each county office, in the locative.
COUNTY_OFFICE_SEAT = {
    "1601": "Brzegu", "1602": "Głubczycach", "1603": "Kędzierzynie-Koźlu", "1604": "Kluczborku",
    "1605": "Krapkowicach", "1606": "Namysłowie", "1607": "Nysie", "1608": "Oleśnie",
    "1609": "Opolu", "1610": "Prudniku", "1611": "Strzelcach Opolskich",
}
CITY_COUNTY_CODE = "1661"
MUNICIPALITY_KIND_PL = {
    "urban municipality": "gmina miejska",
    "rural municipality": "gmina wiejska",
    "urban-rural municipality": "gmina miejsko-wiejska",
}
# First digits of the postal codes around each county seat (approximate, for demo addresses).
POSTAL_PREFIX = {
    "1601": "49", "1602": "48", "1603": "47", "1604": "46", "1605": "47", "1606": "46",
    "1607": "48", "1608": "46", "1609": "46", "1610": "48", "1611": "47", "1661": "45",
}
# How many generated organizations a place attracts, relative to a rural gmina (1).
PL_WEIGHT = {"Opole": 12, "Brzeg": 5, "Kędzierzyn-Koźle": 5}
PL_WEIGHT_COUNTY_SEAT = 4
PL_WEIGHT_BY_KIND = {"urban-rural municipality": 2, "rural municipality": 1}
TR_WEIGHT = {
    "Osmangazi": 8, "Nilüfer": 7, "Yıldırım": 7, "Orhangazi": 6, "İnegöl": 5, "Gemlik": 4,
    "Mustafakemalpaşa": 3, "Karacabey": 3, "Mudanya": 3, "Kestel": 2, "Gürsu": 2,
    "Yenişehir": 2, "İznik": 2,
}

# --- Name parts ----------------------------------------------------------------------------
PL_ASSOCIATIONS = [
    # (name pattern, thematic areas, first sentence of the description)
    ("Stowarzyszenie Przyjaciół {area}",
     ("pb-local-communities", "pb-culture-heritage", "pb-tourism"),
     "Stowarzyszenie promuje walory przyrodnicze i historyczne regionu."),
    ("Stowarzyszenie na Rzecz Rozwoju {area}",
     ("pb-local-communities", "pb-economic-development", "eu-rural-development"),
     "Wspieramy inicjatywy mieszkańców i pozyskujemy środki na lokalne projekty."),
    ("Stowarzyszenie Miłośników {area}",
     ("pb-culture-heritage", "pb-tourism", "pb-national-tradition"),
     "Dokumentujemy lokalną historię, wydajemy publikacje i organizujemy wycieczki."),
    ("Stowarzyszenie Inicjatyw Lokalnych {area}",
     ("pb-local-communities", "pb-volunteering", "eu-civil-society-citizenship"),
     "Pomagamy mieszkańcom w realizacji małych projektów sąsiedzkich."),
    ("Stowarzyszenie Kobiet Aktywnych {area}",
     ("pb-gender-equality", "pb-local-communities", "eu-equality"),
     "Stowarzyszenie aktywizuje kobiety do udziału w życiu społecznym i zawodowym."),
    ("Stowarzyszenie Seniorów {area}", ("pb-seniors", "pb-culture-heritage", "eu-social-inclusion"),
     "Organizujemy spotkania, wycieczki i zajęcia ruchowe dla osób starszych."),
    ("Stowarzyszenie Rodzin Wielodzietnych {area}",
     ("pb-family-childrens-rights", "pb-social-assistance"),
     "Wspieramy rodziny wielodzietne poradnictwem i wspólnymi wydarzeniami."),
    ("Stowarzyszenie Wspierania Edukacji {area}",
     ("pb-education-science", "pb-children-youth", "eu-education-training"),
     "Fundujemy stypendia i prowadzimy zajęcia pozalekcyjne dla uczniów."),
    ("Stowarzyszenie Historyczne {area}", ("pb-culture-heritage", "pb-national-tradition"),
     "Opiekujemy się miejscami pamięci i zbieramy relacje świadków historii."),
    ("Stowarzyszenie Ekologiczne {area}", ("pb-ecology-animals", "eu-environment-climate"),
     "Prowadzimy edukację ekologiczną i akcje sprzątania okolicy."),
    ("Stowarzyszenie Turystyczne {area}", ("pb-tourism", "pb-physical-culture"),
     "Wyznaczamy szlaki rowerowe i piesze oraz organizujemy rajdy."),
    ("Stowarzyszenie Osób Niepełnosprawnych i Ich Przyjaciół {area}",
     ("pb-disability", "pb-social-integration", "eu-social-inclusion"),
     "Prowadzimy rehabilitację, warsztaty terapii zajęciowej i grupy wsparcia."),
    ("Stowarzyszenie Pomocy Dzieciom {area}", ("pb-children-youth", "pb-social-assistance"),
     "Prowadzimy świetlicę środowiskową i organizujemy wypoczynek letni dla dzieci."),
    ("Stowarzyszenie Młodzieży {area}", ("pb-children-youth", "pb-volunteering", "eu-youth"),
     "Młodzi mieszkańcy sami planują i prowadzą projekty dla swojej społeczności."),
    ("Stowarzyszenie Przedsiębiorców {area}",
     ("pb-economic-development", "eu-entrepreneurship-smes"),
     "Zrzeszamy lokalnych przedsiębiorców i wspieramy osoby zakładające firmę."),
    ("Towarzystwo Miłośników {area}", ("pb-culture-heritage", "pb-local-communities"),
     "Towarzystwo organizuje odczyty, wystawy i konkursy wiedzy o regionie."),
    ("Stowarzyszenie na Rzecz Integracji Cudzoziemców {area}",
     ("pb-integration-of-foreigners", "eu-migration", "eu-social-inclusion"),
     "Prowadzimy kursy języka polskiego i punkt informacyjny dla cudzoziemców."),
    ("Stowarzyszenie Profilaktyki Uzależnień {area}", ("pb-addiction-prevention", "pb-health"),
     "Prowadzimy programy profilaktyczne w szkołach i grupy wsparcia dla rodzin."),
    ("Stowarzyszenie Ochrony Zwierząt {area}", ("pb-ecology-animals",),
     "Prowadzimy domy tymczasowe dla zwierząt i akcje adopcyjne."),
]
PL_FOUNDATIONS = [
    ("Fundacja Rozwoju {area}",
     ("pb-local-communities", "pb-economic-development", "eu-rural-development"),
     "Fundacja wspiera projekty rozwojowe gmin i organizacji z regionu."),
    ("Fundacja na Rzecz Dzieci {area}", ("pb-children-youth", "pb-family-childrens-rights"),
     "Fundacja finansuje zajęcia rozwijające i wypoczynek dla dzieci z rodzin w trudnej sytuacji."),
    ("Fundacja Pomocy Osobom Niepełnosprawnym {area}",
     ("pb-disability", "pb-health", "eu-social-inclusion"),
     "Fundacja dofinansowuje sprzęt rehabilitacyjny i prowadzi zajęcia terapeutyczne."),
    ("Fundacja Edukacji i Kultury {area}",
     ("pb-education-science", "pb-culture-heritage", "eu-culture"),
     "Organizujemy koncerty, warsztaty artystyczne i konkursy dla młodzieży."),
    ("Fundacja Ochrony Zdrowia {area}", ("pb-health", "eu-health"),
     "Prowadzimy bezpłatne badania profilaktyczne i kampanie zdrowotne."),
    ("Fundacja Ochrony Przyrody {area}", ("pb-ecology-animals", "eu-environment-climate"),
     "Chronimy cenne przyrodniczo miejsca i prowadzimy edukację ekologiczną."),
    ("Fundacja Dziedzictwa Kulturowego {area}", ("pb-culture-heritage", "pb-revitalisation"),
     "Ratujemy zabytki i dokumentujemy tradycje śląskie i kresowe."),
    ("Fundacja Wspierania Przedsiębiorczości {area}",
     ("pb-economic-development", "eu-entrepreneurship-smes"),
     "Udzielamy porad i szkolimy osoby rozpoczynające działalność gospodarczą."),
    ("Fundacja Aktywnych Seniorów {area}", ("pb-seniors", "eu-digital"),
     "Prowadzimy kursy obsługi komputera i smartfona dla seniorów."),
    ("Fundacja Cyfrowej Edukacji {area}",
     ("pb-education-science", "eu-digital", "eu-education-training"),
     "Uczymy programowania i bezpiecznego korzystania z internetu."),
]
PL_CLUB_PREFIXES = (
    "Ludowy Klub Sportowy", "Ludowy Zespół Sportowy", "Uczniowski Klub Sportowy", "Klub Sportowy",
)
PL_CLUB_NAMES = (
    "Orzeł", "Sokół", "Start", "Victoria", "Polonia", "Odra", "Zryw", "Piast", "Unia", "Płomień",
    "Iskra", "Grom", "Tęcza", "Błękitni", "Jedność", "Czarni", "Ruch", "Sparta", "Olimpia", "Pogoń",
    "Dąb", "Strzelec", "Huragan", "Sęp",
)
PL_SPORTS_GENITIVE = (
    "piłki nożnej", "piłki ręcznej", "siatkówki", "tenisa stołowego", "lekkoatletyki", "szachów",
    "kolarstwa", "judo", "zapasów", "koszykówki",
)
PL_KGW_NAMES = (
    "Malwy", "Słoneczniki", "Jarzębina", "Kalina", "Stokrotki", "Niezapominajki", "Wrzos", "Kłos",
)
PL_GROUP_NAMES = (
    "Aktywni Razem", "Zielone Podwórko", "Mamy w Akcji", "Seniorzy na Start", "Rowerowa Ekipa",
    "Sąsiedzi Razem", "Młodzi Działają", "Ogród Społeczny", "Biegamy Razem", "Czytamy Dzieciom",
)
PL_GROUP_ACTIVITIES = (
    "pikniki sąsiedzkie", "sprzątanie okolicy", "wspólne czytanie dzieciom", "rajdy rowerowe",
    "warsztaty kulinarne", "zbiórki dla potrzebujących",
)
PL_COOPERATIVE_SERVICES = (
    "usługi porządkowe", "catering", "usługi opiekuńcze", "prace remontowe",
    "utrzymanie terenów zielonych",
)
PL_COMPANY_PREFIXES = ("Eko", "Agro", "Tech", "Trans", "Med", "Drew", "Met", "Opol", "Bud", "Inter")
PL_COMPANY_SUFFIXES = (
    "Bud", "Trans", "Serwis", "Projekt", "System", "Pol", "Tech", "Plast", "Mot", "Logistyka",
)
PL_COMPANY_TRADES = (
    "Transport", "Budownictwo", "Usługi Remontowe", "Meble", "Ogrody", "Instalacje",
)

TR_CLUB_WORDS = (
    "Gençlik ve Spor", "Gençlerbirliği Spor", "Yıldız Spor", "Kartal Spor", "Doğan Spor",
    "Güneş Spor", "Gücü Spor", "Atletik Spor", "İdman Yurdu Spor", "Yeşil Spor",
    "Okçuluk Spor", "Satranç Spor", "Yüzme Spor", "Bisiklet Spor", "Voleybol Spor",
    "Basketbol Spor",
)
TR_SPORTS = ("futbol", "voleybol", "basketbol", "okçuluk", "satranç", "yüzme", "atletizm", "güreş")
TR_SOLIDARITY_GROUPS = (
    "", "Balkan Göçmenleri ", "Karadenizliler ", "Rumeli Türkleri ", "Kafkas ", "Erzurumlular ",
    "Sivaslılar ", "Yörükler ", "Kadınlar ", "Emekliler ", "Gençler ",
)
TR_ASSOCIATIONS = [
    ("{place} Engelliler Derneği", ("eu-social-inclusion", "eu-health", "eu-equality"),
     "Engelli bireylerin ve ailelerinin sosyal hayata katılımı için çalışıyoruz."),
    ("{place} Çevre ve Doğa Koruma Derneği", ("eu-environment-climate",),
     "Ağaçlandırma, temizlik kampanyaları ve çevre eğitimleri düzenliyoruz."),
    ("{place} Hayvanları Koruma Derneği", ("eu-environment-climate",),
     "Sokak hayvanlarının tedavisi ve sahiplendirilmesi için gönüllülerle çalışıyoruz."),
    ("{place} Zeytin Üreticileri Derneği", ("eu-rural-development", "eu-entrepreneurship-smes"),
     "Zeytin üreticilerine eğitim veriyor ve ortak pazarlama çalışmaları yürütüyoruz."),
    ("{place} Yardımlaşma ve Dayanışma Derneği", ("eu-social-inclusion",),
     "İhtiyaç sahibi ailelere gıda, giyim ve eğitim yardımı yapıyoruz."),
    ("{place} Gönüllüleri Derneği", ("eu-civil-society-citizenship", "eu-youth"),
     "Gönüllülük faaliyetlerini koordine ediyor ve gençleri sivil topluma kazandırıyoruz."),
    ("{place} Kadın Girişimciler Derneği", ("eu-entrepreneurship-smes", "eu-equality"),
     "Kadınların iş kurmasına destek olmak için eğitim ve danışmanlık veriyoruz."),
    ("{place} Kent Kültürü ve Tarih Araştırmaları Derneği", ("eu-culture",),
     "Kentin tarihini araştırıyor, söyleşiler ve kültür gezileri düzenliyoruz."),
    ("{place} Göçmen ve Mülteci Destek Derneği", ("eu-migration", "eu-social-inclusion"),
     "Göçmenlere Türkçe kursları ve hukuki danışmanlık sunuyoruz."),
    ("{place} Dijital Okuryazarlık Derneği", ("eu-digital", "eu-education-training"),
     "Çocuklara ve yetişkinlere kodlama ve güvenli internet eğitimleri veriyoruz."),
    ("{place} Bisiklet Dostları Derneği", ("eu-transport", "eu-environment-climate", "eu-sport"),
     "Güvenli bisiklet yolları için çalışıyor ve şehir turları düzenliyoruz."),
    ("{place} Bilim ve Teknoloji Derneği", ("eu-research-innovation", "eu-youth"),
     "Öğrencilere yönelik bilim şenlikleri ve robotik atölyeleri düzenliyoruz."),
    ("{place} Sağlıklı Yaşam ve Yaşlı Bakım Derneği", ("eu-health", "eu-social-inclusion"),
     "Yaşlılara evde bakım desteği ve sağlık taramaları sağlıyoruz."),
    ("{place} Gençlik Derneği", ("eu-youth", "eu-civil-society-citizenship", "eu-culture"),
     "Gençlerin sosyal, kültürel ve sportif etkinliklere katılımını destekliyoruz."),
    ("{place} Halk Dansları ve Folklor Derneği", ("eu-culture", "eu-youth"),
     "Yöresel halk oyunlarını yaşatıyor, çocuklara ve gençlere folklor eğitimi veriyoruz."),
    ("{place} Eğitim Gönüllüleri Derneği", ("eu-education-training", "eu-social-inclusion"),
     "İhtiyaç sahibi çocuklara ders desteği ve kitap yardımı yapıyoruz."),
    ("{place} Doğa Sporları ve İzcilik Derneği", ("eu-sport", "eu-youth", "eu-environment-climate"),
     "Gençlere kampçılık, doğa yürüyüşü ve ilk yardım eğitimleri düzenliyoruz."),
]
TR_FOUNDATIONS = [
    ("{place} Eğitim Vakfı", ("eu-education-training", "eu-youth"),
     "Vakfımız başarılı ve ihtiyaç sahibi öğrencilere burs vermektedir."),
    ("{place} Eğitim ve Kültür Vakfı", ("eu-education-training", "eu-culture"),
     "Kütüphane, kurs ve kültür etkinlikleriyle gençlerin gelişimini destekliyoruz."),
    ("{place} Sağlık ve Sosyal Yardım Vakfı", ("eu-health", "eu-social-inclusion"),
     "Tedavi masraflarını karşılayamayan hastalara destek oluyoruz."),
    ("{surname} Ailesi Eğitim Vakfı", ("eu-education-training",),
     "Aile tarafından kurulan vakıf, üniversite öğrencilerine burs sağlamaktadır."),
]
TR_SCHOOL_NAMES = (
    "Atatürk", "Cumhuriyet", "Gazi", "Fatih Sultan Mehmet", "Mehmet Akif Ersoy", "Yunus Emre",
    "Mimar Sinan", "Namık Kemal", "Barbaros", "İstiklal", "Hürriyet", "Piri Reis", "Zübeyde Hanım",
)
TR_SCHOOL_TYPES = ("İlkokulu", "Ortaokulu", "Anadolu Lisesi")
TR_PRIVATE_SCHOOL_WORDS = (
    "Bilge", "Doğa", "Gelecek", "Başarı", "Işık", "Umut", "Yıldız", "Ufuk", "Deniz",
)
TR_TRADES = (
    # (name in the company name, lower-case form for the sentence)
    ("İnşaat", "inşaat"), ("Tekstil", "tekstil"), ("Gıda", "gıda"), ("Otomotiv", "otomotiv"),
    ("Zeytin ve Zeytinyağı", "zeytin ve zeytinyağı"), ("Mobilya", "mobilya"),
    ("Lojistik", "lojistik"), ("Turizm", "turizm"), ("Tarım Ürünleri", "tarım ürünleri"),
    ("Makine", "makine"), ("Yazılım", "yazılım"),
)
TR_GROUPS = (
    "Gönüllü Gençler Grubu", "Doğa Yürüyüşü Grubu", "Kitap Okuma Grubu", "Mahalle Dayanışma Grubu",
)
# Faker's Turkish surnames include one that reads as a political statement on a public body's site.
TR_SURNAMES_AVOIDED = frozenset({"Öcalan"})
TR_COOPERATIVES = ("Kadın Girişimi Üretim ve İşletme Kooperatifi", "Tarımsal Kalkınma Kooperatifi")
TR_STREETS = (
    "Atatürk Caddesi", "Cumhuriyet Caddesi", "İstiklal Caddesi", "Gazi Caddesi", "Fatih Sokak",
    "Okul Sokak", "Çarşı Caddesi", "Zafer Sokak", "Mimar Sinan Caddesi", "Yeni Sokak",
)
TR_NEIGHBOURHOODS = ("Merkez", "Cumhuriyet", "Yeni", "Fatih", "Hürriyet", "Zafer", "Yıldız", "Gazi")
# Neighbourhood names that read as "... Mahallesi" (a generated association's name).
TR_NAMED_NEIGHBOURHOODS = (
    "Merkez", "Cumhuriyet", "Fatih", "Hürriyet", "Zafer", "Gazi", "Atatürk", "İstiklal", "Yunus Emre",
    "Mimar Sinan",
)


@dataclass(frozen=True)
class Place:
    """Where a generated organization sits, with the name forms its name needs."""

    territory: Territory
    name: str
    language: str
    weight: float
    locative: str = ""  # Polish "w ..." form
    area_genitive: str = ""  # Polish "Gminy Walce" / "Miasta Brzegu"
    region_genitive: str = ""  # Polish "Ziemi Nyskiej"
    is_town: bool = True
    postal_prefix: str = ""


@dataclass
class Spec:
    """One generated organization before it becomes a row."""

    name: str
    kind: str
    legal_form: str
    areas: tuple[str, ...]
    sentences: list[str]
    founding_year: int
    registry: str = ""  # "krs" or "tr_association": which fake number it gets


@dataclass
class Demo:
    """State shared by the steps of one load."""

    profile: str
    stdout: object
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    fake_pl: Faker = field(default_factory=lambda: _seeded_faker("pl_PL"))
    fake_tr: Faker = field(default_factory=lambda: _seeded_faker("tr_TR"))
    slugs: set = field(default_factory=set)
    names: set = field(default_factory=set)
    registry_numbers: set = field(default_factory=set)
    tax_serial: int = 0  # the last serial a tax number was made from
    pic_serial: int = 0  # and a PIC
    numbering: Counter = field(default_factory=Counter)  # "school kind|place" -> last number
    users: dict = field(default_factory=dict)
    bodies: dict = field(default_factory=dict)
    # The public bodies that name a plenipotentiary, in the order they are listed.
    plenipotentiary_bodies: list = field(default_factory=list)

    @property
    def language(self) -> str:
        return PROFILES[self.profile].language

    def unique_slug(self, name: str) -> str:
        # unidecode keeps "ł" and "ı" as letters (plain slugify drops them).
        base = slugify(unidecode(name))[:300] or "organization"
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)
        return slug

    def say(self, message: str) -> None:
        self.stdout.write(message)


def _seeded_faker(locale: str) -> Faker:
    fake = Faker(locale)
    fake.seed_instance(SEED)
    return fake


# --- Entry point ---------------------------------------------------------------------------


def load(*, profile: str, stdout) -> None:
    """Create the profile's demo registry; does nothing when the demo accounts already exist.

    ``loaddemo`` refuses beforehand to load a profile into another profile's demo
    (:func:`loaded_profiles`).
    """
    if profile not in PROFILES:
        choices = ", ".join(sorted(PROFILES))
        raise ValueError(f"Unknown demo profile {profile!r}; choose one of: {choices}.")
    if get_user_model().objects.filter(username="coordinator").exists():
        stdout.write("Registry demo data is already loaded; nothing to do.")
        return
    _ensure_reference_data()
    demo = Demo(profile=profile, stdout=stdout)
    demo.slugs.update(Organization.objects.values_list("slug", flat=True))
    demo.users = _create_users(demo)
    if profile == "opole":
        _create_polish_public_bodies(demo)
    else:
        _create_turkish_public_bodies(demo)
    _create_funders(demo)
    _create_plenipotentiaries(demo)
    generated = _create_generated_organizations(demo)
    _create_organizations_abroad(demo)
    _create_memberships(demo, generated)
    demo.say(
        f"Registry: {Organization.objects.count()} organizations, "
        f"{Plenipotentiary.objects.count()} plenipotentiaries (fictitious persons)."
    )


def loaded_profiles() -> set[str]:
    """The demo profiles whose registry this database holds: those whose home body is there."""
    return {
        key for key, profile in PROFILES.items()
        if Organization.objects.filter(
            name=profile.home_body, kind=Kind.PUBLIC_BODY, territory__country=profile.country
        ).exists()
    }


def _ensure_reference_data() -> None:
    # The data migration loads it; a flushed database (e.g. TransactionTestCase) has lost it.
    if not Territory.objects.filter(country="PL", level=Territory.Level.REGION, code="16").exists():
        from civicbridge.core.reference import load_territories, load_thematic_areas

        load_territories()
        load_thematic_areas()


# --- Accounts --------------------------------------------------------------------------------


def _create_users(demo: Demo) -> dict:
    language = demo.language
    users = {}
    for username in DEMO_USERNAMES:
        users[username] = get_user_model().objects.create_user(
            username=username,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
            password=f"demo-{username}",
            first_name=username.capitalize(),
            last_name="Demo",
            preferred_language=language,
            is_coordinator=username == "coordinator",
            is_staff=username == "coordinator",
        )
    return users


DEMO_GRANT_REASON = {
    "opole": "Konto demonstracyjne: rola nadana przy wczytaniu danych przykładowych.",
    "orhangazi": "Tanıtım hesabı: rol, örnek veriler yüklenirken verildi.",
}


def _create_memberships(demo: Demo, generated: list[Organization]) -> None:
    home_body = demo.bodies[PROFILES[demo.profile].home_body]
    coordinator = demo.users["coordinator"]
    home_ngo = _home_ngo(demo, generated)
    # Through the service, as a coordinator would: the rights log shows who granted the demo's roles.
    reason = DEMO_GRANT_REASON[demo.profile]
    for user, organization in ((demo.users["officer"], home_body), (demo.users["ngo"], home_ngo)):
        grant_membership(user=user, organization=organization, by=coordinator, reason=reason)
    demo.say(f"  officer represents {home_body.name}; ngo represents {home_ngo.name}.")


def _home_ngo(demo: Demo, generated: list[Organization]) -> Organization:
    """The first generated association in the profile's home territory."""
    if demo.profile == "opole":
        home_codes = {"1661011"}
        candidates = [o for o in generated if o.territory.code in home_codes]
    else:
        candidates = [o for o in generated if o.territory.name_en == "Orhangazi"]
    associations = [o for o in candidates + generated if o.legal_form == LegalForm.ASSOCIATION]
    return associations[0]


# --- Public bodies and funders ------------------------------------------------------------------


def _body(demo: Demo, *, name, kind, legal_form, territory, description="", areas=()):
    organization = Organization(
        name=name, slug=demo.unique_slug(name), kind=kind, legal_form=legal_form,
        territory=territory, country=territory.country,
        latitude=territory.latitude, longitude=territory.longitude, description=description,
        is_verified=True, verified_at=timezone.now(), verified_by=demo.users["coordinator"],
    )
    organization.search_document = organization_search_document(organization)
    organization.save()
    if areas:
        organization.thematic_areas.set(ThematicArea.objects.filter(code__in=areas))
    demo.bodies[name] = organization
    return organization


def _create_polish_public_bodies(demo: Demo) -> None:
    """The Marshal's Office, every county office and every gmina of the Opole voivodeship.

    The Marshal's Office, every county office and about half the gminas name a plenipotentiary.
    """
    region = Territory.objects.get(country="PL", level=Territory.Level.REGION, code="16")
    marshal = _body(
        demo, name=PROFILES["opole"].home_body, kind=Kind.PUBLIC_BODY,
        legal_form=LegalForm.LOCAL_GOVERNMENT, territory=region,
        description="Urząd obsługujący Zarząd Województwa Opolskiego.",
    )
    county_offices, gminas = [], []
    for county in region.children.order_by("code"):
        county_offices.append(_county_office(demo, county))
        for municipality in county.children.order_by("code"):
            kind_pl = MUNICIPALITY_KIND_PL.get(municipality.kind, "gmina")
            gminas.append(_body(
                demo, name=f"Gmina {municipality.name_pl}", kind=Kind.MUNICIPALITY,
                legal_form=LegalForm.LOCAL_GOVERNMENT, territory=municipality,
                description=f"Jednostka samorządu terytorialnego ({kind_pl}), {county.name_pl}.",
            ))
    demo.plenipotentiary_bodies = [
        marshal, *county_offices, *(gmina for gmina in gminas if demo.rng.random() < 0.5),
    ]
    demo.say(f"  {len(demo.bodies)} public bodies.")


def _county_office(demo: Demo, county: Territory) -> Organization:
    if county.code == CITY_COUNTY_CODE:
        # A city with county rights has no starostwo: the city office serves both tiers.
        name, description = "Urząd Miasta Opola", "Urząd miasta na prawach powiatu."
    else:
        name = f"Starostwo Powiatowe w {COUNTY_OFFICE_SEAT[county.code]}"
        description = f"Urząd obsługujący zarząd powiatu ({county.name_pl})."
    return _body(
        demo, name=name, kind=Kind.PUBLIC_BODY, legal_form=LegalForm.LOCAL_GOVERNMENT,
        territory=county, description=description,
    )


def _create_turkish_public_bodies(demo: Demo) -> None:
    """Bursa's governorship, metropolitan municipality and civil-society office, and each
    district's kaymakamlık and belediye.

    The governorship, the metropolitan municipality, every kaymakamlık and about half the
    district municipalities name a person for relations with civil society.
    """
    province = Territory.objects.get(country="TR", level=Territory.Level.REGION, code="16")
    governorship = _body(
        demo, name="Bursa Valiliği", kind=Kind.PUBLIC_BODY, legal_form=LegalForm.STATE_ADMINISTRATION,
        territory=province, description="Bursa ilinin valiliği.",
    )
    metropolitan = _body(
        demo, name="Bursa Büyükşehir Belediyesi", kind=Kind.MUNICIPALITY,
        legal_form=LegalForm.LOCAL_GOVERNMENT, territory=province,
        description="Bursa ilinin büyükşehir belediyesi.",
    )
    _body(
        demo, name="Bursa İl Sivil Toplumla İlişkiler Müdürlüğü", kind=Kind.PUBLIC_BODY,
        legal_form=LegalForm.STATE_ADMINISTRATION, territory=province,
        description=CIVIL_SOCIETY_OFFICE_DESCRIPTION, areas=("eu-civil-society-citizenship",),
    )
    governorships, municipalities = [], []
    districts = Territory.objects.filter(parent=province, level=Territory.Level.COUNTY).order_by("name_en")
    for district in districts:
        name = district.name_tr or district.name_en
        home = name == "Orhangazi"
        governorships.append(_body(
            demo, name=f"{name} Kaymakamlığı", kind=Kind.PUBLIC_BODY,
            legal_form=LegalForm.STATE_ADMINISTRATION, territory=district,
            description=KAYMAKAMLIK_DESCRIPTION if home else f"Bursa iline bağlı {name} ilçesinin kaymakamlığı.",
            areas=("eu-civil-society-citizenship",) if home else (),
        ))
        municipalities.append(_body(
            demo, name=f"{name} Belediyesi", kind=Kind.MUNICIPALITY, legal_form=LegalForm.LOCAL_GOVERNMENT,
            territory=district, description=f"Bursa iline bağlı {name} ilçesinin belediyesi.",
        ))
    demo.plenipotentiary_bodies = [
        governorship, metropolitan, *governorships,
        *(municipality for municipality in municipalities if demo.rng.random() < 0.5),
    ]
    demo.say(f"  {len(demo.bodies)} public bodies.")


# From domain-facts.md §3.1 (the office, the kütük number, DERBİS and its declaration period).
CIVIL_SOCIETY_OFFICE_DESCRIPTION = """\
İçişleri Bakanlığına bağlı il müdürlüğü (eski adıyla İl Dernekler Müdürlüğü). Derneklerin \
kuruluş bildirimlerini alır ve **kütük numarasını** verir. Dernekler yıllık beyannamelerini, \
genel kurul sonuçlarını ve yönetim kurulu değişikliklerini **DERBİS** üzerinden bildirir; \
yıllık beyanname 1 Ocak–30 Nisan arasında verilir.
"""

KAYMAKAMLIK_DESCRIPTION = """\
Orhangazi Kaymakamlığı bünyesindeki **AB projeleri ve dış ilişkiler koordinasyon merkezi**, \
ilçedeki kamu kurumlarına, okullara ve sivil toplum kuruluşlarına proje süreçlerinde destek verir:

- AB, Dünya Bankası, büyükelçilikler, Türkiye Ulusal Ajansı, kalkınma ajansları ve bakanlıkların \
hibe çağrılarını duyurur;
- AB şehirleri dahil yurt içi ve yurt dışı ortak arayışına yardımcı olur;
- teknik destek verir ve proje yazma eğitimleri düzenler;
- ilçenin proje portföyünü ve faaliyet kayıtlarını tutar.

Merkezde iki koordinatör görev yapar (merkez koordinatörü).
"""

# Each funder is in the registry of its own country's demo only. The Turkish ones: facts only from
# domain-facts.md §3.2–3.5 (each sourced there), no figures beyond those; NIW: its programmes, as
# the calls' demo (funding/demo.py) lists them.
FUNDERS = {
    "opole": [
        {
            "name": "Narodowy Instytut Wolności – Centrum Rozwoju Społeczeństwa Obywatelskiego",
            "legal_form": LegalForm.PUBLIC_INSTITUTION,
            "territory": ("PL", Territory.Level.COUNTRY, ""),
            "areas": ("pb-ngo-support", "pb-volunteering", "eu-civil-society-citizenship"),
            "description": (
                "Rządowa agencja wspierająca rozwój społeczeństwa obywatelskiego i organizacji "
                "pozarządowych. Prowadzi m.in. Rządowy Program Fundusz Inicjatyw Obywatelskich "
                "NOWEFIO, Program Rozwoju Organizacji Obywatelskich (PROO) i Korpus Solidarności."
            ),
        },
    ],
    "orhangazi": [
        {
            "name": "Bursa Eskişehir Bilecik Kalkınma Ajansı (BEBKA)",
            "legal_form": LegalForm.PUBLIC_INSTITUTION,
            "territory": ("TR", Territory.Level.REGION, "16"),
            "areas": ("eu-entrepreneurship-smes",),
            "description": (
                "TR41 bölgesinin (Bursa, Eskişehir, Bilecik) kalkınma ajansı. Kâr amacı gütmeyen "
                "kuruluşlar için **proje teklif çağrıları** ile mali destek programları (MDP) yürütür; "
                "teknik destek, fizibilite desteği ve doğrudan faaliyet desteği (DFD) de sağlar. "
                "Başvurular kalkınma ajanslarının yönetim sistemi **KAYS** üzerinden yapılır.\n\n"
                "Değerlendirme aşamaları: ön inceleme (idari kontrol ve uygunluk), bağımsız "
                "değerlendiricilerin teknik ve mali değerlendirmesi, değerlendirme komitesi, Yönetim "
                "Kurulu onayı. 2010–2020 döneminde 24 program ve 390 proje; güncel bölge planı "
                "2024–2028 dönemini kapsar."
            ),
        },
        {
            "name": "Türkiye Ulusal Ajansı",
            "legal_form": LegalForm.PUBLIC_INSTITUTION,
            "territory": ("TR", Territory.Level.COUNTRY, ""),
            "areas": ("eu-education-training", "eu-youth"),
            "description": (
                "Erasmus+ ve Avrupa Dayanışma Programı'nın Türkiye'deki ulusal ajansı. Ekim 2019'dan "
                "bu yana başvurularda PIC yerine **OID** (kurum kimlik numarası) kullanılır; OID, "
                "EU Login ile alınır ve tüm başvurular için geçerlidir.\n\n"
                "Başvurular yalnızca çevrimiçi formlarla yapılır: **koordinatör kuruluş**, tüm "
                "ortaklar adına kendi ülkesinin ulusal ajansına başvurur. Son başvuru saati Brüksel "
                "saatiyle 12:00'dir."
            ),
        },
        {
            "name": "T.C. Gençlik ve Spor Bakanlığı",
            "legal_form": LegalForm.STATE_ADMINISTRATION,
            "territory": ("TR", Territory.Level.COUNTRY, ""),
            "areas": ("eu-youth", "eu-sport"),
            "description": (
                "Bakanlık 2012'den bu yana **Gençlik Projeleri Destek Programı**nı (GPDP) yürütür. "
                "Destek tutarları, temalar ve başvuru kuralları her yıl değişir: örneğin 2020 "
                "çağrısında destek 25 000–350 000 TL arasındaydı, başvurular çevrimiçi alındı ve "
                "sekiz tema belirlendi (gönüllülük, kişisel gelişim, fiziksel aktivite ve spor, kitap "
                "kafe, kültür ve sanat, yenilikçi fikirler, çevre, hayvanları koruma)."
            ),
        },
    ],
}


def _create_funders(demo: Demo) -> None:
    funders = FUNDERS[demo.profile]
    for funder in funders:
        country, level, code = funder["territory"]
        territory = Territory.objects.filter(country=country, level=level, code=code).first()
        _body(
            demo, name=funder["name"], kind=Kind.FUNDER, legal_form=funder["legal_form"],
            territory=territory, description=funder["description"], areas=funder["areas"],
        )
    demo.say(f"  {len(funders)} funders.")


# --- Plenipotentiaries ---------------------------------------------------------------------------


def _create_plenipotentiaries(demo: Demo) -> None:
    """A fictitious person for each public body that names one (``demo.plenipotentiary_bodies``)."""
    bodies = demo.plenipotentiary_bodies
    rows = [_plenipotentiary(demo, body) for body in bodies]
    Plenipotentiary.objects.bulk_create(rows)
    for body in bodies:
        body.description = f"{body.description}\n\n{FICTITIOUS_PERSONS_NOTE[demo.language]}"
    Organization.objects.bulk_update(bodies, ["description"])
    demo.say(f"  {len(rows)} plenipotentiaries; their names and contacts are fictitious.")


def _plenipotentiary(demo: Demo, body: Organization) -> Plenipotentiary:
    polish = demo.language == "pl"
    fake = demo.fake_pl if polish else demo.fake_tr
    if demo.rng.random() < 0.6:
        first, last = fake.first_name_female(), fake.last_name_female() if polish else _tr_surname(demo)
    else:
        first, last = fake.first_name_male(), fake.last_name_male() if polish else _tr_surname(demo)
    local_part = f"{slugify(unidecode(first))[:1]}.{slugify(unidecode(last))}"
    return Plenipotentiary(
        public_body=body,
        full_name=f"{first} {last}",
        position=PLENIPOTENTIARY_POSITION[demo.language],
        email=f"{local_part}@{_domain_label(body.slug)}.example.invalid",
        phone=_pl_phone(demo) if polish else _tr_phone(demo),
        appointed_on=date(2015, 1, 1) + timedelta(days=demo.rng.randrange(3650)),
    )


def _domain_label(slug: str) -> str:
    # A DNS label holds at most 63 characters; cut at a word boundary so it stays readable.
    if len(slug) <= 50:
        return slug
    return slug[:50].rsplit("-", 1)[0] or "demo"


# --- Generated organizations --------------------------------------------------------------------


def _create_generated_organizations(demo: Demo) -> list[Organization]:
    areas = {area.code: area.pk for area in ThematicArea.objects.all()}
    count = PROFILES[demo.profile].generated
    if demo.profile == "opole":
        specs = _specs(demo, _polish_places(), count, PL_CATEGORIES)
    else:
        specs = _specs(demo, _turkish_places(), count, TR_CATEGORIES)
    organizations = [
        _organization(demo, place, spec, number) for number, (place, spec) in enumerate(specs, 1)
    ]
    Organization.objects.bulk_create(organizations, batch_size=BATCH_SIZE)
    _link_thematic_areas(organizations, [spec for _, spec in specs], areas)
    kinds = Counter(str(o.kind) for o in organizations)
    demo.say(f"  {len(organizations)} generated organizations ({dict(kinds)}).")
    return organizations


# --- Organizations abroad -----------------------------------------------------------------------
# A few partners in the twin cities of the profile's towns (partners.demo.TWINNINGS): the cities
# are real, the organizations are not (nor their PICs). Described in the profile's language,
# named in their own.

ABROAD_NOTE = {
    "pl": "*Organizacja fikcyjna z miasta partnerskiego (dane demonstracyjne).*",
    "tr": "*Kardeş şehirden kurgusal bir kuruluş (demo verisi).*",
}


@dataclass(frozen=True)
class Abroad:
    name: str
    country: str
    city: str
    legal_form: str
    areas: tuple[str, ...]
    description: str
    founding_year: int
    with_pic: bool = False


ABROAD = {
    "opole": (
        Abroad(
            "Verein Brückenschlag Potsdam–Opole", "DE", "Potsdam", LegalForm.ASSOCIATION,
            ("pb-european-integration", "pb-culture-heritage", "eu-youth"),
            "Stowarzyszenie z Poczdamu, miasta partnerskiego Opola: wymiany młodzieży, koncerty i "
            "wspólne warsztaty artystyczne. Szuka partnerów do projektów Erasmus+.", 2006, with_pic=True,
        ),
        Abroad(
            "Förderkreis Feuerwehrjugend Goslar", "DE", "Goslar", LegalForm.ASSOCIATION,
            ("pb-rescue-civil-protection", "pb-children-youth", "eu-youth"),
            "Stowarzyszenie wspierające młodzieżowe drużyny pożarnicze w Goslarze, mieście "
            "partnerskim Brzegu; zaprasza drużyny z Brzegu na wspólne obozy.", 1998,
        ),
        Abroad(
            "Spolek přátel Berouna a Brzegu", "CZ", "Beroun", LegalForm.ASSOCIATION,
            ("pb-european-integration", "pb-education-science", "eu-education-training"),
            "Stowarzyszenie z Berouna: wymiany szkolne i wspólne projekty nauczycieli z Brzegu i "
            "Goslaru.", 2003, with_pic=True,
        ),
        Abroad(
            "Kuopion Nuorisokulttuuriyhdistys ry", "FI", "Kuopio", LegalForm.ASSOCIATION,
            ("pb-culture-heritage", "pb-children-youth", "eu-culture", "eu-youth"),
            "Stowarzyszenie kultury młodzieżowej z Kuopio, miasta partnerskiego Opola: festiwale, "
            "warsztaty muzyczne, wolontariat europejski.", 2011, with_pic=True,
        ),
    ),
    "orhangazi": (
        Abroad(
            "Asociația Punți Culturale Năvodari", "RO", "Năvodari", LegalForm.ASSOCIATION,
            ("eu-culture", "eu-civil-society-citizenship", "eu-youth"),
            "Gemlik'in kardeş şehri Năvodari'den bir dernek: festivaller, gençlik değişimleri ve "
            "iki belediye arasındaki ziyaretlerin hazırlığı.", 2008, with_pic=True,
        ),
        Abroad(
            "Shoqata Rinore Ura", "XK", "Gjilan", LegalForm.ASSOCIATION,
            ("eu-youth", "eu-civil-society-citizenship", "eu-education-training"),
            "Yıldırım'ın kardeş şehri Gjilan'dan bir gençlik derneği: gönüllülük, dil kursları ve "
            "Erasmus+ gençlik projeleri.", 2012, with_pic=True,
        ),
        Abroad(
            "Shoqata Mjedisore Ibri i Gjelbër", "XK", "Mitrovica", LegalForm.ASSOCIATION,
            ("eu-environment-climate", "eu-youth"),
            "İnegöl'ün kardeş şehri Mitrovica'dan bir çevre derneği: nehir temizliği, ağaçlandırma "
            "ve okullarda çevre eğitimi.", 2015,
        ),
    ),
}


def _create_organizations_abroad(demo: Demo) -> None:
    areas = {area.code: area for area in ThematicArea.objects.all()}
    created = 0
    for entry in ABROAD[demo.profile]:
        if entry.with_pic:
            demo.pic_serial += 1
        organization = Organization(
            name=entry.name, slug=demo.unique_slug(entry.name), kind=Kind.NGO, legal_form=entry.legal_form,
            country=entry.country, city=entry.city, founding_year=entry.founding_year,
            pic=f"{FAKE_PIC_PREFIX}{demo.pic_serial:06d}" if entry.with_pic else "",
            description=f"{entry.description}\n\n{ABROAD_NOTE[demo.language]}",
        )
        organization.search_document = organization_search_document(organization)
        organization.save()
        organization.thematic_areas.set([areas[code] for code in entry.areas if code in areas])
        created += 1
    demo.say(f"  {created} organizations abroad, in twin cities (fictitious).")


def _specs(demo: Demo, places: list[Place], count: int, categories) -> list[tuple[Place, Spec]]:
    builders = [builder for builder, _ in categories]
    weights = [weight for _, weight in categories]
    place_weights = [place.weight for place in places]
    specs = []
    while len(specs) < count:
        place = demo.rng.choices(places, place_weights)[0]
        builder = demo.rng.choices(builders, weights)[0]
        spec = builder(demo, place)
        # A builder returns None when it does not fit the place (no KGW in a city...).
        if spec is None or spec.name in demo.names:
            continue
        demo.names.add(spec.name)
        specs.append((place, spec))
    return specs


def _organization(demo: Demo, place: Place, spec: Spec, number: int) -> Organization:
    polish = place.language == "pl"
    verified = demo.rng.random() < VERIFIED_SHARE
    slug = demo.unique_slug(spec.name)
    organization = Organization(
        name=spec.name, slug=slug, kind=spec.kind, legal_form=spec.legal_form,
        territory=place.territory, country=place.territory.country, description=" ".join(spec.sentences),
        founding_year=spec.founding_year,
        address=_pl_address(demo, place) if polish else _tr_address(demo, place),
        postal_code=_postal_code(demo, place),
        email=_organization_email(demo, slug, polish),
        phone=(_pl_phone(demo) if polish else _tr_phone(demo)) if demo.rng.random() < 0.6 else "",
        is_verified=verified,
        verified_at=_days_ago(demo.rng.randrange(1, 700)) if verified else None,
        verified_by=demo.users["coordinator"] if verified else None,
    )
    organization.registry_type, organization.registry_number = _registry_number(demo, spec, number)
    # An informal group is no legal person and has no tax number; everyone else has one.
    if spec.kind != Kind.INFORMAL_GROUP:
        organization.tax_number = _tax_number(demo, place.territory.country)
    organization.latitude, organization.longitude = _jitter(demo, place)
    organization.search_document = organization_search_document(organization)
    return organization


def _link_thematic_areas(organizations, specs, area_ids: dict) -> None:
    through = Organization.thematic_areas.through
    rows = [
        through(organization_id=organization.pk, thematicarea_id=area_ids[code])
        for organization, spec in zip(organizations, specs, strict=True)
        for code in spec.areas
    ]
    through.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _registry_number(demo: Demo, spec: Spec, number: int) -> tuple[str, str]:
    if spec.registry == "krs":
        return RegistryType.KRS, f"{FAKE_KRS_START + number:010d}"
    if spec.registry == "tr_association":
        # Shape "16-NNN-NNN" (16 = Bursa); seen in practice, not an official spec.
        while True:
            candidate = f"16-{demo.rng.randrange(100, 1000):03d}-{demo.rng.randrange(1000):03d}"
            if candidate not in demo.registry_numbers:
                demo.registry_numbers.add(candidate)
                return RegistryType.TR_ASSOCIATION, candidate
    return RegistryType.NONE, ""


def _tax_number(demo: Demo, country: str) -> str:
    """The next fictitious NIP (Poland) or VKN (Turkey), its check digit computed."""
    while True:
        demo.tax_serial += 1
        digits = f"{FAKE_TAX_NUMBER_PREFIX}{demo.tax_serial:06d}"
        if country == "TR":
            return digits + vkn.calc_check_digit(digits)
        # NIP: the weighted sum modulo 11 is the check digit; a serial whose sum gives 10 has none.
        check = sum(weight * int(digit) for weight, digit in zip(NIP_WEIGHTS, digits, strict=True)) % 11
        if check < 10:
            return f"{digits}{check}"


NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def _jitter(demo: Demo, place: Place) -> tuple[Decimal | None, Decimal | None]:
    territory = place.territory
    if territory.latitude is None or territory.longitude is None:
        return None, None
    spread = 0.015 if place.is_town else 0.04  # a town is smaller than a rural gmina
    latitude = float(territory.latitude) + demo.rng.uniform(-spread, spread)
    longitude = float(territory.longitude) + demo.rng.uniform(-spread, spread) * 1.5
    return Decimal(f"{latitude:.6f}"), Decimal(f"{longitude:.6f}")


def _pl_address(demo: Demo, place: Place) -> str:
    street = demo.fake_pl.street_name()
    street = street if street == "Rynek" else f"ul. {street}"  # a market square is not a "ul."
    number = str(demo.rng.randint(1, 120))
    if demo.rng.random() < 0.3:
        number += f"/{demo.rng.randint(1, 40)}"
    return f"{street} {number}, {place.name}"


def _tr_address(demo: Demo, place: Place) -> str:
    neighbourhood = demo.rng.choice(TR_NEIGHBOURHOODS)
    street = demo.rng.choice(TR_STREETS)
    return f"{neighbourhood} Mah. {street} No:{demo.rng.randrange(1, 120)}, {place.name}/Bursa"


def _postal_code(demo: Demo, place: Place) -> str:
    if place.language == "pl":
        return f"{place.postal_prefix}-{demo.rng.randrange(1000):03d}"
    return f"16{demo.rng.randrange(1000):03d}"  # Bursa postal codes start with its plate code


def _pl_phone(demo: Demo) -> str:
    # 77 is the Opole region's landline area code; mobile numbers start with 5, 6, 7 or 8.
    if demo.rng.random() < 0.5:
        return f"+48 77 {_digits(demo, 3)} {_digits(demo, 2)} {_digits(demo, 2)}"
    mobile = demo.rng.choice("5678") + _digits(demo, 8)
    return f"+48 {mobile[:3]} {mobile[3:6]} {mobile[6:]}"


def _digits(demo: Demo, count: int) -> str:
    return "".join(demo.rng.choice("0123456789") for _ in range(count))


def _tr_phone(demo: Demo) -> str:
    # 0224 is Bursa's area code.
    return f"0224 {demo.rng.randrange(200, 800)} {_digits(demo, 2)} {_digits(demo, 2)}"


def _organization_email(demo: Demo, slug: str, polish: bool) -> str:
    if demo.rng.random() > 0.7:
        return ""
    mailbox = "kontakt" if polish else "iletisim"
    return f"{mailbox}@{_domain_label(slug)}.example.invalid"


# --- Places ------------------------------------------------------------------------------------


def _polish_places() -> list[Place]:
    places = []
    municipalities = Territory.objects.filter(
        country="PL", level=Territory.Level.MUNICIPALITY, code__startswith="16"
    ).select_related("parent").order_by("code")
    for municipality in municipalities:
        name = municipality.name_pl
        county = municipality.parent
        places.append(Place(
            territory=municipality, name=name, language="pl",
            weight=_polish_weight(municipality, county),
            locative=LOCATIVE[name],
            area_genitive=(
                f"Miasta {URBAN_GENITIVE[name]}" if name in URBAN_GENITIVE else f"Gminy {name}"
            ),
            region_genitive=f"Ziemi {_county_adjective(county)}",
            is_town=municipality.kind != "rural municipality",
            postal_prefix=POSTAL_PREFIX[county.code],
        ))
    return places


def _polish_weight(municipality: Territory, county: Territory) -> float:
    name = municipality.name_pl
    if name in PL_WEIGHT:
        return PL_WEIGHT[name]
    if county.code in COUNTY_OFFICE_SEAT and LOCATIVE[name] == COUNTY_OFFICE_SEAT[county.code]:
        return PL_WEIGHT_COUNTY_SEAT
    return PL_WEIGHT_BY_KIND.get(municipality.kind, 1)


def _county_adjective(county: Territory) -> str:
    """ "powiat nyski" -> "Nyskiej" (feminine genitive, as in "Ziemi Nyskiej")."""
    if county.code == CITY_COUNTY_CODE:
        return "Opolskiej"
    adjective = county.name_pl.removeprefix("powiat ")
    return "-".join(part.capitalize() for part in adjective.split("-"))[:-1] + "iej"


def _turkish_places() -> list[Place]:
    districts = Territory.objects.filter(
        country="TR", level=Territory.Level.COUNTY, parent__code="16"
    ).order_by("name_en")
    return [
        Place(territory=district, name=district.name_tr or district.name_en, language="tr",
              weight=TR_WEIGHT.get(district.name_en, 1))
        for district in districts
    ]


# --- Polish name builders -------------------------------------------------------------------------


def _days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def _founded(demo: Demo, first: int, last: int | None = None) -> int:
    return demo.rng.randint(first, min(last or timezone.now().year, timezone.now().year))


def _area_phrase(demo: Demo, place: Place) -> str:
    return place.region_genitive if demo.rng.random() < 0.3 else place.area_genitive


def _areas(demo: Demo, candidates: tuple[str, ...]) -> tuple[str, ...]:
    """The main area and up to two more of the candidates (1–3 in all)."""
    extra = demo.rng.randint(0, min(2, len(candidates) - 1))
    return (candidates[0], *demo.rng.sample(candidates[1:], extra))


def _maybe(demo: Demo, *sentences: str) -> list[str]:
    """Zero to all of the optional sentences, so descriptions are 1–3 sentences long."""
    return [sentence for sentence in sentences if demo.rng.random() < 0.5]


def _pl_association(demo: Demo, place: Place) -> Spec:
    pattern, areas, sentence = demo.rng.choice(PL_ASSOCIATIONS)
    year = _founded(demo, 1990)
    return Spec(
        name=pattern.format(area=_area_phrase(demo, place)), kind=Kind.NGO,
        legal_form=LegalForm.ASSOCIATION, areas=_areas(demo, areas), founding_year=year,
        sentences=[
            sentence, *_maybe(demo, f"Działamy od {year} r.", "Zapraszamy **wolontariuszy**."),
        ],
        registry="krs",
    )


def _pl_foundation(demo: Demo, place: Place) -> Spec:
    pattern, areas, sentence = demo.rng.choice(PL_FOUNDATIONS)
    return Spec(
        name=pattern.format(area=_area_phrase(demo, place)), kind=Kind.NGO,
        legal_form=LegalForm.FOUNDATION, areas=_areas(demo, areas),
        founding_year=_founded(demo, 1991),
        sentences=[
            sentence, *_maybe(demo, "Posiadamy status **organizacji pożytku publicznego**."),
        ],
        registry="krs",
    )


def _pl_sports_club(demo: Demo, place: Place) -> Spec:
    prefix, club = demo.rng.choice(PL_CLUB_PREFIXES), demo.rng.choice(PL_CLUB_NAMES)
    sport = demo.rng.choice(PL_SPORTS_GENITIVE)
    return Spec(
        name=f"{prefix} „{club}” {place.name}", kind=Kind.NGO, legal_form=LegalForm.ASSOCIATION,
        areas=_areas(demo, ("pb-physical-culture", "pb-children-youth", "eu-sport")),
        founding_year=_founded(demo, 1946),
        sentences=[
            f"Klub prowadzi zajęcia z {sport} dla dzieci, młodzieży i dorosłych.",
            *_maybe(demo, "Nasze drużyny grają w rozgrywkach ligowych i turniejach regionalnych."),
        ],
        registry="krs",
    )


def _pl_fire_brigade(demo: Demo, place: Place) -> Spec:
    return Spec(
        name=f"Ochotnicza Straż Pożarna w {place.locative}", kind=Kind.NGO,
        legal_form=LegalForm.ASSOCIATION,
        areas=_areas(demo, ("pb-rescue-civil-protection", "pb-public-order", "pb-children-youth")),
        founding_year=_founded(demo, 1880, 1975),
        sentences=[
            f"Druhowie uczestniczą w akcjach ratowniczych na terenie gminy {place.name}.",
            *_maybe(demo, "Przy jednostce działa **młodzieżowa drużyna pożarnicza**.",
                    "Prowadzimy pokazy pierwszej pomocy dla mieszkańców."),
        ],
        registry="krs",
    )


def _pl_rural_housewives(demo: Demo, place: Place) -> Spec | None:
    if place.is_town and demo.rng.random() < 0.8:
        return None  # mostly a village institution
    nickname = demo.rng.choice(PL_KGW_NAMES)
    name = f"Koło Gospodyń Wiejskich „{nickname}” w {place.locative}"
    if f"Koło Gospodyń Wiejskich w {place.locative}" not in demo.names:
        name = f"Koło Gospodyń Wiejskich w {place.locative}"
    return Spec(
        # Registered with the agricultural agency (ARiMR) under a separate act, not in KRS.
        name=name, kind=Kind.NGO, legal_form=LegalForm.OTHER,
        areas=_areas(demo, ("pb-local-communities", "pb-culture-heritage", "pb-gender-equality")),
        founding_year=_founded(demo, 1950),
        sentences=[
            "Koło pielęgnuje lokalne tradycje kulinarne i rękodzieło.",
            *_maybe(demo, "Co roku przygotowujemy stoisko na **dożynkach gminnych**."),
        ],
    )


def _pl_third_age_university(demo: Demo, place: Place) -> Spec | None:
    if not place.is_town:
        return None
    return Spec(
        name=f"Stowarzyszenie Uniwersytet Trzeciego Wieku w {place.locative}", kind=Kind.NGO,
        legal_form=LegalForm.ASSOCIATION,
        areas=_areas(demo, ("pb-seniors", "pb-education-science", "eu-education-training")),
        founding_year=_founded(demo, 2005),
        sentences=[
            "Prowadzimy wykłady, lektoraty, zajęcia komputerowe i ruchowe dla seniorów.",
            *_maybe(demo, "Rok akademicki trwa od października do czerwca."),
        ],
        registry="krs",
    )


def _pl_german_minority_circle(demo: Demo, place: Place) -> Spec:
    return Spec(
        # A local circle of a regional society, so it has no KRS entry of its own.
        name=f"Koło DFK w {place.locative}", kind=Kind.NGO, legal_form=LegalForm.ASSOCIATION,
        areas=_areas(demo, ("pb-minorities", "pb-culture-heritage", "pb-european-integration")),
        founding_year=_founded(demo, 1990, 2000),
        sentences=[
            "Koło mniejszości niemieckiej prowadzi kursy języka niemieckiego "
            "i pielęgnuje śląskie tradycje.",
            *_maybe(demo, "Współpracujemy z gminą partnerską w Niemczech."),
        ],
    )


def _pl_informal_group(demo: Demo, place: Place) -> Spec:
    nickname = demo.rng.choice(PL_GROUP_NAMES)
    activity = demo.rng.choice(PL_GROUP_ACTIVITIES)
    return Spec(
        name=f"Grupa nieformalna „{nickname}” z gminy {place.name}", kind=Kind.INFORMAL_GROUP,
        legal_form=LegalForm.INFORMAL,
        areas=_areas(
            demo, ("pb-local-communities", "pb-volunteering", "eu-civil-society-citizenship")
        ),
        founding_year=_founded(demo, 2015),
        sentences=[f"Mieszkańcy, którzy wspólnie organizują {activity}."],
    )


def _pl_school(demo: Demo, place: Place) -> Spec | None:
    kind_name, minimum_year, sentence = demo.rng.choice((
        ("Publiczna Szkoła Podstawowa", 1945, "Szkoła uczy dzieci w klasach I–VIII."),
        ("Publiczne Przedszkole", 1950,
         "Przedszkole prowadzi oddziały dla dzieci w wieku 3–6 lat."),
        ("Publiczne Liceum Ogólnokształcące", 1945,
         "Liceum prowadzi klasy o profilach rozszerzonych."),
    ))
    if "Liceum" in kind_name and not place.is_town:
        return None
    demo.numbering[f"{kind_name}|{place.name}"] += 1
    number = demo.numbering[f"{kind_name}|{place.name}"]
    return Spec(
        name=f"{kind_name} nr {number} w {place.locative}", kind=Kind.SCHOOL,
        legal_form=LegalForm.PUBLIC_INSTITUTION,
        areas=_areas(demo, ("pb-education-science", "pb-children-youth", "eu-education-training")),
        founding_year=_founded(demo, minimum_year, 2015),
        sentences=[sentence, *_maybe(demo, "Szukamy partnerów do projektów **Erasmus+**.")],
    )



def _pl_business(demo: Demo, place: Place) -> Spec:
    surname = demo.fake_pl.last_name_male()
    name = demo.rng.choice((
        f"{surname} {demo.rng.choice(PL_COMPANY_TRADES)} Sp. z o.o.",
        f"{demo.rng.choice(PL_COMPANY_PREFIXES)}-{demo.rng.choice(PL_COMPANY_SUFFIXES)} Sp. z o.o.",
        f"P.P.H.U. {surname} Sp. z o.o.",
    ))
    year = _founded(demo, 1991)
    return Spec(
        name=name, kind=Kind.BUSINESS, legal_form=LegalForm.COMPANY,
        areas=_areas(
            demo, ("pb-economic-development", "eu-entrepreneurship-smes", "pb-local-communities")
        ),
        founding_year=year,
        sentences=[
            f"Firma działa od {year} r. i zatrudnia mieszkańców gminy {place.name}.",
            *_maybe(
                demo,
                "Wspieramy lokalne inicjatywy w ramach **społecznej odpowiedzialności biznesu**.",
            ),
        ],
    )


def _pl_social_cooperative(demo: Demo, place: Place) -> Spec:
    nickname = demo.rng.choice(PL_GROUP_NAMES + PL_KGW_NAMES)
    service = demo.rng.choice(PL_COOPERATIVE_SERVICES)
    return Spec(
        name=f"Spółdzielnia Socjalna „{nickname}” w {place.locative}", kind=Kind.OTHER,
        legal_form=LegalForm.COOPERATIVE,
        areas=_areas(demo, ("pb-social-economy", "pb-social-integration", "pb-employment")),
        founding_year=_founded(demo, 2006),
        sentences=[
            "Spółdzielnia zatrudnia osoby zagrożone wykluczeniem społecznym.",
            f"Świadczymy {service}.",
        ],
    )


PL_CATEGORIES = [
    (_pl_association, 30), (_pl_foundation, 10), (_pl_sports_club, 15), (_pl_fire_brigade, 6),
    (_pl_rural_housewives, 7), (_pl_third_age_university, 2), (_pl_german_minority_circle, 3),
    (_pl_informal_group, 4), (_pl_school, 11), (_pl_business, 10), (_pl_social_cooperative, 2),
]


# --- Turkish name builders ------------------------------------------------------------------------


def _tr_surname(demo: Demo) -> str:
    while (surname := demo.fake_tr.last_name()) in TR_SURNAMES_AVOIDED:
        pass
    return surname


def _tr_scope(demo: Demo, place: Place) -> str:
    # Many associations in the central districts carry the province's name.
    return "Bursa" if demo.rng.random() < 0.2 else place.name


def _tr_sports_club(demo: Demo, place: Place) -> Spec:
    word = demo.rng.choice(TR_CLUB_WORDS)
    sport = demo.rng.choice(TR_SPORTS)
    return Spec(
        name=f"{_tr_scope(demo, place)} {word} Kulübü Derneği", kind=Kind.NGO,
        legal_form=LegalForm.ASSOCIATION, areas=_areas(demo, ("eu-sport", "eu-youth", "eu-health")),
        founding_year=_founded(demo, 1970),
        sentences=[
            f"Kulübümüz {place.name} ilçesinde çocuklara ve gençlere {sport} antrenmanları "
            "sunmaktadır.",
            *_maybe(demo, "Sporcularımız il ve bölge müsabakalarına katılıyor."),
        ],
        registry="tr_association",
    )


def _tr_solidarity_association(demo: Demo, place: Place) -> Spec:
    group = demo.rng.choice(TR_SOLIDARITY_GROUPS)
    return Spec(
        name=f"{_tr_scope(demo, place)} {group}Kültür ve Dayanışma Derneği", kind=Kind.NGO,
        legal_form=LegalForm.ASSOCIATION,
        areas=_areas(demo, ("eu-culture", "eu-social-inclusion", "eu-civil-society-citizenship")),
        founding_year=_founded(demo, 1980),
        sentences=[
            "Derneğimiz üyeleri arasında dayanışmayı güçlendirmek ve kültürel mirası yaşatmak "
            "amacıyla kurulmuştur.",
            *_maybe(demo, "Her yıl **geleneksel kültür şenliği** düzenliyoruz.",
                    "İhtiyaç sahibi öğrencilere burs veriyoruz."),
        ],
        registry="tr_association",
    )


def _tr_association(demo: Demo, place: Place) -> Spec:
    pattern, areas, sentence = demo.rng.choice(TR_ASSOCIATIONS)
    return Spec(
        name=pattern.format(place=_tr_scope(demo, place)), kind=Kind.NGO,
        legal_form=LegalForm.ASSOCIATION, areas=_areas(demo, areas),
        founding_year=_founded(demo, 1985),
        sentences=[sentence, *_maybe(demo, "AB projelerinde ortaklık kurmaya açığız.")],
        registry="tr_association",
    )


def _tr_foundation(demo: Demo, place: Place) -> Spec:
    pattern, areas, sentence = demo.rng.choice(TR_FOUNDATIONS)
    return Spec(
        # Foundations have their own register (not the associations' kütük), so no number here.
        name=pattern.format(place=_tr_scope(demo, place), surname=_tr_surname(demo)),
        kind=Kind.NGO, legal_form=LegalForm.FOUNDATION, areas=_areas(demo, areas),
        founding_year=_founded(demo, 1975), sentences=[sentence],
    )


def _tr_school(demo: Demo, place: Place) -> Spec:
    if demo.rng.random() < 0.3:
        word = demo.rng.choice(TR_PRIVATE_SCHOOL_WORDS)
        name, legal_form = f"Özel {place.name} {word} Okulu", LegalForm.COMPANY
    else:
        patron, school_type = demo.rng.choice(TR_SCHOOL_NAMES), demo.rng.choice(TR_SCHOOL_TYPES)
        name, legal_form = f"{place.name} {patron} {school_type}", LegalForm.PUBLIC_INSTITUTION
    return Spec(
        name=name, kind=Kind.SCHOOL, legal_form=legal_form,
        areas=_areas(demo, ("eu-education-training", "eu-youth", "eu-digital")),
        founding_year=_founded(demo, 1950, 2020),
        sentences=[
            f"Okulumuz {place.name} ilçesinde eğitim vermektedir.",
            *_maybe(demo, "**eTwinning** ve Erasmus+ projeleri için ortak arıyoruz."),
        ],
    )


def _tr_business(demo: Demo, place: Place) -> Spec:
    trade, trade_lower = demo.rng.choice(TR_TRADES)
    suffix = demo.rng.choice(("Ltd. Şti.", "San. ve Tic. Ltd. Şti.", "A.Ş."))
    year = _founded(demo, 1980)
    return Spec(
        name=f"{_tr_surname(demo)} {trade} {suffix}", kind=Kind.BUSINESS,
        legal_form=LegalForm.COMPANY,
        areas=_areas(demo, ("eu-entrepreneurship-smes", "eu-employment-skills", "eu-digital")),
        founding_year=year,
        sentences=[
            f"{year} yılında kurulan firmamız {trade_lower} alanında faaliyet göstermektedir.",
            *_maybe(demo, "Sosyal sorumluluk projelerinde yerel derneklerle işbirliği yapıyoruz."),
        ],
    )


def _tr_neighbourhood_association(demo: Demo, place: Place) -> Spec:
    neighbourhood = demo.rng.choice(TR_NAMED_NEIGHBOURHOODS)
    return Spec(
        name=f"{place.name} {neighbourhood} Mahallesi Güzelleştirme ve Dayanışma Derneği", kind=Kind.NGO,
        legal_form=LegalForm.ASSOCIATION,
        areas=_areas(demo, ("eu-civil-society-citizenship", "eu-social-inclusion", "eu-environment-climate")),
        founding_year=_founded(demo, 1985),
        sentences=[
            "Mahallemizin parklarının bakımı, komşuluk ilişkileri ve ihtiyaç sahibi ailelere yardım "
            "için çalışıyoruz.",
            *_maybe(demo, "Her yıl **mahalle şenliği** düzenliyoruz."),
        ],
        registry="tr_association",
    )


def _tr_informal_group(demo: Demo, place: Place) -> Spec:
    return Spec(
        name=f"{place.name} {demo.rng.choice(TR_GROUPS)}", kind=Kind.INFORMAL_GROUP,
        legal_form=LegalForm.INFORMAL,
        areas=_areas(demo, ("eu-civil-society-citizenship", "eu-youth", "eu-culture")),
        founding_year=_founded(demo, 2015),
        sentences=["Gönüllülerden oluşan, tüzel kişiliği olmayan bir gruptur."],
    )


def _tr_cooperative(demo: Demo, place: Place) -> Spec:
    cooperative = demo.rng.choice(TR_COOPERATIVES)
    return Spec(
        name=f"{place.name} {cooperative}", kind=Kind.OTHER, legal_form=LegalForm.OTHER,
        areas=_areas(demo, ("eu-rural-development", "eu-entrepreneurship-smes", "eu-equality")),
        founding_year=_founded(demo, 1990),
        sentences=["Kooperatifimiz üyelerinin ürettiği ürünleri ortak olarak pazarlamaktadır."],
    )


TR_CATEGORIES = [
    (_tr_sports_club, 18), (_tr_solidarity_association, 14), (_tr_association, 25),
    (_tr_neighbourhood_association, 8), (_tr_foundation, 8),
    (_tr_school, 10), (_tr_business, 8), (_tr_informal_group, 3), (_tr_cooperative, 3),
]
