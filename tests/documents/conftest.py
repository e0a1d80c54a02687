"""Uploaded files of the documents tests go to a temporary folder of their own."""

import pytest

from tests.documents.factories import DocumentFactory, upload


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def contract(project, project_manager):
    """合同 v1 (a PDF) in 客户数据平台一期, uploaded by the project manager."""
    return DocumentFactory(
        project=project,
        title="一期实施合同",
        notes="双方盖章版",
        created_by=project_manager,
        file=upload("一期实施合同.pdf"),
    )


@pytest.fixture(autouse=True)
def _english_messages():
    """Service and command messages in English, whatever the default language."""
    from django.utils import translation

    with translation.override("en"):
        yield
