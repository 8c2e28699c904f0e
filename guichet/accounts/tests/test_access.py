"""Who holds which role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from guichet.accounts.access import has_role, is_coordinator, roles_of, signed_in
from guichet.accounts.models import Role
from guichet.accounts.services import role_grant, role_revoke
from guichet.accounts.tests.factories import CollegeFactory, RoleGrantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_holds_no_role() -> None:
    assert roles_of(AnonymousUser()) == frozenset()
    assert not is_coordinator(AnonymousUser())


def test_a_person_holds_the_roles_granted_to_them() -> None:
    person = UserFactory.create()
    RoleGrantFactory.create(user=person, role=Role.MEMBER)
    RoleGrantFactory.create(user=person, role=Role.ASSOCIATE)

    assert roles_of(person) == {"member", "associate"}
    assert has_role(person, Role.MEMBER)
    assert not has_role(person, Role.CLIENT)


def test_a_granted_role_counts_at_once_for_the_same_person_object() -> None:
    person = UserFactory.create()
    assert not has_role(person, Role.COORDINATOR)

    role_grant(user=person, role=Role.COORDINATOR)

    assert is_coordinator(person)


def test_a_revoked_role_stops_counting_at_once_for_the_same_person_object() -> None:
    person = UserFactory.create()
    role_grant(user=person, role=Role.ASSOCIATE, college=CollegeFactory.create())
    assert has_role(person, Role.ASSOCIATE)

    role_revoke(user=person, role=Role.ASSOCIATE)

    assert not has_role(person, Role.ASSOCIATE)


def test_a_coordinator_acts_for_the_network() -> None:
    assert is_coordinator(RoleGrantFactory.create(role=Role.COORDINATOR).user)


def test_staff_can_do_what_coordinators_do() -> None:
    assert is_coordinator(UserFactory.create(is_staff=True))


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CLIENT, Role.ASSOCIATE])
def test_other_roles_are_not_coordinators(role: Role) -> None:
    assert not is_coordinator(RoleGrantFactory.create(role=role).user)


def test_a_signed_in_request_gives_its_person_and_an_anonymous_one_is_refused() -> None:
    person = UserFactory.create()
    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(lambda: person)  # as AuthenticationMiddleware sets it
    assert signed_in(request) == person

    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        signed_in(request)
