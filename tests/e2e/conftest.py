"""Browser tests: Playwright (sync API) driving Debian's Chromium against ``live_server``.

No pytest-playwright and no downloaded browsers: the system Chromium at /usr/bin/chromium is
launched once per session; every test gets a fresh context (own cookies) and page.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django's ORM would otherwise
# refuse to be called from it (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "pw-12345-x"
SHOTS = Path(os.environ.get("E2E_SHOTS", "/tmp/e2e-shots"))


def pytest_collection_modifyitems(config, items):
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(
        locale="en-US", viewport={"width": 1400, "height": 900}
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    page.close()


@pytest.fixture
def staff_user(transactional_db):
    from clientfolio.core.models import User

    return User.objects.create_user(
        username="li.na", password=PASSWORD, role="staff", language="en"
    )


@pytest.fixture
def login(live_server, context):
    """Sign a user in without the form: a session cookie made on the server side."""

    def _login(user):
        from django.test import Client as DjangoClient

        client = DjangoClient()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.cookies["sessionid"]
        context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
        )
        return user

    return _login


@pytest.fixture
def signed_in(staff_user, login):
    return login(staff_user)


@pytest.fixture
def shots():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture
def make_client(transactional_db):
    """A client with contacts, created through the service as the app would."""

    def _make(name, *, owner=None, status="active", contacts=()):
        from clientfolio.clients import services
        from clientfolio.clients.models import Client, Contact

        return services.create_client(
            Client(name=name, status=status, owner=owner),
            contacts=[Contact(name=n, phone=p, email=e) for n, p, e in contacts],
        )

    return _make


@pytest.fixture(scope="session")
def zh_catalogue():
    """Whether the compiled Chinese catalogue exists (another engineer maintains it)."""
    import clientfolio

    return (
        Path(clientfolio.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.mo"
    ).exists()


# The two screens every portal flow is tried on: a desktop and a phone.
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}


@pytest.fixture
def own_browser(browser, live_server):
    """``own_browser(user, device)``: a page of ``user``'s own browser on ``device``
    (a key of ``VIEWPORTS``, or the context's options), signed in with a session made
    on the server side, in English; its JavaScript errors collect in
    ``page.js_errors``."""
    from django.test import Client as DjangoClient

    opened: list = []

    def open_page(user, device):
        options = VIEWPORTS[device] if isinstance(device, str) else device
        context = browser.new_context(locale="en-US", **options)
        context.set_default_timeout(10_000)
        http = DjangoClient()
        http.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": http.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.js_errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        opened.append(context)
        return page

    yield open_page
    for context in opened:
        context.close()


def no_sideways_scroll(page):
    """The page fits its viewport's width: nothing scrolls sideways."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
