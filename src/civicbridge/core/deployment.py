"""Who this installation belongs to, and what follows from it.

One authority runs a deployment (DESIGN: "One authority per deployment"). The operator names
a profile once, ``CIVICBRIDGE_PROFILE`` (``opole`` or ``orhangazi``, the two offices the
platform was built with), and may override any of its values with the settings listed in
docs/operators.md. Code asks :func:`current` for the country, languages, time zone, currency,
registers and lists of areas; it never names a country itself.

settings.py builds the deployment from the environment: this module reads no setting when
it is imported.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from .text import once_per_language

LANGUAGES = ("en", "pl", "tr")


@dataclass(frozen=True)
class Deployment:
    profile: str
    # The authority's name in each language; a language without one shows the default's.
    names: Mapping[str, str]
    country: str  # ISO 3166-1 alpha-2
    # The official code of the authority's own unit (TERYT in Poland, the plate code of a
    # Turkish province): the territory its people live in, first in menus.
    region_code: str
    languages: tuple[str, ...]  # offered, the default first
    time_zone: str
    currency: str  # ISO 4217
    # The registers an organization of this country is entered in (Organization.RegistryType).
    registries: tuple[str, ...]
    # The lists of fields of activity people choose from (ThematicArea.Scheme).
    thematic_schemes: tuple[str, ...]
    contact_email: str = ""
    contact_phone: str = ""
    contact_address: Mapping[str, str] = field(default_factory=dict)
    # A colour with a contrast of at least 4.5:1 against white (WCAG 2.1 AA for text).
    accent: str = "#1f5f8b"
    logo: str = ""  # a static file's path, e.g. "core/brand/opole.svg"

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def name_in(self, language: str | None) -> str:
        return self.names.get(language or "") or self.names.get(self.default_language) or next(iter(self.names.values()))

    @property
    def name(self) -> str:
        """The authority's name in the active language."""
        return self.name_in(get_language())

    def address_in(self, language: str | None) -> str:
        return self.contact_address.get(language or "") or self.contact_address.get(self.default_language, "")

    @property
    def address(self) -> str:
        return self.address_in(get_language())


# Contacts of the presets are the demo's (fictitious, as the demo's footer says): an operator
# sets the authority's own.
PRESETS: dict[str, Deployment] = {
    "opole": Deployment(
        profile="opole",
        names={
            "pl": "Urząd Marszałkowski Województwa Opolskiego",
            "en": "Marshal's Office of the Opole Voivodeship",
            "tr": "Urząd Marszałkowski Województwa Opolskiego",
        },
        country="PL",
        region_code="16",
        languages=("pl", "en", "tr"),
        time_zone="Europe/Warsaw",
        currency="PLN",
        registries=("krs", "regon", "other"),
        thematic_schemes=("public_benefit", "eu_theme"),
        # The coordination office's own mailbox: no demo account's (the "ngo" account is an
        # organization writing to the office, not the office).
        contact_email="biuro.koordynacji@demo.civicbridge.invalid",
        contact_address={"pl": "Opole, województwo opolskie", "en": "Opole, Opole Voivodeship", "tr": "Opole, Polonya"},
        accent="#8a1538",
    ),
    "orhangazi": Deployment(
        profile="orhangazi",
        names={
            "tr": "Orhangazi Kaymakamlığı",
            "en": "Orhangazi District Governorship",
            "pl": "Orhangazi Kaymakamlığı",
        },
        country="TR",
        region_code="16",
        languages=("tr", "en", "pl"),
        time_zone="Europe/Istanbul",
        currency="TRY",
        registries=("tr_association", "other"),
        thematic_schemes=("eu_theme",),
        contact_email="abkoordinasyon@demo.civicbridge.invalid",
        contact_address={"tr": "Orhangazi, Bursa", "en": "Orhangazi, Bursa, Türkiye", "pl": "Orhangazi, Bursa, Turcja"},
        accent="#9e1b1b",
    ),
}
DEFAULT_PROFILE = "opole"


class DeploymentError(ValueError):
    """A profile or an override the platform cannot run with: settings.py stops on it."""


def from_environment(env) -> Deployment:
    """The deployment the environment describes: its profile, then each override set.

    ``env`` is django-environ's ``Env``. Lists are comma-separated; a name per language is
    ``CIVICBRIDGE_AUTHORITY_NAME_<LANGUAGE>`` (or ``CIVICBRIDGE_AUTHORITY_NAME`` for all).
    """
    profile = env.str("CIVICBRIDGE_PROFILE", default=DEFAULT_PROFILE)
    if profile not in PRESETS:
        raise DeploymentError(
            f"CIVICBRIDGE_PROFILE={profile!r} is not a profile; choose one of {', '.join(sorted(PRESETS))} "
            "and override its values (docs/operators.md)."
        )
    preset = PRESETS[profile]
    names = dict(preset.names)
    # CIVICBRIDGE_SITE_NAME: the name's setting before deployments had profiles.
    one_name = env.str("CIVICBRIDGE_AUTHORITY_NAME", default="") or env.str("CIVICBRIDGE_SITE_NAME", default="")
    if one_name:
        names = dict.fromkeys(LANGUAGES, one_name)
    for language in LANGUAGES:
        names[language] = env.str(f"CIVICBRIDGE_AUTHORITY_NAME_{language.upper()}", default=names.get(language, ""))
    address = dict(preset.contact_address)
    if env.str("CIVICBRIDGE_CONTACT_ADDRESS", default=""):
        address = dict.fromkeys(LANGUAGES, env.str("CIVICBRIDGE_CONTACT_ADDRESS"))
    deployment = replace(
        preset,
        names={language: name for language, name in names.items() if name},
        country=env.str("CIVICBRIDGE_COUNTRY", default=preset.country).upper(),
        region_code=env.str("CIVICBRIDGE_REGION_CODE", default=preset.region_code),
        languages=tuple(env.list("CIVICBRIDGE_LANGUAGES", default=list(preset.languages))),
        time_zone=env.str("CIVICBRIDGE_TIME_ZONE", default=preset.time_zone),
        currency=env.str("CIVICBRIDGE_CURRENCY", default=preset.currency).upper(),
        registries=tuple(env.list("CIVICBRIDGE_REGISTRIES", default=list(preset.registries))),
        thematic_schemes=tuple(env.list("CIVICBRIDGE_THEMATIC_SCHEMES", default=list(preset.thematic_schemes))),
        contact_email=env.str("CIVICBRIDGE_CONTACT_EMAIL", default=preset.contact_email),
        contact_phone=env.str("CIVICBRIDGE_CONTACT_PHONE", default=preset.contact_phone),
        contact_address=address,
        accent=env.str("CIVICBRIDGE_ACCENT", default=preset.accent),
        logo=env.str("CIVICBRIDGE_LOGO", default=preset.logo),
    )
    check(deployment)
    return deployment


def check(deployment: Deployment) -> None:
    unknown = [language for language in deployment.languages if language not in LANGUAGES]
    if not deployment.languages or unknown:
        raise DeploymentError(f"CIVICBRIDGE_LANGUAGES must list some of {', '.join(LANGUAGES)}; not {unknown}.")
    if len(deployment.country) != 2 or not deployment.country.isalpha():
        raise DeploymentError(f"CIVICBRIDGE_COUNTRY must be an ISO 3166-1 code such as PL or TR, not {deployment.country!r}.")
    try:
        ZoneInfo(deployment.time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise DeploymentError(f"CIVICBRIDGE_TIME_ZONE {deployment.time_zone!r} is not a time zone.") from error
    if not deployment.names:
        raise DeploymentError("The authority needs a name: set CIVICBRIDGE_AUTHORITY_NAME.")
    if not HEX_COLOUR.fullmatch(deployment.accent):
        raise DeploymentError(f"CIVICBRIDGE_ACCENT must be a colour written #rrggbb, not {deployment.accent!r}.")
    if contrast_with_white(deployment.accent) < MIN_CONTRAST:
        raise DeploymentError(
            f"CIVICBRIDGE_ACCENT {deployment.accent} has a contrast of {contrast_with_white(deployment.accent):.1f}:1 "
            f"with white; the header's white text needs at least {MIN_CONTRAST}:1 (WCAG 2.1 AA). Choose a darker colour."
        )


HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
MIN_CONTRAST = 4.5


def contrast_with_white(colour: str) -> float:
    """WCAG 2.1's contrast ratio of ``colour`` (#rrggbb) against white."""
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[index:index + 2], 16) for index in (1, 3, 5))
    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return 1.05 / (luminance + 0.05)


# The cities whose clocks deployments and funders keep, named in the page's language (a
# Polish page says "Bruksela", a Turkish one "Brüksel"); others keep their English name.
CITY_NAMES = {
    "Amsterdam": pgettext_lazy("city", "Amsterdam"), "Athens": pgettext_lazy("city", "Athens"),
    "Berlin": pgettext_lazy("city", "Berlin"), "Bratislava": pgettext_lazy("city", "Bratislava"),
    "Brussels": pgettext_lazy("city", "Brussels"), "Bucharest": pgettext_lazy("city", "Bucharest"),
    "Budapest": pgettext_lazy("city", "Budapest"), "Copenhagen": pgettext_lazy("city", "Copenhagen"),
    "Dublin": pgettext_lazy("city", "Dublin"), "Helsinki": pgettext_lazy("city", "Helsinki"),
    "Istanbul": pgettext_lazy("city", "Istanbul"), "Lisbon": pgettext_lazy("city", "Lisbon"),
    "London": pgettext_lazy("city", "London"), "Luxembourg": pgettext_lazy("city", "Luxembourg"),
    "Madrid": pgettext_lazy("city", "Madrid"), "Paris": pgettext_lazy("city", "Paris"),
    "Prague": pgettext_lazy("city", "Prague"), "Riga": pgettext_lazy("city", "Riga"),
    "Rome": pgettext_lazy("city", "Rome"), "Sofia": pgettext_lazy("city", "Sofia"),
    "Stockholm": pgettext_lazy("city", "Stockholm"), "Tallinn": pgettext_lazy("city", "Tallinn"),
    "Vienna": pgettext_lazy("city", "Vienna"), "Vilnius": pgettext_lazy("city", "Vilnius"),
    "Warsaw": pgettext_lazy("city", "Warsaw"), "Zagreb": pgettext_lazy("city", "Zagreb"),
    "Ljubljana": pgettext_lazy("city", "Ljubljana"), "Kyiv": pgettext_lazy("city", "Kyiv"),
}


def zone_label(zone: ZoneInfo) -> str:
    """'Brussels time' for Europe/Brussels, 'Istanbul time' for Europe/Istanbul: how a moment
    names its clock wherever it is shown."""
    return _zone_label(getattr(zone, "key", None) or str(zone))


@once_per_language  # named once, not at each deadline (a feed names 100)
def _zone_label(key: str) -> str:
    city = key.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(city)s time") % {"city": CITY_NAMES.get(city, city)}


def current() -> Deployment:
    """This installation's deployment (``settings.CIVICBRIDGE_DEPLOYMENT``)."""
    return settings.CIVICBRIDGE_DEPLOYMENT
