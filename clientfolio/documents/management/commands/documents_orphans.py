"""``clientfolio documents-orphans``: report stored files without a version row and
version rows whose file is missing; exits 1 when it finds any. With ``--delete`` it
deletes the files without a row (older than ``--older-than`` hours, since a younger one
may belong to an upload whose rows are about to commit) and the temporary files of
interrupted copies, and says what it did. Rows without a file are reported, never
deleted: they are a document's history, and the file may come back from a backup."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from clientfolio.documents.services import ORPHAN_GRACE, delete_orphans, find_orphans


class Command(BaseCommand):
    help = "List document files with no database row, and rows whose file is missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Delete the files without a row (rows without a file are only listed).",
        )
        parser.add_argument(
            "--older-than",
            type=float,
            default=ORPHAN_GRACE.total_seconds() / 3600,
            metavar="HOURS",
            help="With --delete, only delete files older than this (default: 6).",
        )

    def handle(self, *args, **options):
        try:
            if options["delete"]:
                self.delete(timedelta(hours=options["older_than"]))
            stray, missing = find_orphans()
        except NotImplementedError as error:
            raise CommandError(
                _(
                    "This file storage cannot list its files, so orphans cannot be found."
                )
            ) from error
        for name in stray:
            self.stdout.write(
                _("file without a version row: %(name)s") % {"name": name}
            )
        for pk in missing:
            self.stdout.write(_("version %(pk)s: file missing") % {"pk": pk})
        if stray or missing:
            raise CommandError(
                _("%(files)s orphaned files, %(rows)s versions without a file.")
                % {"files": len(stray), "rows": len(missing)}
            )
        self.stdout.write(_("No orphans."))

    def delete(self, older_than: timedelta) -> None:
        deleted, recent = delete_orphans(timezone.now(), older_than=older_than)
        for name in deleted:
            self.stdout.write(_("deleted: %(name)s") % {"name": name})
        for name in recent:
            self.stdout.write(
                _("kept, too recent to be sure it is an orphan: %(name)s")
                % {"name": name}
            )
        self.stdout.write(_("%(count)s files deleted.") % {"count": len(deleted)})
