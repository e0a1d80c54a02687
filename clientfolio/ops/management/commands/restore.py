"""``clientfolio restore FILE``: put an archive of ``clientfolio backup`` back into an
empty data folder or an empty database, then check every table's row count and every
file's hash. Exit statuses: ``ops.cli.EXIT_CODES``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from clientfolio.ops.backups import BackupFailure, restore_backup
from clientfolio.ops.cli import activate_terminal_language
from clientfolio.ops.databases import DatabaseError
from clientfolio.ops.runs import PASSPHRASE_VARIABLE, configured_database, passphrase


class Command(BaseCommand):
    help = (
        "Restore an archive of `clientfolio backup` into an empty data folder or an "
        "empty database, then check every row count and file hash."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The archive to restore.")
        parser.add_argument(
            "--passphrase-file",
            help=f"The passphrase of an encrypted archive, on the first line of this "
            f"file; or set {PASSPHRASE_VARIABLE} or BACKUP_PASSPHRASE_FILE.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        activate_terminal_language()
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(
                _("%(path)s does not exist.") % {"path": path}, returncode=2
            )
        try:
            database = configured_database()
            self.stdout.write(
                _("Restoring %(path)s into %(database)s …")
                % {"path": path, "database": database.describe()}
            )
            result = restore_backup(
                path,
                database=database,
                storage=default_storage,
                data_dir=Path(settings.DATA_DIR),
                passphrase=passphrase(options["passphrase_file"]),
                say=lambda message: self.stdout.write(message),
            )
        except BackupFailure as error:
            raise CommandError(str(error), returncode=error.exit_code) from error
        except DatabaseError as error:
            raise CommandError(str(error), returncode=1) from error
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored and checked: %(tables)s tables with %(rows)s rows and "
                    "%(files)s files, exactly as in the backup (%(seconds).1f s)."
                )
                % {
                    "tables": result.tables,
                    "rows": f"{result.rows:,}",
                    "files": f"{result.files:,}",
                    "seconds": result.seconds,
                }
            )
        )
        if result.pending_migrations:
            self.stdout.write(
                _(
                    "The backup is from an older version: run `clientfolio migrate` "
                    "(%(count)s migrations to apply) before starting Clientfolio."
                )
                % {"count": result.pending_migrations}
            )
