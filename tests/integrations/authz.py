"""Authorization rows of the chat channel and webhook pages and API, merged into
tests/test_authorization.py.

Webhooks, their deliveries and firm-wide channels are the administrators'; a project's
channels are its manager's: for everyone else on the project they do not exist (404),
as for staff outside it. The channels and the webhook of the world post to a private
address, so a test message is refused at send time and reaches no network."""

from tests.authz import (
    ADMIN_PAGE,
    ADMIN_WRITE,
    FOLDER_MANAGE,
    FOLDER_MANAGE_WRITE,
    LOGIN,
    Rule,
    statuses,
)

POST_ONLY = statuses(LOGIN, 405, 405, 405)
# A project channel: its manager's; for anyone else it does not exist.
MANAGER_WRITE = statuses(
    LOGIN, 404, 404, 302, pm=302, member=404, viewer=404, accountant=404
)
API_MANAGER = statuses(
    401, 403, 404, 200, pm=200, member=404, viewer=404, accountant=404
)
API_POST_ONLY = statuses(401, 403, 405, 405)
# Creating a project channel: staff outside the project name a project they cannot
# see (400, as an unknown id); members see it but may not add (403).
API_CHANNEL_CREATE = statuses(
    401, 403, 400, 201, pm=201, member=403, viewer=403, accountant=403
)
API_ADMIN = statuses(401, 403, 403, 200)
API_ADMIN_CREATE = statuses(401, 403, 403, 201)
API_ADMIN_POST_ONLY = statuses(401, 403, 403, 405)
API_ADMIN_ACCEPTED = statuses(401, 403, 403, 202)

# A public address by number: the forms accept it without a DNS look-up.
PUBLIC_URL = "https://93.184.215.14/robot/send?access_token=matrix"
PRIVATE_URL = "http://10.255.0.1/robot/send?access_token=matrix"


def _firm_channel(world):
    return {"pk": world.firm_channel.pk}


def _project_channel(world):
    return {"pk": world.project_channel.pk}


def _project_channel_in_folder(world):
    return {"pk": world.project.pk, "channel_pk": world.project_channel.pk}


def _project(world):
    return {"pk": world.project.pk}


def _webhook(world):
    return {"pk": world.webhook.pk}


def _delivery(world):
    return {"pk": world.webhook_delivery.pk}


def _channel_form(version=None):
    def data(world, persona):
        body = {
            "platform": "slack",
            "name": "矩阵频道",
            "url": PUBLIC_URL,
            "kinds": ["task.assigned", "risk.level_rose"],
            "language": "zh-hans",
        }
        if version:
            body["version"] = getattr(world, version).version
        return body

    return data


def _webhook_form(world, persona):
    return {
        "name": "矩阵集成",
        "url": PUBLIC_URL,
        "kinds": ["task.assigned"],
        "version": world.webhook.version,
    }


def _api_channel(world, persona):
    return {
        "project": world.project.pk,
        "platform": "wecom",
        "name": "接口频道",
        "url": PUBLIC_URL,
        "kinds": ["task.assigned"],
        "language": "en",
    }


def _api_webhook(world, persona):
    return {"name": "接口集成", "url": PUBLIC_URL, "kinds": ["task.assigned"]}


RULES: dict[str, Rule] = {
    "integrations:index": Rule(get=ADMIN_PAGE),
    "integrations:channel_create": Rule(
        get=ADMIN_PAGE, post=ADMIN_WRITE, data=_channel_form()
    ),
    "integrations:channel_edit": Rule(
        kwargs=_firm_channel,
        get=ADMIN_PAGE,
        post=ADMIN_WRITE,
        data=_channel_form("firm_channel"),
    ),
    "integrations:channel_test": Rule(
        kwargs=_project_channel, get=POST_ONLY, post=MANAGER_WRITE
    ),
    "integrations:channel_toggle": Rule(
        kwargs=_project_channel, get=POST_ONLY, post=MANAGER_WRITE
    ),
    "integrations:channel_delete": Rule(
        kwargs=_project_channel, get=POST_ONLY, post=MANAGER_WRITE
    ),
    "integrations:project_channels": Rule(kwargs=_project, get=FOLDER_MANAGE),
    "integrations:project_channel_create": Rule(
        kwargs=_project,
        get=FOLDER_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=_channel_form(),
    ),
    "integrations:project_channel_edit": Rule(
        kwargs=_project_channel_in_folder,
        get=FOLDER_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=_channel_form("project_channel"),
    ),
    "integrations:webhook_create": Rule(
        get=ADMIN_PAGE, post=ADMIN_WRITE, data=_webhook_form
    ),
    "integrations:webhook_detail": Rule(kwargs=_webhook, get=ADMIN_PAGE),
    "integrations:webhook_edit": Rule(
        kwargs=_webhook, get=ADMIN_PAGE, post=ADMIN_WRITE, data=_webhook_form
    ),
    "integrations:webhook_test": Rule(kwargs=_webhook, get=POST_ONLY, post=ADMIN_WRITE),
    "integrations:webhook_rotate": Rule(
        kwargs=_webhook, get=POST_ONLY, post=ADMIN_WRITE
    ),
    "integrations:webhook_toggle": Rule(
        kwargs=_webhook, get=POST_ONLY, post=ADMIN_WRITE
    ),
    "integrations:webhook_delete": Rule(
        kwargs=_webhook, get=POST_ONLY, post=ADMIN_WRITE
    ),
    "integrations:delivery_redeliver": Rule(
        kwargs=_delivery, get=POST_ONLY, post=ADMIN_WRITE
    ),
    "chat-channel-list": Rule(
        get=statuses(401, 403, 200, 200), post=API_CHANNEL_CREATE, data=_api_channel
    ),
    "chat-channel-detail": Rule(kwargs=_project_channel, get=API_MANAGER),
    "chat-channel-test": Rule(
        kwargs=_project_channel, get=API_POST_ONLY, post=API_MANAGER
    ),
    "webhook-list": Rule(get=API_ADMIN, post=API_ADMIN_CREATE, data=_api_webhook),
    "webhook-detail": Rule(kwargs=_webhook, get=API_ADMIN),
    "webhook-test": Rule(kwargs=_webhook, get=API_ADMIN_POST_ONLY, post=API_ADMIN),
    "webhook-rotate-secret": Rule(
        kwargs=_webhook, get=API_ADMIN_POST_ONLY, post=API_ADMIN
    ),
    "delivery-list": Rule(get=API_ADMIN),
    "delivery-detail": Rule(kwargs=_delivery, get=API_ADMIN),
    "delivery-redeliver": Rule(
        kwargs=_delivery, get=API_ADMIN_POST_ONLY, post=API_ADMIN_ACCEPTED
    ),
}


def world(world) -> dict:
    """A firm-wide channel, a channel of the shared project (its manager's), a webhook
    and one logged delivery of the webhook (a test message)."""
    from clientfolio.integrations.models import ChatChannel, Delivery, Webhook

    firm_channel = ChatChannel.objects.create(
        platform="dingtalk",
        name="全公司通知群",
        url=PRIVATE_URL,
        secret="SECmatrix",
        kinds=["task.assigned"],
        created_by=world.admin,
    )
    project_channel = ChatChannel.objects.create(
        project=world.project,
        platform="feishu",
        name="项目群机器人",
        url=PRIVATE_URL,
        kinds=["task.assigned", "risk.level_rose"],
        language="en",
        created_by=world.project_manager,
    )
    webhook = Webhook.objects.create(
        name="ERP 集成",
        url=PRIVATE_URL,
        kinds=["task.assigned"],
        created_by=world.admin,
    )
    delivery = Delivery.objects.create(
        webhook=webhook,
        kind="ping",
        status=Delivery.Status.FAILED,
        status_code=500,
        error="HTTP 500",
        duration_ms=12,
    )
    return {
        "firm_channel": firm_channel,
        "project_channel": project_channel,
        "webhook": webhook,
        "webhook_delivery": delivery,
    }


def state() -> dict:
    from clientfolio.integrations.models import ChatChannel, Delivery, Webhook

    return {
        "ChatChannel": list(ChatChannel.objects.order_by("pk").values()),
        "Webhook": list(Webhook.objects.order_by("pk").values()),
        "Delivery": list(Delivery.objects.order_by("pk").values()),
    }
