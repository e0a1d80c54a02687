"""A document version's file as an HTTP response: shared by the folder's pages and the
client portal, so both serve files the same safe way."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from clientfolio.documents.models import DocumentVersion

__all__ = ["file_response"]


def file_response(version: DocumentVersion, *, inline: bool) -> FileResponse:
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file of this version is missing.")) from missing
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline:
        # Shown on its own, never able to run script or load anything else.
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; object-src 'self'; "
            "style-src 'unsafe-inline'"
        )
    return response
