"""The finance overview numbers on a small hand-computed project (finance.report)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from clientfolio.finance import report
from clientfolio.finance.models import BudgetLine, ExchangeRate
from tests.finance.billing_factories import issued, line
from tests.finance.factories import ExpenseFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

STATUS_DATE = date(2026, 3, 10)  # a Tuesday; March 2026 has no statutory holiday


def D(value):
    return Decimal(value)


def _approved_trip(project, member, amount):
    """Travel spent on 2026-03-05, approved."""
    return ExpenseFactory(
        project=project,
        spent_on=date(2026, 3, 5),
        amount=amount,
        description="差旅",
        status="approved",
        submitted_by=member,
    )


def test_budget_against_actual_by_category_and_branch(project, plan):
    # when the overview is built on the status date
    with translation.override("en"):
        overview = report.build_overview(project, STATUS_DATE)

    # then by category: labour 30,000 / 10,000, travel 5,000 / 1,000
    assert [(r.key, r.budget, r.actual) for r in overview.categories] == [
        ("labor", D("30000.00"), D("10000.00")),
        ("travel", D("5000.00"), D("1000.00")),
    ]
    # and by WBS branch, the unassigned row last
    assert [(r.wbs, r.label, r.budget, r.actual) for r in overview.branches] == [
        ("1", "设计", D("10000.00"), D("6000.00")),
        ("2", "开发", D("20000.00"), D("4000.00")),
        ("", "Unassigned (no WBS task)", D("5000.00"), D("1000.00")),
    ]
    total = overview.total
    assert (total.budget, total.actual, total.remaining) == (
        D("35000.00"),
        D("11000.00"),
        D("24000.00"),
    )
    assert total.percent == D("31.4")


def test_earned_value_from_the_latest_baseline(project, plan):
    overview = report.build_overview(project, STATUS_DATE)
    evm = overview.evm.indicators
    # PV: 设计 10,000 + 编码 2/5 × 20,000 + travel 7/10 workdays × 5,000
    assert evm.bac == D("35000.00")
    assert evm.pv == D("21500.00")
    # EV: 10,000 + 50 % × 20,000 + 5,000 × 75 % (duration-weighted project progress)
    assert evm.ev == D("23750.00")
    assert evm.ac == D("11000.00")
    assert evm.sv == D("2250.00")
    assert evm.cv == D("12750.00")
    assert evm.spi == D("1.1047")
    assert evm.cpi == D("2.1591")
    assert evm.eac == D("16210.53")
    assert evm.etc == D("5210.53")
    assert evm.vac == D("18789.47")
    # and the S-curve ends with the same PV, EV and AC on the status date
    point = next(p for p in overview.evm.curve if p.on == STATUS_DATE)
    assert (point.pv, point.ev, point.ac) == (evm.pv, evm.ev, evm.ac)


def test_the_s_curve_earns_value_as_progress_was_made_not_at_the_status_date(
    project, plan
):
    from clientfolio.schedule.models import Task

    # given 设计 done from 03-02 to 03-06 and 编码 started on 03-09 (its history, if
    # any, was recorded after the status date)
    Task.objects.filter(name="设计").update(
        actual_start=date(2026, 3, 2), actual_finish=date(2026, 3, 6)
    )
    Task.objects.filter(name="编码").update(actual_start=date(2026, 3, 9))

    overview = report.build_overview(project, STATUS_DATE)

    # then EV grows over the weeks: nothing on 03-02, 设计 and half of the travel
    # (weighted by days) a week later, everything known on the status date
    ev = {p.on: p.ev for p in overview.evm.curve if p.on <= STATUS_DATE}
    assert ev == {
        date(2026, 3, 2): D("0.00"),
        date(2026, 3, 9): D("12500.00"),
        STATUS_DATE: D("23750.00"),
    }


def test_missing_baseline_and_budget_are_explained(project):
    with translation.override("en"):
        overview = report.build_overview(project, STATUS_DATE)
        assert overview.evm.indicators is None
        text = " ".join(overview.evm.missing)
    assert "No baseline" in text
    assert "No budget" in text


def test_foreign_costs_convert_at_their_dates_rate(project, member):
    ExchangeRate.objects.create(
        from_currency="USD", to_currency="CNY", rate=D("7"), valid_from=date(2026, 1, 1)
    )
    ExchangeRate.objects.create(
        from_currency="USD", to_currency="CNY", rate=D("8"), valid_from=date(2026, 3, 1)
    )
    BudgetLine.objects.create(
        project=project, category="travel", amount=D("100"), currency="USD"
    )
    for spent_on, description in (
        (date(2026, 2, 1), "机票"),
        (date(2025, 2, 1), "无汇率"),
    ):
        ExpenseFactory(
            project=project,
            spent_on=spent_on,
            amount=D("10"),
            currency="USD",
            description=description,
            status="approved",
            submitted_by=member,
        )
    with translation.override("en"):
        overview = report.build_overview(project, STATUS_DATE)
    # budget at the status date's rate (8), the expense at its date's rate (7)
    assert overview.categories[0].budget == D("800.00")
    assert overview.categories[0].actual == D("70.00")
    assert overview.warnings == ["No exchange rate USD → CNY on 2025-02-01: left out."]


def test_billing_totals_per_currency(project):
    a = issued(project, "A", lines=[line(unit_price="1000")], tax_rate="0")
    issued(
        project,
        "B",
        lines=[line(unit_price="500")],
        tax_rate="0",
        due_on=date(2020, 1, 1),
        issued_on=date(2019, 12, 1),
    )
    from clientfolio.finance import billing

    billing.record_payment(a, D("400"), date(2026, 11, 5))
    # on 2026-11-20 A (due 2026-12-01) is not overdue yet, B (due 2020-01-01) is
    [cny] = report.billing_totals(project, today=date(2026, 11, 20))
    assert (cny.invoiced, cny.received, cny.outstanding) == (
        D("1500"),
        D("400"),
        D("1100"),
    )
    assert (cny.overdue_count, cny.overdue) == (1, D("500"))


def test_alerts_on_spending_and_cpi(project, plan, member):
    # given the travel budget nearly spent (4,600 of 5,000) and costs far above value
    _approved_trip(project, member, D("3600"))
    TimeEntryFactory(
        project=project,
        task=plan["coding"],
        user=member,
        worked_on=date(2026, 3, 10),
        cost_amount=D("40000"),
    )
    with translation.override("en"):
        messages = [a.message for a in report.alerts(project, STATUS_DATE)]
    assert any("92.0 % of the budget for Travel" in m for m in messages), messages
    assert any("CPI" in m for m in messages), messages


def test_no_alerts_without_budget(project):
    assert report.alerts(project, STATUS_DATE) == []


def test_the_overview_takes_a_fixed_number_of_queries(
    project, plan, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        report.build_overview(project, STATUS_DATE)


def test_the_folder_overview_shows_alerts_only_to_finance_people(
    project, plan, member, as_persona
):
    # given spending beyond the travel budget
    _approved_trip(project, member, D("9000"))
    from django.urls import reverse

    url = reverse("projects:project_detail", args=[project.pk])
    alerts_url = reverse("finance:overview_alerts", args=[project.pk])
    # when the manager opens the folder overview, then the page loads the alerts
    body = as_persona("project_manager").get(url).content.decode()
    assert f'hx-get="{alerts_url}"' in body
    body = as_persona("project_manager").get(alerts_url).content.decode()
    assert 'id="finance-alerts"' in body
    assert "of the budget for Travel" in body
    # and a member neither loads them nor may ask for them
    body = as_persona("member").get(url).content.decode()
    assert alerts_url not in body
    assert as_persona("member").get(alerts_url).status_code == 403
