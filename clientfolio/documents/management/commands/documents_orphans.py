"""``clientfolio documents-orphans``: report stored files without a version row and
version rows whose file is missing. Changes nothing; exits 1 when it finds any."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from clientfolio.documents.services import find_orphans


class Command(BaseCommand):
    help = "List document files with no database row, and rows whose file is missing."

    def handle(self, *args, **options):
        try:
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
