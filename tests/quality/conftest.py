"""The quality tests' cast: the shared project with a milestone and a plain task, a
deliverable on the milestone, a standard, and a contact of another client."""

import pytest

from clientfolio.clients.models import Contact
from clientfolio.quality import services
from clientfolio.quality.models import Deliverable, QualityStandard
from tests.clients.factories import ClientFactory
from tests.schedule.factories import TaskFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def milestone(project):
    return TaskFactory(project=project, name="设计评审通过", milestone=True)


@pytest.fixture
def plain_task(project):
    return TaskFactory(project=project, name="架构设计", duration=3)


@pytest.fixture
def deliverable(project, milestone, member):
    """架构设计说明书, submitted, on the milestone, with two criteria."""
    return services.save_deliverable(
        Deliverable(
            project=project,
            milestone=milestone,
            name="架构设计说明书",
            acceptance_criteria="包含部署架构图\n性能设计满足 P95 ≤ 300 ms",
            owner=member,
            status=Deliverable.Status.SUBMITTED,
        )
    )


@pytest.fixture
def standard(project):
    return services.save_standard(
        QualityStandard(
            project=project,
            category="technical",
            title="接口性能",
            target="P95 响应时间 ≤ 300 ms",
        )
    )


@pytest.fixture
def contact(client_record):
    return client_record.contacts.get(name="张伟")


@pytest.fixture
def stranger(db):
    """王芳, a contact of another client."""
    other = ClientFactory(name="北京星河贸易有限公司", contacts=[Contact(name="王芳")])
    return other.contacts.get()


@pytest.fixture
def other_milestone(db):
    """A milestone of another project."""
    return TaskFactory(name="别的项目里程碑", milestone=True)


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages in English, whatever the default language."""
    from django.utils import translation

    with translation.override("en"):
        yield
