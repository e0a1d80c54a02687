"""Authorization rows of the finance billing URLs: the finance overview (the folder's
Finance tab), invoices with their payments, exports, and the invoice API.

Money is for the manager, the finance role (the accountant) and administrators: members
and viewers get 403, people outside the project 404."""

import datetime
from decimal import Decimal

from tests.authz import LOGIN, Rule, statuses

MONEY_READ = statuses(
    LOGIN, 404, 404, 200, pm=200, member=403, viewer=403, accountant=200
)
MONEY_WRITE = statuses(
    LOGIN, 404, 404, 302, pm=302, member=403, viewer=403, accountant=302
)
MONEY_POST_ONLY_GET = statuses(
    LOGIN, 404, 404, 405, pm=405, member=403, viewer=403, accountant=405
)
API_MONEY_LIST = statuses(401, 403, 200, 200, pm=200, member=200, viewer=200)
API_MONEY_DETAIL = statuses(
    401, 403, 404, 200, pm=200, member=404, viewer=404, accountant=200
)
API_MONEY_CREATE = statuses(
    401, 403, 400, 201, pm=201, member=403, viewer=403, accountant=201
)
API_MONEY_ACTION = statuses(
    401, 403, 404, 200, pm=200, member=404, viewer=404, accountant=200
)
API_MONEY_ACTION_CREATE = statuses(
    401, 403, 404, 201, pm=201, member=404, viewer=404, accountant=201
)
API_POST_ONLY_GET = statuses(401, 403, 405, 405)
# The finance page's figures through the API: the same rule as the page.
API_MONEY_READ = statuses(
    401, 403, 404, 200, pm=200, member=403, viewer=403, accountant=200
)


def _pk(attr):
    return lambda world: {"pk": getattr(world, attr).pk}


def _project(world):
    return {"pk": world.project.pk}


def _invoice(attr):
    return lambda world: {
        "pk": world.project.pk,
        "invoice_pk": getattr(world, attr).pk,
    }


def _invoice_data(world, persona):
    return {
        "number": f"INV-AUTHZ-{persona}",
        "contract": world.contract.pk,
        "currency": "CNY",
        "tax_rate": "6",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "实施服务",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "1000",
    }


def _edit_data(world, persona):
    data = _invoice_data(world, persona)
    data["version"] = world.draft_invoice.version
    return data


RULES: dict[str, Rule] = {
    "finance:overview": Rule(kwargs=_project, get=MONEY_READ),
    "finance:overview_alerts": Rule(kwargs=_project, get=MONEY_READ),
    "project-earned-value": Rule(kwargs=_project, get=API_MONEY_READ),
    "finance:invoice_list": Rule(kwargs=_project, get=MONEY_READ),
    "finance:invoice_create": Rule(
        kwargs=_project, get=MONEY_READ, post=MONEY_WRITE, data=_invoice_data
    ),
    "finance:invoice_line_row": Rule(kwargs=_project, get=MONEY_READ),
    "finance:invoice_export": Rule(kwargs=_project, get=MONEY_READ),
    "finance:invoice_detail": Rule(kwargs=_invoice("issued_invoice"), get=MONEY_READ),
    "finance:invoice_edit": Rule(
        kwargs=_invoice("draft_invoice"),
        get=MONEY_READ,
        post=MONEY_WRITE,
        data=_edit_data,
    ),
    "finance:invoice_issue": Rule(
        kwargs=_invoice("draft_invoice"),
        get=MONEY_POST_ONLY_GET,
        post=MONEY_WRITE,
        data=lambda world, persona: {"version": world.draft_invoice.version},
    ),
    "finance:invoice_void": Rule(
        kwargs=_invoice("draft_invoice"),
        get=MONEY_POST_ONLY_GET,
        post=MONEY_WRITE,
        data=lambda world, persona: {
            "version": world.draft_invoice.version,
            "reason": "开错了",
        },
    ),
    "finance:invoice_payment": Rule(
        kwargs=_invoice("issued_invoice"),
        get=MONEY_POST_ONLY_GET,
        post=MONEY_WRITE,
        data=lambda world, persona: {
            "amount": "10",
            "received_on": "2026-11-20",
            "method": "bank",
        },
    ),
    "finance:payment_delete": Rule(
        kwargs=lambda world: {
            "pk": world.project.pk,
            "invoice_pk": world.issued_invoice.pk,
            "payment_pk": world.invoice_payment.pk,
        },
        get=MONEY_POST_ONLY_GET,
        post=MONEY_WRITE,
    ),
    "invoice-list": Rule(
        get=API_MONEY_LIST,
        post=API_MONEY_CREATE,
        data=lambda world, persona: {
            "number": f"API-{persona}",
            "project": world.project.pk,
            "contract": world.contract.pk,
            "tax_rate": "6",
        },
    ),
    "invoice-detail": Rule(kwargs=_pk("issued_invoice"), get=API_MONEY_DETAIL),
    "invoice-issue": Rule(
        kwargs=_pk("draft_invoice"),
        get=API_POST_ONLY_GET,
        post=API_MONEY_ACTION,
        data=lambda world, persona: {"version": world.draft_invoice.version},
    ),
    "invoice-void": Rule(
        kwargs=_pk("draft_invoice"),
        get=API_POST_ONLY_GET,
        post=API_MONEY_ACTION,
        data=lambda world, persona: {
            "version": world.draft_invoice.version,
            "reason": "开错了",
        },
    ),
    "invoice-payments": Rule(
        kwargs=_pk("issued_invoice"),
        get=API_MONEY_ACTION,
        post=API_MONEY_ACTION_CREATE,
        data=lambda world, persona: {"amount": "10", "received_on": "2026-11-20"},
    ),
}


def world(world) -> dict:
    """A draft invoice and an issued one with a payment, on the client's contract."""
    from clientfolio.finance import billing
    from clientfolio.finance.models import Invoice

    def make(number):
        return billing.create_invoice(
            Invoice(
                project=world.project,
                number=number,
                contract=world.contract,
                currency=world.contract.currency,
            ),
            [billing.LineInput("需求调研", Decimal("1"), Decimal("5000"))],
        )

    issued = billing.issue_invoice(
        make("INV-ISSUED"), issued_on=datetime.date(2026, 11, 1)
    )
    payment = billing.record_payment(issued, Decimal("100"), datetime.date(2026, 11, 2))
    issued.refresh_from_db()
    return {
        "draft_invoice": make("INV-DRAFT"),
        "issued_invoice": issued,
        "invoice_payment": payment,
    }


def state() -> dict:
    from clientfolio.finance.models import Invoice, InvoiceLine

    return {
        m.__name__: list(m.objects.order_by("pk").values())
        for m in (Invoice, InvoiceLine)
    }
