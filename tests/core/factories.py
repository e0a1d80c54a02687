"""Factories of the shell: users with a role, tags."""

import factory
from factory.django import DjangoModelFactory

from clientfolio.core.models import Role, Tag, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.STAFF
    password = factory.django.Password(PASSWORD)

    class Params:
        admin = factory.Trait(role=Role.ADMIN)
        client_contact = factory.Trait(role=Role.CLIENT)
        inactive = factory.Trait(is_active=False)


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"标签{n}")
