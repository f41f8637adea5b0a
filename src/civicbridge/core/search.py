"""Full-text search: one interface, SQLite FTS5 or PostgreSQL full-text underneath.

Neither database stems Polish or Turkish, so words are normalized in Python, both
when a document is indexed and when a query is parsed: each word is lower-cased,
lemmatized for Polish, Turkish and English (simplemma) and stripped of accents, so
that "organizacje" finds "organizacja", "derneği" finds "dernek" and "Ozel" finds
"Özel". A searchable model keeps the normalized text in its ``search_document``
column; the database indexes that column:

- SQLite: an external-content FTS5 table kept in sync by triggers;
- PostgreSQL: a stored generated ``search_vector`` column (``to_tsvector('simple',
  search_document)``, added by the migration, unknown to the model) with a GIN index.
  Stored, not an expression index, so that a plan which walks another index (the
  name order) tests each row's vector without re-parsing its document.

``search`` returns a real QuerySet that the lists page like any other. ``count_matches``
counts it for a page: exactly up to ``EXACT_MATCHES``, beyond that (a common word matching
tens of thousands of entries, whose exact count would read them all) "about N", from the
matches among a sample of the table's pages.
"""

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import simplemma
from django.conf import settings
from django.db import connection
from django.db.migrations.operations.base import Operation
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import Expression, RawSQL
from django.db.models.sql.datastructures import BaseTable
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieDictionaryFactory
from unidecode import unidecode

from civicbridge.core.countries import EU_MEMBER_STATES

LANGUAGES = ("pl", "tr", "en")
WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_TERMS = 12
# "1" or "ab" as a prefix matches nearly every document: short words match whole only.
MIN_PREFIX_LENGTH = 3
# Matches counted one by one at most; more are estimated ("about N").
EXACT_MATCHES = 2_000
# Nor is a count the planner expects to cost more than this (its cost units; about 30 ms on a
# 2-core machine): a common word narrowed by filters has few matches but must test every
# entry of the rarer filter (a thematic area's 20,000 links at 600,000 entries: 80 ms).
EXACT_COST = 1_000
# Matches not counted are counted in a sample of about this many of the table's rows (300 of
# the registry's pages, 1 to 3 ms) and scaled to the table: within about 10% from a hundred
# matches in it.
SAMPLED_ROWS = 2_000


def _fold(word: str) -> str:
    # Turkish dotted/dotless i must fold before lower() turns "İ" into "i̇".
    return unidecode(word.replace("İ", "i").lower())


@lru_cache(maxsize=1)
def _lemmatizer() -> simplemma.Lemmatizer:
    # simplemma's plain dictionaries take ~13 s and ~700 MB to load in every process;
    # its MARISA tries, built once into the data dir, load in milliseconds and share pages.
    factory = TrieDictionaryFactory(disk_cache_dir=str(settings.CIVICBRIDGE_LEMMA_CACHE_DIR))
    return simplemma.Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))


def prepare_lemmatizer() -> None:
    """Build (first time, ~30 s) or load the lemma dictionaries of every platform language."""
    for language in LANGUAGES:
        _lemmatizer().lemmatize("a", lang=language)


@lru_cache(maxsize=200_000)
def word_forms(word: str) -> tuple[str, ...]:
    """The folded forms under which a word is indexed and searched."""
    lowered = word.replace("İ", "i").lower()
    forms = {_fold(word)}
    for language in LANGUAGES:
        lemma = _lemmatizer().lemmatize(lowered, lang=language)
        forms.add(_fold(lemma))
    return tuple(sorted(form for form in forms if form.isalnum()))


def words(text: str) -> list[str]:
    return WORD.findall(text or "")


def build_document(*parts: str | None) -> str:
    """Normalized text for the ``search_document`` column of a searchable object."""
    seen: dict[str, None] = {}
    for part in parts:
        for word in words(part or ""):
            for form in word_forms(word):
                seen.setdefault(form, None)
    return " ".join(seen)


# Abbreviations people search the registry by, and the names they stand for: "OSP" finds
# "Ochotnicza Straż Pożarna w Nysie" as well as an entry that writes "OSP Nysa".
ABBREVIATIONS = {
    "kgw": "koło gospodyń wiejskich",
    "osp": "ochotnicza straż pożarna",
    "uks": "uczniowski klub sportowy",
    "lks": "ludowy klub sportowy",
    "mks": "miejski klub sportowy",
    "gks": "gminny klub sportowy",
    "zhp": "związek harcerstwa polskiego",
    "pttk": "polskie towarzystwo turystyczno krajoznawcze",
}
# A KRS number is ten digits, written with its leading zeros or without them.
KRS_DIGITS = 10
# A registry or tax number written in groups ("123-456-32-18", a NIP; "0000 123 456", a KRS):
# the groups, separated by dashes or spaces, are also looked for as the one number the
# registry stores. Only from a REGON's nine digits on: a date ("2024-01-23") or a period
# ("2021-2027") stays words.
GROUPED_NUMBER = re.compile(r"(?<![\w-])[0-9]+(?:[ -]+[0-9]+)+(?![\w-])")
GROUPED_NUMBER_DIGITS = 9
# A tax number copied from an invoice carries its EU VAT prefix ("PL 123-456-32-18",
# "PL1234563218"): the registry stores the number alone. Greece's VAT prefix is EL.
VAT_NUMBER = re.compile(r"(?<![\w-])([A-Za-z]{2}) ?([0-9](?:[0-9 -]*[0-9])?)(?![\w-])")
VAT_PREFIXES = frozenset(EU_MEMBER_STATES) - {"GR"} | {"EL"}


@dataclass(frozen=True)
class Term:
    """One query word: its folded form, the folded forms it also matches as a word, and the
    phrases it stands for (each a list of words' forms, all of which must match)."""

    folded: str
    forms: tuple[str, ...]
    phrases: tuple[tuple[tuple[str, ...], ...], ...] = ()

    # The (folded, forms) pair callers unpack.
    def __iter__(self):
        return iter((self.folded, self.forms))


def query_terms(query: str) -> list[Term]:
    """Each query word as a ``Term``, at most MAX_QUERY_TERMS.

    A word matches a document word equal to one of its forms, or every word of one of its
    phrases; the last word of the query also matches a document word its folded form begins.
    """
    terms = []
    for token in _tokens(query)[:MAX_QUERY_TERMS]:
        groups = words(token)
        if len(groups) > 1:
            # A grouped number: the digits together, or (as any words) every group.
            number = "".join(groups)
            terms.append(Term(number, _number_forms(number), ((*map(_word_forms, groups),),)))
            continue
        folded = _fold(token)
        if not folded.isalnum():
            continue
        phrase = ABBREVIATIONS.get(folded)
        phrases = (tuple(word_forms(part) for part in words(phrase)),) if phrase else ()
        terms.append(Term(folded, _word_forms(token), phrases))
    return terms


def _tokens(query: str) -> list[str]:
    """The query's words, a grouped number of enough digits counting as one."""
    query = VAT_NUMBER.sub(_without_vat_prefix, query)
    tokens, end = [], 0
    for match in GROUPED_NUMBER.finditer(query):
        if sum(map(str.isdigit, match.group())) < GROUPED_NUMBER_DIGITS:
            continue
        tokens += words(query[end:match.start()])
        tokens.append(match.group())
        end = match.end()
    return tokens + words(query[end:])


def _without_vat_prefix(match: re.Match) -> str:
    prefix, number = match.groups()
    if prefix.upper() in VAT_PREFIXES and sum(map(str.isdigit, number)) >= GROUPED_NUMBER_DIGITS:
        return number
    return match.group()


def _word_forms(word: str) -> tuple[str, ...]:
    forms = word_forms(word)
    folded = _fold(word)
    return _number_forms(folded, forms) if folded.isdigit() else forms


def _number_forms(number: str, forms: tuple[str, ...] | None = None) -> tuple[str, ...]:
    forms = forms if forms is not None else (number,)
    return (*forms, number.zfill(KRS_DIGITS)) if len(number) < KRS_DIGITS else forms


def _fts5_prefix(word: str) -> str:
    return f'"{word}"*' if len(word) >= MIN_PREFIX_LENGTH else f'"{word}"'


def _tsquery_prefix(word: str) -> str:
    return f"{word}:*" if len(word) >= MIN_PREFIX_LENGTH else word


def _fts5_expression(terms, *, whole_words: bool = False) -> str:
    groups = []
    for index, term in enumerate(terms):
        typed = _fts5_prefix(term.folded) if _is_being_typed(index, terms) and not whole_words else f'"{term.folded}"'
        alternatives = [typed] + [f'"{form}"' for form in term.forms if form != term.folded]
        alternatives += [
            "(" + " AND ".join("(" + " OR ".join(f'"{form}"' for form in forms) + ")" for forms in phrase) + ")"
            for phrase in term.phrases
        ]
        groups.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(groups)


def _tsquery_expression(terms, *, whole_words: bool = False, either: bool = False) -> str:
    """``either``: the last word as a prefix or whole, for the planner's estimate (``first_matches``)."""
    groups = []
    for index, term in enumerate(terms):
        typed = _tsquery_prefix(term.folded) if _is_being_typed(index, terms) and not whole_words else term.folded
        if either and typed != term.folded:
            typed = f"({typed} | {term.folded})"
        alternatives = [typed] + [form for form in term.forms if form != term.folded]
        alternatives += [
            "(" + " & ".join("(" + " | ".join(forms) + ")" for forms in phrase) + ")" for phrase in term.phrases
        ]
        groups.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(groups)


def _is_being_typed(index: int, terms) -> bool:
    # Only the last word may be unfinished (search as you type): the words before it match
    # whole. A prefix term is several times slower to look up in PostgreSQL's text index
    # ("uniwersytet trzeciego wieku": 16 ms with every word a prefix, 8 with the last).
    return index == len(terms) - 1


def fts_table(model) -> str:
    return f"{model._meta.db_table}_fts"


def search(queryset: QuerySet, query: str, *, whole_words: bool = False) -> QuerySet:
    """Narrow ``queryset`` to the objects matching every word of ``query``; the last word may be
    the start of one (search as you type) unless ``whole_words``.

    An empty or wordless query returns ``queryset`` unchanged.
    """
    terms = query_terms(query)
    if not terms:
        return queryset
    model = queryset.model
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        return queryset.filter(_text_match(table, _tsquery_expression(terms, whole_words=whole_words)))
    fts = fts_table(model)
    return queryset.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [_fts5_expression(terms, whole_words=whole_words)])
    )


class _TextMatch(Expression):
    """PostgreSQL: the rows whose search vector matches ``tsquery``, on the table at ``alias``.

    The alias follows the query into a subquery (``relabeled_clone``, as a column does): raw
    SQL naming the table kept naming it there, and so tested the outer query's row (a searched
    page's calls read in an IN of their own matched one call in 26 ms)."""

    output_field = BooleanField()

    def __init__(self, alias: str, tsquery: str):
        super().__init__()
        self.alias, self.tsquery = alias, tsquery

    def relabeled_clone(self, change_map):
        return _TextMatch(change_map.get(self.alias, self.alias), self.tsquery)

    def as_sql(self, compiler, connection):
        column = f"{compiler.quote_name_unless_alias(self.alias)}.search_vector"
        return f"{column} @@ to_tsquery('simple'::regconfig, %s)", [self.tsquery]


def _text_match(table: str, tsquery: str) -> _TextMatch:
    """PostgreSQL: the rows of ``table`` (a query's own, not yet aliased) whose search vector
    matches ``tsquery``."""
    return _TextMatch(table, tsquery)


def is_search(data) -> bool:
    """Do these filter values (a form's cleaned data or a query string) search for words?"""
    return bool((data.get("q") or "").strip() or (data.get("search") or "").strip())


class _SearchTableOperation(Operation):
    """A migration operation that runs SQL of its own on a searchable model's table:
    ``forward_sql``/``backward_sql`` give the statements for a database vendor."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, state):
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table = self._table(app_label, to_state)
        for statement in self.forward_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table = self._table(app_label, from_state)
        for statement in self.backward_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement)

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {"model_name": self.model_name})


class CreateSearchIndex(_SearchTableOperation):
    """Migration operation: index a model's ``search_document`` column for full-text search."""

    @classmethod
    def restore_sqlite_triggers(cls, schema_editor, table: str) -> None:
        """Make the index's triggers on ``table`` again after SQLite rebuilt the table (a
        column added or altered drops them); nothing to do on PostgreSQL, which keeps them."""
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in cls.backward_sql("sqlite", table):
            if statement.startswith("DROP TRIGGER"):
                schema_editor.execute(statement)
        for statement in cls.forward_sql("sqlite", table):
            if statement.startswith("CREATE TRIGGER"):
                schema_editor.execute(statement)

    @staticmethod
    def forward_sql(vendor: str, table: str) -> list[str]:
        if vendor == "postgresql":
            return [
                f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
                f"(to_tsvector('simple'::regconfig, search_document)) STORED",
                f"CREATE INDEX {table}_search_gin ON {table} USING gin (search_vector)",
                *SearchStatistics.forward_sql(vendor, table),
            ]
        fts = f"{table}_fts"
        return [
            f"CREATE VIRTUAL TABLE {fts} USING fts5(search_document, content='{table}', "
            f"content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
            f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, search_document) VALUES (new.id, new.search_document); END",
            f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, search_document) VALUES ('delete', old.id, old.search_document); END",
            f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_document ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, search_document) VALUES ('delete', old.id, old.search_document); "
            f"INSERT INTO {fts}(rowid, search_document) VALUES (new.id, new.search_document); END",
        ]

    @staticmethod
    def backward_sql(vendor: str, table: str) -> list[str]:
        if vendor == "postgresql":
            return [f"DROP INDEX IF EXISTS {table}_search_gin", f"ALTER TABLE {table} DROP COLUMN search_vector"]
        fts = f"{table}_fts"
        return [
            f"DROP TRIGGER IF EXISTS {fts}_ai",
            f"DROP TRIGGER IF EXISTS {fts}_ad",
            f"DROP TRIGGER IF EXISTS {fts}_au",
            f"DROP TABLE IF EXISTS {fts}",
        ]

    def describe(self):
        return f"Create the full-text search index of {self.model_name}"


class SearchStatistics(_SearchTableOperation):
    """Migration operation: keep statistics of many words for a model's text index.

    PostgreSQL estimates how many entries a word matches from the most common words it
    sampled; a word it did not keep, or the beginning of one, gets a default share of the
    table (0.5%). At the default statistics target a rare word typed whole or in part
    ("kędzierzyńsko", 92 matches of 600,000) was expected 3,000 times: the list then walked
    the newest-first index hoping to meet 25 matches early (150 ms), and its count was
    estimated. With the statistics of ten times as many words, the estimate is 67: the
    matches are read from the text index, sorted, and counted exactly (a few ms).
    """

    TARGET = 1000

    @staticmethod
    def forward_sql(vendor: str, table: str) -> list[str]:
        if vendor != "postgresql":
            return []
        # ANALYZE at once, so that a deployment does not wait for autovacuum to use them.
        return [
            f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS {SearchStatistics.TARGET}",
            f"ANALYZE {table}",
        ]

    @staticmethod
    def backward_sql(vendor: str, table: str) -> list[str]:
        if vendor != "postgresql":
            return []
        return [f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS -1"]

    def describe(self):
        return f"Keep statistics of many words for the text index of {self.model_name}"


@dataclass(frozen=True)
class MatchCount:
    """``matches``: the matches read by key, when they were read to count them (``narrowed``)."""

    value: int
    exact: bool
    matches: QuerySet | None = None

    def narrowed(self, queryset: QuerySet) -> QuerySet:
        """The matches to page: read by their keys when these were read, else ``queryset``."""
        return queryset if self.matches is None else self.matches


def count_matches(queryset: QuerySet, *, unsearched: QuerySet | None = None) -> MatchCount:
    """How many objects a search matched: exact when the database expects at most
    ``EXACT_MATCHES`` and a cheap count, else "about N", counted in a sample of the table
    (``sampled_count``; a list's last page then counts its rows exactly: ``core.pagination``).

    Counting reads every match (and the text index yields its matches all at once, so even a
    bounded count reads them all); whether to is read from the query plan. SQLite counts.

    ``unsearched``: ``queryset`` before its search and filters (its columns and related rows).
    An exact count then reads the matches' keys, and the page reads its rows from
    ``unsearched`` by them, in ``queryset``'s order, rather than from the text index again:
    a rare word beside a common prefix costs more there than reading the rows ("gençlik spor":
    12 ms per lookup, where the page's 25 rows by key take 0.5 ms), and the planner, which
    does not see what a prefix costs, would look it up again.
    """
    estimate = estimated_matches(queryset)
    if estimate is not None:
        return estimate
    if connection.vendor != "postgresql":
        return MatchCount(queryset.count(), exact=True)
    return _counted(queryset, unsearched)


def estimated_matches(queryset: QuerySet) -> MatchCount | None:
    """"About N" for a search the database expects to match too many to count, or to count at
    too high a cost (``count_matches``); None where the matches are to be counted: the planner
    expects few, or none turned up in the sample (too rare to estimate: a few hundred in the
    registry at most, counted rather than shown as "about" the rows paged so far). SQLite
    counts."""
    if connection.vendor != "postgresql":
        return None
    # The keys alone: the plan of the rows' columns and joins costs time and changes no estimate.
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))[0]["Plan"]
    if plan["Plan Rows"] > EXACT_MATCHES or plan["Total Cost"] > EXACT_COST:
        sampled = sampled_count(queryset)
        if sampled.value:
            return sampled
    return None


def _counted(queryset: QuerySet, unsearched: QuerySet | None) -> MatchCount:
    if unsearched is None:
        return MatchCount(queryset.count(), exact=True)
    keys = list(queryset.order_by().values_list("pk", flat=True)[: EXACT_MATCHES + 1])
    if len(keys) > EXACT_MATCHES:  # more than the planner expected: too many to count
        return sampled_count(queryset)
    return MatchCount(len(keys), exact=True, matches=unsearched.filter(pk__any=keys).order_by(*queryset.query.order_by))


def sampled_count(queryset: QuerySet) -> MatchCount:
    """PostgreSQL: about how many objects ``queryset`` holds, counted in the pages of its table
    that hold about ``SAMPLED_ROWS`` rows and scaled to the whole, to the digits the sample
    supports (``about``).

    The planner's estimate multiplies the words' frequencies as if they were independent and
    guesses at prefixes: "uniwersytet trzecie" was about 1,368 of 16,526, "związek fundacja"
    about 5,351 of none. The sample tests each of its rows as the query does, filters included.
    The pages are drawn the same way each time (``REPEATABLE``), so that a list's count holds
    from one of its pages to the next while the table does not change.
    """
    rows = table_sizes([queryset.model]).get(queryset.model, 0)  # none for a table never analysed
    percent = min(100.0, 100.0 * SAMPLED_ROWS / max(rows, 1))
    sample = queryset.order_by()
    query = sample.query
    alias = query.get_initial_alias()
    query.alias_map[alias] = SampledTable(query.alias_map[alias].table_name, alias, percent=percent)
    hits = sample.count()
    return MatchCount(about(hits * 100.0 / percent, hits=hits), exact=False)


def about(estimate: float, *, hits: int) -> int:
    """``estimate``, from ``hits`` matches in a sample, rounded to the digits the sample
    supports: two from a hundred hits (within about 10%), else one (``about(18_485, hits=61)``
    is 20,000): a count that looks exact would claim more than is known."""
    if estimate < 1:
        return 0
    digits = 2 if hits >= 100 else 1
    unit = 10 ** max(math.floor(math.log10(estimate)) + 1 - digits, 0)
    return round(estimate / unit) * unit


class SampledTable(BaseTable):
    """A query's table read as a sample of ``percent`` of its pages (``TABLESAMPLE SYSTEM``)."""

    def __init__(self, table_name, alias, *, percent: float):
        super().__init__(table_name, alias)
        self.percent = percent

    def as_sql(self, compiler, connection):
        sql, params = super().as_sql(compiler, connection)
        return f"{sql} TABLESAMPLE SYSTEM (%s) REPEATABLE (0)", [*params, self.percent]

    def relabeled_clone(self, change_map):
        return self.__class__(self.table_name, change_map.get(self.table_alias, self.table_alias), percent=self.percent)

    @property
    def identity(self):
        return (*super().identity, self.percent)


# PostgreSQL has no statistics of a word's prefixes: it expects a prefix it cannot place to
# match 2% of a table's rows, whether it matches thousands or none.
FEW_MATCHES_SHARE = 0.03
FEW_MATCHES_AT_LEAST = 2_000
FEW_MATCHES_READ = 10_000
# Where the planner expects at least this many matches, the first are looked for in a walk of
# the first WALK_ROWS in the key's order before reading every match's key (``first_matches``).
WALK_FIRST_AT = 100
WALK_ROWS = 2_000
KEY_ORDERINGS = {("pk",), ("-pk",), ("id",), ("-id",)}


def first_matches(
    queryset: QuerySet, query: str, ordering: tuple[str, ...], limit: int, *, table_rows: int | None = None,
) -> list:
    """The first ``limit`` of the objects of ``queryset`` matching ``query``, in ``ordering``.

    An index in the ordering finds the first of many matches at once, but walks the whole
    table past the rows that do not match when they are few (a word no event title holds:
    55 ms at 200,000 events). When the planner expects few, or no more than of a word it never
    saw (``_only_guessed``: then it only guesses), their ids come from the text
    index and only those rows are sorted; should they be more than expected, the ordering's
    index reads them after all. The last word is looked up as a prefix, of which PostgreSQL
    may have no statistics: the planner is asked once about the prefix or the whole word, which
    it estimates at least as the larger of the two (``_estimated_matches``). Several words,
    in the key's order, where it expects some (``WALK_FIRST_AT``): the first are looked for in the
    first ``WALK_ROWS`` rows first (``_first_keys_walking``), the planner not knowing which words
    come together. ``table_rows``: the table's estimated size when the caller read it already
    (``table_sizes``).
    """
    matches = search(queryset, query)
    ordered = matches.order_by(*ordering)
    if connection.vendor != "postgresql":
        return list(ordered[:limit])
    terms = query_terms(query)
    expected = _planned_rows(_estimated_matches(queryset, terms))
    table = table_rows if table_rows is not None else _planned_rows(queryset.model._base_manager.values("pk"))
    if expected > max(FEW_MATCHES_AT_LEAST, FEW_MATCHES_SHARE * table) and not _only_guessed(queryset, terms, expected):
        return list(ordered[:limit])
    if len(terms) > 1 and tuple(ordering) in KEY_ORDERINGS and expected >= WALK_FIRST_AT:
        found = _first_keys_walking(queryset, terms, ordering, limit)
        if len(found) == limit:
            return list(ordered.filter(pk__any=found)[:limit])
    ids = list(matches.order_by().values_list("pk", flat=True)[: FEW_MATCHES_READ + 1])
    if len(ids) > FEW_MATCHES_READ:
        return list(ordered[:limit])
    if tuple(ordering) in KEY_ORDERINGS:
        # In the key's order the first ones are known from the ids: the rows of those alone are
        # read, not of every match (2,700 organizations matching "pożarna zdrowia" at 3x: 18 ms).
        ids = sorted(ids, reverse=ordering[0].startswith("-"))[:limit]
    # The ids as one array, not a parameter each: 1,800 projects matching "kültür" took 6 ms
    # to send and plan that way (15 at 3x) for a query that runs in 0.2.
    return list(ordered.filter(pk__any=ids)[:limit]) if ids else []


def _first_keys_walking(queryset: QuerySet, terms, ordering: tuple[str, ...], limit: int) -> list:
    """The keys of the first ``limit`` matches among the first ``WALK_ROWS`` objects of
    ``queryset`` in ``ordering`` (the key's), fewer if there are not that many there.

    Two words the planner takes for independent are often not ("polski związek": it expected a
    few hundred of 600,000 organizations, where thousands hold both), and reading every match's
    key from the text index then read thousands of rows (77 to 87 ms at 3x) for the first five.
    Walking the key's index, testing each row, finds five among thousands at once, and stops
    after ``WALK_ROWS`` where matches are as rare as the planner said (2 ms at 3x)."""
    hit = _text_match(queryset.model._meta.db_table, _tsquery_expression(terms))
    walk = queryset.annotate(hit=hit).order_by(*ordering).values_list("pk", "hit")[:WALK_ROWS]
    sql, params = walk.query.sql_with_params()
    with connection.cursor() as cursor:
        # The walk as a subquery: the outer LIMIT stops it at the last match wanted.
        cursor.execute(f"SELECT walk.key FROM ({sql}) AS walk (key, hit) WHERE walk.hit LIMIT %s", [*params, limit])
        return [key for (key,) in cursor.fetchall()]


def table_sizes(models) -> dict:
    """PostgreSQL's estimate of each model's rows, read at once (none for a table never analysed)."""
    tables = {model._meta.db_table: model for model in models}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND relname = ANY(%s) "
            "AND relnamespace IN (SELECT oid FROM pg_namespace WHERE nspname = ANY(current_schemas(false)))",
            [list(tables)],
        )
        return {tables[name]: int(rows) for name, rows in cursor.fetchall() if rows >= 0}


def _estimated_matches(queryset: QuerySet, terms) -> QuerySet:
    """The matches as the planner is asked about them, in one question: the last word as a
    prefix or whole (it may know the whole word's frequency and not the prefix's, and estimates
    either of two at least as the larger). The rows' count does not depend on the columns read:
    the question names the key alone, which Django writes faster than every column."""
    either = _text_match(queryset.model._meta.db_table, _tsquery_expression(terms, either=True))
    return queryset.filter(either).order_by().values("pk")


# A word of a tsquery, and one that no document holds: a digit and letters, longer than any word.
TSQUERY_WORD = re.compile(r"[^\s()|&:*!<>]+")
UNKNOWN_WORD = "0unknown" + "x" * 64


def _only_guessed(queryset: QuerySet, terms, expected: int) -> bool:
    """Does the planner expect no more matches than of words it has never seen?

    Its statistics hold a table's most common words; any other word it expects in a fixed share
    of the rows (at least 993 of 200,000 events), which may be none: the ordering's index would
    then walk the whole table for the first few (83 ms for a word no event holds). Asked about
    the same question with words no document holds, it answers with its guess alone."""
    unknown = _text_match(queryset.model._meta.db_table, TSQUERY_WORD.sub(UNKNOWN_WORD, _tsquery_expression(terms, either=True)))
    return expected <= _planned_rows(queryset.filter(unknown).order_by().values("pk"))


def _planned_rows(queryset: QuerySet) -> int:
    return int(json.loads(queryset.explain(format="json"))[0]["Plan"]["Plan Rows"])
