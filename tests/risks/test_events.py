"""What the risk register tells people: a risk's level rose at an assessment
(``core.events``)."""

import pytest

from clientfolio.core.models import Event
from clientfolio.risks import services

pytestmark = pytest.mark.django_db


def _rises():
    return list(Event.objects.filter(kind="risk.level_rose").order_by("pk"))


def test_a_reassessment_that_raises_the_level_tells_the_owner(
    make_risk, member, project_manager
):
    # given a medium risk (3 × 3 = 9) owned by the member
    risk = make_risk(owner=member)
    assert risk.level == "medium"

    # when it is reassessed at 4 × 4 = 16 (high)
    services.reassess(risk, 4, 4, user=project_manager, note="供应商延期")

    [told] = _rises()
    assert (told.target_type, told.target_id, told.project_id) == (
        "risks.risk",
        risk.pk,
        risk.project_id,
    )
    assert told.recipient_ids == [member.pk]
    assert told.actor_id == project_manager.pk
    assert told.data == {
        "title": "需求变更频繁",
        "old_level": "medium",
        "new_level": "high",
    }


def test_an_assessment_at_the_same_or_a_lower_level_tells_nobody(
    make_risk, member, project_manager
):
    risk = make_risk(owner=member, probability=4, impact=4)
    services.reassess(risk, 4, 4, user=project_manager)  # same level
    services.reassess(risk, 2, 2, user=project_manager)  # lower
    assert _rises() == []


def test_an_edit_that_raises_the_rating_tells_the_owner(
    make_risk, member, project_manager
):
    risk = make_risk(owner=member, probability=1, impact=2)  # low
    risk.probability, risk.impact = 5, 5
    services.update_risk(risk, risk.version, user=project_manager)

    [told] = _rises()
    assert (told.data["old_level"], told.data["new_level"]) == ("low", "critical")

    # an edit that leaves the rating alone tells nobody again
    risk.title = "需求变更频繁（已升级）"
    services.update_risk(risk, risk.version, user=project_manager)
    assert len(_rises()) == 1
