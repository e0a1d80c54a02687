from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """Finance builds on the client library, yet a payment received can name an invoice
    and client tiers count payments in other currencies. The client library reaches
    those through ``apps.get_app_config("finance")`` and the methods below instead of
    importing finance, so no import runs up the layers (``[tool.importlinter]`` in
    pyproject.toml)."""

    label = "finance"
    name = "clientfolio.finance"
    verbose_name = _("Finance")

    def sync_paid(self, invoice_ids: Iterable[int | None]) -> None:
        """``billing.sync_paid``: invoices follow the payments received against them."""
        from clientfolio.finance.billing import sync_paid

        sync_paid(invoice_ids)

    def rate_table(self) -> Any:
        """``services.rate_table``: every exchange rate as a ``core.money.RateTable``."""
        from clientfolio.finance.services import rate_table

        return rate_table()

    def client_invoices(self, user: Any, client: Any, limit: int = 50) -> list[Any]:
        """The client's invoices in the projects whose finance ``user`` may see, newest
        first, with ``is_overdue_db``, each naming only a contract of its project's client
        that ``user`` may see (two queries)."""
        from clientfolio.core.permissions import scope
        from clientfolio.finance.billing import (
            hide_foreign_contracts,
            shown_contracts,
            with_overdue,
        )
        from clientfolio.finance.models import Invoice

        invoices = scope(user, Invoice.objects.filter(client=client))
        rows = list(
            with_overdue(invoices.select_related("project", "contract")).order_by(
                "-issued_on", "-id"
            )[:limit]
        )
        shown = shown_contracts(user, {row.project.client_id for row in rows})
        return list(hide_foreign_contracts(rows, shown))
