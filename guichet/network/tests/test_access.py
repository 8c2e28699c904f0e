"""Who may open an organisation's private space, and who may manage it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import RoleGrantFactory, UserFactory
from guichet.network.access import can_manage, organisations_visible_privately
from guichet.network.models import Organisation
from guichet.network.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_person_sees_only_the_organisations_they_belong_to() -> None:
    own, other = OrganisationFactory.create(), OrganisationFactory.create()
    membership = MembershipFactory.create(organisation=own)

    visible = organisations_visible_privately(membership.person)

    assert list(visible) == [own]
    assert other not in visible


def test_a_person_in_two_organisations_sees_both_once() -> None:
    person = UserFactory.create()
    first, second = MembershipFactory.create(person=person), MembershipFactory.create(person=person)
    MembershipFactory.create(organisation=first.organisation)

    visible = organisations_visible_privately(person)

    assert sorted(o.pk for o in visible) == sorted([first.organisation.pk, second.organisation.pk])


def test_an_anonymous_visitor_sees_no_private_space() -> None:
    OrganisationFactory.create()

    assert not organisations_visible_privately(AnonymousUser()).exists()


def test_a_coordinator_sees_every_organisation() -> None:
    created = OrganisationFactory.create_batch(3)
    coordinator = RoleGrantFactory.create(role=Role.COORDINATOR).user  # a member of none

    visible = organisations_visible_privately(coordinator)

    # The demo's organisations are there too: every one of them, and the three new ones.
    assert visible.count() == Organisation.objects.count()
    assert set(created) <= set(visible)


def test_only_a_manager_or_a_coordinator_manages_an_organisation() -> None:
    organisation = OrganisationFactory.create()
    manager = MembershipFactory.create(organisation=organisation, is_manager=True).person
    member = MembershipFactory.create(organisation=organisation).person
    outsider = MembershipFactory.create().person
    coordinator = RoleGrantFactory.create(role=Role.COORDINATOR).user

    assert can_manage(manager, organisation)
    assert can_manage(coordinator, organisation)
    assert not can_manage(member, organisation)
    assert not can_manage(outsider, organisation)


def test_managing_one_organisation_gives_no_hold_on_another() -> None:
    manager = MembershipFactory.create(is_manager=True).person

    assert not can_manage(manager, OrganisationFactory.create())
