"""Factories for people and roles. Passwords are known, emails verified unless asked otherwise."""

# factory_boy's declarations carry no type hints; the factories' `create()` does.
# mypy: disable-error-code="no-untyped-call,untyped-decorator"

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from factory.declarations import LazyAttribute, Maybe, Sequence, SubFactory
from factory.django import DjangoModelFactory, Password
from factory.faker import Faker
from factory.helpers import post_generation

from guichet.accounts.models import College, Role, RoleGrant, User

PASSWORD = "un mot de passe solide 2026"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = Sequence(lambda n: f"personne{n}@exemple.test")
    full_name = Faker("name", locale="fr_FR")
    password = Password(PASSWORD)

    @post_generation
    def verified(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        """A verified primary address, as allauth requires to sign in (pass verified=False)."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class CollegeFactory(DjangoModelFactory[College]):
    class Meta:
        model = College
        django_get_or_create = ("slug",)

    slug = Sequence(lambda n: f"college-{n}")
    name = Sequence(lambda n: f"Collège {n}")
    name_en = Sequence(lambda n: f"College {n}")


class RoleGrantFactory(DjangoModelFactory[RoleGrant]):
    class Meta:
        model = RoleGrant

    user = SubFactory(UserFactory)
    role = Role.CLIENT
    college = Maybe(
        LazyAttribute(lambda grant: grant.role == Role.ASSOCIATE),
        yes_declaration=SubFactory(CollegeFactory),
        no_declaration=None,
    )
