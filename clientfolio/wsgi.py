import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientfolio.settings")
application = get_wsgi_application()
# Import every URL module and view now, not on a worker's first request: on a busy
# two-core machine that first request spent 8 of its 12.6 s importing (issue 14).
get_resolver().url_patterns  # noqa: B018
