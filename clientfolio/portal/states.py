"""Where each contact stands with the portal: not invited, invited (until when), the
invitation lapsed or withdrawn, active (last sign-in), or switched off. Read for a
client's whole list of contacts in two queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from clientfolio.core.models import User
from clientfolio.portal.models import Invitation

__all__ = ["STATE_LABELS", "AccessState", "access_states"]

STATE_LABELS = {
    "none": _("Not invited"),
    "invited": _("Invited"),
    "expired": _("Invitation expired"),
    "revoked": _("Invitation revoked"),
    "active": _("Active"),
    "off": _("Switched off"),
}


@dataclass(frozen=True)
class AccessState:
    """A contact's portal state (a key of ``STATE_LABELS``), their latest invitation
    and their login."""

    kind: str
    invitation: Invitation | None
    user: User | None

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.kind])

    @property
    def last_sign_in(self) -> datetime | None:
        return self.user.last_login if self.user is not None else None

    @property
    def may_invite(self) -> bool:
        return self.kind in ("none", "expired", "revoked")

    @property
    def may_resend(self) -> bool:
        return self.kind in ("invited", "expired", "revoked")

    @property
    def may_revoke(self) -> bool:
        return self.kind == "invited"

    @property
    def may_switch_off(self) -> bool:
        return self.kind in ("active", "invited")

    @property
    def may_switch_on(self) -> bool:
        return self.kind == "off"


def _state(user: User | None, invitation: Invitation | None, now: datetime) -> str:
    if user is None:
        return "none"
    if not user.is_active:
        return "off"
    if user.has_usable_password() or user.last_login is not None:
        return "active"
    if invitation is None:
        return "none"
    state = invitation.state(now)
    if state == Invitation.State.PENDING:
        return "invited"
    if state == Invitation.State.USED:
        return "active"
    return str(state)


def access_states(contacts: Iterable[Any], now: datetime) -> dict[int, AccessState]:
    """Each contact's state at ``now``, by contact id: one query for their logins and
    one for their latest invitations, whatever their number."""
    contacts = list(contacts)
    user_ids = [c.portal_user_id for c in contacts if c.portal_user_id]
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids)}
    latest: dict[int, Invitation] = {}
    for invitation in Invitation.objects.filter(
        contact_id__in=[c.pk for c in contacts]
    ).order_by("contact_id", "-created_at", "-pk"):
        latest.setdefault(invitation.contact_id, invitation)
    states = {}
    for contact in contacts:
        user = users.get(contact.portal_user_id)
        last = latest.get(contact.pk)
        states[contact.pk] = AccessState(_state(user, last, now), last, user)
    return states
