"""The load generator: Locust users sending traffic shaped like real use to the bench's server.

    python -m bench.load plan.json samples.jsonl

Run by bench/run.py in a process of its own (Locust patches the standard library with
gevent; the Django side of the bench must not share it). The plan (written by
bench/plan.py from the database) holds every organization, call and partner request, the
search terms, the filter values and the accounts; this process reads no database.

Phases, in the plan's order: "setup" logs every account in through the login form; then
each phase runs for its duration either closed-loop (a fixed number of clients, each
sending its next request when the last one answered: the latency at 2 clients) or
open-loop at an arrival rate (many users, each starting its tasks at random moments, a
Poisson process, so that requests keep arriving whatever the answers' speed, as independent
visitors arrive, and never in lockstep; the achieved rate is recorded beside the target). One line
per request goes to the samples file: phase, endpoint, milliseconds, status, error, the
server's query count, the page-cache header and whether it was signed in.
"""

import bisect
import itertools
import json
import math
import random
import re
import sys
import time
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit

import gevent
import gevent.pool
from locust import FastHttpUser, constant, events, task
from locust.contrib.fasthttp import FastHttpSession
from locust.env import Environment

from bench.draws import weighted
from bench.forms import count_is_estimated, find_form, form_errors, lists_nothing

PLAN: dict = {}
STATE = {"phase": "setup", "capture": False, "tasks": 0, "touring": 0}
SAMPLES: list[dict] = []
SESSIONS: dict[str, FastHttpSession] = {}  # username -> a session logged in once, shared by all users
REQUEST_IDS = itertools.count(1)

# What readers and writers do, with their weights (relative frequency of a task). A task is
# one request, or a write and the read that shows its effect; signed-in tasks make up about
# a third of the requests, writes about 8%.
ANONYMOUS_TASKS = {
    "home": 4, "org_list": 8, "org_list_filtered": 9, "org_search": 12, "org_detail": 16,
    "plenipotentiaries": 2, "api_org_list": 3, "api_org_search": 3, "api_org_detail": 3,
    "api_territories": 1, "calls_list": 6, "calls_search": 5, "call_detail": 8, "api_calls_list": 2,
    "api_call_detail": 1, "partner_list": 3, "partner_search": 1, "partner_detail": 3, "api_partner_list": 1,
    "site_search": 2, "calls_feed": 1, "funders": 1, "twinning_list": 1, "find_suggestions": 2,
    "event_list": 3, "event_detail": 3, "api_events": 1, "kpis": 1, "portfolio": 2,
    "consultation_list": 2, "consultation_detail": 2, "consultation_section": 4, "consultation_report": 2,
}
SIGNED_IN_TASKS = {
    # representatives: their own pages, public pages as themselves, their writes
    "rep:own_org_edit_form": 3, "rep:profile": 2, "rep:subscriptions": 2, "rep:org_detail": 4,
    "rep:org_search": 4, "rep:calls_list": 3, "rep:call_detail": 3, "rep:partner_list": 1,
    "rep:org_edit": 3, "rep:org_create": 1, "rep:partner_create": 2, "rep:subscribe": 2, "rep:event_register": 2,
    "rep:consultation_section": 2, "rep:remark_submit": 2, "rep:event_list": 2, "rep:fitting_requests": 1,
    # officers and coordinators
    "officer:profile": 1, "officer:calls_list": 2, "officer:call_publish": 1, "officer:call_edit": 1,
    "coordinator:org_list_filtered": 1, "coordinator:org_verify": 1, "coordinator:org_detail": 1,
}
ZIPF_EXPONENT = 1.0  # a few organizations are very popular; every one is reachable


class Zipf:
    """Draw items with a Zipf skew over a random popularity order fixed by the plan's seed."""

    def __init__(self, items: list, seed: int):
        self.items = list(items)
        random.Random(seed).shuffle(self.items)
        total, self.cumulative = 0.0, []
        for rank in range(1, len(self.items) + 1):
            total += 1 / rank**ZIPF_EXPONENT
            self.cumulative.append(total)

    def draw(self, rng: random.Random):
        if not self.items:
            return None
        return self.items[bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[-1])]


def page_number(rng: random.Random, last: int) -> int:
    """Most visitors stay on page 1; some go on, a few up to page 40."""
    if rng.random() < 0.6 or last <= 1:
        return 1
    return min(last, 40, 1 + int(rng.expovariate(1 / 6)))


class Traffic:
    """Builds each request of the mix from the plan's data with one random stream per user."""

    def __init__(self, plan: dict, rng: random.Random):
        d = plan["data"]
        self.d, self.rng = d, rng
        self.orgs = ZIPFS["orgs"]
        self.calls = ZIPFS["calls"]
        self.partners = ZIPFS["partners"]
        self.terms = ZIPFS["terms"]
        self.events = ZIPFS["events"]
        self.call_terms = ZIPFS["call_terms"]
        self.consultations = ZIPFS["consultations"]
        self.sections = ZIPFS["sections"]

    def lang(self) -> str:
        return self.rng.choices(["en", "pl", "tr"], weights=[3, 5, 2])[0]

    def org_filters(self) -> dict:
        r, d = self.rng, self.d
        filters = {}
        for name, values, chance in (
            ("territory", d["counties"], 0.6), ("kind", d["kinds"], 0.4),
            ("verified", ["true", "false"], 0.3), ("thematic_area", d["areas"], 0.35),
            ("country", d.get("countries_abroad", []), 0.05),
        ):
            if values and r.random() < chance:
                filters[name] = r.choice(values)
        return filters or {"territory": r.choice(d["counties"])}

    def url(self, endpoint: str) -> str:
        r, d = self.rng, self.d
        if endpoint == "home":
            return f"/{self.lang()}/"
        if endpoint == "org_list":
            query = {"page": page_number(r, d["org_pages"])}
            if r.random() < 0.15:
                query["ordering"] = r.choice(["-created_at", "name"])
            return f"/{self.lang()}/organizations/?{urlencode(query)}"
        if endpoint == "org_list_filtered":
            return f"/{self.lang()}/organizations/?{urlencode(self.org_filters())}"
        if endpoint == "org_search":
            query = {"q": self.terms.draw(r)}
            if r.random() < 0.2:
                query.update(self.org_filters())
            return f"/{self.lang()}/organizations/?{urlencode(query)}"
        if endpoint == "org_detail":
            return f"/{self.lang()}/organizations/{self.orgs.draw(r)[1]}/"
        if endpoint == "plenipotentiaries":
            if r.random() < 0.6:
                query = {"county": r.choice(d["counties"])}
            else:
                query = {"page": page_number(r, d.get("plenipotentiary_pages", 1))}
            return f"/{self.lang()}/plenipotentiaries/?{urlencode(query)}"
        if endpoint == "api_org_list":
            query = {"page": page_number(r, d["org_pages"])} if r.random() < 0.5 else self.org_filters()
            return f"/api/v1/organizations/?{urlencode(query)}"
        if endpoint == "api_org_search":
            return f"/api/v1/organizations/?{urlencode({'search': self.terms.draw(r)})}"
        if endpoint == "api_org_detail":
            return f"/api/v1/organizations/{self.orgs.draw(r)[0]}/"
        if endpoint == "api_territories":
            return f"/api/v1/territories/?{urlencode({'level': 'county', 'page': r.randint(1, 3)})}"
        if endpoint == "calls_list":
            query = {}
            for name, values, chance in (
                ("status", ["open", "forthcoming", "closed"], 0.6), ("funder", d["funders"], 0.3),
                ("thematic_area", d["areas"], 0.3), ("applicant_kind", ["ngo", "school", "public_body"], 0.2),
            ):
                if values and r.random() < chance:
                    query[name] = r.choice(values)
            if not query:
                query["page"] = page_number(r, d["call_pages"])
            return f"/{self.lang()}/calls/?{urlencode(query)}"
        if endpoint == "calls_search":
            return f"/{self.lang()}/calls/?{urlencode({'q': self.call_terms.draw(r)})}"
        if endpoint == "call_detail":
            return f"/{self.lang()}/calls/{self.calls.draw(r)}/"
        if endpoint == "api_calls_list":
            query = {"status": "open"} if r.random() < 0.5 else {"page": page_number(r, d["call_pages"])}
            return f"/api/v1/calls/?{urlencode(query)}"
        if endpoint == "api_call_detail":
            return f"/api/v1/calls/{self.calls.draw(r)}/"
        if endpoint == "partner_list":
            query = r.choice([
                {}, {"status": "any"}, {"country": r.choice(["DE", "PL", "TR"])}, {"partner_kind": "ngo"},
                {"call": r.choice(d["partner_calls"])} if d.get("partner_calls") else {},
            ])
            return f"/{self.lang()}/partners/?{urlencode(query)}"
        if endpoint == "partner_search":
            return f"/{self.lang()}/partners/?{urlencode({'q': self.call_terms.draw(r)})}"
        if endpoint == "partner_detail":
            return f"/{self.lang()}/partners/{self.partners.draw(r)}/"
        if endpoint == "api_partner_list":
            return f"/api/v1/partner-requests/?{urlencode({'page': page_number(r, d['partner_pages'])})}"
        if endpoint == "site_search":
            return f"/{self.lang()}/search/?{urlencode({'q': self.terms.draw(r)})}"
        if endpoint == "calls_feed":
            return f"/{self.lang()}/calls/feed/"
        if endpoint == "funders":
            return f"/{self.lang()}/funders/"
        if endpoint == "twinning_list":
            return f"/{self.lang()}/twinning/"
        if endpoint == "event_list":
            query = {}
            for name, values, chance in (
                ("territory", d["counties"], 0.3), ("kind", d.get("event_kinds", []), 0.3), ("when", ["past"], 0.2),
            ):
                if values and r.random() < chance:
                    query[name] = r.choice(values)
            if not query or r.random() < 0.3:
                query["page"] = page_number(r, d.get("event_pages", 1))
            return f"/{self.lang()}/events/?{urlencode(query)}"
        if endpoint == "event_detail":
            return f"/{self.lang()}/events/{self.events.draw(r)}/"
        if endpoint == "api_events":
            return f"/api/v1/events/?{urlencode({'page': page_number(r, d.get('event_pages', 1))})}"
        if endpoint == "kpis":
            years = d.get("event_years") or [date.today().year]
            return f"/{self.lang()}/kpis/?{urlencode({'year': r.choice(years[-3:])})}"
        if endpoint == "portfolio":
            query = {}
            for name, values, chance in (
                ("status", d.get("project_statuses", []), 0.4), ("territory", d["counties"], 0.3),
                ("year", d.get("event_years", []), 0.3),
            ):
                if values and r.random() < chance:
                    query[name] = r.choice(values)
            if not query:
                query["page"] = page_number(r, d.get("project_pages", 1))
            return f"/{self.lang()}/projects/?{urlencode(query)}"
        if endpoint == "consultation_list":
            query = {"page": page_number(r, d.get("consultation_pages", 1))} if r.random() < 0.5 else {}
            if d.get("issuing_bodies") and r.random() < 0.2:  # a body typed and chosen from the suggestions
                query = {"body": r.choice(d["issuing_bodies"])}
            return f"/{self.lang()}/consultations/?{urlencode(query)}"
        if endpoint == "consultation_detail":
            return f"/{self.lang()}/consultations/{self.consultations.draw(r)}/"
        if endpoint == "consultation_section":
            # The large open consultation's sections, most of its readers: a few sections most read.
            large = d["large_open_consultation"]
            return f"/{self.lang()}/consultations/{large['id']}/sections/{self.sections.draw(r)}/"
        if endpoint == "consultation_report":
            large = d["large_reported_consultation"]
            query = {"page": page_number(r, large["pages"])} if r.random() < 0.8 else {}
            return f"/{self.lang()}/consultations/{large['id']}/report/?{urlencode(query)}"
        if endpoint == "find_suggestions":
            # What a find field asks as one types: the first letters of an issuing body's name,
            # or of a call's identifier or a word of its title.
            if d.get("issuing_bodies") and r.random() < 0.5:
                name = r.choice(d["issuing_bodies"])
                return f"/{self.lang()}/consultations/bodies/?{urlencode({'body': name[: r.randint(2, 8)]})}"
            typed = r.choice(d["partner_calls"]) if d.get("partner_calls") and r.random() < 0.5 else self.call_terms.draw(r)
            return f"/{self.lang()}/partners/calls/?{urlencode({'call': typed[: r.randint(2, 8)]})}"
        raise KeyError(endpoint)


ZIPFS: dict[str, Zipf] = {}


def _shape(url: str | None) -> str:
    """The request without its values: path with numbers and slugs as placeholders, parameter names."""
    if not url:
        return ""
    parts = urlsplit(url)
    segments = [s if s in KNOWN_SEGMENTS else "*" for s in parts.path.split("/")]
    return "/".join(segments) + ("?" + ",".join(sorted({k for k, _ in parse_qsl(parts.query)})) if parts.query else "")


KNOWN_SEGMENTS = {"", "en", "pl", "tr", "api", "v1", "organizations", "calls", "partners", "plenipotentiaries",
                  "territories", "partner-requests", "accounts", "profile", "edit", "new", "subscriptions",
                  "subscribe", "publish", "verify", "login", "events", "registrations", "register", "kpis", "projects",
                  "consultations", "sections", "report"}


def _record(request_type, name, response_time, response_length, response, context, exception, **kwargs):
    headers = getattr(response, "headers", None) or {}
    status = getattr(response, "status_code", 0) or 0
    body = getattr(response, "content", None) if status == 200 else None
    SAMPLES.append({
        "shape": f"{request_type} {_shape(kwargs.get('url'))}",
        "phase": STATE["phase"], "endpoint": name, "ms": round(response_time, 3), "status": status,
        "error": _error_text(exception, status), "queries": _int(headers.get("X-Query-Count")),
        "cache": headers.get("X-Page-Cache"), "signed_in": bool(context.get("signed_in")),
        "kind": context.get("kind", "read"), "request": context.get("request"), "t": round(time.time(), 3),
        "empty": lists_nothing(body), "estimated": count_is_estimated(body),
    })


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _error_text(exception, status) -> str | None:
    if exception is None:
        return None
    return f"{type(exception).__name__}: {str(exception)[:200]} (HTTP {status})"


events.request.add_listener(_record)


def poisson_pacing(mean_seconds: float):
    """Locust's ``constant_pacing`` with exponential intervals: each user starts a task at the
    moments of a Poisson process of rate 1/``mean_seconds``, whatever the tasks' durations.

    Users paced at a constant interval and started together start their tasks together for
    the whole phase: the server then sees a burst of every user at once each interval, not
    the steady arrivals of independent visitors the target rate stands for.
    """

    def wait_time(user) -> float:
        now = time.time()
        due = getattr(user, "_next_start", None)
        if due is None:
            due = now  # the first interval is drawn from now: users spread from the start
        user._next_start = due + user.rng.expovariate(1 / mean_seconds)
        return max(0.0, user._next_start - now)

    return wait_time


class BenchUser(FastHttpUser):
    """One visitor after another: each task draws who acts (anonymous or an account) and what."""

    host = "http://127.0.0.1:8000"
    wait_time = constant(0)
    network_timeout = 60.0
    connection_timeout = 60.0
    max_redirects = 0

    def on_start(self):
        self.rng = random.Random(f"{PLAN['seed']}:{STATE['phase']}:{id(self)}")
        self.traffic = Traffic(PLAN, self.rng)
        names = list(ANONYMOUS_TASKS) + list(SIGNED_IN_TASKS)
        self.task_names = names
        self.task_weights = list(itertools.accumulate([*ANONYMOUS_TASKS.values(), *SIGNED_IN_TASKS.values()]))
        # A tour (the smoke test's): in the latency phase, every task once, in random order,
        # before the weighted mix; the phase lasts until every user has finished its tour.
        self.tour = self.rng.sample(names, len(names)) if PLAN.get("tour") and STATE["phase"] == "latency" else []
        self.touring = bool(self.tour)
        STATE["touring"] += self.touring
        if STATE.get("pace"):
            # Open loop: the first task too at a random moment, not with every other user's.
            gevent.sleep(self.rng.uniform(0, STATE["pace"]))

    # -- requests -----------------------------------------------------------------------
    def send(self, session, method, url, endpoint, *, kind="read", signed_in=False, data=None,
             expect=(200,), check=None):
        context = {"signed_in": signed_in, "kind": kind}
        headers = {"X-Bench-Endpoint": endpoint}
        if STATE["capture"]:
            context["request"] = headers["X-Bench-Request"] = f"{STATE['phase']}-{next(REQUEST_IDS)}"
        if method == "POST":
            headers["Referer"] = f"{self.host}{url}"
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            data = urlencode(data or [])
        with session.request(method, url, name=endpoint, data=data, headers=headers, context=context,
                             allow_redirects=False, catch_response=True) as response:
            if response.status_code not in expect:
                response.failure(f"HTTP {response.status_code} (expected {expect}){form_errors(response)}")
            elif check is not None and not check(response):
                response.failure("the response does not show what it must")
            else:
                response.success()
            return response

    def get(self, endpoint, url=None, **kwargs):
        return self.send(self.client, "GET", url or self.traffic.url(endpoint), endpoint, **kwargs)

    @task
    def visit(self):
        STATE["tasks"] += 1
        r = self.rng
        if self.tour:
            name = self.tour.pop()
        else:
            name = self.task_names[bisect.bisect_left(self.task_weights, r.random() * self.task_weights[-1])]
        try:
            self.act(name)
        finally:
            if self.touring and not self.tour:
                self.touring = False
                STATE["touring"] -= 1

    def act(self, name: str) -> None:
        r = self.rng
        if ":" not in name:
            self.get(name)
            return
        role, action = name.split(":", 1)
        signed_in = [a for a in PLAN["accounts"].get(role, []) if a["username"] in SESSIONS]
        account = r.choice(signed_in) if signed_in else None
        session = SESSIONS[account["username"]] if account else None
        if session is None:
            # No such account at this scale, or its log-in failed: the task counts as an error.
            self.environment.events.request.fire(
                request_type="GET", name=action, response_time=0, response_length=0, response=None,
                context={"signed_in": True}, exception=RuntimeError(f"no signed-in {role} session"),
            )
            return
        handler = getattr(self, f"do_{action}", None)
        if handler is not None:
            handler(session, account)
        else:
            self.signed_in_read(session, action)

    def signed_in_read(self, session, endpoint):
        self.send(session, "GET", self.traffic.url(endpoint), endpoint, signed_in=True)

    # -- signed-in pages ------------------------------------------------------------------
    def do_own_org_edit_form(self, session, account):
        self.send(session, "GET", f"/{self.traffic.lang()}/organizations/{account['org_slug']}/edit/",
                  "own_org_edit_form", signed_in=True)

    def do_fitting_requests(self, session, account):
        """The partner requests that fit the representative's organization, ranked."""
        self.send(session, "GET", f"/{self.traffic.lang()}/partners/for/{account['org_slug']}/",
                  "fitting_requests", signed_in=True)

    def do_profile(self, session, account):
        self.send(session, "GET", f"/{self.traffic.lang()}/accounts/profile/", "profile", signed_in=True)

    def do_subscriptions(self, session, account):
        self.send(session, "GET", f"/{self.traffic.lang()}/alerts/", "subscriptions", signed_in=True)

    # -- writes: the form as people fill it, then the page that shows the change ---------------
    def form_write(self, session, form_url, endpoint, change, *, action_contains=""):
        """GET the form (not measured as the write), change fields, POST it: the POST is the write."""
        page = self.send(session, "GET", form_url, f"{endpoint}_form", signed_in=True)
        if page.status_code != 200:
            return None
        form = find_form(page.text, form_url, action_contains=action_contains)
        if form is None:
            self.send(session, "GET", form_url, endpoint, kind="write", signed_in=True, expect=())
            return None
        change(form)
        action = form.action.split("://", 1)[-1].split("/", 1)[-1]
        return self.send(session, "POST", "/" + action, endpoint, kind="write", signed_in=True,
                         data=form.fields, expect=(302, 303))

    def mark(self) -> str:
        return f"bench{self.rng.randrange(10**9):09d}"

    def do_org_edit(self, session, account):
        marker = self.mark()
        url = f"/en/organizations/{account['org_slug']}/edit/"

        def change(form):
            form.put("description", f"Updated by the benchmark: {marker}.")
        if self._posted(self.form_write(session, url, "org_edit", change)):
            self.get("org_detail", f"/en/organizations/{account['org_slug']}/", check=lambda r: marker in r.text)

    def do_org_create(self, session, account):
        marker = self.mark()
        d = self.d()

        def change(form):
            form.put("name", f"Stowarzyszenie Benchmarku {marker}")
            form.put("kind", "ngo")
            if "legal_form" in form.names():
                form.put("legal_form", "association")
            form.put("territory", self.rng.choice(d["municipalities"] or d["counties"]))
            form.put("description", f"Created by the benchmark: {marker}.")
            form.put("email", f"{marker}@bench.example.invalid")
            for name in ("registry_type", "registry_number"):
                if name in form.names():
                    form.put(name, "")
        response = self.form_write(session, "/en/organizations/new/", "org_create", change)
        if self._posted(response):
            self.get("org_detail", self._location(response), check=lambda r: marker in r.text)

    def do_partner_create(self, session, account):
        marker = self.mark()

        def change(form):
            form.put("title", f"Partner sought for a youth exchange {marker}")
            form.put("description", f"We look for partners for a youth exchange ({marker}).")
            if "deadline" in form.names():
                form.put("deadline", self.d()["future_date"])
            # What a poster states, as in the registry's requests, so that their page ranks the
            # organizations that fit it: half name countries, some a call or territories.
            d, r = self.d(), self.rng
            form.put("thematic_areas", r.sample(d["areas"], r.choice([1, 2, 2, 3])))
            kinds = weighted(r, d["partner_kinds"])
            form.put("partner_kinds", kinds.split(",") if kinds else [])
            countries = weighted(r, d["partner_countries"])
            form.put("countries", countries.split(",") if countries else [])
            if r.random() < d["partner_share_with_territories"]:
                form.put("territories", [str(pk) for pk in r.sample(d["partner_territories"], r.choice([1, 2]))])
            if r.random() < d["partner_share_with_a_call"] and d["partner_calls"]:
                # A poster's choice weighs 1/rank among the popular calls.
                calls = d["partner_calls"]
                form.put("call", r.choices(calls, [1 / rank for rank in range(1, len(calls) + 1)])[0])
        response = self.form_write(session, "/en/partners/new/", "partner_create",
                                   change)
        if self._posted(response):
            # The poster's own page: the request and the organizations ranked for it.
            self.send(session, "GET", self._location(response), "own_partner_detail",
                      check=lambda r: marker in r.text, signed_in=True)

    def do_subscribe(self, session, account):
        d, r = self.d(), self.rng
        # A term and an area this person has no alert for yet: saving the same alert twice is
        # refused (400), rightly, and would count as an error of the server.
        saved = account.setdefault("alerts", set())
        for _attempt in range(20):
            criteria = {"q": self.traffic.call_terms.draw(r), "thematic_area": r.choice(d["areas"])}
            key = (" ".join(re.findall(r"\w+", criteria["q"].casefold())), criteria["thematic_area"])
            if key not in saved:
                break
        saved.add(key)
        url = f"/en/alerts/subscribe/calls/?{urlencode(criteria)}"
        if self._posted(self.form_write(session, url, "subscribe", lambda form: None, action_contains="subscribe")):
            self.send(session, "GET", "/en/alerts/", "subscriptions", signed_in=True)

    def do_event_register(self, session, account):
        """A representative registers for an upcoming event: a seat, or the waiting list; their
        registration's page then shows it."""
        d, r = self.d(), self.rng
        mine = account.setdefault("events", set())
        candidates = d.get("open_events") or []
        event = next((e for e in (r.choice(candidates) for _ in range(20)) if e not in mine), None) if candidates else None
        if event is None:
            return
        mine.add(event)
        response = self.form_write(session, f"/en/events/{event}/", "event_register", lambda form: None,
                                   action_contains="register")
        if self._posted(response):
            self.send(session, "GET", self._location(response), "registration_detail", signed_in=True)

    def do_remark_submit(self, session, account):
        """Someone remarks on a section of the large open consultation; the section's page then shows it."""
        d, r, marker = self.d(), self.rng, self.mark()
        large = d["large_open_consultation"]
        url = f"/en/consultations/{large['id']}/sections/{self.traffic.sections.draw(r)}/"

        def change(form):
            form.put("proposed_wording", f"Proponujemy nowe brzmienie ({marker}).")
            form.put("justification", f"Uzasadnienie z testu wydajności: {marker}.")
        response = self.form_write(session, url, "remark_submit", change, action_contains="sections")
        if self._posted(response):
            self.get("consultation_section", self._location(response).split("#")[0], check=lambda page: marker in page.text)

    def do_call_publish(self, session, account):
        """An officer enters a call and publishes it: afterwards anyone can open it."""
        d, marker = self.d(), self.mark()
        identifier = f"BENCH-NEW-{marker}"

        def change(form):
            form.put("identifier", identifier)
            form.put("programme", self.rng.choice(form.options.get("programme") or [""]))
            form.put("title", f"Youth participation {marker}")
            form.put("summary", f"A call entered by the benchmark ({marker}).")
            form.put("deadline_model", "single_stage")
            # The form's first deadline row (a formset: the page offers one empty row).
            form.put("deadlines-0-date", d["future_date"])
            form.put("deadlines-0-time", "17:00")
            form.put("currency", "EUR")
            form.put("max_grant", "60000")
        created = self.form_write(session, "/en/calls/new/", "call_create", change)
        if not self._posted(created):
            return
        self.send(session, "POST", f"/en/calls/{identifier}/publish/", "call_publish", kind="write", signed_in=True,
                  data=[("csrfmiddlewaretoken", self._csrf(session))], expect=(302, 303))
        account.setdefault("calls", []).append(identifier)
        self.get("call_detail", f"/en/calls/{identifier}/", check=lambda r: marker in r.text)

    def do_call_edit(self, session, account):
        if not account.get("calls"):
            return self.do_call_publish(session, account)
        identifier, marker = self.rng.choice(account["calls"]), self.mark()

        def change(form):
            form.put("summary", f"Changed by the benchmark: {marker}.")
        if self._posted(self.form_write(session, f"/en/calls/{identifier}/edit/", "call_edit", change)):
            self.get("call_detail", f"/en/calls/{identifier}/", check=lambda r: marker in r.text)

    def do_org_verify(self, session, account):
        """A coordinator verifies an organization: it then shows in the verified filter."""
        slug = self.rng.choice(self.d()["unverified"])
        self.send(session, "POST", f"/en/organizations/{slug}/verify/", "org_verify", kind="write", signed_in=True,
                  data=[("csrfmiddlewaretoken", self._csrf(session)), ("verified", "true")], expect=(302, 303))
        self.get("org_detail", f"/en/organizations/{slug}/")

    # -- helpers ------------------------------------------------------------------------
    def d(self) -> dict:
        return PLAN["data"]

    @staticmethod
    def _posted(response) -> bool:
        return response is not None and response.status_code in (302, 303)

    @staticmethod
    def _location(response) -> str:
        location = response.headers.get("Location", "")
        return "/" + location.split("://", 1)[-1].split("/", 1)[-1] if "://" in location else location

    @staticmethod
    def _csrf(session) -> str:
        return next((c.value for c in session.cookiejar if c.name == "csrftoken"), "")


def log_in(environment: Environment, account: dict) -> None:
    session = FastHttpSession(
        base_url=environment.host, request_event=environment.events.request, user=None,
        network_timeout=60.0, connection_timeout=60.0, max_redirects=0,
    )
    page = session.request("GET", "/en/accounts/login/", name="login_form", allow_redirects=False,
                           context={"kind": "setup"})
    form = find_form(page.text or "", "/en/accounts/login/") if page.status_code == 200 else None
    if form is None:
        return
    form.put("username", account["username"])
    form.put("password", account["password"])
    response = session.request("POST", "/en/accounts/login/", name="login", data=urlencode(form.fields),
                               allow_redirects=False,
                               headers={"Referer": f"{environment.host}/en/accounts/login/",
                                        "Content-Type": "application/x-www-form-urlencoded"},
                               context={"kind": "setup", "signed_in": True})
    if response.status_code in (302, 303) and any(c.name == "sessionid" for c in session.cookiejar):
        SESSIONS[account["username"]] = session


def run(plan: dict, samples_path: str) -> None:
    PLAN.update(plan)
    data = plan["data"]
    ZIPFS.update({
        "orgs": Zipf([tuple(o) for o in data["organizations"]], plan["seed"]),
        "calls": Zipf(data["calls"], plan["seed"] + 1),
        "partners": Zipf(data["partner_requests"], plan["seed"] + 2),
        "terms": Zipf(data["search_terms"], plan["seed"] + 3),
        "call_terms": Zipf(data["call_search_terms"], plan["seed"] + 4),
        "events": Zipf(data.get("events", []), plan["seed"] + 5),
        "consultations": Zipf(data.get("consultations", []), plan["seed"] + 6),
        "sections": Zipf(data.get("large_open_consultation", {}).get("sections", []), plan["seed"] + 7),
    })
    BenchUser.host = plan["base_url"]
    environment = Environment(user_classes=[BenchUser], events=events, host=plan["base_url"])
    runner = environment.create_local_runner()
    STATE["phase"] = "setup"
    accounts = [a for role in plan["accounts"].values() for a in role]
    pool = gevent.pool.Pool(plan.get("login_concurrency", 2))
    for account in accounts:
        pool.spawn(log_in, environment, account)
    pool.join()
    requests_per_task = 1.3
    for phase in plan["phases"]:
        STATE.update(phase=phase["name"], capture=phase.get("capture", False), tasks=0, touring=0)
        before = len(SAMPLES)
        if phase.get("rate"):
            # Open loop: enough users, each starting a task every `pace` seconds on average
            # (poisson_pacing), that a slow answer delays only its own user while the others
            # keep arriving on time.
            pace = 1.0
            users = max(2, math.ceil(phase["rate"] * pace / requests_per_task))
            BenchUser.wait_time = poisson_pacing(pace)
            STATE["pace"] = pace
        else:
            users = phase["users"]
            BenchUser.wait_time = constant(0)
            STATE["pace"] = None
        started = time.time()
        runner.start(users, spawn_rate=min(users * 4, 100))
        gevent.sleep(phase["duration"])
        deadline = time.time() + 120
        while STATE["touring"] > 0 and time.time() < deadline:
            gevent.sleep(0.2)
        runner.stop()
        elapsed = time.time() - started
        sent = len(SAMPLES) - before
        if STATE["tasks"]:
            requests_per_task = max(1.0, sent / STATE["tasks"])
        SAMPLES.append({"phase": phase["name"], "endpoint": "__phase__", "seconds": round(elapsed, 2),
                        "users": users, "requests": sent, "target_rate": phase.get("rate")})
        print(f"load: {phase['name']}: {sent} requests in {elapsed:.0f} s", flush=True)
    runner.quit()
    with open(samples_path, "w", encoding="utf-8") as out:
        for sample in SAMPLES:
            out.write(json.dumps(sample) + "\n")


def main() -> None:
    plan_path, samples_path = sys.argv[1], sys.argv[2]
    with open(plan_path, encoding="utf-8") as source:
        run(json.load(source), samples_path)


if __name__ == "__main__":
    main()
