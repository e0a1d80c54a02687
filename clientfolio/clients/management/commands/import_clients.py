import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from tqdm import tqdm

from clientfolio.clients import exchange, tasks
from clientfolio.clients.mapping import BUILT_IN_PRESETS
from clientfolio.clients.models import Client, ImportPreset
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
        parser.add_argument(
            "--preset",
            help="Column mapping for a file from another CRM: a saved preset's name "
            "or a built-in one ("
            + ", ".join(p.slug for p in BUILT_IN_PRESETS)
            + "). Without it, a file not in our own layout is mapped by its "
            "column names, and the mapping is printed.",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the messages (default: the --user's, else the "
            "terminal's locale if it is Chinese or English, else the site's).",
        )

    def handle(self, *args, file: Path, dry_run=False, **options):
        language = options.get("language") or _terminal_language()
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is not None and user.language and not options.get("language"):
                language = user.language
        with translation.override(language):
            self.run(file, dry_run, options)

    def run(self, file: Path, dry_run: bool, options) -> None:
        if not file.exists():
            raise CommandError(gettext("No such file: %(file)s") % {"file": file})
        data = file.read_bytes()
        try:
            mapping = self.mapping(data, file.name, options.get("preset"))
        except exchange.ImportError_ as error:
            raise CommandError(str(error)) from error
        if options["background"]:
            self.start_in_background(file, options.get("user"), mapping)
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
                data, file.name, progress=progress("check"), mapping=mapping
            )
        except exchange.ImportError_ as error:
            raise CommandError(str(error)) from error
        if not report.ok:
            for problem in report.errors:
                self.stderr.write(
                    gettext("row %(row)s, %(column)s: %(message)s")
                    % {
                        "row": problem.row,
                        "column": problem.column or "-",
                        "message": problem.message,
                    }
                )
            if report.truncated:
                self.stderr.write(gettext("… more problems not shown."))
            raise CommandError(
                ngettext(
                    "%(count)d problem found; nothing was imported (rows are "
                    "numbered as in the spreadsheet: the header is row 1).",
                    "%(count)d problems found; nothing was imported (rows are "
                    "numbered as in the spreadsheet: the header is row 1).",
                    len(report.errors),
                )
                % {"count": len(report.errors)}
            )
        if dry_run:
            self.stdout.write(
                gettext("OK: %(clients)s. Nothing was imported (dry run).")
                % {"clients": _clients_with_contacts(report)}
            )
            return
        created = exchange.import_clients(report, progress=progress("import"))
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Imported %(clients)s.")
                % {"clients": _clients_with_contacts(report, created)}
            )
        )

    def mapping(
        self, data: bytes, filename: str, preset: str | None
    ) -> list[str | None] | None:
        """The column mapping to read the file with: ``None`` for a file in our own
        layout without ``--preset``; else the preset's, or the guessed one (printed)."""
        table = exchange.read_table(data, filename)
        if preset:
            reference = _preset_reference(preset)
            if reference is None:
                raise CommandError(
                    gettext("No preset is called “%(name)s”.") % {"name": preset}
                )
            mapping = exchange.mapping_for(table.header, reference)
        elif exchange.is_own_layout(table.header):
            return None
        else:
            mapping = exchange.guess_for(table.header)
        labels = dict(exchange.field_choices())
        for header, field in zip(table.header, mapping, strict=True):
            target = labels[field] if field else gettext("(left out)")
            self.stdout.write(f"  {header or '-'} → {target}")
        return mapping

    def start_in_background(
        self, file: Path, username: str | None, mapping: list[str | None] | None
    ) -> None:
        """Queue the check of ``file`` as the web page does for a large file."""
        user = User.objects.filter(username=username or "", is_active=True).first()
        if user is None:
            raise CommandError(
                gettext("--background needs --user: an active user's name.")
            )
        if not can(user, Action.IMPORT, Client):
            raise CommandError(
                gettext("%(user)s may not import clients.") % {"user": user.username}
            )
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
                "mapping": mapping,
            },
        )
        page = str(settings.SITE_URL).rstrip("/") + reverse(
            "core:job_detail", args=[job.pk]
        )
        self.stdout.write(
            gettext(
                "Checking %(file)s in the background (job %(job)s). Progress, the "
                "report and the import button: %(page)s"
            )
            % {"file": file.name, "job": job.pk, "page": page}
        )


def _terminal_language() -> str:
    """The language the terminal's locale names, if it is one of ours (``zh_CN.UTF-8``
    → ``zh-hans``), else the site's."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").lower()
        if value.startswith("zh"):
            return "zh-hans"
        if value.startswith("en"):
            return "en"
        if value:
            break
    return str(settings.LANGUAGE_CODE)


def _preset_reference(name: str) -> str | None:
    for preset in BUILT_IN_PRESETS:
        if name in (preset.slug, preset.name):
            return f"builtin:{preset.slug}"
    pk = ImportPreset.objects.filter(name=name).values_list("id", flat=True).first()
    return f"saved:{pk}" if pk else None


def _clients_with_contacts(report: exchange.ImportReport, clients: int = -1) -> str:
    """ "2 clients with 3 contacts", each with its plural."""
    clients = report.client_count if clients < 0 else clients
    return gettext("%(clients)s with %(contacts)s") % {
        "clients": ngettext("%(n)d client", "%(n)d clients", clients) % {"n": clients},
        "contacts": ngettext("%(n)d contact", "%(n)d contacts", report.contact_count)
        % {"n": report.contact_count},
    }
