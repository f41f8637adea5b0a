"""Browser tests: headless Chromium (Debian's, never a downloaded one) driven by Playwright.

Fixtures:

- ``browser``: one Chromium for the whole folder (package scope);
- ``page``: a fresh context (cookies, storage) per test, English locale, ``base_url`` set to
  the live server, with the console errors of the page collected in ``page.console_errors``;
- ``screenshot``: ``screenshot(page, "step")`` saves a full-page PNG to
  ``test-artifacts/screenshots/<test-name>-<step>.png``;
- ``check_accessibility(page)``: runs axe-core and fails on any serious or critical violation.

Every test in this folder is marked ``browser`` and uses a transactional database with
serialized rollback (the live server runs in another thread and must see committed rows;
the rollback restores the migrations' reference data). Without /usr/bin/chromium the
tests are skipped, except under CI (``CI`` set) where that is a failure.
"""

import json
import os
import re
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO_DIR = HERE.parent.parent
ARTIFACTS_DIR = REPO_DIR / "test-artifacts"
SCREENSHOTS_DIR = ARTIFACTS_DIR / "screenshots"
AXE_REPORTS_DIR = ARTIFACTS_DIR / "axe"

CHROMIUM = os.environ.get("CIVICBRIDGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The project's own axe-core (package.json) when installed, else the copy bundled with
# axe-playwright-python.
AXE_CORE_JS = REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    # Conftest hooks see the whole session's items: mark only this folder's.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests.

    Package-scoped rather than session-scoped: Playwright's sync API leaves an asyncio loop
    running in the main thread for as long as it is started, which would leak into the
    tests collected after this folder (asyncio.run(), async_to_sync). Ending it with the
    folder keeps them unaffected; the folder still gets exactly one browser.
    """
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        message = (
            f"Chromium not found at {CHROMIUM}. Install Debian's package: "
            "apt-get install -y chromium fonts-dejavu-core (or set CIVICBRIDGE_CHROMIUM)."
        )
        if _in_ci():
            pytest.fail(message + " Browser tests must run under CI.", pytrace=False)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # While Playwright's loop runs, Django refuses ORM calls from this thread
    # (SynchronousOnlyOperation). The tests' own queries are synchronous in fact: allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # With a running loop Django also keeps database connections per context instead of per
    # thread, so this thread would get fresh connection objects: without the test database's
    # serialized contents (serialized rollback would break) and other than the ones the live
    # server shares. Keep using this thread's connections.
    own_connections = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, connection in own_connections.items():
                connections[alias] = connection
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Territories and thematic areas come from a data migration, which the flush after each
    transactional test wipes. ``serialized_rollback`` restores them (and keeps the flush from
    re-creating content types under new ids, which would break the next serialized-rollback
    test elsewhere in the suite); this loads them should they be missing all the same."""
    from civicbridge.core.models import Territory, ThematicArea
    from civicbridge.core.reference import load_territories, load_thematic_areas

    if not Territory.objects.exists():
        load_territories()
    if not ThematicArea.objects.exists():
        load_thematic_areas()


@pytest.fixture
def site_url(live_server, settings):
    """The live server's address; e-mailed links point at it too."""
    settings.CIVICBRIDGE_SITE_URL = live_server.url
    return live_server.url


def _new_page(browser, base_url, **context_options):
    context = browser.new_context(
        base_url=base_url,
        locale="en-GB",
        viewport={"width": 1280, "height": 900},
        **context_options,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    # Assertions wait as long as actions: under CI's load a page can take more than expect's 5 s.
    from playwright.sync_api import expect

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    page.console_errors = []
    page.javascript_enabled = context_options.get("java_script_enabled", True)

    def on_console(message):
        if message.type == "error":
            page.console_errors.append(f"{message.text} [{page.url}]")

    page.on("console", on_console)
    page.on(
        "pageerror", lambda error: page.console_errors.append(f"uncaught: {error} [{page.url}]")
    )
    return context, page


@pytest.fixture
def new_page(browser, site_url):
    """Factory for extra pages, each in its own context (e.g. JavaScript disabled)."""
    contexts = []

    def make(**context_options):
        context, page = _new_page(browser, site_url, **context_options)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, step)`` -> the path of a full-page PNG named after the test and step."""
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    test_name = _safe_name(request.node.name)

    def take(page, step: str) -> Path:
        path = SCREENSHOTS_DIR / f"{test_name}-{_safe_name(step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _axe():
    from axe_playwright_python.sync_playwright import Axe

    if AXE_CORE_JS.is_file():
        return Axe.from_file(AXE_CORE_JS)
    return Axe()


_AXE = None


def check_accessibility(page, *, context=None, options=None, report_name: str | None = None):
    """Run axe-core on the page as it is now and fail on serious or critical violations.

    Every violation (any impact) is also written to ``test-artifacts/axe/`` for review.
    Returns the full list of violations.
    """
    global _AXE
    if not getattr(page, "javascript_enabled", True):
        # page.evaluate() never returns in a context without JavaScript.
        raise RuntimeError(
            "axe-core needs JavaScript: check the page in a context with JavaScript enabled"
        )
    if _AXE is None:
        _AXE = _axe()
    run_options = {"resultTypes": ["violations"]}
    if options:
        run_options.update(options)
    results = _AXE.run(page, context=context, options=run_options)
    violations = results.response["violations"]
    if violations:
        AXE_REPORTS_DIR.mkdir(parents=True, exist_ok=True)
        name = _safe_name(report_name or page.url.split("://", 1)[-1].split("/", 1)[-1] or "root")
        summary = [
            {
                "url": page.url,
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [
                    {"target": n["target"], "summary": n.get("failureSummary", "")}
                    for n in v["nodes"]
                ],
            }
            for v in violations
        ]
        (AXE_REPORTS_DIR / f"{name}.json").write_text(
            json.dumps(summary, indent=2, ensure_ascii=False)
        )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe-core: {len(blocking)} serious/critical violation(s) on {page.url}"]
        for violation in blocking:
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
            )
            for node in violation["nodes"][:10]:
                lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
                if node.get("failureSummary"):
                    lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        pytest.fail("\n".join(lines), pytrace=False)
    return violations


@pytest.fixture(scope="package", autouse=True)
def _database_as_migrated_after_the_folder(django_db_setup, django_db_blocker):
    """Leave the test database as the migrations made it, not empty.

    Each transactional test ends with a flush; with serialized rollback the next such test
    restores the data first, but the tests that follow this folder in the same process (with
    pytest-xdist's --dist loadfile the order of files is not Django's order) would find no
    territories, content types or permissions.
    """
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)
        from civicbridge.core.reference import load_territories, load_thematic_areas

        load_territories()  # idempotent: a no-op after the restore above
        load_thematic_areas()


@pytest.fixture(scope="package", autouse=True)
def _fresh_artifacts():
    # One run's screenshots and axe reports, not an accumulation of old ones. Parallel
    # workers (xdist) would delete each other's files: they keep what is there.
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        for directory in (SCREENSHOTS_DIR, AXE_REPORTS_DIR):
            shutil.rmtree(directory, ignore_errors=True)
    yield
