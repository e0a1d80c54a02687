"""The client analysis: computed for every client from payments, complaints and contacts;
the page lists the clients at risk with their reasons, money only for those who see the
client's contracts, in a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clientfolio.clients.models import Feedback, Payment
from clientfolio.reports.insights import compute_insights
from clientfolio.reports.models import ClientInsight
from tests.clients.factories import ClientFactory, ContractFactory, FeedbackFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 1)
URL = reverse("reports:client_analysis")


def pay(client, day, amount):
    contract = ContractFactory(client=client)
    return Payment.objects.create(contract=contract, received_on=day, amount=amount)


@pytest.fixture
def library(staff):
    """A client that paid much last year and little this year, with a complaint; a
    steady client; a prospect with nothing."""
    falling = ClientFactory(name="下滑客户", status="active", owner=staff)
    pay(falling, datetime.date(2025, 3, 1), Decimal("100000"))
    pay(falling, datetime.date(2026, 2, 1), Decimal("20000"))
    FeedbackFactory(client=falling, kind=Feedback.Kind.COMPLAINT, subject="延期")
    steady = ClientFactory(name="稳定客户", status="active")
    for month in (1, 3, 5):
        pay(steady, datetime.date(2026, month, 10), Decimal("50000"))
        pay(steady, datetime.date(2025, month + 6, 10), Decimal("50000"))
    prospect = ClientFactory(name="潜在客户", status="prospect")
    return {"falling": falling, "steady": steady, "prospect": prospect}


def test_every_client_gets_its_figures_segment_and_signals(library):
    assert compute_insights(TODAY) >= 3
    falling = ClientInsight.objects.get(client=library["falling"])
    assert (falling.revenue, falling.revenue_before) == (
        Decimal("20000.00"),
        Decimal("100000.00"),
    )
    assert falling.at_risk
    codes = [s["code"] for s in falling.signals]
    assert codes[:2] == ["revenue_decline", "complaints"]
    assert falling.signals[0]["value"] == 80
    steady = ClientInsight.objects.get(client=library["steady"])
    assert steady.frequency == 6
    assert [s["code"] for s in steady.signals] == ["no_contact"]
    prospect = ClientInsight.objects.get(client=library["prospect"])
    assert (prospect.segment, prospect.at_risk) == ("none", False)
    # computing again replaces, never doubles
    compute_insights(TODAY)
    assert ClientInsight.objects.filter(client=library["falling"]).count() == 1


def test_the_page_lists_the_clients_at_risk_with_money_for_their_manager(
    library, staff, as_persona
):
    compute_insights(TODAY)
    staff.language = "en"
    staff.save()
    browser = as_persona("staff")
    with CaptureQueriesContext(connection) as first:
        html = browser.get(URL).content.decode()
    assert "下滑客户" in html
    assert "Revenue of the last 12 months is down 80% on the 12 before." in html
    assert "1 open complaint." in html
    assert "¥20,000.00" in html  # staff owns the falling client: sees its money
    assert "潜在客户" not in html
    for n in range(3):
        client = ClientFactory(name=f"沉默客户{n}", status="active")
        pay(client, datetime.date(2025, 1, 5), Decimal("1000"))
    compute_insights(TODAY)
    with CaptureQueriesContext(connection) as second:
        again = browser.get(URL).content.decode()
    assert "沉默客户2" in again
    assert len(first.captured_queries) == len(second.captured_queries) == 8

    member_view = as_persona("member").get(URL).content.decode()
    assert "下滑客户" in member_view
    assert "¥20,000.00" not in member_view  # not the member's client, no project


def test_a_falling_satisfaction_is_a_signal_with_its_figures(library, as_persona):
    from tests.projects.factories import ProjectFactory
    from tests.reports.factories import AnswerFactory, InvitationFactory

    steady = library["steady"]
    project = ProjectFactory(client=steady)
    moment = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)
    earlier = InvitationFactory(survey__project=project)
    AnswerFactory(invitation=earlier, answered_at=moment)  # 4.2
    AnswerFactory(
        invitation=InvitationFactory(survey=earlier.survey),
        answered_at=moment,
        quality=5,
        schedule=5,
    )  # 4.6
    latest = InvitationFactory(survey__project=project)
    AnswerFactory(
        invitation=latest,
        answered_at=moment + datetime.timedelta(days=90),
        quality=3,
        schedule=2,
        communication=4,
        responsiveness=3,
        value=3,
    )  # 3.0
    compute_insights(TODAY)
    insight = ClientInsight.objects.get(client=steady)
    assert insight.at_risk
    (signal,) = [s for s in insight.signals if s["code"] == "satisfaction"]
    assert signal == {
        "code": "satisfaction",
        "value": 14,
        "latest": "3.0",
        "earlier": "4.4",
        "latest_answers": 1,
        "earlier_answers": 2,
    }
    html = as_persona("staff").get(URL).content.decode()
    assert (
        "Satisfaction fell by 1.4 points: the latest survey averages 3.0 against "
        "4.4 in the 2 earlier answers." in html
    )


def test_a_segment_lists_its_clients(library, as_persona):
    compute_insights(TODAY)
    steady = ClientInsight.objects.get(client=library["steady"])
    html = as_persona("staff").get(URL, {"segment": steady.segment}).content.decode()
    assert "稳定客户" in html


def test_the_client_page_shows_its_analysis_in_a_constant_number_of_queries(
    library, staff, as_persona, django_assert_num_queries, time_machine
):
    from django.test import RequestFactory

    from clientfolio.projects.models import Membership
    from clientfolio.reports.panels import client_analysis_panel
    from tests.comms.factories import CommRecordFactory
    from tests.projects.factories import ProjectFactory
    from tests.reports.factories import AnswerFactory, InvitationFactory

    time_machine.move_to(datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC))
    falling = library["falling"]
    compute_insights(TODAY)
    request = RequestFactory().get("/")
    request.user = staff
    with django_assert_num_queries(9):
        small = client_analysis_panel(request, falling)
    project = ProjectFactory(client=falling)
    Membership.objects.create(project=project, user=staff, role="manager")
    for month in (3, 4, 5):
        pay(falling, datetime.date(2026, month, 2), Decimal("1000"))
        CommRecordFactory(
            project=project,
            occurred_at=datetime.datetime(2026, month, 20, 9, tzinfo=datetime.UTC),
        )
        AnswerFactory(invitation=InvitationFactory(survey__project=project))
    with django_assert_num_queries(9):
        big = client_analysis_panel(request, falling)
    assert small["segment_label"] == big["segment_label"]
    assert big["projects_total"] == small["projects_total"] + 1
    assert big["complaints"] == {"total": 1, "open": 1}
    assert big["answers"] == 3
    assert big["days_since_contact"] == (TODAY - datetime.date(2026, 5, 20)).days
    (rows,) = big["money"].values()
    assert [r["received"] for r in rows if r["month"] == "2026-05"] == ["1000.00"]
    assert rows[-1]["month"] == "2026-07"

    html = (
        as_persona("staff")
        .get(reverse("clients:client_detail", args=[falling.pk]))
        .content.decode()
    )
    assert 'id="client-analysis"' in html
    assert "Revenue of the last 12 months is down" in html
    member = as_persona("member").get(
        reverse("clients:client_detail", args=[falling.pk])
    )
    if member.status_code == 200:  # a member sees the client, never its money
        assert "data-client-money" not in member.content.decode()
