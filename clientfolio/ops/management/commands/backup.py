"""``clientfolio backup [FILE]``: one archive of the database, the uploaded files and a
manifest, taken while Clientfolio runs. ``clientfolio backup --verify FILE`` checks an
archive without restoring it. Exit statuses: ``ops.cli.EXIT_CODES``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from clientfolio.ops.backups import BackupFailure, verify_backup
from clientfolio.ops.cli import activate_terminal_language
from clientfolio.ops.databases import DatabaseError
from clientfolio.ops.models import BackupRun
from clientfolio.ops.runs import PASSPHRASE_VARIABLE, passphrase, record_backup


class Command(BaseCommand):
    help = (
        "Back up the database, the uploaded files and the secret key into one archive "
        "(safe while Clientfolio runs), or check an archive with --verify."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            help="The archive to write (default: BACKUP_DIR/clientfolio-<time>.tar.zst), "
            "or with --verify the archive to check.",
        )
        parser.add_argument(
            "--verify", action="store_true", help="Check FILE without restoring it."
        )
        parser.add_argument(
            "--passphrase-file",
            help=f"Encrypt (or with --verify: open) with the passphrase on the first "
            f"line of this file; or set {PASSPHRASE_VARIABLE} or BACKUP_PASSPHRASE_FILE.",
        )
        parser.add_argument(
            "--compression",
            choices=["zstd", "gzip"],
            default=None,
            help="zstd (default: BACKUP_COMPRESSION) or gzip.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        activate_terminal_language()
        try:
            secret = passphrase(options["passphrase_file"])
            if options["verify"]:
                self.verify(options["file"], secret)
            else:
                self.backup(options["file"], secret, options["compression"])
        except BackupFailure as error:
            raise CommandError(str(error), returncode=error.exit_code) from error
        except DatabaseError as error:
            raise CommandError(str(error), returncode=1) from error

    def backup(self, file: str | None, secret: str, compression: str | None) -> None:
        compression = compression or settings.BACKUP_COMPRESSION
        if file:
            out = Path(file)
        else:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            suffix = ".tar.zst" if compression == "zstd" else ".tar.gz"
            out = Path(settings.BACKUP_DIR) / (
                f"clientfolio-{stamp}{suffix}{'.enc' if secret else ''}"
            )
        _run, result = record_backup(
            out,
            trigger=BackupRun.Trigger.COMMAND,
            passphrase=secret,
            compression=compression,
            say=lambda message: self.stdout.write(message),
        )
        assert result is not None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backup written: %(path)s (%(size)s MB%(encrypted)s) in %(seconds).1f s"
                )
                % {
                    "path": result.path,
                    "size": f"{result.size / 1_000_000:,.1f}",
                    "encrypted": _(", encrypted") if result.encrypted else "",
                    "seconds": result.seconds,
                }
            )
        )
        self.stdout.write(f"SHA-256 {result.sha256}")

    def verify(self, file: str | None, secret: str) -> None:
        if not file:
            raise CommandError(
                _("Name the archive to check: clientfolio backup --verify FILE"),
                returncode=2,
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(
                _("%(path)s does not exist.") % {"path": path}, returncode=2
            )
        result = verify_backup(
            path, passphrase=secret, bin_dir=settings.BACKUP_PG_BIN_DIR
        )
        manifest = result.manifest
        self.stdout.write(
            _(
                "Backup of %(created)s by Clientfolio %(version)s (Django %(django)s), "
                "%(vendor)s database: %(tables)s tables, %(rows)s rows; %(files)s files."
            )
            % {
                "created": manifest.get("created_at", "?"),
                "version": manifest.get("app_version", "?"),
                "django": manifest.get("django_version", "?"),
                "vendor": manifest.get("database", {}).get("vendor", "?"),
                "tables": len(manifest.get("tables", {})),
                "rows": f"{sum(manifest.get('tables', {}).values()):,}",
                "files": f"{result.files:,}",
            }
        )
        if result.problems:
            for problem in result.problems[:50]:
                self.stderr.write(problem)
            raise CommandError(
                _("The archive is NOT sound: %(count)s problem(s).")
                % {"count": len(result.problems)},
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "The archive is sound: every hash matches and the database snapshot passes its integrity check (%(seconds).1f s)."
                )
                % {"seconds": result.seconds}
            )
        )
