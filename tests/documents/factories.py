"""Factories of documents. Documents are uploaded through documents.services, so their
versions, hashes and search text are what the application would have stored."""

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from clientfolio.documents import services
from clientfolio.documents.models import Document, Folder
from tests.projects.factories import ProjectFactory

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(name="需求规格说明书.pdf", content=PDF, content_type="application/pdf"):
    """An uploaded file as the browser or API client would send it."""
    return SimpleUploadedFile(name, content, content_type=content_type)


class FolderFactory(DjangoModelFactory):
    class Meta:
        model = Folder

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"文件夹{n}")


class DocumentFactory(DjangoModelFactory):
    """A document with one version uploaded by ``created_by``; pass ``file=upload(...)``
    for other content."""

    class Meta:
        model = Document

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"需求规格说明书{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        file = kwargs.pop("file", None) or upload()
        project = kwargs.pop("project")
        return services.upload_documents(
            project,
            [file],
            user=kwargs.pop("created_by", None),
            folder=kwargs.pop("folder", None),
            title=kwargs.pop("title"),
            category=kwargs.pop("category", ""),
            notes=kwargs.pop("notes", ""),
            visibility=kwargs.pop("visibility", Document.Visibility.INTERNAL),
            note=kwargs.pop("note", ""),
        )[0]
