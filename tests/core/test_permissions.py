"""The one permission layer: what each role may do and which rows it sees."""

import pytest

from clientfolio.clients.models import Client, Contact, Payment
from clientfolio.core.models import Tag, User
from clientfolio.core.permissions import Action, can, can_any, role_of, scope
from tests.core.factories import UserFactory

CLIENT_LIBRARY = (Client, Contact, Payment)


@pytest.mark.django_db
@pytest.mark.parametrize("model", CLIENT_LIBRARY)
@pytest.mark.parametrize(
    "action",
    [
        Action.VIEW,
        Action.ADD,
        Action.CHANGE,
        Action.DELETE,
        Action.EXPORT,
        Action.IMPORT,
    ],
)
def test_staff_and_admins_work_with_the_client_library_but_client_contacts_do_not(
    model, action, staff, admin, client_user
):
    assert can(staff, action, model)
    assert can(admin, action, model)
    assert not can(client_user, action, model)


@pytest.mark.django_db
def test_only_administrators_may_purge_clients(staff, admin, client_user):
    assert can(admin, Action.PURGE, Client)
    assert not can(staff, Action.PURGE, Client)
    assert not can(client_user, Action.PURGE, Client)


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(Action))
def test_only_administrators_manage_users(action, staff, admin, client_user):
    assert can(admin, action, User)
    assert not can(staff, action, User)
    assert not can(client_user, action, User)


@pytest.mark.django_db
def test_a_superuser_counts_as_an_administrator_whatever_the_role():
    # given a superuser whose role field says client
    user = UserFactory(client_contact=True, is_superuser=True)

    # then they are an administrator
    assert role_of(user) == "admin"
    assert can(user, Action.PURGE, Client)


@pytest.mark.django_db
def test_a_deactivated_user_may_do_nothing():
    # given a deactivated administrator
    user = UserFactory(admin=True, inactive=True)

    # then every action is refused and they see no rows
    assert role_of(user) is None
    assert not any(can(user, action, Client) for action in Action)
    assert not can_any(user, Client)


def test_anonymous_may_do_nothing(anonymous):
    assert role_of(anonymous) is None
    assert role_of(None) is None
    assert not any(can(anonymous, action, "clients.client") for action in Action)


def test_models_without_rules_are_refused_to_everyone(anonymous):
    # given a model label the rules do not mention
    class Admin:
        is_authenticated = True
        is_active = True
        is_superuser = True
        role = "admin"

    # then even an administrator may not touch it
    assert not can(Admin(), Action.VIEW, "nowhere.thing")


@pytest.mark.django_db
def test_tags_may_be_seen_and_added_by_staff_but_not_deleted(staff):
    assert can(staff, Action.VIEW, Tag)
    assert can(staff, Action.ADD, Tag)
    assert not can(staff, Action.DELETE, Tag)


@pytest.mark.django_db
def test_can_accepts_instances_labels_and_action_names(staff, client_record):
    assert can(staff, "view", client_record)
    assert can(staff, Action.CHANGE, "clients.client")
    assert not can(staff, "purge", client_record)


@pytest.mark.django_db
def test_scope_shows_internal_users_every_client_and_others_none(
    staff, admin, client_user, anonymous, client_record
):
    # given a client in the library
    everything = Client.objects.all()

    # then staff and admins see it; a client contact, anonymous and inactive users do not
    assert list(scope(staff, everything)) == [client_record]
    assert list(scope(admin, everything)) == [client_record]
    assert not scope(client_user, everything).exists()
    assert not scope(anonymous, everything).exists()
    assert not scope(UserFactory(inactive=True), everything).exists()


@pytest.mark.django_db
def test_scope_for_an_action_follows_that_action(staff, admin, client_record):
    assert not scope(staff, Client.objects.all(), Action.PURGE).exists()
    assert scope(admin, Client.objects.all(), Action.PURGE).exists()


@pytest.mark.django_db
def test_navigation_shows_users_only_to_administrators(staff, admin):
    assert can_any(admin, User)
    assert not can_any(staff, User)
    assert can_any(staff, Client)


@pytest.mark.django_db
@pytest.mark.parametrize("action", [Action.VIEW, Action.CHANGE, Action.DELETE])
def test_scope_given_the_project_sees_the_same_rows_as_scope_by_row(
    action, project, project_manager, member, viewer, staff, admin
):
    """``scope(..., project=)`` looks the role up once; it must answer exactly as the
    per-row query does, own records (a member's time entries) included."""
    from clientfolio.comms.models import CommRecord
    from clientfolio.finance.models import TimeEntry
    from tests.comms.factories import CommRecordFactory
    from tests.finance.factories import TimeEntryFactory

    CommRecordFactory(project=project)
    TimeEntryFactory(project=project, user=member)
    TimeEntryFactory(project=project, user=project_manager)
    for user in (project_manager, member, viewer, staff, admin):
        for model in (CommRecord, TimeEntry):
            rows = model.objects.filter(project=project)
            by_row = set(scope(user, rows, action).values_list("pk", flat=True))
            once = set(
                scope(user, rows, action, project=project).values_list("pk", flat=True)
            )
            assert once == by_row, (user.username, model.__name__)
