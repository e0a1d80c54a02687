"""Authorization rows of the client portal's URLs, merged into
tests/test_authorization.py.

The client persona is 张伟, a contact of the world's client: they see the world's
project. The other client persona (陈静 of another client) sees only their own project:
for them every record of the world is as absent as for an outsider. Staff reach the
portal only in a preview (tests/portal/test_preview.py); without one, a project page is
404 for them too."""

from tests.authz import (
    FOLDER_MANAGE,
    FOLDER_MANAGE_WRITE,
    LOGIN,
    Rule,
    portal_statuses,
    statuses,
)
from tests.core.factories import PASSWORD


def project_pk(world):
    return {"pk": world.project.pk}


def world(world):
    """A document shared with the client, and an internal one that stays hidden."""
    from clientfolio.documents.models import Document
    from tests.documents.factories import DocumentFactory

    shared = DocumentFactory(
        project=world.project,
        title="需求规格说明书（客户版）",
        created_by=world.project_manager,
        visibility=Document.Visibility.SHARED,
    )
    return {"shared_document": shared, **_conversation_world(world)}


def _conversation_world(world):
    """张伟's side of the conversation: a meeting whose minutes were sent to him, with
    an action item he owns, and a portal thread he started."""
    from clientfolio.comms import services as comms
    from clientfolio.comms.models import ActionItem
    from tests.comms.factories import CommRecordFactory

    meeting = CommRecordFactory(
        project=world.project,
        subject="验收评审会",
        created_by=world.project_manager,
        participant_users=[world.project_manager],
        participant_contacts=[world.contact],
    )
    comms.send_minutes_for_confirmation(
        meeting, "http://testserver", sender=world.project_manager
    )
    item = comms.save_action_item(
        ActionItem(record=meeting, text="提供测试账号", owner_contact=world.contact)
    )
    thread = comms.start_portal_thread(
        world.project, world.contact, "测试环境账号", "请问测试环境的账号何时开通？"
    )
    return {
        "portal_meeting": meeting,
        "portal_action_item": item,
        "portal_thread": thread,
    }


def shared_version(world):
    return {
        "pk": world.project.pk,
        "version_pk": world.shared_document.current_version_id,
    }


CLIENT_ONLY = portal_statuses(LOGIN, 200, 404, 404)

RULES = {
    "portal:home": Rule(get=portal_statuses(LOGIN, 200, 200, 200)),
    "portal:project": Rule(kwargs=project_pk, get=CLIENT_ONLY),
    "portal:timeline_export": Rule(
        kwargs=lambda world: {"pk": world.project.pk, "extension": "png"},
        get=CLIENT_ONLY,
    ),
    "portal:document_download": Rule(kwargs=shared_version, get=CLIENT_ONLY),
    "portal:preview_start": Rule(
        kwargs=lambda world: {"contact_pk": world.contact.pk},
        get=portal_statuses(LOGIN, 405, 405, 405),
        post=portal_statuses(LOGIN, 404, 404, 302),
    ),
    "portal:preview_stop": Rule(
        get=portal_statuses(LOGIN, 405, 405, 405),
        post=portal_statuses(LOGIN, 302, 302, 302),
    ),
}

# The portal's API: client contacts only (staff get 404, as clients do from the
# staff API); anonymous callers 401.
API_CLIENT_LIST = portal_statuses(401, 200, 200, 404)
API_CLIENT_ONLY = portal_statuses(401, 200, 404, 404)

RULES.update(
    {
        "portal_api:project-list": Rule(get=API_CLIENT_LIST),
        "portal_api:project-detail": Rule(
            kwargs=lambda world: {"pk": world.project.pk}, get=API_CLIENT_ONLY
        ),
    }
)

# Minutes, action items, feedback and messages (issue 12).


def portal_meeting_pk(world):
    return {"pk": world.project.pk, "record_pk": world.portal_meeting.pk}


def portal_action_item_pk(world):
    return {"pk": world.project.pk, "item_pk": world.portal_action_item.pk}


CLIENT_WRITES = portal_statuses(LOGIN, 302, 404, 404)
POST_ONLY = portal_statuses(LOGIN, 405, 405, 405)

RULES.update(
    {
        "portal:minutes_list": Rule(kwargs=project_pk, get=CLIENT_ONLY),
        "portal:minutes": Rule(
            kwargs=portal_meeting_pk,
            get=CLIENT_ONLY,
            post=CLIENT_WRITES,
            data=lambda world, persona: {"state": "confirmed"},
        ),
        "portal:action_item_done": Rule(
            kwargs=portal_action_item_pk,
            get=POST_ONLY,
            post=CLIENT_WRITES,
            data=lambda world, persona: {"version": world.portal_action_item.version},
        ),
        # Each client contact has feedback of their own to list and send.
        "portal:feedback_list": Rule(get=portal_statuses(LOGIN, 200, 200, 404)),
        "portal:feedback_new": Rule(
            get=portal_statuses(LOGIN, 200, 200, 404),
            post=portal_statuses(LOGIN, 302, 302, 404),
            data=lambda world, persona: {
                "kind": "complaint",
                "subject": "测试环境无法访问",
                "severity": "high",
            },
        ),
        "portal:messages": Rule(kwargs=project_pk, get=CLIENT_ONLY),
        "portal:message_new": Rule(
            kwargs=project_pk,
            get=CLIENT_ONLY,
            post=CLIENT_WRITES,
            data=lambda world, persona: {"subject": "验收时间", "body": "能否提前？"},
        ),
        "portal:thread": Rule(
            kwargs=lambda world: {
                "pk": world.project.pk,
                "record_pk": world.portal_thread.pk,
            },
            get=CLIENT_ONLY,
            post=CLIENT_WRITES,
            data=lambda world, persona: {"body": "好的，谢谢！"},
        ),
    }
)


# --- who the client is: invitations, sign-in links, the account, the staff side --------


def access_world(world):
    """李娜 of the world's client, invited (her link's token kept), and a sign-in link
    of 张伟, who has a password."""
    from clientfolio.portal import services

    li_na = world.client.contacts.get(name="李娜")
    invitation = services.invite_contact(li_na, by=world.staff, base_url="http://t")
    link = services.send_sign_in_link(world.contact, base_url="http://t")
    return {
        "li_na": li_na,
        "invitation_token": invitation.token,
        "sign_in_token": link.token,
    }


_world_before_access = world


def world(world):  # noqa: F811  (the records above, and those of the access rows)
    return {**_world_before_access(world), **access_world(world)}


NEW_PASSWORD = "Qiantang-River-Tide-2026"
OPEN = portal_statuses(200, 200, 200, 200)
OPEN_WRITE = portal_statuses(302, 302, 302, 302)
OWN_ACCOUNT = portal_statuses(LOGIN, 200, 200, 404)
OWN_ACCOUNT_WRITE = portal_statuses(LOGIN, 302, 302, 404)
CONTACT_GET = statuses(LOGIN, 404, 405, 405)
CONTACT_WRITE = statuses(LOGIN, 404, 302, 302)


def li_na_pk(world):
    return {"pk": world.li_na.pk}


def sharing_data(world, persona):
    from clientfolio.portal.models import ProjectSharing

    version = (
        ProjectSharing.objects.filter(project=world.project)
        .values_list("version", flat=True)
        .first()
    )
    return {
        "is_enabled": "on",
        "shows_progress": "on",
        "shows_timeline": "on",
        "version": version or "",
    }


RULES.update(
    {
        "portal:welcome": Rule(
            kwargs=lambda world: {"token": world.invitation_token},
            get=OPEN,
            post=OPEN_WRITE,
            data=lambda world, persona: {
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        ),
        "portal:sign_in": Rule(
            get=OPEN,
            post=OPEN_WRITE,
            data=lambda world, persona: {"email": "zhang.wei@yunfan.cn"},
        ),
        "portal:sign_in_link": Rule(
            kwargs=lambda world: {"token": world.sign_in_token},
            get=OPEN,
            post=OPEN_WRITE,
        ),
        "portal:account": Rule(
            get=OWN_ACCOUNT,
            post=OWN_ACCOUNT_WRITE,
            data=lambda world, persona: {"language": "zh-hans"},
        ),
        "portal:account_password": Rule(
            get=portal_statuses(LOGIN, 405, 405, 405),
            post=OWN_ACCOUNT_WRITE,
            data=lambda world, persona: {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        ),
        "portal_staff:contact_invite": Rule(
            kwargs=li_na_pk,
            get=CONTACT_GET,
            post=CONTACT_WRITE,
            data=lambda world, persona: {"language": "en"},
        ),
        "portal_staff:contact_resend": Rule(
            kwargs=li_na_pk, get=CONTACT_GET, post=CONTACT_WRITE
        ),
        "portal_staff:contact_revoke": Rule(
            kwargs=li_na_pk, get=CONTACT_GET, post=CONTACT_WRITE
        ),
        "portal_staff:contact_access": Rule(
            kwargs=li_na_pk,
            get=CONTACT_GET,
            post=CONTACT_WRITE,
            data=lambda world, persona: {"enabled": "0"},
        ),
        "portal_staff:sharing": Rule(
            kwargs=project_pk,
            get=FOLDER_MANAGE,
            post=FOLDER_MANAGE_WRITE,
            data=sharing_data,
        ),
    }
)


# --- the client's decisions: change requests, deliverables and milestones -----------


def decisions_world(world):
    """A change request the team sent to 张伟 for his decision, a submitted deliverable
    on a client-visible milestone, and, on a second project of his client (whose plan
    nothing recomputes), a milestone without deliverables whose date has passed."""
    import datetime

    from clientfolio.projects import change_control
    from clientfolio.quality import services as quality
    from clientfolio.quality.models import Deliverable
    from clientfolio.schedule.models import Task
    from tests.projects.factories import ChangeRequestFactory, ProjectFactory
    from tests.schedule.factories import TaskFactory

    change = ChangeRequestFactory(
        project=world.project, title="增加移动端审批", schedule_impact_days=5
    )
    change_control.transition(change, "evaluating", world.project_manager)
    change_control.transition(change, "awaiting_client", world.project_manager)
    change.refresh_from_db()
    milestone = TaskFactory(project=world.project, name="设计评审通过", milestone=True)
    deliverable = quality.save_deliverable(
        Deliverable(
            project=world.project,
            milestone=milestone,
            name="架构设计说明书",
            status=Deliverable.Status.SUBMITTED,
        )
    )
    second = ProjectFactory(
        client=world.client, name="客户数据平台运维", manager=world.project_manager
    )
    ready = TaskFactory(project=second, name="运维交接", milestone=True)
    Task.objects.filter(pk=ready.pk).update(finish=datetime.date(2026, 1, 5))
    ready.refresh_from_db()
    return {
        "portal_change": change,
        "portal_deliverable": deliverable,
        "portal_ready_milestone": ready,
    }


_world_before_decisions = world


def world(world):  # noqa: F811  (the records above, and those of the decisions)
    return {**_world_before_decisions(world), **decisions_world(world)}


DECIDES = portal_statuses(LOGIN, 302, 404, 404)


def portal_change_number(world):
    return {"pk": world.project.pk, "number": world.portal_change.number}


def portal_deliverable_pk(world):
    return {"pk": world.project.pk, "deliverable_pk": world.portal_deliverable.pk}


def portal_milestone_pk(world):
    milestone = world.portal_ready_milestone
    return {"pk": milestone.project_id, "milestone_pk": milestone.pk}


RULES.update(
    {
        "portal:change_requests": Rule(kwargs=project_pk, get=CLIENT_ONLY),
        "portal:change_request": Rule(
            kwargs=portal_change_number,
            get=CLIENT_ONLY,
            post=DECIDES,
            data=lambda world, persona: {
                "decision": "approved",
                "version": world.portal_change.version,
            },
        ),
        "portal:deliverable": Rule(
            kwargs=portal_deliverable_pk,
            get=CLIENT_ONLY,
            post=DECIDES,
            data=lambda world, persona: {
                "decision": "accepted",
                "version": world.portal_deliverable.version,
            },
        ),
        "portal:milestone": Rule(
            kwargs=portal_milestone_pk,
            get=CLIENT_ONLY,
            post=DECIDES,
            data=lambda world, persona: {"decision": "accepted"},
        ),
    }
)

# The decisions through the portal's API: client contacts only.
API_DECIDES = portal_statuses(401, 200, 404, 404)
API_POST_ONLY = portal_statuses(401, 405, 405, 404)


def api_change_pk(world):
    return {"pk": world.portal_change.pk}


def api_deliverable_pk(world):
    return {"pk": world.portal_deliverable.pk}


def api_ready_milestone_pk(world):
    return {"pk": world.portal_ready_milestone.pk}


RULES.update(
    {
        "portal_api:change-request-list": Rule(get=API_CLIENT_LIST),
        "portal_api:change-request-detail": Rule(
            kwargs=api_change_pk, get=API_CLIENT_ONLY
        ),
        "portal_api:change-request-decide": Rule(
            kwargs=api_change_pk,
            get=API_POST_ONLY,
            post=API_DECIDES,
            data=lambda world, persona: {
                "decision": "approved",
                "version": world.portal_change.version,
            },
        ),
        "portal_api:deliverable-list": Rule(get=API_CLIENT_LIST),
        "portal_api:deliverable-detail": Rule(
            kwargs=api_deliverable_pk, get=API_CLIENT_ONLY
        ),
        "portal_api:deliverable-accept": Rule(
            kwargs=api_deliverable_pk,
            get=API_POST_ONLY,
            post=portal_statuses(401, 201, 404, 404),
            data=lambda world, persona: {"decision": "accepted"},
        ),
        "portal_api:milestone-list": Rule(get=API_CLIENT_LIST),
        "portal_api:milestone-detail": Rule(
            kwargs=api_ready_milestone_pk, get=API_CLIENT_ONLY
        ),
        "portal_api:milestone-accept": Rule(
            kwargs=api_ready_milestone_pk,
            get=API_POST_ONLY,
            post=portal_statuses(401, 201, 404, 404),
            data=lambda world, persona: {"decision": "accepted"},
        ),
    }
)

RULES.update(
    {"portal:documents": Rule(kwargs=project_pk, get=CLIENT_ONLY)},
)

# The portal API's conversation: meetings, action items, feedback, requests, threads.
API_POST_ONLY_ACTION = portal_statuses(401, 405, 405, 404)
API_CLIENT_ACTS = portal_statuses(401, 200, 404, 404)
API_CLIENT_SENDS = portal_statuses(401, 201, 201, 404)


def api_pk(attribute):
    return lambda world: {"pk": getattr(world, attribute).pk}


RULES.update(
    {
        "portal_api:meeting-list": Rule(get=API_CLIENT_LIST),
        "portal_api:meeting-detail": Rule(
            kwargs=api_pk("portal_meeting"), get=API_CLIENT_ONLY
        ),
        "portal_api:meeting-respond": Rule(
            kwargs=api_pk("portal_meeting"),
            get=API_POST_ONLY_ACTION,
            post=API_CLIENT_ACTS,
            data=lambda world, persona: {"state": "confirmed"},
        ),
        "portal_api:action-item-list": Rule(get=API_CLIENT_LIST),
        "portal_api:action-item-done": Rule(
            kwargs=api_pk("portal_action_item"),
            get=API_POST_ONLY_ACTION,
            post=API_CLIENT_ACTS,
            data=lambda world, persona: {"version": world.portal_action_item.version},
        ),
        "portal_api:feedback-list": Rule(
            get=API_CLIENT_LIST,
            post=API_CLIENT_SENDS,
            data=lambda world, persona: {"kind": "praise", "subject": "原型很好"},
        ),
        "portal_api:requirement-list": Rule(
            get=API_CLIENT_LIST,
            post=API_CLIENT_SENDS,
            data=lambda world, persona: {"title": "导出 PDF 报表"},
        ),
        # Another client's contact names a project they do not see: 400, as for an
        # unknown id.
        "portal_api:thread-list": Rule(
            get=API_CLIENT_LIST,
            post=portal_statuses(401, 201, 400, 404),
            data=lambda world, persona: {
                "project": world.project.pk,
                "subject": "验收时间",
                "body": "能否提前？",
            },
        ),
        "portal_api:thread-detail": Rule(
            kwargs=api_pk("portal_thread"), get=API_CLIENT_ONLY
        ),
        "portal_api:thread-reply": Rule(
            kwargs=api_pk("portal_thread"),
            get=API_POST_ONLY_ACTION,
            post=portal_statuses(401, 201, 404, 404),
            data=lambda world, persona: {"body": "好的，谢谢！"},
        ),
    }
)
