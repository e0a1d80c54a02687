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

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
