"""Factories for organisations and the people who belong to them."""

# factory_boy's declarations carry no type hints; the factories' `create()` does.
# mypy: disable-error-code="no-untyped-call"

from factory.declarations import Sequence, SubFactory
from factory.django import DjangoModelFactory

from guichet.accounts.tests.factories import UserFactory
from guichet.network.models import Membership, Organisation, OrganisationKind


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = Sequence(lambda n: f"Organisation {n}")
    slug = Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.COOPERATIVE
    is_member = True


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    person = SubFactory(UserFactory)
    organisation = SubFactory(OrganisationFactory)
    is_manager = False
