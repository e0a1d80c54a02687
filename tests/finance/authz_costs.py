"""Authorization rows of the finance costs URLs: budget, expenses, time, rates (the
project's and the firm's), exchange rates, the weekly timesheet and their API.

Money is for the manager, the finance role (the accountant) and administrators; members
see and change only their own time and expenses, so the records of the world belong to
the project manager and a member gets 404 for them."""

import datetime
from decimal import Decimal

from tests.authz import (
    ADMIN_PAGE,
    ADMIN_WRITE,
    API,
    LOGIN,
    PAGE,
    WRITE,
    Rule,
    statuses,
)

D = datetime.date

# Pages of a project's budget and rates: manager and finance only.
MONEY_READ = statuses(
    LOGIN, 404, 404, 200, pm=200, member=403, viewer=403, accountant=200
)
MONEY_WRITE = statuses(
    LOGIN, 404, 404, 302, pm=302, member=403, viewer=403, accountant=302
)
MONEY_POST_ONLY_GET = statuses(
    LOGIN, 404, 404, 405, pm=405, member=403, viewer=403, accountant=405
)
# Time and expenses: members too (their own); viewers not at all.
OWN_READ = statuses(
    LOGIN, 404, 404, 200, pm=200, member=200, viewer=403, accountant=200
)
OWN_WRITE = statuses(
    LOGIN, 404, 404, 302, pm=302, member=302, viewer=403, accountant=302
)
# Someone else's time or expense: a member does not see it.
OTHERS_READ = statuses(
    LOGIN, 404, 404, 200, pm=200, member=404, viewer=403, accountant=200
)
OTHERS_WRITE = statuses(
    LOGIN, 404, 404, 302, pm=302, member=404, viewer=403, accountant=302
)
OTHERS_POST_ONLY_GET = statuses(
    LOGIN, 404, 404, 405, pm=405, member=405, viewer=403, accountant=405
)

API_CREATE_MONEY = statuses(
    401, 403, 400, 201, pm=201, member=403, viewer=403, accountant=201
)
API_CREATE_OWN = statuses(
    401, 403, 400, 201, pm=201, member=201, viewer=403, accountant=201
)
API_MONEY_DETAIL = statuses(
    401, 403, 404, 200, pm=200, member=404, viewer=404, accountant=200
)
API_POST_ONLY_GET = statuses(401, 403, 405, 405)


def project_pk(world):
    return {"pk": world.project.pk}


def _in_project(attr, key):
    def build(world):
        return {"pk": world.project.pk, key: getattr(world, attr).pk}

    return build


def _pk(attr):
    return lambda world: {"pk": getattr(world, attr).pk}


def budget_data(world, persona):
    return {
        "category": "material",
        "description": "服务器",
        "amount": "30000.00",
        "currency": "CNY",
        "version": world.budget_line.version,
    }


def expense_data(world, persona):
    return {
        "spent_on": "2026-11-20",
        "category": "travel",
        "description": "客户现场差旅",
        "amount": "1280.00",
        "currency": "CNY",
        "version": world.expense.version,
    }


def time_data(world, persona):
    return {
        "user": world.member.pk,
        "worked_on": "2026-11-24",
        "hours": "2",
        "billable": "on",
        "version": world.time_entry.version,
    }


def rate_data(world, persona):
    return {
        "user": world.member.pk,
        "cost_rate": "180.00",
        "bill_rate": "450.00",
        "currency": "CNY",
        "valid_from": "2026-01-01",
        "version": world.rate.version,
    }


def rate_edit_data(world, persona):
    return {**rate_data(world, persona), "user": world.project_manager.pk}


def firm_rate_data(world, persona):
    return {
        "role": "viewer",
        "cost_rate": "100.00",
        "bill_rate": "200.00",
        "currency": "CNY",
        "valid_from": "2026-01-01",
        "version": world.firm_rate.version,
    }


def firm_rate_edit_data(world, persona):
    return {**firm_rate_data(world, persona), "role": "member"}


def exchange_data(world, persona):
    return {
        "from_currency": "EUR",
        "to_currency": "CNY",
        "rate": "7.80",
        "valid_from": "2026-11-01",
    }


RULES: dict[str, Rule] = {
    # pages
    "finance:timesheet": Rule(
        get=PAGE,
        post=WRITE,
        data=lambda world, persona: {"week": "2026-W48", "rows": "0"},
    ),
    "finance:budget_list": Rule(kwargs=project_pk, get=MONEY_READ),
    "finance:budget_create": Rule(
        kwargs=project_pk, get=MONEY_READ, post=MONEY_WRITE, data=budget_data
    ),
    "finance:budget_edit": Rule(
        kwargs=_in_project("budget_line", "line_pk"),
        get=MONEY_READ,
        post=MONEY_WRITE,
        data=budget_data,
    ),
    "finance:budget_delete": Rule(
        kwargs=_in_project("budget_line", "line_pk"), get=MONEY_READ, post=MONEY_WRITE
    ),
    "finance:budget_export": Rule(kwargs=project_pk, get=MONEY_READ),
    "finance:expense_list": Rule(kwargs=project_pk, get=OWN_READ),
    "finance:expense_create": Rule(
        kwargs=project_pk, get=OWN_READ, post=OWN_WRITE, data=expense_data
    ),
    "finance:expense_edit": Rule(
        kwargs=_in_project("expense", "expense_pk"),
        get=OTHERS_READ,
        post=OTHERS_WRITE,
        data=expense_data,
    ),
    "finance:expense_decide": Rule(
        kwargs=_in_project("expense", "expense_pk"),
        get=OTHERS_POST_ONLY_GET,
        post=OTHERS_WRITE,
        data=lambda world, persona: {
            "decision": "approve",
            "version": world.expense.version,
        },
    ),
    "finance:expense_delete": Rule(
        kwargs=_in_project("expense", "expense_pk"),
        get=OTHERS_READ,
        post=OTHERS_WRITE,
    ),
    "finance:expense_export": Rule(kwargs=project_pk, get=MONEY_READ),
    "finance:time_list": Rule(kwargs=project_pk, get=OWN_READ),
    "finance:time_create": Rule(
        kwargs=project_pk, get=OWN_READ, post=OWN_WRITE, data=time_data
    ),
    "finance:time_edit": Rule(
        kwargs=_in_project("time_entry", "entry_pk"),
        get=OTHERS_READ,
        post=OTHERS_WRITE,
        data=time_data,
    ),
    "finance:time_delete": Rule(
        kwargs=_in_project("time_entry", "entry_pk"),
        get=OTHERS_READ,
        post=OTHERS_WRITE,
    ),
    "finance:time_export": Rule(kwargs=project_pk, get=MONEY_READ),
    "finance:rate_list": Rule(kwargs=project_pk, get=MONEY_READ),
    "finance:rate_create": Rule(
        kwargs=project_pk, get=MONEY_READ, post=MONEY_WRITE, data=rate_data
    ),
    "finance:rate_edit": Rule(
        kwargs=_in_project("rate", "rate_pk"),
        get=MONEY_READ,
        post=MONEY_WRITE,
        data=rate_edit_data,
    ),
    "finance:rate_delete": Rule(
        kwargs=_in_project("rate", "rate_pk"),
        get=MONEY_POST_ONLY_GET,
        post=MONEY_WRITE,
    ),
    "finance:reprice": Rule(
        kwargs=project_pk,
        get=MONEY_POST_ONLY_GET,
        post=MONEY_WRITE,
        data=lambda world, persona: {"since": "2026-01-01"},
    ),
    "finance:firm_rates": Rule(get=ADMIN_PAGE),
    "finance:firm_rate_create": Rule(
        get=ADMIN_PAGE, post=ADMIN_WRITE, data=firm_rate_data
    ),
    "finance:firm_rate_edit": Rule(
        kwargs=lambda world: {"rate_pk": world.firm_rate.pk},
        get=ADMIN_PAGE,
        post=ADMIN_WRITE,
        data=firm_rate_edit_data,
    ),
    "finance:firm_rate_delete": Rule(
        kwargs=lambda world: {"rate_pk": world.firm_rate.pk},
        get=statuses(LOGIN, 405, 405, 405),
        post=ADMIN_WRITE,
    ),
    "finance:exchange_rates": Rule(get=PAGE, post=ADMIN_WRITE, data=exchange_data),
    "finance:exchange_rate_edit": Rule(
        kwargs=lambda world: {"rate_pk": world.exchange_rate.pk},
        get=ADMIN_PAGE,
        post=ADMIN_WRITE,
        data=lambda world, persona: {**exchange_data(world, persona), "rate": "7.2"},
    ),
    # API
    "budget-line-list": Rule(
        get=API,
        post=API_CREATE_MONEY,
        data=lambda world, persona: {
            "project": world.project.pk,
            "category": "travel",
            "amount": "5000.00",
        },
    ),
    "budget-line-detail": Rule(kwargs=_pk("budget_line"), get=API_MONEY_DETAIL),
    "expense-list": Rule(
        get=API,
        post=API_CREATE_OWN,
        data=lambda world, persona: {
            "project": world.project.pk,
            "category": "travel",
            "spent_on": "2026-11-20",
            "amount": "320.00",
            "description": "出租车",
        },
    ),
    "expense-detail": Rule(kwargs=_pk("expense"), get=API_MONEY_DETAIL),
    "expense-approve": Rule(
        kwargs=_pk("expense"),
        get=API_POST_ONLY_GET,
        post=API_MONEY_DETAIL,
        data=lambda world, persona: {"version": world.expense.version},
    ),
    "expense-reject": Rule(
        kwargs=_pk("expense"),
        get=API_POST_ONLY_GET,
        post=API_MONEY_DETAIL,
        data=lambda world, persona: {
            "version": world.expense.version,
            "note": "缺少发票",
        },
    ),
    "time-entry-list": Rule(
        get=API,
        post=API_CREATE_OWN,
        data=lambda world, persona: {
            "project": world.project.pk,
            "worked_on": "2026-11-24",
            "hours": "3",
        },
    ),
    "time-entry-detail": Rule(kwargs=_pk("time_entry"), get=API_MONEY_DETAIL),
    "rate-list": Rule(
        get=API,
        post=API_CREATE_MONEY,
        data=lambda world, persona: {
            "project": world.project.pk,
            "user": world.member.pk,
            "cost_rate": "150.00",
            "bill_rate": "400.00",
            "valid_from": "2026-01-01",
        },
    ),
    "rate-detail": Rule(kwargs=_pk("rate"), get=API_MONEY_DETAIL),
    "exchange-rate-list": Rule(
        get=API,
        post=statuses(401, 403, 403, 201),
        data=lambda world, persona: {
            "from_currency": "EUR",
            "to_currency": "CNY",
            "rate": "7.80",
            "valid_from": "2026-11-01",
        },
    ),
    "exchange-rate-detail": Rule(kwargs=_pk("exchange_rate"), get=API),
}


def world(world) -> dict:
    """The project manager's budget line, expense, time entry and rate; a firm-wide
    rate for a role and a USD exchange rate."""
    from clientfolio.finance import services
    from clientfolio.finance.models import (
        BudgetLine,
        ExchangeRate,
        Expense,
        Rate,
        TimeEntry,
    )

    pm = world.project_manager
    return {
        "budget_line": services.create_budget_line(
            BudgetLine(
                project=world.project,
                category="labor",
                description="实施人力",
                amount=Decimal("200000"),
            )
        ),
        "expense": services.submit_expense(
            Expense(
                project=world.project,
                category="travel",
                spent_on=D(2026, 11, 18),
                amount=Decimal("860"),
                description="上海出差",
            ),
            user=pm,
        ),
        "rate": services.create_rate(
            Rate(
                project=world.project,
                user=pm,
                cost_rate=Decimal("300"),
                bill_rate=Decimal("800"),
                valid_from=D(2026, 1, 1),
            )
        ),
        "firm_rate": services.create_rate(
            Rate(
                role="member",
                cost_rate=Decimal("150"),
                bill_rate=Decimal("400"),
                valid_from=D(2026, 1, 1),
            )
        ),
        "time_entry": services.create_time_entry(
            TimeEntry(
                project=world.project,
                user=pm,
                worked_on=D(2026, 11, 23),
                hours=Decimal("6"),
            )
        ),
        "exchange_rate": services.create_exchange_rate(
            ExchangeRate(
                from_currency="USD",
                to_currency="CNY",
                rate=Decimal("7.1"),
                valid_from=D(2026, 1, 1),
            )
        ),
    }


def state() -> dict:
    from clientfolio.finance.models import (
        BudgetLine,
        ExchangeRate,
        Expense,
        Rate,
        TimeEntry,
    )

    models = (BudgetLine, Expense, TimeEntry, Rate, ExchangeRate)
    return {
        f"finance.{m.__name__}": list(m.objects.order_by("pk").values()) for m in models
    }
