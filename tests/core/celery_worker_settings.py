"""Settings of the real Celery worker that tests/core/test_jobs_celery.py starts: the
application's settings, with e-mail written to files the test reads."""

import os

from clientfolio.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["CLIENTFOLIO_TEST_MAIL_DIR"]
