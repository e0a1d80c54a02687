"""Computing every client's analysis (``ClientInsight``) from payments, complaints,
contacts and survey answers, set by set with a few queries whatever the number of clients (the nightly
job; 100,000 clients in seconds). Payments in other currencies are converted to the
default currency at ``today`` through the exchange rates; one without a rate is left out,
as the client tiers do."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.functions import TruncDate

from clientfolio.clients.models import Client, Feedback, FollowUp, Payment
from clientfolio.comms.models import CommRecord
from clientfolio.core.money import MissingRate, Money
from clientfolio.finance.services import rate_table
from clientfolio.reports import rfm, satisfaction
from clientfolio.reports.models import Answer, ClientInsight

__all__ = ["QUIET_DAYS", "compute_insights", "load_demo"]

# A client without contact for this many days is at risk (if they are active or paid).
QUIET_DAYS = 90
BATCH = 5000


def _payments(today: date) -> dict[int, dict[str, Any]]:
    """Per client: last payment, payments in 24 months, money of the last 12 and of the
    12 before (in the default currency)."""
    home = settings.DEFAULT_CURRENCY
    year_ago = today - timedelta(days=365)
    two_years_ago = today - timedelta(days=730)
    rates = None
    figures: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"last": None, "count": 0, "revenue": Decimal(0), "before": Decimal(0)}
    )
    for client_id, currency, received_on, amount in (
        Payment.objects.filter(received_on__gt=two_years_ago, received_on__lte=today)
        .values_list(
            "contract__client_id", "contract__currency", "received_on", "amount"
        )
        .iterator(chunk_size=BATCH)
    ):
        if currency != home:
            rates = rates or rate_table()
            try:
                amount = rates.convert(Money(amount, currency), home, today).amount
            except MissingRate:
                continue
        row = figures[client_id]
        row["count"] += 1
        if row["last"] is None or received_on > row["last"]:
            row["last"] = received_on
        if received_on > year_ago:
            row["revenue"] += amount
        else:
            row["before"] += amount
    return figures


def _last_contacts(today: date) -> dict[int, date]:
    """Per client: the day of the latest communication record or follow-up visit done."""
    last: dict[int, date] = {}
    for client_id, day in (
        CommRecord.objects.filter(occurred_at__date__lte=today)
        .values("project__client_id")
        .annotate(day=Max(TruncDate("occurred_at")))
        .values_list("project__client_id", "day")
    ):
        if client_id is not None and day is not None:
            last[client_id] = day
    for client_id, day in (
        FollowUp.objects.filter(done_on__isnull=False, done_on__lte=today)
        .values("client_id")
        .annotate(day=Max("done_on"))
        .values_list("client_id", "day")
    ):
        if day is not None and (client_id not in last or day > last[client_id]):
            last[client_id] = day
    return last


def _satisfaction_falls(today: date) -> dict[int, satisfaction.Fall]:
    """Per client with answers to two surveys or more: its latest survey's average CSAT
    against its earlier answers (``satisfaction.satisfaction_fall``)."""
    answers: dict[int, list[tuple[object, date, float]]] = defaultdict(list)
    dimensions = satisfaction.DIMENSIONS
    for client_id, survey_id, answered_at, *scores in (
        Answer.objects.filter(answered_at__date__lte=today)
        .values_list(
            "survey__project__client_id", "survey_id", "answered_at", *dimensions
        )
        .iterator(chunk_size=BATCH)
    ):
        given = [score for score in scores if score is not None]
        if client_id is not None and given:
            answers[client_id].append(
                (survey_id, answered_at.date(), sum(given) / len(given))
            )
    falls = {}
    for client_id, rows in answers.items():
        fall = satisfaction.satisfaction_fall(rows)
        if fall is not None:
            falls[client_id] = fall
    return falls


def _signal_row(signal: rfm.Signal, fall: satisfaction.Fall | None) -> dict[str, Any]:
    row: dict[str, Any] = {"code": signal.code, "value": signal.value}
    if signal.code == "satisfaction" and fall is not None:
        # The figures behind it, for the page to show.
        row.update(
            latest=f"{fall.latest:.1f}",
            earlier=f"{fall.earlier:.1f}",
            latest_answers=fall.latest_answers,
            earlier_answers=fall.earlier_answers,
        )
    return row


def compute_insights(today: date) -> int:
    """Recompute every client's analysis as of ``today``; returns how many clients."""
    payments = _payments(today)
    contacts = _last_contacts(today)
    falls = _satisfaction_falls(today)
    complaints = dict(
        Feedback.objects.filter(
            kind=Feedback.Kind.COMPLAINT,
            status__in=[Feedback.Status.OPEN, Feedback.Status.IN_PROGRESS],
        )
        .values("client_id")
        .annotate(n=Count("id"))
        .values_list("client_id", "n")
    )
    figures = {
        client_id: rfm.Figures(
            recency_days=(today - row["last"]).days if row["last"] else None,
            frequency=row["count"],
            monetary=row["revenue"],
        )
        for client_id, row in payments.items()
    }
    scores = rfm.score_all(figures)
    rows = []
    for client_id, status in Client.objects.values_list("pk", "status").iterator(
        chunk_size=BATCH
    ):
        money = payments.get(client_id)
        score = scores.get(client_id)
        last = contacts.get(client_id)
        found: list[rfm.Signal] = []
        fall = falls.get(client_id)
        if status == Client.Status.ACTIVE or money is not None or fall is not None:
            found = rfm.signals(
                revenue=money["revenue"] if money else Decimal(0),
                revenue_before=money["before"] if money else Decimal(0),
                open_complaints=complaints.get(client_id, 0),
                days_since_contact=(today - last).days if last else None,
                satisfaction_fall=Decimal(str(fall.points)) if fall else None,
                quiet_days=QUIET_DAYS,
            )
        rows.append(
            ClientInsight(
                client_id=client_id,
                computed_on=today,
                recency_days=figures[client_id].recency_days
                if client_id in figures
                else None,
                frequency=money["count"] if money else 0,
                revenue=money["revenue"] if money else Decimal(0),
                revenue_before=money["before"] if money else Decimal(0),
                r_score=score.r if score else None,
                f_score=score.f if score else None,
                m_score=score.m if score else None,
                segment=rfm.segment(score, figures.get(client_id)),
                open_complaints=complaints.get(client_id, 0),
                last_contact_on=last,
                at_risk=bool(found),
                signals=[_signal_row(s, fall) for s in found],
            )
        )
    with transaction.atomic():
        ClientInsight.objects.all().delete()
        ClientInsight.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def load_demo(today: date) -> dict[str, int]:
    """The demo's client analysis, as the nightly job would have computed it."""
    return {"client analyses": compute_insights(today)}


MONTHS_SHOWN = 12


def _month_keys(today: date, months: int) -> list[str]:
    year, month = today.year, today.month
    keys = []
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return keys[::-1]


def client_analysis(user: Any, client: Client, today: date) -> dict[str, Any]:
    """A client's analysis for one reader, live except the RFM segment (the nightly
    ``ClientInsight``): contracted and received money per month over the last
    ``MONTHS_SHOWN`` months (what the reader may see of the money; per currency), the
    projects by status, satisfaction of the answers the reader sees, complaints, and
    the days since the last contact. A fixed number of queries whatever the client's
    size."""
    from django.db.models import Q, Sum
    from django.db.models.functions import TruncMonth

    from clientfolio.clients.models import Contract
    from clientfolio.core.permissions import Action, can, scope

    keys = _month_keys(today, MONTHS_SHOWN)
    sees_money = can(user, Action.VIEW, Contract(client=client))
    first = date.fromisoformat(keys[0] + "-01")
    insight = ClientInsight.objects.filter(client=client).first()
    money: dict[str, dict[str, dict[str, Decimal]]] = defaultdict(
        lambda: {
            key: {"contracted": Decimal(0), "received": Decimal(0)} for key in keys
        }
    )
    for month, currency, total in (
        scope(user, Payment.objects.filter(contract__client=client))
        .filter(received_on__gte=first, received_on__lte=today)
        .annotate(month=TruncMonth("received_on"))
        .values_list("month", "contract__currency")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        money[currency][f"{month:%Y-%m}"]["received"] += total
    for month, currency, total in (
        scope(user, Contract.objects.filter(client=client))
        .filter(signed_on__gte=first, signed_on__lte=today)
        .annotate(month=TruncMonth("signed_on"))
        .values_list("month", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        money[currency][f"{month:%Y-%m}"]["contracted"] += total
    if not sees_money:
        money.clear()
    projects = dict(
        scope(user, client.projects.all())
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    complaints = Feedback.objects.filter(
        client=client, kind=Feedback.Kind.COMPLAINT
    ).aggregate(
        total=Count("id"),
        open=Count(
            "id",
            filter=Q(status__in=[Feedback.Status.OPEN, Feedback.Status.IN_PROGRESS]),
        ),
    )
    scores = [
        (dict(zip(satisfaction.DIMENSIONS, row[:-1], strict=True)), row[-1])
        for row in scope(user, Answer.objects.filter(survey__project__client=client))
        .order_by()
        .values_list(*satisfaction.DIMENSIONS, "nps")
    ]
    last_record = (
        scope(user, CommRecord.objects.filter(project__client=client))
        .filter(occurred_at__date__lte=today)
        .aggregate(day=Max(TruncDate("occurred_at")))["day"]
    )
    last_visit = FollowUp.objects.filter(
        client=client, done_on__isnull=False, done_on__lte=today
    ).aggregate(day=Max("done_on"))["day"]
    last = max((d for d in (last_record, last_visit) if d is not None), default=None)
    return {
        "today": today,
        "insight": insight,
        "sees_money": sees_money,
        "months": keys,
        "money": {
            currency: [
                {"month": key, **{k: f"{v:.2f}" for k, v in rows[key].items()}}
                for key in keys
            ]
            for currency, rows in sorted(money.items())
        },
        "projects": projects,
        "projects_total": sum(projects.values()),
        "complaints": complaints,
        "satisfaction": satisfaction.figures(scores) if scores else None,
        "answers": len(scores),
        "last_contact": last,
        "days_since_contact": (today - last).days if last else None,
    }
