"""The user filters every picker and serializer shares: internal staff, a project's team."""

from clientfolio.core.models import Role, User
from tests.core.factories import UserFactory
from tests.projects.factories import MembershipFactory, ProjectFactory


def test_internal_users_are_administrators_and_staff_but_not_client_contacts(db):
    admin = UserFactory(admin=True)
    staff = UserFactory()
    former = UserFactory(inactive=True)
    UserFactory(client_contact=True)

    internal = set(User.objects.internal())

    assert internal == {admin, staff, former}
    assert set(User.objects.internal().active()) == {admin, staff}
    assert {user.role for user in internal} == {Role.ADMIN, Role.STAFF}


def test_team_lists_the_members_of_that_project_only_ordered_by_first_name(db):
    manager = UserFactory(first_name="Bo", username="manager")
    project = ProjectFactory(manager=manager)
    member = MembershipFactory(
        project=project, user=UserFactory(first_name="Ann", username="member")
    ).user
    left = MembershipFactory(
        project=project, user=UserFactory(first_name="Cy", inactive=True)
    ).user
    MembershipFactory()  # someone on another project

    assert list(User.objects.on_team(project)) == [member, manager, left]
    assert list(User.objects.on_team(project).active()) == [member, manager]
