"""Authorization rows of the core app's URLs added after the first ones (API tokens, the
health check), merged into tests/test_authorization.py."""

from tests.authz import ADMIN_PAGE, LOGIN, Rule, statuses

# Only the owner (here ``staff``) sees or revokes a token; to everyone else it does not
# exist.
OWN_TOKEN_API = statuses(
    401, 404, 200, 404, pm=404, member=404, viewer=404, accountant=404
)
OWN_TOKEN_PAGE_POST = statuses(
    LOGIN, 404, 302, 404, pm=404, member=404, viewer=404, accountant=404
)

# A background job is seen by the user who started it (here ``staff``) and by
# administrators; for other staff it does not exist, client contacts have no jobs.
OWN_JOB_PAGE = statuses(
    LOGIN, 403, 200, 200, pm=404, member=404, viewer=404, accountant=404
)

RULES: dict[str, Rule] = {
    "core:job_schedule": Rule(get=ADMIN_PAGE),
    "core:job_detail": Rule(
        kwargs=lambda world: {"pk": world.staff_job.pk}, get=OWN_JOB_PAGE
    ),
    "core:job_download": Rule(
        kwargs=lambda world: {"pk": world.staff_job.pk}, get=OWN_JOB_PAGE
    ),
    "core:periodic_job_action": Rule(
        kwargs=lambda world: {"pk": world.periodic_job.pk},
        get=statuses(LOGIN, 405, 405, 405),
        post=statuses(LOGIN, 403, 403, 302),
        data=lambda world, persona: {"action": "pause"},
    ),
    # For monitors: open to everyone, and it names no record.
    "core:health": Rule(get=statuses(200, 200, 200, 200)),
    # Every signed-in user lists their own tokens (client contacts can hold one too).
    "api-token-list": Rule(get=statuses(401, 200, 200, 200)),
    "api-token-detail": Rule(
        kwargs=lambda world: {"pk": world.staff_token.pk}, get=OWN_TOKEN_API
    ),
    # Anyone signed in creates their own tokens on the account page.
    "core:token_create": Rule(
        get=statuses(LOGIN, 405, 405, 405),
        post=statuses(LOGIN, 200, 200, 200),
        data=lambda world, persona: {"token-name": "matrix", "token-days": "1"},
    ),
    "core:token_revoke": Rule(
        kwargs=lambda world: {"pk": world.staff_token.pk},
        get=statuses(LOGIN, 405, 405, 405),
        post=OWN_TOKEN_PAGE_POST,
    ),
}


def world(world) -> dict:
    """An API token of ``staff``."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from clientfolio.core.models import Job, PeriodicJob
    from clientfolio.core.tokens import issue_token

    token, _key = issue_token(world.staff, name="staff-script")
    job = Job.objects.create(
        kind="clients.export", title="export", user=world.staff, status=Job.Status.DONE
    )
    job.result_file.save("clients.csv", ContentFile(b"name\n"))
    periodic_job = PeriodicJob.objects.create(
        name="clients.tasks.recompute_tiers", next_run_at=timezone.now()
    )
    return {"staff_token": token, "staff_job": job, "periodic_job": periodic_job}


def state() -> dict:
    """The tokens a denied request must leave untouched."""
    from clientfolio.core.models import ApiToken, PeriodicJob

    return {
        "ApiToken": list(ApiToken.objects.order_by("pk").values()),
        "PeriodicJob": list(PeriodicJob.objects.order_by("pk").values()),
    }
