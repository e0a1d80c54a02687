from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from clientfolio.core.demo import DEMO_USERS
from clientfolio.core.models import User


class Command(BaseCommand):
    help = (
        "Load deterministic bilingual demo data into an empty database (no users yet) and "
        "print the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even if the database has users."
        )

    def handle(self, *args, force=False, **options):
        if User.objects.exists() and not force:
            self.stdout.write("The database already has users; demo data not loaded.")
        else:
            today = timezone.localdate()
            counts: dict[str, int] = {}
            with transaction.atomic():
                for path in settings.CLIENTFOLIO_DEMO_LOADERS:
                    counts.update(import_string(path)(today))
            summary = ", ".join(f"{n} {what}" for what, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}."))
        self.stdout.write("\nDemo logins (user name / password):")
        for username, password, role, *_rest in DEMO_USERS:
            where = (
                f"  ({_('the client portal')}, /portal/)" if role == "client" else ""
            )
            self.stdout.write(f"  {username:<12} {password:<20} {role.label}{where}")
