"""Every write of the portal: who the client is (inviting a contact, their access,
e-mailed sign-in links, their account) and what a project shares.

A contact's login is a ``core.User`` with the client role, tied to the contact through
``Contact.portal_user``. Links carry a random token of which only the SHA-256 is stored
(``Invitation``, ``SignInLink``); a link is used once. Each function runs in one
transaction; its e-mail leaves from a job once that commits (``core.mail.send_later``),
in the contact's language (their login's setting, else the site's). Every step is in the
history of the invitation or of the login (django-simple-history) and in the log.

Refused steps raise ``PortalError`` (a link: ``LinkError``) with a message in the active
language, and change nothing.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clientfolio.clients.models import Contact
from clientfolio.core.locking import StaleVersion, save_versioned
from clientfolio.core.mail import send_later
from clientfolio.core.models import Role, User
from clientfolio.core.tokens import revoke_tokens
from clientfolio.portal.models import Invitation, ProjectSharing, SignInLink

__all__ = [
    "LinkError",
    "PortalError",
    "accept_invitation",
    "change_password",
    "invite_contact",
    "read_invitation",
    "read_sign_in_link",
    "request_sign_in_link",
    "resend_invitation",
    "revoke_invitation",
    "save_sharing",
    "send_sign_in_link",
    "set_language",
    "set_portal_access",
    "sign_in_with_link",
]

logger = logging.getLogger(__name__)

# Portal logins sign in with the model backend (axes' backend only checks lockouts).
BACKEND = "django.contrib.auth.backends.ModelBackend"


class PortalError(Exception):
    """A step that was refused; ``message`` says why (in the active language) and
    ``field`` names the input at fault, if any. Nothing was saved."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class LinkError(PortalError):
    """An invitation or sign-in link that cannot be used. ``kind`` says why; ``status``
    is the HTTP answer: 400 for a link we never issued, 410 for one no longer valid."""

    INVALID, EXPIRED, USED, REVOKED, OFF = (
        "invalid",
        "expired",
        "used",
        "revoked",
        "off",
    )

    def __init__(self, kind: str, *, link: str) -> None:
        self.kind = kind
        self.link = link  # "invitation" or "sign_in"
        self.status = 400 if kind == self.INVALID else 410
        super().__init__(self._message())

    def _message(self) -> str:
        firm = settings.CLIENTFOLIO_FIRM_NAME
        if self.link == "invitation":
            messages = {
                self.INVALID: _(
                    "This invitation link is not valid. Copy the whole link from the "
                    "e-mail, or ask your contact at %(firm)s for a new invitation."
                ),
                self.EXPIRED: _(
                    "This invitation has expired. Nothing was changed: ask your "
                    "contact at %(firm)s to send you a new one."
                ),
                self.USED: _(
                    "This invitation was already used. Sign in with your password, or "
                    "ask for a sign-in link by e-mail."
                ),
                self.REVOKED: _(
                    "This invitation was withdrawn or replaced by a newer one. Nothing "
                    "was changed: use the link in the newest e-mail, or ask your "
                    "contact at %(firm)s for a new invitation."
                ),
            }
        else:
            messages = {
                self.INVALID: _(
                    "This sign-in link is not valid. Copy the whole link from the "
                    "e-mail, or ask for a new one."
                ),
                self.EXPIRED: _(
                    "This sign-in link has expired (links are valid for %(minutes)s "
                    "minutes). Ask for a new one."
                ),
                self.USED: _("This sign-in link was already used. Ask for a new one."),
                self.REVOKED: _(
                    "This sign-in link was replaced by a newer one or withdrawn. Use "
                    "the link in the newest e-mail, or ask for a new one."
                ),
            }
        messages[self.OFF] = _(
            "Your access to the client portal of %(firm)s is switched off. Ask your "
            "contact there to switch it on again."
        )
        return messages[self.kind] % {
            "firm": firm,
            "minutes": settings.PORTAL_SIGN_IN_MINUTES,
        }


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    """A random URL-safe token and its digest (the only part stored)."""
    token = secrets.token_urlsafe(32)
    return token, _digest(token)


def _link(base_url: str | None, name: str, token: str) -> str:
    base = (base_url or settings.SITE_URL).rstrip("/")
    return base + reverse(name, kwargs={"token": token})


def _language_of(user: User | None) -> str:
    return (user.language if user is not None else "") or settings.LANGUAGE_CODE


def _email(
    contact: Contact, user: User | None, template: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    """The e-mail ``portal/email/<template>.{txt,html}`` to ``contact``, in their
    language, its subject the first line of the text."""
    with translation.override(_language_of(user)):
        context = {
            "contact": contact,
            "client": contact.client,
            "firm_name": settings.CLIENTFOLIO_FIRM_NAME,
            **context,
        }
        subject, _blank, text = render_to_string(
            f"portal/email/{template}.txt", context
        ).partition("\n")
        html = render_to_string(f"portal/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text.lstrip("\n"),
        to=[formataddr((contact.name, contact.email))],
    )
    message.attach_alternative(html, "text/html")
    return message


def _locked_contact(contact: Contact) -> Contact:
    return (
        Contact.objects.select_for_update(of=("self",))
        .select_related("client", "portal_user")
        .get(pk=contact.pk)
    )


def _check_client_login(contact: Contact, user: User) -> None:
    if user.role != Role.CLIENT or user.is_superuser:
        raise PortalError(
            _(
                "%(name)s is tied to a staff account, not a client login: the portal "
                "is for client logins only."
            )
            % {"name": contact.name}
        )


def _new_client_user(contact: Contact, language: str) -> User:
    """A client login for ``contact``: its user name the contact's e-mail address (with
    a number if that is taken), no usable password until the invitation is accepted."""
    base = contact.email.strip().lower()[:140]
    username, number = base, 2
    while User.objects.filter(username__iexact=username).exists():
        username, number = f"{base}-{number}", number + 1
    user = User(
        username=username,
        email=contact.email,
        first_name=contact.name[:150],
        role=Role.CLIENT,
        language=language,
    )
    user.set_unusable_password()
    user.save()
    return user


def _revoke_open_links(contact: Contact, now: Any, by: Any) -> int:
    """Withdraw the contact's pending invitations and unused sign-in links; returns how
    many invitations were withdrawn."""
    pending = list(
        Invitation.objects.filter(
            contact=contact,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
    )
    for invitation in pending:
        invitation.revoked_at = now
        invitation._history_user = by  # type: ignore[attr-defined]
        invitation.save(update_fields=["revoked_at"])
    SignInLink.objects.filter(
        contact=contact, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    return len(pending)


def invite_contact(
    contact: Contact,
    *,
    by: Any,
    base_url: str | None = None,
    language: str | None = None,
) -> Invitation:
    """Invite ``contact`` to the portal: their client login is created if they have none
    (see ``_new_client_user``; ``language`` sets its language, "" meaning the
    browser's), any earlier pending invitation is withdrawn, and an e-mail with a link to
    set their password (valid ``PORTAL_INVITATION_DAYS`` days) is sent to them.

    Returns the invitation with its token in ``token`` (only there: the database keeps
    its digest). Raises ``PortalError`` for a contact without an e-mail address, of an
    archived client, whose access is switched off or who already has access."""
    if not contact.email:
        raise PortalError(
            _(
                "%(name)s has no e-mail address: add one to the contact before "
                "inviting them to the portal."
            )
            % {"name": contact.name},
            field="email",
        )
    if language is not None and language not in ("", *dict(settings.LANGUAGES)):
        raise PortalError(_("Choose a language from the list."), field="language")
    with transaction.atomic():
        contact = _locked_contact(contact)
        if contact.client.is_archived:
            raise PortalError(
                _("The client is archived: restore it before inviting its contacts.")
            )
        user = contact.portal_user
        if user is None:
            user = _new_client_user(contact, language or "")
            contact.portal_user = user
            save_versioned(contact, contact.version, fields=["portal_user"])
        else:
            _check_client_login(contact, user)
            if not user.is_active:
                raise PortalError(
                    _(
                        "%(name)s's portal access is switched off: switch it on "
                        "instead of inviting them again."
                    )
                    % {"name": contact.name}
                )
            if user.has_usable_password():
                raise PortalError(
                    _(
                        "%(name)s already has portal access: they sign in with their "
                        "password or a link sent by e-mail."
                    )
                    % {"name": contact.name}
                )
            changed: list[str] = []
            if user.email != contact.email:
                user.email = contact.email
                changed.append("email")
            if language is not None and user.language != language:
                user.language = language
                changed.append("language")
            if changed:
                user._history_user = by  # type: ignore[attr-defined]
                save_versioned(user, user.version, fields=changed)
        now = timezone.now()
        _revoke_open_links(contact, now, by)
        token, digest = _new_token()
        invitation = Invitation(
            contact=contact,
            digest=digest,
            created_by=by if getattr(by, "pk", None) else None,
            created_at=now,
            expires_at=now + timedelta(days=settings.PORTAL_INVITATION_DAYS),
        )
        invitation._history_user = by  # type: ignore[attr-defined]
        invitation.save()
        send_later(
            _email(
                contact,
                user,
                "invitation",
                {
                    "url": _link(base_url, "portal:welcome", token),
                    "days": settings.PORTAL_INVITATION_DAYS,
                    "expires_at": invitation.expires_at,
                    "username": user.username,
                    "sender": by,
                },
            )
        )
    logger.info(
        "Contact %s invited to the portal by %s (invitation %s)",
        contact.pk,
        getattr(by, "username", by),
        invitation.pk,
    )
    invitation.token = token  # type: ignore[attr-defined]
    return invitation


def resend_invitation(
    contact: Contact, *, by: Any, base_url: str | None = None
) -> Invitation:
    """Send ``contact`` a new invitation (a new link; the earlier one stops working).
    Raises ``PortalError`` when they were never invited, and as ``invite_contact``."""
    if not Invitation.objects.filter(contact=contact).exists():
        raise PortalError(
            _("%(name)s has not been invited yet.") % {"name": contact.name}
        )
    return invite_contact(contact, by=by, base_url=base_url)


def revoke_invitation(contact: Contact, *, by: Any) -> int:
    """Withdraw ``contact``'s pending invitation (and any unused sign-in link): its link
    stops working, nothing else changes. Returns how many invitations were withdrawn;
    raises ``PortalError`` when none was pending."""
    with transaction.atomic():
        contact = _locked_contact(contact)
        count = _revoke_open_links(contact, timezone.now(), by)
        if not count:
            raise PortalError(
                _("%(name)s has no pending invitation to revoke.")
                % {"name": contact.name}
            )
    logger.info(
        "Portal invitation of contact %s revoked by %s",
        contact.pk,
        getattr(by, "username", by),
    )
    return count


def _usable_login(contact: Contact, link: str) -> User:
    user = contact.portal_user
    if user is None or not user.is_active or user.role != Role.CLIENT:
        raise LinkError(LinkError.OFF, link=link)
    return user


def _invitation(token: str, *, lock: bool = False) -> Invitation:
    queryset = Invitation.objects.select_related(
        "contact", "contact__client", "contact__portal_user"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(digest=_digest(token or "")).first()
    if invitation is None:
        raise LinkError(LinkError.INVALID, link="invitation")
    state = invitation.state(timezone.now())
    if state == Invitation.State.USED:
        raise LinkError(LinkError.USED, link="invitation")
    if state == Invitation.State.REVOKED:
        raise LinkError(LinkError.REVOKED, link="invitation")
    _usable_login(invitation.contact, "invitation")
    if state == Invitation.State.EXPIRED:
        raise LinkError(LinkError.EXPIRED, link="invitation")
    return invitation


def read_invitation(token: str) -> Invitation:
    """The pending invitation of ``token``, with its contact and their login; raises
    ``LinkError`` for a token we never issued or one used, withdrawn or expired, and
    when the contact's access is switched off. Reads only."""
    return _invitation(token)


def accept_invitation(token: str, password: str, *, request: Any = None) -> User:
    """Accept the invitation of ``token``: the contact's login gets ``password`` (checked
    by the site's password validators: ``ValidationError``), the invitation is used up
    and, given ``request``, the contact is signed in. Raises ``LinkError`` as
    ``read_invitation``; nothing changes then."""
    with transaction.atomic():
        invitation = _invitation(token, lock=True)
        user = _usable_login(invitation.contact, "invitation")
        validate_password(password, user)
        user.set_password(password)
        user._history_user = user  # type: ignore[attr-defined]
        user.save(update_fields=["password"])
        invitation.used_at = timezone.now()
        invitation._history_user = user  # type: ignore[attr-defined]
        invitation.save(update_fields=["used_at"])
        revoke_tokens(user, reason="password set from a portal invitation")
    logger.info("Portal invitation %s accepted by %s", invitation.pk, user.username)
    if request is not None:
        login(request, user, backend=BACKEND)
    return user


def _may_sign_in(contact: Contact, now: Any) -> bool:
    """Whether ``contact`` may be sent a sign-in link: an e-mail address and an active
    client login that has a password or a pending invitation."""
    user = contact.portal_user
    if not contact.email or user is None or not user.is_active:
        return False
    if user.role != Role.CLIENT or user.is_superuser:
        return False
    return (
        user.has_usable_password()
        or Invitation.objects.filter(
            contact=contact,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        ).exists()
    )


def send_sign_in_link(
    contact: Contact, *, base_url: str | None = None
) -> SignInLink | None:
    """E-mail ``contact`` a one-time link that signs them in to the portal, valid for
    ``PORTAL_SIGN_IN_MINUTES`` (their earlier unused links stop working). Returns the
    link with its token in ``token``, or None, sending nothing, when they may not sign
    in (no address, no active login with a password or a pending invitation) or were
    sent ``PORTAL_SIGN_IN_LINKS_PER_HOUR`` links in the last hour."""
    now = timezone.now()
    with transaction.atomic():
        contact = _locked_contact(contact)
        if not _may_sign_in(contact, now):
            return None
        recent = SignInLink.objects.filter(
            contact=contact, created_at__gt=now - timedelta(hours=1)
        ).count()
        if recent >= settings.PORTAL_SIGN_IN_LINKS_PER_HOUR:
            logger.warning(
                "Sign-in link for contact %s not sent: %d sent in the last hour",
                contact.pk,
                recent,
            )
            return None
        SignInLink.objects.filter(
            contact=contact, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        token, digest = _new_token()
        link = SignInLink.objects.create(
            contact=contact,
            digest=digest,
            created_at=now,
            expires_at=now + timedelta(minutes=settings.PORTAL_SIGN_IN_MINUTES),
        )
        send_later(
            _email(
                contact,
                contact.portal_user,
                "sign_in",
                {
                    "url": _link(base_url, "portal:sign_in_link", token),
                    "minutes": settings.PORTAL_SIGN_IN_MINUTES,
                },
            )
        )
    logger.info("Sign-in link %s sent to contact %s", link.pk, contact.pk)
    link.token = token  # type: ignore[attr-defined]
    return link


def request_sign_in_link(email: str, *, base_url: str | None = None) -> int:
    """Send a sign-in link to every contact with the address ``email`` (any case) who
    may sign in (``send_sign_in_link``); returns how many were sent. The caller answers
    the same whatever the number, so the address's owner is not revealed."""
    contacts = Contact.objects.filter(
        email__iexact=email.strip(), portal_user__isnull=False
    ).order_by("pk")
    return sum(
        send_sign_in_link(contact, base_url=base_url) is not None
        for contact in contacts
    )


def _sign_in_link(token: str, *, lock: bool = False) -> SignInLink:
    queryset = SignInLink.objects.select_related(
        "contact", "contact__client", "contact__portal_user"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    link = queryset.filter(digest=_digest(token or "")).first()
    if link is None:
        raise LinkError(LinkError.INVALID, link="sign_in")
    if link.used_at is not None:
        raise LinkError(LinkError.USED, link="sign_in")
    if link.revoked_at is not None:
        raise LinkError(LinkError.REVOKED, link="sign_in")
    _usable_login(link.contact, "sign_in")
    if link.expires_at <= timezone.now():
        raise LinkError(LinkError.EXPIRED, link="sign_in")
    return link


def read_sign_in_link(token: str) -> SignInLink:
    """The unused sign-in link of ``token``; raises ``LinkError`` for a token we never
    issued, one used, replaced or expired, and when the contact's access is switched
    off. Reads only."""
    return _sign_in_link(token)


def sign_in_with_link(token: str, *, request: Any = None) -> User:
    """Use the sign-in link of ``token`` (once) and, given ``request``, sign its contact
    in. Returns their login; raises ``LinkError`` as ``read_sign_in_link``."""
    with transaction.atomic():
        link = _sign_in_link(token, lock=True)
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        user = _usable_login(link.contact, "sign_in")
    logger.info("Sign-in link %s used by %s", link.pk, user.username)
    if request is not None:
        login(request, user, backend=BACKEND)
    return user


def set_portal_access(contact: Contact, enabled: bool, *, by: Any) -> User:
    """Switch ``contact``'s portal access off or on again, deleting nothing: off, their
    login is deactivated (signed out everywhere), its API tokens revoked and pending
    invitations and sign-in links withdrawn; on, it is active again. Returns the login;
    raises ``PortalError`` when the contact has none (invite them first)."""
    with transaction.atomic():
        contact = _locked_contact(contact)
        user = contact.portal_user
        if user is None:
            raise PortalError(
                _("%(name)s has no portal login yet: invite them first.")
                % {"name": contact.name}
            )
        _check_client_login(contact, user)
        if enabled and contact.client.is_archived:
            raise PortalError(
                _("The client is archived: restore it before switching access on.")
            )
        if user.is_active != enabled:
            user.is_active = enabled
            user._history_user = by  # type: ignore[attr-defined]
            user._change_reason = (  # type: ignore[attr-defined]
                "portal access switched on" if enabled else "portal access switched off"
            )
            save_versioned(user, user.version, fields=["is_active"])
        if not enabled:
            revoke_tokens(user, reason="portal access switched off")
            _revoke_open_links(contact, timezone.now(), by)
    logger.info(
        "Portal access of contact %s switched %s by %s",
        contact.pk,
        "on" if enabled else "off",
        getattr(by, "username", by),
    )
    return user


def set_language(user: User, language: str) -> User:
    """The language the portal and its e-mails speak to ``user``: ``zh-hans``, ``en``
    or "" for the browser's. Raises ``PortalError`` for any other value."""
    if language not in ("", *dict(settings.LANGUAGES)):
        raise PortalError(_("Choose a language from the list."), field="language")
    user = User.objects.get(pk=user.pk)
    user.language = language
    user._history_user = user  # type: ignore[attr-defined]
    return save_versioned(user, user.version, fields=["language"])


def change_password(user: User, password: str, *, request: Any = None) -> User:
    """Give ``user`` a new password (the caller has checked the old one; the site's
    validators check the new one: ``ValidationError``); their API tokens are revoked
    and, given ``request``, this session stays signed in."""
    validate_password(password, user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user._history_user = user  # type: ignore[attr-defined]
        user.save(update_fields=["password"])
        revoke_tokens(user, reason="password changed in the portal")
    if request is not None:
        update_session_auth_hash(request, user)
    return user


def save_sharing(
    project: Any, values: dict[str, bool], *, expected_version: int | None, by: Any
) -> ProjectSharing:
    """Save what ``project`` shares with its client (``values``: the fields of
    ``ProjectSharing``). A project without settings gets its first row; a row changed
    (or created) since the editor loaded ``expected_version`` raises ``StaleVersion``
    and nothing is written."""
    fields = {name: bool(value) for name, value in values.items()}
    with transaction.atomic():
        sharing = (
            ProjectSharing.objects.select_for_update().filter(project=project).first()
        )
        if sharing is None:
            sharing = ProjectSharing(project=project, updated_by=by, **fields)
            sharing._history_user = by  # type: ignore[attr-defined]
            try:
                with transaction.atomic():
                    sharing.save()
            except IntegrityError as error:
                raise StaleVersion(
                    ProjectSharing.objects.filter(project=project).first()
                ) from error
            return sharing
        if expected_version is None:
            raise StaleVersion(sharing)
        for name, value in fields.items():
            setattr(sharing, name, value)
        sharing.updated_by = by
        sharing._history_user = by  # type: ignore[attr-defined]
        return save_versioned(sharing, expected_version)
