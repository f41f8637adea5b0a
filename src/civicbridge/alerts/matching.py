"""Which subscriptions an item matches: one pure predicate and its database fan-out.

An item is any alertable content (``core.registry.alertables``); its content tells
its facts (``core.registry.AlertFacts``: a call's funder, territories, areas...).
``subscription_matches(criteria, facts)`` states the rule over two small frozen
values; ``matching_subscription_ids(key, facts)`` finds the same subscriptions among
hundreds of thousands with one indexed query for the structured criteria, then
checks keywords in Python only on the candidates that have keywords. The two must
agree; tests/alerts/test_matching.py checks that with Hypothesis.

The rule, criterion by criterion (an empty criterion matches every item):

- funder: the item's funder is the subscription's;
- programme: the item's programme is the subscription's;
- applicant kind: the item is open to all kinds, or lists the subscription's;
- territory: the item is open anywhere, or one of its territories lies on
  the subscription territory's line (the same unit, a unit above or a unit below):
  a call for the whole region interests someone watching a county in it, and a call
  for one municipality interests someone watching the region;
- applicants from: the item is open to applicants from the subscription's country, by the
  calls list's own rule (core.countries.open_to_applicants_from: it names no countries, or
  names this one); a subscription's territory asks the same of the territory's country, as
  the calls list's territory filter does;
- thematic area: the item has it;
- grants of at least: the item's maximum grant is unknown or reaches it;
- grants of at most: the item's maximum grant is unknown or does not exceed it (as the
  calls list's "Grants of at most");
- keywords: every word matches the item's search document the way the search box
  does (core.search): the document has the word's folded prefix, or one of its lemmas.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, reduce
from operator import or_

from django.db.models import Q
from django.db.models.functions import Mod

from civicbridge.core.countries import open_to_applicants_from
from civicbridge.core.models import Territory
from civicbridge.core.registry import AlertFacts
from civicbridge.core.search import MIN_PREFIX_LENGTH, query_terms

from .models import Subscription


@dataclass(frozen=True, slots=True)
class Criteria:
    """A subscription's saved filters; each one left empty matches every item."""

    keywords: str = ""
    funder_id: int | None = None
    programme_id: int | None = None
    applicant_kind: str = ""
    territory_path: str | None = None
    territory_country: str = ""
    thematic_area_id: int | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    country: str = ""

    @classmethod
    def from_subscription(cls, subscription: Subscription) -> Criteria:
        return cls(
            keywords=subscription.keywords,
            funder_id=subscription.funder_id,
            programme_id=subscription.programme_id,
            applicant_kind=subscription.applicant_kind,
            territory_path=subscription.territory.path if subscription.territory_id else None,
            territory_country=subscription.territory.country if subscription.territory_id else "",
            thematic_area_id=subscription.thematic_area_id,
            min_amount=subscription.min_amount,
            max_amount=subscription.max_amount,
            country=subscription.country,
        )


def on_one_line(path_a: str, path_b: str) -> bool:
    """True when one territory is the other or lies within it (materialized paths)."""
    return path_a.startswith(path_b) or path_b.startswith(path_a)


@lru_cache(maxsize=100_000)
def _keyword_terms(keywords: str) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((prefix, frozenset(forms)) for prefix, forms in query_terms(keywords))


@lru_cache(maxsize=64)
def _document_prefixes(forms: frozenset[str]) -> frozenset[str]:
    # Every prefix a search term may be: turns "a word starts with it" into a set lookup.
    return frozenset(
        form[:length] for form in forms for length in range(MIN_PREFIX_LENGTH, len(form) + 1)
    )


def keywords_match(keywords: str, facts: AlertFacts) -> bool:
    """Every word of ``keywords`` matches the item's document (a wordless string matches all)."""
    forms = facts.document_forms
    prefixes = None
    terms = _keyword_terms(keywords)
    for index, (prefix, lemmas) in enumerate(terms):
        if not lemmas.isdisjoint(forms) or prefix in forms:
            continue
        # As in the search box: only the last word may be the beginning of a word.
        if index < len(terms) - 1 or len(prefix) < MIN_PREFIX_LENGTH:
            return False
        if prefixes is None:
            prefixes = _document_prefixes(facts.document_forms)
        if prefix not in prefixes:
            return False
    return True


def subscription_matches(criteria: Criteria, facts: AlertFacts) -> bool:
    """The matching rule (see the module docstring)."""
    if criteria.funder_id is not None and criteria.funder_id != facts.funder_id:
        return False
    if criteria.programme_id is not None and criteria.programme_id != facts.programme_id:
        return False
    if criteria.applicant_kind and facts.kinds and criteria.applicant_kind not in facts.kinds:
        return False
    if criteria.territory_path is not None and facts.territory_paths and not any(
        on_one_line(criteria.territory_path, path) for path in facts.territory_paths
    ):
        return False
    if criteria.country and not open_to_applicants_from(facts.countries, criteria.country):
        return False
    if criteria.territory_country and not open_to_applicants_from(facts.countries, criteria.territory_country):
        return False
    if criteria.thematic_area_id is not None and criteria.thematic_area_id not in facts.area_ids:
        return False
    if criteria.min_amount is not None and facts.max_grant is not None and facts.max_grant < criteria.min_amount:
        return False
    if criteria.max_amount is not None and facts.max_grant is not None and facts.max_grant > criteria.max_amount:
        return False
    return not criteria.keywords or keywords_match(criteria.keywords, facts)


def territory_line_ids(paths) -> set[int]:
    """Ids of every territory on the lines of ``paths``: the units themselves, above and below.

    Those above come from the paths themselves; those below take one indexed prefix query.
    """
    paths = list(paths)
    if not paths:
        return set()
    ids = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    below = Territory.objects.filter(reduce(or_, (Q(path__startswith=path) for path in paths)))
    ids.update(below.values_list("id", flat=True))
    return ids


def candidate_subscriptions(
    key: str, facts: AlertFacts, *, frequencies=None, reminders: bool = False, share: tuple[int, int] | None = None,
):
    """Active subscriptions to content ``key`` whose structured criteria (all but keywords) match the item.

    ``share=(part, parts)``: only those whose owner's id leaves remainder ``part`` when
    divided by ``parts`` (one of several workers' share of a digest: all of a person's
    alerts in one share, for one digest per person).
    """
    queryset = Subscription.objects.filter(is_active=True, alertable=key)
    if share is not None and share[1] > 1:
        queryset = queryset.alias(share_of_owner=Mod("user_id", share[1])).filter(share_of_owner=share[0])
    if frequencies is not None:
        queryset = queryset.filter(frequency__in=list(frequencies))
    if reminders:
        queryset = queryset.filter(remind_deadlines=True)
    queryset = queryset.filter(Q(funder__isnull=True) | Q(funder_id=facts.funder_id))
    queryset = queryset.filter(Q(programme__isnull=True) | Q(programme_id=facts.programme_id))
    if facts.kinds:
        queryset = queryset.filter(Q(applicant_kind="") | Q(applicant_kind__in=sorted(facts.kinds)))
    if facts.territory_paths:
        queryset = queryset.filter(
            Q(territory__isnull=True) | Q(territory_id__in=sorted(territory_line_ids(facts.territory_paths)))
        )
    if facts.countries:
        # open_to_applicants_from(facts.countries, country) holds for these countries and no other.
        queryset = queryset.filter(Q(country="") | Q(country__in=sorted(facts.countries)))
        queryset = queryset.filter(Q(territory__isnull=True) | Q(territory__country__in=sorted(facts.countries)))
    if facts.area_ids:
        queryset = queryset.filter(Q(thematic_area__isnull=True) | Q(thematic_area_id__in=sorted(facts.area_ids)))
    else:
        queryset = queryset.filter(thematic_area__isnull=True)
    if facts.max_grant is not None:
        queryset = queryset.filter(Q(min_amount__isnull=True) | Q(min_amount__lte=facts.max_grant))
        queryset = queryset.filter(Q(max_amount__isnull=True) | Q(max_amount__gte=facts.max_grant))
    return queryset


def matching_subscription_ids(
    key: str, facts: AlertFacts, *, frequencies=None, reminders: bool = False,
    share: tuple[int, int] | None = None,
) -> list[int]:
    """Ids (ascending) of the active subscriptions that an item matches (see ``matching_subscriptions``)."""
    return [pk for pk, _owner in matching_subscriptions(
        key, facts, frequencies=frequencies, reminders=reminders, share=share)]


def matching_subscriptions(
    key: str, facts: AlertFacts, *, frequencies=None, reminders: bool = False,
    share: tuple[int, int] | None = None,
) -> list[tuple[int, int]]:
    """(id, owner's id) of the active subscriptions to content ``key`` that an item with ``facts`` matches, by id.

    ``frequencies`` narrows to some frequencies (e.g. ``["instant"]``), ``share`` to one
    worker's share (``candidate_subscriptions``); ``reminders``
    to the subscriptions that asked for deadline reminders. One query fetches the
    candidates as (id, owner, keywords) triples, no model instances; keywords are
    checked in Python, once per distinct keyword string.
    """
    rows = candidate_subscriptions(key, facts, frequencies=frequencies, reminders=reminders, share=share).values_list(
        "id", "user_id", "keywords"
    )
    verdicts: dict[str, bool] = {}
    matched = []
    for subscription_id, owner_id, keywords in rows.order_by().iterator(chunk_size=10_000):
        if keywords:
            verdict = verdicts.get(keywords)
            if verdict is None:
                verdict = verdicts[keywords] = keywords_match(keywords, facts)
            if not verdict:
                continue
        matched.append((subscription_id, owner_id))
    matched.sort()
    return matched
