"""Registries of cross-cutting capabilities.

Each app registers its models in its AppConfig.ready(); core, the dashboard and the
API iterate these registries instead of importing the apps (core imports no domain app,
and no domain app imports the API package). docs/architecture.md says what an app registers.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class Copied:
    """Text of a related object that a searchable model's document carries (see core.indexing).

    ``Copied("core.territory", "territory", ("name_en", "name_pl", "name_tr"))``: the document
    copies those fields of the object at ``territory``; changing them rewrites the documents.
    """

    model: str  # the related model, as "app_label.modelname"
    path: str  # lookup from the searchable model to it: "programme__funder", "territories"
    fields: tuple[str, ...]  # its fields the document copies


@dataclass(frozen=True)
class Searchable:
    model: type
    document: Callable[[Any], str]  # the text of one object that search should find
    label: str  # plural, translated lazily, shown in site-wide search results
    url_name: str  # list page that accepts ?q=
    public: Callable[[], Any] | None = None  # what visitors may see (e.g. published calls only)
    # How many visitors may see, exactly, where counting ``public()`` reads too many rows (a
    # tally the database keeps); else ``public().count()``.
    count: Callable[[], int] | None = None
    # The order the list page shows a search in, so that the site-wide search shows the same
    # first matches (and the database can stop at them); the model's own order when empty.
    search_ordering: tuple[str, ...] = ()
    # What the document copies from related objects, and what building it in batches loads.
    copies: tuple[Copied, ...] = ()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    def visible(self):
        return self.public() if self.public else self.model.objects.all()

    def visible_count(self) -> int:
        return self.count() if self.count else self.visible().count()


@dataclass(frozen=True)
class Exportable:
    model: type
    # The columns in the active language: [(header, value of one row)], as core.exports reads them.
    columns: Callable[[], list[tuple[str, Callable[[Any], Any]]]]


@dataclass(frozen=True)
class DemoLoader:
    name: str
    # Dotted path of a module with load(profile=..., stdout=...) and, optionally,
    # loaded_profiles() -> set[str] (which profiles' demo data the database already holds).
    module: str
    order: int = 100

    def load(self, **kwargs) -> None:
        # Imported on use: the demo generators pull in Faker and data that pages never need.
        import_module(self.module).load(**kwargs)

    def loaded_profiles(self) -> set[str]:
        """The demo profiles whose data the module finds in the database (its optional
        ``loaded_profiles()``); empty when it cannot tell."""
        finder = getattr(import_module(self.module), "loaded_profiles", None)
        return set(finder()) if finder else set()


@dataclass(frozen=True)
class ApiCollection:
    """A REST collection under /api/v1/<prefix>/, added to the API's router."""

    prefix: str  # plural kebab-case noun: "organizations", "partner-requests"
    viewset: type
    basename: str  # names the routes: "<basename>-list", "<basename>-detail"


@dataclass(frozen=True)
class ApiPath:
    """A single API view beside the collections (e.g. "auth/token/", "me/")."""

    route: str
    view: Callable  # the view function, e.g. SomeAPIView.as_view()
    name: str
@dataclass(frozen=True, slots=True)
class AlertFacts:
    """What alert matching needs to know of one item (a call, an event...).

    Each field answers one criterion a subscription may hold; an item that knows nothing
    of a criterion leaves it empty. ``territory_paths`` empty: open anywhere;
    ``area_ids`` empty: only subscriptions without a thematic area match; ``kinds``
    empty: open to every kind of applicant; ``countries`` (ISO codes) empty: open to
    applicants from anywhere. ``document_forms`` are the words of the
    item's search document (core.search), which keywords are matched against.
    """

    document_forms: frozenset[str] = frozenset()
    territory_paths: frozenset[str] = frozenset()
    area_ids: frozenset[int] = frozenset()
    funder_id: int | None = None
    programme_id: int | None = None
    kinds: frozenset[str] = frozenset()
    max_grant: Decimal | None = None
    countries: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reminder:
    """A moment of one item worth a reminder (a deadline), and what its e-mail shows of it."""

    item_id: int
    moment: datetime
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Alertable:
    """Content people may subscribe to (the alerts app matches, tells and logs it).

    The app owning the content registers one in its ``AppConfig.ready``
    (``alertables.register(key, Alertable(...))``) and announces its events with
    ``alertables.published(key, item)`` and ``alertables.changed(key, item, revision)``.
    """

    model: type
    label: str  # plural, translated lazily: "Calls for proposals"
    published: Callable[[], Any]  # queryset of the items that may be told, loaded for the e-mail block
    facts: Callable[[Any], AlertFacts]  # what matching needs of one item
    # A folder of text templates: _item.txt (one item; context from ``item_context`` and
    # ``item_url``), notice(_subject).txt, digest(_subject).txt and, with reminders, reminder(_subject).txt.
    email_templates: str
    item_context: Callable[[Any], dict]
    list_url_name: str  # the list whose filters a subscription saves (takes the same query string)
    everything: str | None = None  # the name of an alert without filters ("All calls"); default ``label``
    identifier_field: str = "pk"  # how people name one item (the delivery log's filter)
    published_field: str = "published_at"
    # A changed item ("its deadlines changed") carries a revision and the time it went up;
    # the alerts tell each revision once, as occasion "<change_name>-<revision>".
    changed_field: str | None = None
    revision: Callable[[Any], int] | None = None
    change_name: str = "changed"
    digest_order: tuple = ("pk",)
    # Reminders due in [start, end] (e.g. deadlines in 7 days); None: the content has none.
    reminders: Callable[[datetime, datetime], Iterable[Reminder]] | None = None
    # Its items say which countries' applicants they are open to (``AlertFacts.countries``): an
    # alert on it may be limited to one, its list's "Applicants from" (the subscribe page offers it).
    applicant_countries: bool = False
    # The list's filters an alert does not keep, by their query name, each with its label (an
    # alert tells of an item once, when it is published: "open now" or "deadline in March" say
    # nothing then). The subscribe pages name those a search had, rather than drop them unsaid.
    unkept_filters: dict = field(default_factory=dict)

    def changed_occasion(self, revision: int) -> str:
        return f"{self.change_name}-{revision}"

    def unkept_in(self, query) -> list[str]:
        """The labels of the filters ``query`` (a list's query string) holds that an alert does not keep."""
        return [str(label) for name, label in self.unkept_filters.items() if any(query.getlist(name))]


@dataclass
class Registry:
    entries: dict[str, Any] = field(default_factory=dict)

    def register(self, key: str, entry: Any) -> None:
        self.entries[key] = entry

    def get(self, key: str) -> Any:
        return self.entries[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.entries.values())

    def __contains__(self, key: str) -> bool:
        return key in self.entries


class AlertableRegistry(Registry):
    """Alertable content by key, and who listens to its events (the alerts app, when installed)."""

    def __init__(self):
        super().__init__()
        self.listeners: list[Any] = []

    def listen(self, listener: Any) -> None:
        """``listener`` has ``published(key, item_id)`` and ``changed(key, item_id, revision)``."""
        if listener not in self.listeners:
            self.listeners.append(listener)

    def published(self, key: str, item) -> None:
        """An item was just published; call after commit (listeners read the committed item)."""
        for listener in self.listeners:
            listener.published(key, item.pk)

    def changed(self, key: str, item, revision: int) -> None:
        """A published item changed in a way its subscribers hear of (its new ``revision``); after commit."""
        for listener in self.listeners:
            listener.changed(key, item.pk, revision)


@dataclass(frozen=True)
class HomeBlock:
    """A section an app adds to the home page (the calls closing soon, the next events...).

    ``context(request)`` answers what ``template`` shows, read on every visit (no cache: it
    must show what is true now); an empty answer hides the block. Keep it to one or two
    queries: every visitor's first page runs it.
    """

    title: str  # translated lazily; the section's heading
    template: str
    context: Callable[[Any], dict | None]
    order: int = 100


searchables = Registry()
alertables = AlertableRegistry()
# Functions answering an app's periodic jobs (core.periodic.Job), given the scheduler's overrides.
periodic_job_sources = Registry()
exportables = Registry()
demo_loaders = Registry()
# The API (api/urls.py) serves what apps register here; it imports no domain app.
api_collections = Registry()  # key: the prefix
api_paths = Registry()  # key: the route
# Import pipelines (core.imports.Importer subclasses), key: the importer's name; core serves their templates.
importers = Registry()
# Sections of the home page (HomeBlock), by key; shown in their ``order``.
home_blocks = Registry()
# Sections of a person's own account page (HomeBlock, given the request of the signed-in
# person): what they have in each app (their alerts, their organizations' partner requests).
profile_blocks = Registry()
# What each app keeps about a person, for their download of their personal data
# (accounts.services.export_personal_data): key -> function(user) answering JSON-ready data.
personal_data = Registry()


def model_key(model: type) -> str:
    return model._meta.label_lower
