from django.core.management.base import BaseCommand

from clientfolio.clients import services


class Command(BaseCommand):
    help = (
        "Recompute every client's tier from the payments of the trailing twelve months."
    )

    def handle(self, *args, **options):
        changed = services.recompute_tiers()
        self.stdout.write(f"{changed} tiers changed.")
