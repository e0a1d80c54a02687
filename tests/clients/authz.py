"""Authorization rows of the client library's money (contracts, payments received),
merged into tests/test_authorization.py.

Contracts and payments are finance data: administrators, the client's account owner and
the manager and finance people of the client's projects see and change them; for every
other user they do not exist. In this world the client belongs to another staff member,
so ``staff`` is an outsider; the pages' side is in tests/clients/test_money_permissions.py.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from clientfolio.clients.models import Client, ImportPreset
from tests.authz import API, API_CREATE, Rule, statuses

# Read: outsiders and plain members or viewers of the client's project get 404.
API_MONEY_READ = statuses(
    401, 403, 404, 200, pm=200, member=404, viewer=404, accountant=200
)
# A list answers 200 to every staff user, with only the rows they handle.
API_MONEY_LIST = statuses(401, 403, 200, 200)
# Adding a contract to a visible client the user does not handle money for: 403.
API_MONEY_ADD = statuses(
    401, 403, 403, 201, pm=201, member=403, viewer=403, accountant=201
)
# Adding a payment to a contract outside scope: the contract does not exist (400).
API_PAYMENT_ADD = statuses(
    401, 403, 400, 201, pm=201, member=400, viewer=400, accountant=201
)


def api_pk(attr):
    return lambda world: {"pk": getattr(world, attr).pk}


def contract_data(world, persona):
    return {
        "client": world.client.pk,
        "number": f"API-{persona}",
        "title": "接口合同",
        "amount": "10.00",
    }


def payment_data(world, persona):
    return {
        "contract": world.contract.pk,
        "received_on": "2026-11-05",
        "amount": "1.00",
    }


# The import's mapping step over the API: POST only, for staff who may import clients.
API_POST_ONLY_GET = statuses(401, 403, 405, 405)
API_IMPORT = statuses(401, 403, 200, 200)


def foreign_file(world, persona):
    data = "Account Name,Last Name\n授权测试公司,王芳\n".encode()
    return {
        "file": SimpleUploadedFile("zoho.csv", data),
        "preset": "builtin:zoho-contacts",
    }


def preset_data(world, persona):
    return {"name": f"Preset of {persona}", "columns": '{"公司": "name"}'}


RULES: dict[str, Rule] = {
    "client_import_columns": Rule(
        get=API_POST_ONLY_GET, post=API_IMPORT, data=foreign_file
    ),
    "client_import_check": Rule(
        get=API_POST_ONLY_GET, post=API_IMPORT, data=foreign_file
    ),
    "importpreset-list": Rule(get=API, post=API_CREATE, data=preset_data),
    "importpreset-detail": Rule(kwargs=api_pk("import_preset"), get=API),
    "contract-list": Rule(get=API_MONEY_LIST, post=API_MONEY_ADD, data=contract_data),
    "contract-detail": Rule(kwargs=api_pk("contract"), get=API_MONEY_READ),
    "payment-list": Rule(get=API_MONEY_LIST, post=API_PAYMENT_ADD, data=payment_data),
    "payment-detail": Rule(kwargs=api_pk("payment"), get=API_MONEY_READ),
}


def world(world) -> dict:
    """The client's account owner is another staff member, not the ``staff`` persona."""
    Client.objects.filter(pk=world.client.pk).update(owner=world.other)
    world.client.refresh_from_db()
    return {
        "import_preset": ImportPreset.objects.create(
            name="授权测试映射", columns={"客户": "name"}
        )
    }


def state() -> dict:
    return {}
