from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from clientfolio.clients import exchange


class Command(BaseCommand):
    help = (
        "Import clients with contacts from a CSV (UTF-8 or GBK) or Excel file. "
        "All or nothing: any invalid row means nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file only."
        )

    def handle(self, *args, file: Path, dry_run=False, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        show = options["verbosity"] > 0

        def progress(desc):
            return lambda it: tqdm(
                it,
                desc=desc,
                unit="row" if desc == "check" else "batch",
                disable=not show,
                total=len(it) if hasattr(it, "__len__") else None,
            )

        try:
            report = exchange.parse_file(
                file.read_bytes(), file.name, progress=progress("check")
            )
        except exchange.ImportError_ as error:
            raise CommandError(str(error)) from error
        if not report.ok:
            for problem in report.errors:
                self.stderr.write(
                    f"row {problem.row}, {problem.column or '-'}: {problem.message}"
                )
            if report.truncated:
                self.stderr.write("… more problems not shown.")
            raise CommandError(
                f"{len(report.errors)} problems found; nothing was imported."
            )
        if dry_run:
            self.stdout.write(
                f"OK: {len(report.clients)} clients with {report.contact_count} contacts."
            )
            return
        created = exchange.import_clients(report, progress=progress("import"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {created} clients with {report.contact_count} contacts."
            )
        )
