"""Registries of cross-cutting capabilities.

Each app registers its models in its AppConfig.ready(); core, the dashboard and the
API iterate these registries instead of importing the apps (core imports no domain app,
and no domain app imports the API package). docs/architecture.md says what an app registers.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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
    # What the document copies from related objects, and what building it in batches loads.
    copies: tuple[Copied, ...] = ()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    # Content scopes (core.cache) whose cached pages show this model's search results.
    scopes: tuple[str, ...] = ()

    def visible(self):
        return self.public() if self.public else self.model.objects.all()


@dataclass(frozen=True)
class Exportable:
    model: type
    columns: list[tuple[str, Callable[[Any], Any]]]  # (header, value of one row)


@dataclass(frozen=True)
class DemoLoader:
    name: str
    module: str  # dotted path of a module with load(profile=..., stdout=...)
    order: int = 100

    def load(self, **kwargs) -> None:
        # Imported on use: the demo generators pull in Faker and data that pages never need.
        import_module(self.module).load(**kwargs)


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


searchables = Registry()
# Functions answering an app's periodic jobs (core.periodic.Job), given the scheduler's overrides.
periodic_job_sources = Registry()
exportables = Registry()
demo_loaders = Registry()
# The API (api/urls.py) serves what apps register here; it imports no domain app.
api_collections = Registry()  # key: the prefix
api_paths = Registry()  # key: the route
# Import pipelines (core.imports.Importer subclasses), key: the importer's name; core serves their templates.
importers = Registry()


def model_key(model: type) -> str:
    return model._meta.label_lower
