"""Benchmark of the call alerts at national scale: fan-out of one new call, and the daily digest.

    export DATABASE_URL=postgres://...  SECRET_KEY=bench
    python -m bench.alerts --subscriptions 500000

Against an existing database with bench users (``python -m bench.generate``) it
bulk-creates subscriptions with varied criteria (~30% with keywords), one per user,
up to ``--subscriptions`` (kept between runs, so a rerun starts at once), then measures:

(a) ``matching_subscription_ids(KEY, call_facts(call))`` for a new call, five different calls: median
    and max, budget 2 s;
(b) the daily digest end to end for every daily subscriber, with about ten calls
    published in the last day, budget 5 minutes: ``send_digests("daily")`` (fan-out,
    one record per person and call, the e-mails queued in the outbox) and then the
    outbox's delivery (``deliver_due``: each e-mail leased, sent and marked sent on its
    own), each timed. ``--mailer`` chooses what the e-mails go to: ``dummy`` (default:
    Django's dummy backend, the e-mails are rendered and handed over, never
    serialized), ``serialize`` (each message is also built and serialized to bytes as
    the SMTP backend would, then dropped: the CPU cost of real delivery without a
    server) or ``locmem``. ``--parts N`` runs the digest as N tasks in N processes at
    once, and the delivery in N processes, as N workers would.

Without enough users in the database it first creates the bench's territories and users
(bench.generate). Calls published by others in the same database count too: the result
records how many calls the digest considered.

Prints PASS/FAIL per budget and writes bench/results/<date>-alerts.json (with another
mailer or parts: <date>-alerts-<mailer>-<N>parts.json). The bench's
rows are tagged (calls "BENCH-ALERTS-…", subscriptions named "bench alert …") and
``--cleanup`` deletes them all.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import time
from decimal import Decimal
from pathlib import Path

import django

RESULTS = Path(__file__).resolve().parent / "results"
MATCH_BUDGET_S = 2.0
DIGEST_BUDGET_S = 300.0
BATCH = 10_000
SUBSCRIPTION_PREFIX = "bench alert "
CALL_PREFIX = "BENCH-ALERTS-"
FUNDER_PREFIX = "bench-alerts-funder-"

WORDS = [
    "kultura", "kultury", "młodzież", "młodzieży", "edukacja", "edukacji", "sport", "ekologia", "seniorzy",
    "seniorów", "zdrowie", "turystyka", "dziedzictwo", "wolontariat", "organizacje", "pozarządowe", "gmina",
    "wieś", "gençlik", "eğitim", "çevre", "kültür", "sağlık", "derneği", "kadın", "tarım", "youth", "culture",
    "education", "environment", "health", "heritage", "volunteering", "digital", "water", "energy", "climate",
    "rural", "innovation", "democracy", "citizens", "inclusion", "mobility", "research", "twinning",
]
KEYWORD_EXTRAS = ["kult", "edu", "młodz", "eğit", "cultur", "innov", "clim", "sport", "ekolog"]
FILLER = ["for", "and", "the", "in", "of", "support", "projects", "call", "proposals", "grants", "local", "regional"]
AMOUNTS = [Decimal(v) for v in (5_000, 10_000, 50_000, 100_000, 500_000)]


class SerializingBackend:
    """Builds every message's bytes as the SMTP backend would, and sends them nowhere."""

    def __init__(self, *args, alias=None, **kwargs):
        self.alias = alias
        self.sent = 0

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        for message in messages:
            message.message().as_bytes()
        self.sent += len(messages)
        return len(messages)


MAILERS = {
    "serialize": "bench.alerts.SerializingBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def ensure_users(wanted: int, rng) -> None:
    """Bench territories and users (bench.generate) when the database has fewer users than wanted."""
    from civicbridge.accounts.models import User

    if User.objects.count() >= wanted:
        return
    from bench import generate

    print(f"  creating territories and {wanted:,} users (bench.generate)", flush=True)
    generate.ensure_territories(generate.TARGETS["territories"], rng)
    generate.ensure_users(wanted, rng)


def _funders(rng):
    from civicbridge.funding.models import Funder, Programme

    programmes = []
    for n in range(5):
        funder, _ = Funder.objects.get_or_create(
            slug=f"{FUNDER_PREFIX}{n}", defaults={"name": f"Bench funder {n}", "kind": Funder.Kind.EU},
        )
        programme, _ = Programme.objects.get_or_create(funder=funder, name=f"Bench programme {n}")
        programmes.append(programme)
    return programmes


def ensure_subscriptions(target: int, *, keyword_share: float, daily_share: float, programmes, rng) -> dict:
    """Create bench subscriptions up to ``target``, one per bench user (cycling if fewer users)."""
    from civicbridge.accounts.models import User
    from civicbridge.alerts.models import Subscription
    from civicbridge.core.models import Territory, ThematicArea
    from civicbridge.directory.models import Organization

    existing = Subscription.objects.filter(name__startswith=SUBSCRIPTION_PREFIX).count()
    started = time.perf_counter()
    if existing >= target:
        return {"existing": existing, "created": 0, "seconds": 0.0}
    users = list(User.objects.order_by("id").values_list("id", flat=True))
    territories = list(Territory.objects.exclude(level="country").values_list("id", flat=True))
    areas = list(ThematicArea.objects.values_list("id", flat=True))
    kinds = list(Organization.Kind.values)
    funder_ids = [p.funder_id for p in programmes]
    other_share = (1 - daily_share) / 2
    frequencies = ["daily", "instant", "weekly"]
    weights = [daily_share, other_share, other_share]
    created = 0
    while existing + created < target:
        size = min(BATCH, target - existing - created)
        rows = []
        for offset in range(size):
            n = existing + created + offset
            keywords = ""
            if rng.random() < keyword_share:
                keywords = " ".join(rng.sample(WORDS + KEYWORD_EXTRAS, rng.choice([1, 1, 2])))
            rows.append(Subscription(
                user_id=users[n % len(users)], alertable="calls", name=f"{SUBSCRIPTION_PREFIX}{n}", keywords=keywords,
                funder_id=rng.choice(funder_ids) if rng.random() < 0.2 else None,
                applicant_kind=rng.choice(kinds) if rng.random() < 0.4 else "",
                territory_id=rng.choice(territories) if rng.random() < 0.5 else None,
                thematic_area_id=rng.choice(areas) if rng.random() < 0.4 else None,
                min_amount=rng.choice(AMOUNTS) if rng.random() < 0.25 else None,
                frequency=rng.choices(frequencies, weights)[0],
                remind_deadlines=rng.random() < 0.5,
            ))
        Subscription.objects.bulk_create(rows, batch_size=2_000)
        created += size
        print(f"  subscriptions: {existing + created:,}/{target:,}", flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Subscription._meta.db_table}")
    return {"existing": existing, "created": created, "seconds": round(time.perf_counter() - started, 1)}


def make_call(n: int, programmes, rng, *, published_at):
    """A call like the real ones: a few regions or counties, some kinds, two or three themes."""
    from civicbridge.core.models import Territory, ThematicArea
    from civicbridge.core.search import build_document
    from civicbridge.directory.models import Organization
    from civicbridge.funding.models import Call, CallDeadline

    title = " ".join(rng.sample(WORDS, 4) + rng.sample(FILLER, 3)).capitalize()
    summary = " ".join(rng.choice(WORDS + FILLER) for _ in range(40))
    deadline = published_at + datetime.timedelta(days=rng.randint(20, 90))
    call = Call.objects.create(
        identifier=f"{CALL_PREFIX}{n}-{int(time.time() * 1000)}", title=title, summary=summary,
        programme=rng.choice(programmes), deadline_model=Call.DeadlineModel.SINGLE_STAGE,
        eligible_kinds=",".join(rng.sample(list(Organization.Kind.values), rng.choice([0, 2, 3]))),
        max_grant=rng.choice([None, *AMOUNTS]), published_at=published_at, closes_at=deadline,
        search_document=build_document(title, summary),
    )
    CallDeadline.objects.bulk_create(CallDeadline.stages_of(call, [deadline]))
    level = rng.choice(["region", "county", None])
    if level:
        units = list(Territory.objects.filter(level=level).values_list("id", flat=True))
        call.eligible_territories.set(rng.sample(units, min(len(units), rng.choice([1, 2, 3]))))
    areas = list(ThematicArea.objects.values_list("id", flat=True))
    call.thematic_areas.set(rng.sample(areas, rng.choice([2, 3, 5])))
    return call


def measure_matching(programmes, rng, *, repeats: int = 5) -> dict:
    from django.utils import timezone

    from civicbridge.alerts.matching import matching_subscription_ids
    from civicbridge.funding.alerts import KEY, call_facts
    from civicbridge.funding.models import Call

    now = timezone.now()
    warm_up = make_call(0, programmes, rng, published_at=now)
    matching_subscription_ids(KEY, call_facts(warm_up))  # connection, lemma dictionaries, plan cache
    warm_up.delete()
    runs = []
    for n in range(1, repeats + 1):
        call = make_call(n, programmes, rng, published_at=now)
        call = Call.objects.get(pk=call.pk)  # as the task loads it: nothing cached on the instance
        started = time.perf_counter()
        ids = matching_subscription_ids(KEY, call_facts(call))
        seconds = time.perf_counter() - started
        runs.append({"seconds": round(seconds, 3), "matches": len(ids), "kinds": call.eligible_kinds,
                     "territories": call.eligible_territories.count(), "max_grant": str(call.max_grant)})
        call.delete()
        print(f"  match {n}: {seconds:.3f} s, {len(ids):,} subscriptions", flush=True)
    times = [run["seconds"] for run in runs]
    return {"runs": runs, "median_s": statistics.median(times), "max_s": max(times),
            "budget_s": MATCH_BUDGET_S, "pass": max(times) < MATCH_BUDGET_S}


def _digest_part(part: int, parts: int) -> dict:
    from django.db import connections

    from civicbridge.alerts import tasks

    try:
        return tasks.send_digests.call("daily", part, parts)
    finally:
        connections.close_all()


def _deliver_part(_part: int) -> dict:
    from django.db import connections

    from civicbridge.core.notifications import deliver_due

    try:
        return deliver_due()
    finally:
        connections.close_all()


def _in_processes(function, parts: int) -> list[dict]:
    if parts == 1:
        return [function(*([0, 1] if function is _digest_part else [0]))]
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each process opens its own
    arguments = [(part, parts) if function is _digest_part else (part,) for part in range(parts)]
    with multiprocessing.get_context("fork").Pool(parts) as pool:
        return pool.starmap(function, arguments)


def _summed(results: list[dict]) -> dict:
    return {key: sum(result[key] for result in results) if key not in ("calls", "changed_calls") else results[0][key]
            for key in results[0]}


def run_digest(parts: int) -> dict:
    """send_digests("daily"), in ``parts`` processes at once when more than one; summed counts."""
    return _summed(_in_processes(_digest_part, parts))


def run_delivery(parts: int) -> dict:
    """The outbox's delivery until nothing is due, in ``parts`` processes at once; summed counts."""
    return _summed(_in_processes(_deliver_part, parts))


def _bench_mail():
    from civicbridge.alerts.models import Delivery
    from civicbridge.core.models import OutgoingMail
    from civicbridge.funding.models import Call

    keys = Delivery.objects.filter(alertable="calls", item_id__in=Call.objects.filter(identifier__startswith=CALL_PREFIX).values("pk")).values("mail_id")
    return OutgoingMail.objects.filter(key__in=keys)


def measure_digest(programmes, rng, *, calls: int, mailer: str, parts: int) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from civicbridge.alerts.models import Delivery, Subscription
    from civicbridge.funding.models import Call

    bench_subscriptions = Subscription.objects.filter(name__startswith=SUBSCRIPTION_PREFIX)
    started = time.perf_counter()
    _bench_mail().delete()
    Delivery.objects.filter(alertable="calls", item_id__in=Call.objects.filter(identifier__startswith=CALL_PREFIX).values("pk")).delete()
    Call.objects.filter(identifier__startswith=CALL_PREFIX).delete()
    bench_subscriptions.update(last_digest_at=None)
    now = timezone.now()
    for n in range(calls):
        make_call(100 + n, programmes, rng, published_at=now - datetime.timedelta(hours=rng.uniform(0.5, 23)))
    print(f"  digest setup: {time.perf_counter() - started:.1f} s", flush=True)
    settings.MAILERS = {"default": {"BACKEND": MAILERS[mailer]}}
    daily = Subscription.objects.filter(is_active=True, frequency="daily").count()
    started = time.perf_counter()
    counts = run_digest(parts)
    queueing = time.perf_counter() - started
    print(f"  digest queued: {queueing:.1f} s, {counts}", flush=True)
    started = time.perf_counter()
    delivery = run_delivery(parts)
    sending = time.perf_counter() - started
    print(f"  digest delivered: {sending:.1f} s, {delivery}", flush=True)
    seconds = queueing + sending
    started = time.perf_counter()
    again = run_digest(parts)
    rerun = time.perf_counter() - started
    print(f"  digest run again at once: {rerun:.1f} s, {again}", flush=True)
    return {"seconds": round(seconds, 1), "queue_seconds": round(queueing, 1), "delivery_seconds": round(sending, 1),
            "counts": counts, "delivery_counts": delivery, "daily_subscriptions": daily, "mailer": mailer,
            "parts": parts,
            "calls_published_last_day": calls, "rerun_seconds": round(rerun, 1), "rerun_counts": again,
            "deliveries": Delivery.objects.filter(alertable="calls", item_id__in=Call.objects.filter(identifier__startswith=CALL_PREFIX).values("pk")).count(),
            "budget_s": DIGEST_BUDGET_S, "pass": seconds < DIGEST_BUDGET_S}


def cleanup() -> None:
    from civicbridge.alerts.models import Subscription
    from civicbridge.funding.models import Call, Funder, Programme

    _bench_mail().delete()
    Call.objects.filter(identifier__startswith=CALL_PREFIX).delete()
    Subscription.objects.filter(name__startswith=SUBSCRIPTION_PREFIX).delete()
    Programme.objects.filter(funder__slug__startswith=FUNDER_PREFIX).delete()
    Funder.objects.filter(slug__startswith=FUNDER_PREFIX).delete()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
    django.setup()
    from django.db import connection

    from civicbridge.core.search import prepare_lemmatizer

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscriptions", type=int, default=500_000)
    parser.add_argument("--keyword-share", type=float, default=0.3)
    parser.add_argument("--daily-share", type=float, default=1.0,
                        help="share of daily subscriptions (default 1: the digest covers every subscriber)")
    parser.add_argument("--calls", type=int, default=10, help="calls published in the last day, for the digest")
    parser.add_argument("--mailer", choices=sorted(MAILERS), default="dummy")
    parser.add_argument("--parts", type=int, default=1, help="run the digest as this many parallel tasks")
    parser.add_argument("--skip-digest", action="store_true")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--cleanup", action="store_true", help="delete the bench's rows and exit")
    args = parser.parse_args()
    if args.cleanup:
        cleanup()
        print("bench rows deleted")
        return
    rng = random.Random(args.seed)
    prepare_lemmatizer()
    ensure_users(args.subscriptions, rng)
    programmes = _funders(rng)
    print(f"alerts bench on {connection.vendor} ({connection.settings_dict['NAME']})", flush=True)
    setup = ensure_subscriptions(args.subscriptions, keyword_share=args.keyword_share,
                                 daily_share=args.daily_share, programmes=programmes, rng=rng)
    print(f"  setup: {setup}", flush=True)
    result = {
        "date": datetime.date.today().isoformat(), "database": connection.vendor,
        "subscriptions": args.subscriptions, "keyword_share": args.keyword_share,
        "daily_share": args.daily_share, "cpu_count": os.cpu_count(), "setup": setup,
        "matching": measure_matching(programmes, rng),
    }
    if not args.skip_digest:
        result["digest"] = measure_digest(programmes, rng, calls=args.calls, mailer=args.mailer, parts=args.parts)
    verdicts = [("matching (max of 5)", result["matching"]["max_s"], MATCH_BUDGET_S, result["matching"]["pass"])]
    if "digest" in result:
        verdicts.append(("daily digest", result["digest"]["seconds"], DIGEST_BUDGET_S, result["digest"]["pass"]))
    for label, seconds, budget, passed in verdicts:
        print(f"{'PASS' if passed else 'FAIL'}  {label}: {seconds:.3f} s (budget {budget:.0f} s)")
    RESULTS.mkdir(exist_ok=True)
    variant = "" if (args.mailer, args.parts) == ("dummy", 1) else f"-{args.mailer}-{args.parts}parts"
    path = RESULTS / f"{result['date']}-alerts{variant}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"written {path}")


if __name__ == "__main__":
    main()
