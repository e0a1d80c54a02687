"""Authorization rows of the comms URLs added after the first ones (those are in
tests/test_authorization.py), merged into the matrix.

The team's reply in a client portal thread: whoever may change the record (the manager
and members); viewers are refused, outsiders and client contacts get 404."""

from tests.authz import FOLDER_CONTRIBUTE_WRITE, LOGIN, Rule, statuses

# POST-only pages that need a contributor's role (GET answers 405 once allowed).
FOLDER_CONTRIBUTE_POST_ONLY_GET = statuses(
    LOGIN, 404, 404, 405, pm=405, member=405, viewer=403
)


def portal_thread_pk(world):
    return {"pk": world.project.pk, "record_pk": world.portal_thread.pk}


RULES: dict[str, Rule] = {
    "comms:record_reply": Rule(
        kwargs=portal_thread_pk,
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {"body": "我们周五前回复。"},
    ),
}


def world(world) -> dict:
    """张伟's question to the team in the client portal."""
    from clientfolio.comms import services

    return {
        "portal_thread": services.start_portal_thread(
            world.project, world.contact, "测试环境账号", "请问测试环境的账号何时开通？"
        ),
    }


def state() -> dict:
    """The messages a denied reply must leave untouched."""
    from clientfolio.comms.models import Message

    return {"Message": list(Message.objects.order_by("pk").values())}
