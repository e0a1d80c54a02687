"""Authorization rows of the core app's URLs added after the first ones (API tokens, the
health check), merged into tests/test_authorization.py."""

from tests.authz import LOGIN, Rule, statuses

# Only the owner (here ``staff``) sees or revokes a token; to everyone else it does not
# exist.
OWN_TOKEN_API = statuses(
    401, 404, 200, 404, pm=404, member=404, viewer=404, accountant=404
)
OWN_TOKEN_PAGE_POST = statuses(
    LOGIN, 404, 302, 404, pm=404, member=404, viewer=404, accountant=404
)

RULES: dict[str, Rule] = {
    # For monitors: open to everyone, and it names no record.
    "core:health": Rule(get=statuses(200, 200, 200, 200)),
    # Every signed-in user lists their own tokens (client contacts can hold one too).
    "api-token-list": Rule(get=statuses(401, 200, 200, 200)),
    "api-token-detail": Rule(
        kwargs=lambda world: {"pk": world.staff_token.pk}, get=OWN_TOKEN_API
    ),
    "core:token_revoke": Rule(
        kwargs=lambda world: {"pk": world.staff_token.pk},
        get=statuses(LOGIN, 405, 405, 405),
        post=OWN_TOKEN_PAGE_POST,
    ),
}


def world(world) -> dict:
    """An API token of ``staff``."""
    from clientfolio.core.tokens import issue_token

    token, _key = issue_token(world.staff, name="staff-script")
    return {"staff_token": token}


def state() -> dict:
    """The tokens a denied request must leave untouched."""
    from clientfolio.core.models import ApiToken

    return {"ApiToken": list(ApiToken.objects.order_by("pk").values())}
