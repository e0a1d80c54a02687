"""The documents' periodic jobs."""

import logging
from datetime import time

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.core.jobs import periodic
from clientfolio.documents.services import find_orphans

__all__ = ["check_orphans"]

logger = logging.getLogger(__name__)


@periodic(
    at=time(3, 30),
    description=_("Look for stored files without a record, and records without a file"),
)
@task()
def check_orphans() -> dict[str, int]:
    """Report orphans to the log (``clientfolio documents-orphans --delete`` removes the
    files); a storage that cannot list its files is skipped."""
    try:
        stray, missing = find_orphans()
    except NotImplementedError:
        return {"files": 0, "rows": 0}
    if stray or missing:
        logger.warning(
            "Documents: %d stored files without a version row, %d versions without a file",
            len(stray),
            len(missing),
        )
    return {"files": len(stray), "rows": len(missing)}
