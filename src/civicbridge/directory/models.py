from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.collation import NAME_COLLATION
from civicbridge.core.models import ThematicArea, TimeStampedModel
from civicbridge.core.row_counts import RowCounter


def listed_q(prefix: str = "") -> models.Q:
    """The condition of ``OrganizationQuerySet.listed`` for an organization at ``prefix``
    ("public_body__" from a plenipotentiary): plain column tests, which keep a join a join."""
    return ~models.Q(**{f"{prefix}registration": "rejected"}) & ~models.Q(
        **{f"{prefix}registration": "pending", f"{prefix}kind__in": Organization.PUBLIC_KINDS}
    )


def tax_number_label(country: str):
    """The name of the tax number of ``country``'s organizations, translated lazily."""
    return TAX_NUMBER_LABELS.get(country, _("tax number"))


TAX_NUMBER_LABELS = {"PL": _("NIP"), "TR": _("tax number (VKN)")}


class OrganizationQuerySet(models.QuerySet):
    def public_bodies(self):
        return self.filter(kind__in=Organization.PUBLIC_KINDS)

    def verified(self):
        return self.filter(is_verified=True)

    def listed(self):
        """What the public sees: not a rejected registration, nor a public body still waiting.

        A stranger must not speak in an authority's name: a public body registered by someone
        who is not a coordinator stays out of every list, search, export and the API until a
        coordinator approves its registration.
        """
        return self.filter(listed_q())

    def visible_to(self, user):
        """The listed entries, plus for a coordinator every entry and for a registrant their own."""
        return self.filter(visible_q(user))


def visible_q(user, prefix: str = "") -> models.Q:
    """Who may open which entry: coordinators all, a person also those they belong to or asked for."""
    from civicbridge.core.rules import is_coordinator

    if is_coordinator(user):
        return models.Q()
    if not (user and user.is_authenticated and user.is_active):
        return listed_q(prefix)
    from civicbridge.accounts.models import Membership

    own = Membership.objects.filter(user=user).values("organization_id")
    return listed_q(prefix) | models.Q(**{f"{prefix}pk__in": own})


class Organization(TimeStampedModel):
    """An entry of the registry: an NGO, a public body, a school, a business..."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("non-governmental organization")
        INFORMAL_GROUP = "informal_group", _("informal group")
        PUBLIC_BODY = "public_body", _("public body")
        MUNICIPALITY = "municipality", _("municipality")
        SCHOOL = "school", _("school")
        UNIVERSITY = "university", _("university")
        BUSINESS = "business", _("business")
        FUNDER = "funder", _("funding institution")
        OTHER = "other", _("other")

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("association")
        FOUNDATION = "foundation", _("foundation")
        INFORMAL = "informal", _("informal group without legal personality")
        FEDERATION = "federation", _("federation or union of associations")
        COOPERATIVE = "cooperative", _("social cooperative")
        CHURCH = "church", _("church or religious organization")
        LOCAL_GOVERNMENT = "local_government", _("local government unit")
        STATE_ADMINISTRATION = "state_administration", _("state administration body")
        PUBLIC_INSTITUTION = "public_institution", _("public institution")
        COMPANY = "company", _("company")
        OTHER = "other", _("other")

    class RegistryType(models.TextChoices):
        NONE = "", _("none")
        KRS = "krs", _("KRS (Polish National Court Register)")
        REGON = "regon", _("REGON (Polish statistical number)")
        TR_ASSOCIATION = "tr_association", _("Turkish associations register (kütük no)")
        OTHER = "other", _("other register")
        FOREIGN = "foreign", _("register of its own country (abroad)")

    class Registration(models.TextChoices):
        APPROVED = "approved", _("approved")
        PENDING = "pending", _("waiting for approval")
        REJECTED = "rejected", _("rejected")

    PUBLIC_KINDS = (Kind.PUBLIC_BODY, Kind.MUNICIPALITY)

    name = models.CharField(_("name"), max_length=300, db_collation=NAME_COLLATION)  # the registry's order
    slug = models.SlugField(_("address name"), max_length=320, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    legal_form = models.CharField(_("legal form"), max_length=24, choices=LegalForm.choices, blank=True)
    registry_type = models.CharField(
        _("register"), max_length=20, choices=RegistryType.choices, blank=True, default=RegistryType.NONE
    )
    registry_number = models.CharField(_("registry number"), max_length=40, blank=True)
    # Beside its register entry an organization has a tax number: the NIP in Poland, the VKN in
    # Turkey (digits only, checked); another country's as it is written there.
    tax_number = models.CharField(_("tax number"), max_length=40, blank=True)
    # A domestic entry is placed in its administrative unit; an entry from abroad (no unit of
    # its country is known) by its country and city instead. Every entry has a country: a
    # domestic one's is its territory's (filled by the services).
    territory = models.ForeignKey(
        "core.Territory", on_delete=models.PROTECT, related_name="organizations", verbose_name=_("territory"),
        null=True, blank=True,
    )
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 code"))
    city = models.CharField(_("city"), max_length=200, blank=True)
    pic = models.CharField(
        _("EU PIC"), max_length=9, blank=True,
        help_text=_("Participant Identification Code of the EU Funding & Tenders Portal: 9 digits."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    thematic_areas = models.ManyToManyField(
        ThematicArea, blank=True, related_name="organizations", verbose_name=_("thematic areas")
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown is allowed."))
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    founding_year = models.PositiveSmallIntegerField(
        _("founding year"), null=True, blank=True, validators=[MinValueValidator(1800)]
    )
    is_verified = models.BooleanField(_("verified"), default=False, db_index=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Approved unless registered by someone who is not a coordinator: then the coordinator's
    # decision on the founder's membership decides the registration too.
    registration = models.CharField(
        _("registration"), max_length=10, choices=Registration.choices, default=Registration.APPROVED,
    )
    search_document = models.TextField(blank=True, editable=False)
    # When it last answered a partner request: kept by partners.services with every answer
    # given or removed, so that matching reads the recent answerers from an index range
    # (organization_answered), not thousands of rows scattered over the table.
    last_answered_at = models.DateTimeField(_("last answer to a partner request"), null=True, blank=True, editable=False)
    # Addresses it had before a rename, which redirect to its current one (core.slugs);
    # deleted with it.
    former_slugs = GenericRelation("core.FormerSlug")

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registry_type", "registry_number"],
                condition=~models.Q(registry_number="") & ~models.Q(registry_type="foreign"),
                name="organization_registry_number_unique",
                violation_error_message=_("An organization with this registry number is already registered."),
            ),
            # Each country's registers number their entries on their own: unique within a country.
            models.UniqueConstraint(
                fields=["country", "registry_number"],
                condition=~models.Q(registry_number="") & models.Q(registry_type="foreign"),
                name="organization_foreign_registry_number_unique",
                violation_error_message=_("An organization with this registry number is already registered."),
            ),
            # Each country's tax office numbers its own taxpayers.
            models.UniqueConstraint(
                fields=["country", "tax_number"],
                condition=~models.Q(tax_number=""),
                name="organization_tax_number_unique",
                violation_error_message=_("An organization with this tax number is already registered."),
            ),
            models.CheckConstraint(
                condition=models.Q(registry_number="") | ~models.Q(registry_type=""),
                name="organization_registry_number_has_type",
            ),
            # Placed somewhere: in a territory, or (abroad) in a country and a city.
            models.CheckConstraint(
                condition=models.Q(territory__isnull=False) | (~models.Q(country="") & ~models.Q(city="")),
                name="organization_placed",
                violation_error_message=_("Choose the territory, or for an organization abroad its country and city."),
            ),
        ]
        indexes = [
            # The listed test's columns included (PostgreSQL): a page deep in the name order and
            # the registry's count read this index alone, not 200,000 rows of the table.
            models.Index(fields=["name", "id"], include=["registration", "kind"], name="organization_name_order"),
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["territory", "name"]),
            models.Index(fields=["country", "name", "id"], name="organization_country_name"),
            models.Index(fields=["-created_at"]),
            # Partner matching reads each cell of candidates (an area shared or not, a kind
            # sought or not, a place) most recently updated first, per verification
            # (partners.matching), from this alone.
            models.Index(
                fields=["is_verified", "-updated_at", "id"], include=["kind", "registration", "country", "territory"],
                name="organization_match_recency",
            ),
            # The cells of a kind few organizations are (informal groups, schools: 4 and 5 in 100)
            # read from that kind's range, not from a walk of the recency order past every NGO
            # (an informal group's cells sharing an area: 3.5 to 2.2 ms each at national scale).
            models.Index(
                fields=["kind", "is_verified", "-updated_at", "id"], include=["registration", "country", "territory"],
                name="organization_match_kind",
            ),
            # The cells of a request naming countries read their candidates from those countries'
            # ranges (partners.matching): a few thousand entries among 200,000, tested here
            # alone where the country-and-name index sent each to the table (17.8 -> 9.3 ms for
            # a request naming six countries at national scale).
            models.Index(
                fields=["country", "is_verified", "-updated_at", "id"], include=["kind", "registration", "territory"],
                name="organization_match_country",
            ),
            # The verification of each open partner request's poster, when requests are ranked
            # for an organization (partners.matching): an index-only look-up, not the row.
            models.Index(fields=["id"], include=["is_verified"], name="organization_verified"),
            # Partner matching tests every organization that answered a request lately
            # (partners.matching) in one range of this index alone, with the facts it scores,
            # and reads from the table only the few that can still be among the best.
            models.Index(
                fields=["last_answered_at"],
                include=["id", "kind", "registration", "is_verified", "updated_at", "country", "territory"],
                condition=models.Q(last_answered_at__isnull=False), name="organization_answered",
            ),
            # The plenipotentiaries' list joins their bodies for the listed test, the name and the
            # territory: a few thousand public bodies among 200,000 entries, read from this alone.
            models.Index(
                fields=["id"], include=["name", "territory", "registration", "kind"],
                condition=models.Q(kind__in=["public_body", "municipality"]), name="organization_public_bodies",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:organization_detail", kwargs={"slug": self.slug})

    @property
    def is_public_body(self) -> bool:
        return self.kind in self.PUBLIC_KINDS

    @property
    def is_listed(self) -> bool:
        """The same rule as ``OrganizationQuerySet.listed``, for one object."""
        if self.registration == self.Registration.REJECTED:
            return False
        return not (self.registration == self.Registration.PENDING and self.is_public_body)

    @property
    def is_foreign(self) -> bool:
        """Abroad: of another country than this deployment's (an entry without a territory is)."""
        from civicbridge.core import deployment

        return self.territory_id is None or bool(self.country and self.country != deployment.current().country)

    @property
    def tax_number_label(self) -> str:
        """What its tax number is called: it follows its country (the NIP of a Polish entry)."""
        return tax_number_label(self.country)

    @property
    def country_name(self) -> str:
        """Its country's name in the page's language."""
        from civicbridge.core.countries import country_name

        return country_name(self.country) if self.country else ""

    @property
    def is_ngo(self) -> bool:
        return self.kind in (self.Kind.NGO, self.Kind.INFORMAL_GROUP)


# How many organizations are listed (``listed_q``), kept by the database (core.row_counts,
# installed by migration 0012): the registry's and the home page's total without summing the
# tally's thousands of rows. A change of ``listed_q`` or PUBLIC_KINDS needs a migration that
# installs the count again (tests/directory/test_listed_count.py fails until it does).
LISTED_COUNT = RowCounter(
    "directory.listed", table="directory_organization",
    condition="NOT ({row}registration = 'rejected') AND NOT ({row}registration = 'pending' AND {row}kind IN ("
    + ", ".join(f"'{kind}'" for kind in Organization.PUBLIC_KINDS) + "))",
)


class _TallyRow(models.Model):
    """A count of organizations of one territory, kind, registration and verification."""

    kept_by_the_database = True  # never dumped (core's dumpdata): loading the organizations counts them

    territory = models.ForeignKey(
        "core.Territory", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=20)
    registration = models.CharField(max_length=10)
    is_verified = models.BooleanField()
    n = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.territory_id}/{self.kind}/{self.registration}/{self.is_verified}: {self.n}"


class OrganizationTally(_TallyRow):
    """How many organizations there are per territory, kind, registration and verification.

    The database keeps it, by triggers on the organization table (migration 0006): every
    write counts, from the services, the admin, the imports, a bulk update or plain SQL, so
    the registry's counts are exact without counting 200,000 rows per page. Read it through
    ``selectors.listed_count``; never write to it.
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "kind", "registration", "is_verified"], name="organization_tally_key"
            ),
        ]


class OrganizationAreaTally(_TallyRow):
    """The same tally per thematic area: how many organizations of each territory, kind,
    registration and verification work in each area. Kept by triggers on the organizations'
    thematic areas and on the organization table (an entry that moves territory moves its
    areas' counts): see ``directory.tally``."""

    thematic_area = models.ForeignKey(
        "core.ThematicArea", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["thematic_area", "territory", "kind", "registration", "is_verified"],
                name="organization_area_tally_key",
            ),
        ]

    def __str__(self):
        return f"{self.thematic_area_id}/{super().__str__()}"


class AreaPair(models.Model):
    """Two thematic areas an organization works in, the lesser id first. The database keeps the
    pairs, by triggers on the organizations' links to their areas (``directory.area_pairs``):
    partner matching reads those sharing two or more of a request's areas from them. Never
    written by the application."""

    kept_by_the_database = True  # never dumped (core's dumpdata): loading the links makes them

    pk = models.CompositePrimaryKey("first_area", "second_area", "organization")
    # Read by the key, a range for each pair; the organization's index serves the triggers,
    # which remove an organization's pairs with one of its links.
    first_area = models.ForeignKey(
        "core.ThematicArea", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    second_area = models.ForeignKey(
        "core.ThematicArea", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    organization = models.ForeignKey(Organization, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    def __str__(self):
        return f"{self.organization_id}: {self.first_area_id}+{self.second_area_id}"


class Plenipotentiary(TimeStampedModel):
    """The person a public body names as responsible for cooperation with NGOs."""

    public_body = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="plenipotentiaries", verbose_name=_("public body")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    office_address = models.CharField(_("office address"), max_length=300, blank=True)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    is_active = models.BooleanField(_("current"), default=True)

    class Meta:
        verbose_name = _("plenipotentiary")
        verbose_name_plural = _("plenipotentiaries")
        ordering = ["public_body__name", "full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.public_body})"

    def get_absolute_url(self):
        # The list is paged: filtered by its body, it shows this one wherever it falls.
        return reverse("directory:plenipotentiary_list") + f"?public_body={self.public_body_id}#body-{self.public_body_id}"
