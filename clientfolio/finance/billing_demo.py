"""Demo invoices for the demo projects, against their clients' contracts (a contract is
created when a demo client has none): one in each status, partial and full payments (回款,
shared with the client library) and one overdue invoice — written through the services."""

from datetime import date, timedelta
from decimal import Decimal

from clientfolio.clients import services as client_services
from clientfolio.clients.models import Contract
from clientfolio.finance import billing
from clientfolio.finance.models import Invoice
from clientfolio.projects.models import Project

__all__ = ["load"]

LINES_CN = [
    [("需求调研与方案设计", "1", "48000.00"), ("原型设计", "10", "1800.00")],
    [("系统开发（第一阶段）", "1", "120000.00"), ("接口开发", "6", "4500.00")],
    [("实施部署", "1", "36000.00"), ("用户培训", "3", "2400.00")],
    [("运维支持（季度）", "1", "30000.00")],
    [("数据迁移", "1", "25000.00")],
]
LINES_EN = [
    [("Discovery and solution design", "1", "48000.00"), ("Prototyping", "10", "1800.00")],
    [("Development, phase 1", "1", "120000.00"), ("Integrations", "6", "4500.00")],
    [("Deployment", "1", "36000.00"), ("Training sessions", "3", "2400.00")],
    [("Support (quarter)", "1", "30000.00")],
    [("Data migration", "1", "25000.00")],
]  # fmt: skip


def _chinese(project: Project) -> bool:
    return "\u4e00" <= project.name[0] <= "\u9fff"


def _contract(project: Project, today: date) -> Contract:
    contract = project.client.contracts.order_by("-signed_on", "id").first()
    if contract is not None:
        return contract
    return client_services.save_record(  # type: ignore[return-value]
        Contract(
            client=project.client,
            number=f"HT-{project.code}",
            title=project.name[:200],
            amount=Decimal("500000.00"),
            signed_on=today - timedelta(days=120),
            status=Contract.Status.ACTIVE,
        )
    )


def load(today: date, seed: int = 20261127) -> dict[str, int]:
    """Invoices of the active and completed demo projects. Returns counts."""
    counts = {"invoices": 0, "invoice_payments": 0}
    projects = Project.objects.select_related("client", "manager").filter(
        status__in=[Project.Status.ACTIVE, Project.Status.COMPLETED]
    )
    for project in projects.order_by("id"):
        contract = _contract(project, today)
        chinese = _chinese(project)
        lines = LINES_CN if chinese else LINES_EN
        # (status wanted, issued days ago, paid share)
        plan = [
            ("paid", 95, Decimal("1")),
            ("partly_paid", 25, Decimal("0.4")),
            ("overdue", 45, Decimal("0")),
            ("issued", 10, Decimal("0")),
            ("draft", None, Decimal("0")),
        ]
        for index, (_wanted, days_ago, share) in enumerate(plan):
            number = f"INV-{project.code}-{index + 1:02d}"
            if Invoice.objects.filter(number=number).exists():
                continue
            invoice = billing.create_invoice(
                Invoice(
                    project=project,
                    number=number,
                    contract=contract,
                    currency=contract.currency,
                    notes=""
                    if index
                    else ("首期款" if chinese else "First instalment"),
                ),
                [
                    billing.LineInput(d, Decimal(q), Decimal(p))
                    for d, q, p in lines[index]
                ],
                user=project.manager,
            )
            counts["invoices"] += 1
            if days_ago is None:
                continue
            issued_on = today - timedelta(days=days_ago)
            billing.issue_invoice(invoice, issued_on=issued_on)
            if share:
                amount = (invoice.total * share).quantize(Decimal("0.01"))
                billing.record_payment(
                    invoice,
                    amount,
                    min(issued_on + timedelta(days=20), today),
                    "bank",
                    f"BANK-{number}",
                    "",
                    project.manager,
                )
                counts["invoice_payments"] += 1
        # one void invoice per project, issued by mistake
        number = f"INV-{project.code}-99"
        if not Invoice.objects.filter(number=number).exists():
            invoice = billing.create_invoice(
                Invoice(
                    project=project,
                    number=number,
                    contract=contract,
                    currency=contract.currency,
                ),
                [billing.LineInput(lines[0][0][0], Decimal("1"), Decimal("1000.00"))],
                user=project.manager,
            )
            billing.issue_invoice(invoice, issued_on=today - timedelta(days=30))
            billing.void_invoice(
                invoice, "开票信息有误，已重开" if chinese else "Wrong billing address"
            )
            counts["invoices"] += 1
    return counts
