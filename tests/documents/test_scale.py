"""The documents part of ``seed-scale``: rows in bulk over the projects, every version
pointing at the one shared sample file, searchable and consistent for the orphan check."""

from clientfolio.documents import scale, services
from clientfolio.documents.models import Document, DocumentVersion, Folder
from tests.projects.factories import ProjectFactory


def test_seed_spreads_documents_with_a_shared_file(project, media_root):
    # given three projects
    others = [ProjectFactory(), ProjectFactory()]

    # when 30 documents are seeded, at most 12 in the first project
    counts = scale.seed(documents=30, biggest=12, seed=1, batch=7)

    # then the first project has 12, the others share the rest
    assert (counts.documents, counts.projects, counts.biggest) == (30, 3, 12)
    assert Document.objects.filter(project=project).count() == 12
    assert [Document.objects.filter(project=p).count() for p in others] == [9, 9]
    # every document has its version as current version, in one of its folders
    assert not Document.objects.filter(current_version__isnull=True).exists()
    assert set(DocumentVersion.objects.values_list("file", flat=True)) == {
        scale.SHARED_FILE
    }
    for document in Document.objects.select_related("folder"):
        assert document.folder.project_id == document.project_id
    assert Folder.objects.filter(project__in=others).count() > 0
    # the search text is there, and the orphan check finds nothing wrong
    title = Document.objects.first().title
    assert Document.objects.search(title[2:6]).exists()
    assert services.find_orphans() == ([], [])


def test_seed_without_projects_does_nothing(db, media_root):
    assert scale.seed(documents=10).documents == 0
    assert not Document.objects.exists()
