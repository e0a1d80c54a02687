"""``clientfolio seed-scale``: the benchmark data set of DESIGN.md, for what exists so far.

100,000 clients with 300,000 contacts, about twenty account managers (password
``clientfolio-scale``), tags, and some 50,000 contracts with payments, after which the computed
tiers are recalculated. Deterministic for a given ``--seed`` and ``--today``.

Rows go in through ``bulk_create`` in batches, each batch in its own transaction, so the
scale data has no django-simple-history rows (history starts with the first real edit).
"""

from datetime import date
from time import monotonic

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from clientfolio.clients import scale
from clientfolio.clients.models import Client


class Command(BaseCommand):
    help = (
        "Generate the scale data set for benchmarks (100,000 clients, 300,000 contacts, "
        "50,000 contracts with payments) into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=100_000)
        parser.add_argument(
            "--contacts-per-client", type=int, default=3, choices=[0, 1, 2, 3]
        )
        parser.add_argument(
            "--contracts",
            type=int,
            default=None,
            help="About this many contracts (default: half the number of clients).",
        )
        parser.add_argument(
            "--batch", type=int, default=5000, help="Clients per transaction."
        )
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Date the data is relative to (YYYY-MM-DD); default today.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the data even if the database already has clients.",
        )

    def handle(self, *args, **options):
        if options["clients"] < 0 or options["batch"] < 1:
            raise CommandError("--clients must be ≥ 0 and --batch ≥ 1.")
        if Client.objects.exists() and not options["force"]:
            raise CommandError(
                "The database already has clients; seed-scale is meant for an empty database. "
                "Use --force to add the scale data anyway."
            )
        bar = None

        def progress(total):
            nonlocal bar
            bar = tqdm(total=total, unit="client", disable=options["verbosity"] == 0)
            return bar.update

        started = monotonic()
        try:
            counts = scale.seed(
                clients=options["clients"],
                contacts_per_client=options["contacts_per_client"],
                contracts=options["contracts"]
                if options["contracts"] is not None
                else options["clients"] // 2,
                batch=options["batch"],
                seed=options["seed"],
                today=options["today"] or timezone.localdate(),
                progress=progress,
            )
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {counts.clients} clients, {counts.contacts} contacts, "
                f"{counts.contracts} contracts, {counts.payments} payments, {counts.tags} tags, "
                f"{counts.users} new staff users ({counts.tiers_changed} tiers changed) "
                f"in {monotonic() - started:.0f} s."
            )
        )
