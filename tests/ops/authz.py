"""Authorization rows of the ops pages and API, merged into
tests/test_authorization.py (see tests/authz.py).

Personal-data requests are the administrators' (the metrics too, see below): for everyone else the pages are 403
(client contacts get 404, as on every staff URL) and the API 403."""

from tests.authz import ADMIN_PAGE, ADMIN_WRITE, LOGIN, Rule, statuses

POST_ONLY = statuses(LOGIN, 405, 405, 405)
ADMIN_DOWNLOAD = statuses(LOGIN, 403, 403, 200)
API_ADMIN = statuses(401, 403, 403, 200)
API_ADMIN_POST_ONLY = statuses(401, 403, 403, 405)


def world(world) -> dict:
    """One logged export of the shared world's contact."""
    from django.utils import timezone

    from clientfolio.ops.models import PersonalDataRecord

    record = PersonalDataRecord.objects.create(
        kind=PersonalDataRecord.Kind.EXPORT,
        contact=world.contact,
        contact_ref=world.contact.pk,
        client_ref=world.contact.client_id,
        actor=world.admin,
        at=timezone.now(),
        reason="矩阵",
    )
    return {"personal_data_record": record}


def _contact(world):
    return {"pk": world.contact.pk}


def _contact_api(world):
    return {"contact_id": world.contact.pk}


def _record(world):
    return {"pk": world.personal_data_record.pk}


def _export_form(world, persona):
    return {"export-reason": "矩阵测试"}


def _erase_form(world, persona):
    return {"erase-reason": "矩阵测试", "erase-confirm": world.contact.name}


def _erase(world, persona):
    return {"reason": "矩阵测试", "confirm": world.contact.name}


RULES: dict[str, Rule] = {
    # The record of backups is for administrators only.
    "ops:backup_status": Rule(get=ADMIN_PAGE),
    # The operator's metrics: administrators, and a scraper with METRICS_TOKEN
    # (tests/ops/test_observability.py). Everyone else, anonymous callers included
    # (a scraper cannot sign in, so there is no login page to send them to), gets 404.
    "ops:metrics": Rule(
        get=statuses(404, 404, 404, 200, pm=404, member=404, viewer=404),
        post=statuses(404, 404, 404, 405, pm=404, member=404, viewer=404),
    ),
    "ops:privacy": Rule(get=ADMIN_PAGE, query="?q=张"),
    "ops:privacy_contact": Rule(kwargs=_contact, get=ADMIN_PAGE),
    "ops:privacy_export": Rule(
        kwargs=_contact, get=POST_ONLY, post=ADMIN_DOWNLOAD, data=_export_form
    ),
    "ops:privacy_erase": Rule(
        kwargs=_contact, get=POST_ONLY, post=ADMIN_WRITE, data=_erase_form
    ),
    "personal-data-list": Rule(get=API_ADMIN),
    "personal-data-detail": Rule(kwargs=_record, get=API_ADMIN),
    "personal-data-export": Rule(kwargs=_contact_api, get=API_ADMIN),
    "personal-data-erase": Rule(
        kwargs=_contact_api, get=API_ADMIN_POST_ONLY, post=API_ADMIN, data=_erase
    ),
}
