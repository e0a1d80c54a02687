"""Test settings: the real settings, with only what makes tests faster or hermetic changed."""

import os
import tempfile

os.environ.setdefault(
    "CLIENTFOLIO_DATA_DIR", tempfile.mkdtemp(prefix="clientfolio-test-")
)

# Jobs run in the request in tests (after commit, like the real backends); the job tests
# switch to the database backend and to Celery on a real Redis server.
os.environ.setdefault("JOBS_BACKEND", "immediate")

from clientfolio.settings import *  # noqa: E402,F403
from clientfolio.settings import STORAGES  # noqa: E402

# One process: the cross-request caches (core.caching) are on, as with Redis.
CACHE_ACROSS_REQUESTS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Test databases are made from the models, not by applying the migrations: replaying
# them renders the model state hundreds of times (35 s per xdist worker), and
# ``makemigrations --check`` in ``make test`` keeps models and migrations equal. The
# one data migration's rows are seeded by tests/conftest.py. CI's PostgreSQL pass
# applies the real migrations (TEST_APPLY_MIGRATIONS=1 in .ci/run).
if os.environ.get("TEST_APPLY_MIGRATIONS") != "1":
    for _database in DATABASES.values():  # noqa: F405
        _database.setdefault("TEST", {})["MIGRATE"] = False
