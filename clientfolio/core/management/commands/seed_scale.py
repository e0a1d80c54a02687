"""``clientfolio seed-scale``: the benchmark data set of DESIGN.md, for the parts that exist.

By default 100,000 clients with 300,000 contacts and about 50,000 contracts with payments,
then 1,000 projects with teams and 100,000 communication records, then 200,000 tasks (one
project of 10,000 tasks and 15,000 dependencies). Each part is written by a
seeder named in ``settings.CLIENTFOLIO_SCALE_SEEDERS``, in order. Deterministic for a given
``--seed`` and ``--today``. Rows go in through ``bulk_create``, so the scale data has no
history rows (history starts with the first real edit).
"""

from datetime import date
from time import monotonic

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string

from clientfolio.core.models import User


class Command(BaseCommand):
    help = (
        "Generate the scale data set for benchmarks (100,000 clients, 300,000 contacts, "
        "50,000 contracts, 1,000 projects, 100,000 communication records) into an empty "
        "database."
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
        parser.add_argument("--projects", type=int, default=1000)
        parser.add_argument("--comm-records", type=int, default=100_000)
        parser.add_argument(
            "--tasks",
            type=int,
            default=200_000,
            help="Tasks over all projects; the first project gets up to 10,000.",
        )
        parser.add_argument(
            "--risks", type=int, default=20_000, help="Risks over all projects."
        )
        parser.add_argument(
            "--documents",
            type=int,
            default=50_000,
            help="Documents over all projects (one shared sample file).",
        )
        parser.add_argument(
            "--batch", type=int, default=5000, help="Rows per transaction."
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
            help="Add the data even if the database already has data.",
        )

    def handle(self, *args, **options):
        for name in ("clients", "projects", "comm_records", "tasks"):
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} must be ≥ 0.")
        if options["batch"] < 1:
            raise CommandError("--batch must be ≥ 1.")
        if User.objects.filter(role="staff").exists() and not options["force"]:
            raise CommandError(
                "The database already has data; seed-scale is meant for an empty database. "
                "Use --force to add the scale data anyway."
            )
        options["today"] = options["today"] or timezone.localdate()
        started = monotonic()
        for path in settings.CLIENTFOLIO_SCALE_SEEDERS:
            summary = import_string(path)(options)
            self.stdout.write(self.style.SUCCESS(summary))
        self.stdout.write(f"Done in {monotonic() - started:.0f} s.")
