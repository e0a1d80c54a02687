from django.core.management.base import BaseCommand
from django.utils import timezone

from clientfolio.clients import demo
from clientfolio.clients.models import Client


class Command(BaseCommand):
    help = "Load deterministic bilingual demo data into an empty database and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if the database already has clients.",
        )

    def handle(self, *args, force=False, **options):
        if Client.objects.exists() and not force:
            self.stdout.write("The database already has clients; demo data not loaded.")
        else:
            counts = demo.load(timezone.localdate())
            self.stdout.write(
                self.style.SUCCESS(
                    "Demo data loaded: {clients} clients, {contacts} contacts, {contracts} "
                    "contracts, {payments} payments, {feedback} feedback.".format(
                        **counts
                    )
                )
            )
        self.stdout.write("\nDemo logins (user name / password):")
        for username, password, role, *_rest in demo.DEMO_USERS:
            self.stdout.write(f"  {username:<12} {password:<20} {role.label}")
