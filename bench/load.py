"""Load generator: mixed traffic from a separate process, bounded in time and count.

Reads a plan (JSON: base URL, endpoints with weights and URL lists, optional
logged-in edits), sends requests from a few threads, and writes one line per
request (endpoint, status, latency in ms, queries reported by the server).

    python -m bench.load plan.json samples.jsonl
"""

import http.client
import json
import random
import re
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Sample:
    endpoint: str
    status: int
    ms: float
    queries: int | None


@dataclass
class Session:
    """A logged-in browser: its cookies and CSRF token."""

    cookies: dict = field(default_factory=dict)

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def absorb(self, response: http.client.HTTPResponse) -> None:
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port

    def request(self, method, path, *, session=None, body=None, headers=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        all_headers = {"Accept-Language": "en", **(headers or {})}
        if session and session.cookies:
            all_headers["Cookie"] = session.header()
        if body is not None:
            body = urllib.parse.urlencode(body, doseq=True)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        connection.close()
        if session is not None:
            session.absorb(response)
        queries = response.headers.get("X-Query-Count")
        return response, content, elapsed, int(queries) if queries else None


def log_in(client: Client, username: str, password: str) -> Session:
    session = Session()
    _, content, _, _ = client.request("GET", "/en/accounts/login/", session=session)
    token = CSRF_INPUT.search(content.decode()).group(1)
    response, _, _, _ = client.request(
        "POST", "/en/accounts/login/", session=session,
        body={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"http://{client.host}:{client.port}/en/accounts/login/"},
    )
    if response.status != 302:
        raise RuntimeError(f"log-in of {username} failed with {response.status}")
    return session


def edit_once(client: Client, session: Session, slug: str, counter: int) -> list[Sample]:
    """A representative opens the edit form and saves a changed description."""
    path = f"/en/organizations/{slug}/edit/"
    response, content, ms, queries = client.request("GET", path, session=session)
    samples = [Sample("org_edit_form", response.status, ms, queries)]
    html = content.decode()
    token = CSRF_INPUT.search(html)
    if response.status != 200 or not token:
        return samples
    form = _form_values(html)
    form["description"] = f"Benchmark edit {counter}: we run workshops for young people."
    form["csrfmiddlewaretoken"] = token.group(1)
    response, _, ms, queries = client.request(
        "POST", path, session=session, body=form,
        headers={"Referer": f"http://{client.host}:{client.port}{path}"},
    )
    samples.append(Sample("org_edit_save", 200 if response.status == 302 else response.status, ms, queries))
    return samples


INPUT = re.compile(r"<input([^>]*)>")
TEXTAREA = re.compile(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', re.S)
SELECT = re.compile(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def _form_values(html: str) -> dict:
    import html as html_lib

    values: dict = {}
    for match in INPUT.finditer(html):
        attrs = dict(ATTR.findall(match.group(1)))
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if not name or kind in ("submit", "file"):
            continue
        if kind in ("checkbox", "radio"):
            if "checked" in match.group(1):
                values.setdefault(name, []).append(attrs.get("value", "on"))
            continue
        values[name] = html_lib.unescape(attrs.get("value", ""))
    for name, text in TEXTAREA.findall(html):
        values[name] = html_lib.unescape(text.strip())
    for name, options in SELECT.findall(html):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        values[name] = selected.group(1) if selected else ""
    return values


def run(plan: dict) -> list[Sample]:
    client = Client(plan["host"], plan["port"])
    endpoints = plan["endpoints"]
    names = list(endpoints)
    weights = [endpoints[n]["weight"] for n in names]
    deadline = time.monotonic() + plan["duration_seconds"]
    budget = [plan["max_requests"]]
    lock = threading.Lock()
    samples: list[Sample] = []
    editors = plan.get("editors", [])

    def take() -> bool:
        with lock:
            if budget[0] <= 0 or time.monotonic() > deadline:
                return False
            budget[0] -= 1
            return True

    def worker(index: int):
        rng = random.Random(plan.get("seed", 1) + index)
        session = None
        editor = editors[index % len(editors)] if editors else None
        counter = 0
        while take():
            name = rng.choices(names, weights)[0]
            try:
                if name == "org_edit":
                    if editor is None:
                        continue
                    if session is None:
                        session = log_in(client, editor["username"], editor["password"])
                    counter += 1
                    batch = edit_once(client, session, editor["slug"], counter)
                else:
                    path = rng.choice(endpoints[name]["urls"])
                    response, _, ms, queries = client.request("GET", path)
                    batch = [Sample(name, response.status, ms, queries)]
            except Exception as error:  # a refused connection or time-out is an error sample
                batch = [Sample(name, 599, 0.0, None)]
                print(f"{name}: {error}", file=sys.stderr)
            with lock:
                samples.extend(batch)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(plan["concurrency"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    samples = run(plan)
    with open(sys.argv[2], "w") as output:
        for sample in samples:
            output.write(json.dumps(sample.__dict__) + "\n")


if __name__ == "__main__":
    main()
