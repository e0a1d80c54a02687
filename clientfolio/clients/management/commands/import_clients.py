from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from tqdm import tqdm

from clientfolio.clients import exchange, tasks
from clientfolio.clients.models import Client
from clientfolio.core.jobs import start_job
from clientfolio.core.models import User
from clientfolio.core.permissions import Action, can


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
        parser.add_argument(
            "--background",
            action="store_true",
            help="Check the file in a background job (clientfolio worker) for the "
            "user named by --user, who then sees its progress, its row-by-row "
            "report and the import button on the job's page.",
        )
        parser.add_argument(
            "--user", help="With --background: who starts the job (user name)."
        )

    def handle(self, *args, file: Path, dry_run=False, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        if options["background"]:
            self.start_in_background(file, options.get("user"))
            return
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

    def start_in_background(self, file: Path, username: str | None) -> None:
        """Queue the check of ``file`` as the web page does for a large file."""
        user = User.objects.filter(username=username or "", is_active=True).first()
        if user is None:
            raise CommandError("--background needs --user: an active user's name.")
        if not can(user, Action.IMPORT, Client):
            raise CommandError(f"{user.username} may not import clients.")
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title = gettext("Check of %(name)s") % {"name": file.name}
        job = start_job(
            tasks.check_import,
            user=user,
            kind=tasks.IMPORT_CHECK,
            title=title,
            params={
                "upload": tasks.stash_upload(file.read_bytes()),
                "filename": file.name,
            },
        )
        page = str(settings.SITE_URL).rstrip("/") + reverse(
            "core:job_detail", args=[job.pk]
        )
        self.stdout.write(
            f"Checking {file.name} in the background (job {job.pk}). "
            f"Progress, the report and the import button: {page}"
        )
