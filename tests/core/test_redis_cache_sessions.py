"""Cache and sessions on a real Redis server, with the settings an operator's
``REDIS_URL`` makes (docs/operations.md, *Redis*): a user signs in and works across
requests, stays signed in when Redis loses everything (a restart), is signed out for
good when they sign out, and what one process caches or invalidates every other sees."""

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from django.urls import reverse

from tests.core.factories import PASSWORD
from tests.servers import redis_database_url, settings_from

pytestmark = pytest.mark.django_db

SESSION_PREFIX = ":1:django.contrib.sessions.cached_db"


@pytest.fixture(scope="module")
def redis_site():
    url = redis_database_url()
    loaded = settings_from({"REDIS_URL": url, "CACHE_KEY_PREFIX": "cf-test"})
    server = redis.Redis.from_url(url)
    server.flushdb()
    yield {"url": url, "settings": loaded, "server": server}
    server.flushdb()
    server.close()


@pytest.fixture
def on_redis(redis_site, settings):
    settings.CACHES = redis_site["settings"]["CACHES"]
    settings.SESSION_ENGINE = redis_site["settings"]["SESSION_ENGINE"]
    yield redis_site["server"]
    redis_site["server"].flushdb()


def test_redis_url_puts_the_cache_and_write_through_sessions_on_redis(redis_site):
    cache = redis_site["settings"]["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == redis_site["url"]
    assert redis_site["settings"]["SESSION_ENGINE"] == (
        "django.contrib.sessions.backends.cached_db"
    )
    # Without Redis: a cache per process, and sessions in the database alone.
    plain = settings_from({})
    assert plain["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert plain["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_a_user_stays_signed_in_across_requests_and_a_redis_restart(on_redis, staff):
    browser = Client()
    response = browser.post(
        reverse("core:login"), {"username": "staff", "password": PASSWORD}
    )
    assert response.status_code == 302
    key = browser.cookies["sessionid"].value
    cached = f"cf-test{SESSION_PREFIX}{key}"
    assert on_redis.exists(cached)

    assert browser.get(reverse("home")).status_code == 200
    # A restart without persistence (or an eviction) loses every key; the session is
    # read from the database again and put back into Redis.
    on_redis.flushdb()
    response = browser.get(reverse("home"))
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "staff"
    assert on_redis.exists(cached)

    browser.post(reverse("core:logout"))
    assert not on_redis.exists(cached)
    response = browser.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_what_one_process_invalidates_no_process_reads_again(on_redis, redis_site):
    # Two web workers: each its own cache client and connections to the same Redis.
    first = caches["default"]
    second = RedisCache(redis_site["url"], {"KEY_PREFIX": "cf-test"})

    first.set("project:7:tabs", ["overview", "schedule"])
    assert second.get("project:7:tabs") == ["overview", "schedule"]
    first.delete("project:7:tabs")
    assert second.get("project:7:tabs") is None

    # Versioned keys (bump the version instead of finding every key) and counters.
    first.set("client-list:counts", {"active": 3}, version=1)
    second.incr_version("client-list:counts")
    assert first.get("client-list:counts", version=1) is None
    assert first.get("client-list:counts", version=2) == {"active": 3}
    first.add("hits", 0)
    assert [first.incr("hits"), second.incr("hits"), first.incr("hits")] == [1, 2, 3]


def test_the_portal_sign_in_limit_counts_in_redis(on_redis, settings):
    settings.PORTAL_SIGN_IN_ADDRESS_LIMIT = 2
    url = reverse("portal:sign_in")
    statuses = [
        Client().post(url, {"email": "nobody@example.com"}).status_code
        for _ in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert int(on_redis.get("cf-test:1:portal-sign-in:127.0.0.1")) == 3


def test_health_checks_the_redis_cache(on_redis, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    response = Client().get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "storage": "ok", "cache": "ok"}

    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = Client().get(reverse("core:health"))
    assert response.status_code == 503
    assert response.json()["cache"] == "error"
