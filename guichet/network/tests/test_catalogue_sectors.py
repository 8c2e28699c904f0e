"""One sector per name in the catalogue, however the SILL spelled it."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from guichet.network.models import Component, Sector, Software
from guichet.network.services.catalogue import sill_directory, software_import_sill

pytestmark = pytest.mark.django_db

merging = import_module("guichet.network.migrations.0009_one_spelling_per_sector")


def test_the_imported_catalogue_has_one_sector_per_name(demo):
    software_import_sill(directory=sill_directory())

    names = list(Sector.objects.values_list("name", flat=True))
    assert [n for n in names if n.startswith("Conception")] == ["Conception et développement"]
    assert [n for n in names if n.startswith("Orchestration")] == [
        "Orchestration et logique métier"
    ]
    assert not [name for name in names if "&" in name]


def test_the_catalogue_filter_lists_each_sector_once(demo, client):
    response = client.get(reverse("network:software_list"))

    html = response.content.decode()
    assert html.count(">Conception et développement<") == 1
    assert "Conception &amp; " not in html


def test_the_migration_merges_the_spellings_of_existing_sectors(demo):
    Software.objects.update(component=None)
    Component.objects.all().delete()
    Sector.objects.all().delete()
    ampersand = Sector.objects.create(
        name="Conception & Développement", slug="conception-developpement"
    )
    lower = Sector.objects.create(
        name="Conception & développement", slug="conception-developpement-2"
    )
    spelled = Sector.objects.create(
        name="Conception et développement", slug="conception-et-developpement"
    )
    other = Sector.objects.create(name="Réseau", slug="reseau")
    ide = Component.objects.create(sector=ampersand, name="IDE", slug="ide")
    ide_again = Component.objects.create(sector=spelled, name="IDE", slug="ide")
    tests = Component.objects.create(
        sector=lower, name="Test & Intégration", slug="test-integration"
    )
    first, second = Software.objects.order_by("pk")[:2]
    Software.objects.filter(pk=first.pk).update(component=ide)
    Software.objects.filter(pk=second.pk).update(component=ide_again)

    merging.merge_sectors(apps, None)

    assert list(Sector.objects.order_by("name").values_list("pk", "name", "slug")) == [
        (ampersand.pk, "Conception et développement", "conception-et-developpement"),
        (other.pk, "Réseau", "reseau"),
    ]
    assert set(Component.objects.values_list("pk", "sector")) == {
        (ide.pk, ampersand.pk),
        (tests.pk, ampersand.pk),
    }
    assert set(Software.objects.filter(component=ide).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
