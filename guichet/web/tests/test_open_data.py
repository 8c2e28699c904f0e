"""The open data page: every dataset the site publishes, with its formats, its licence and
when its rows last changed; linked from every page's footer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import ORG_X
from guichet.core.opendata import LICENCE, LICENCE_URL
from guichet.core.registries.datasets import Published
from guichet.governance.models import Round
from guichet.missions.models import Contribution
from guichet.needs.models import ShortlistEntry
from guichet.network.models import Organisation, Software, SoftwareLink

pytestmark = pytest.mark.django_db

PAGE = reverse("web:open_data")
EVERY_DATASET = ["organisations", "software", "contributions", "decisions", "work-spread"]


def datasets(client: Client) -> dict[str, Published]:
    response = client.get(PAGE)
    assert response.status_code == 200
    return {dataset.key: dataset for dataset in response.context["datasets"]}


def test_the_page_lists_every_dataset_the_site_publishes(client: Client) -> None:
    assert list(datasets(client)) == EVERY_DATASET


def test_every_format_offered_downloads_under_the_licence_stated(client: Client) -> None:
    found = datasets(client)
    page = client.get(PAGE).content.decode()

    for dataset in found.values():
        assert dataset.formats, dataset.key
        assert dataset.licence == LICENCE
        assert f'href="{dataset.page}"' in page
        assert client.get(dataset.page).status_code == 200
        for name, url in dataset.formats:
            assert f'href="{url}"' in page
            response = client.get(url)
            assert response.status_code == 200, (dataset.key, name)
            if name in {"CSV", "JSON", "ODS"}:
                assert response["Link"] == f'<{LICENCE_URL}>; rel="license"'
    assert {name for d in found.values() for name, _ in d.formats} >= {"CSV", "JSON", "ODS"}
    assert f'href="{LICENCE_URL}"' in page


def test_the_catalogue_names_the_data_it_reuses(client: Client) -> None:
    assert "SILL" in datasets(client)["software"].source


def test_each_dataset_says_when_its_rows_last_changed(client: Client) -> None:
    found = datasets(client)

    members = Organisation.objects.filter(is_member=True)
    assert found["organisations"].updated == max(
        members.aggregate(at=Max("updated_at"))["at"],
        SoftwareLink.objects.filter(organisation__in=members).aggregate(at=Max("updated_at"))["at"],
    )
    assert (
        found["decisions"].updated
        == (
            Round.objects.filter(
                adopted__isnull=False, proposal__status__in=["adopted", "rejected"]
            ).aggregate(at=Max("closed_at"))["at"]
        )
    )
    assert (
        found["work-spread"].updated >= ShortlistEntry.objects.aggregate(at=Max("chosen_at"))["at"]
    )
    page = client.get(PAGE).content.decode()
    assert f'<time datetime="{timezone.localtime(found["decisions"].updated).isoformat()}' in page


def test_a_change_to_a_member_moves_its_dataset_s_time_and_no_other(client: Client) -> None:
    before = datasets(client)
    member = Organisation.objects.get(slug=ORG_X)

    member.description = "Une présentation revue."
    member.save()

    after = datasets(client)
    assert after["organisations"].updated == Organisation.objects.get(pk=member.pk).updated_at
    assert after["organisations"].updated > before["organisations"].updated
    assert after["decisions"].updated == before["decisions"].updated


def test_a_software_entry_changed_moves_the_catalogue_s_time(client: Client) -> None:
    software = Software.objects.get(slug="glpi")

    software.function = "Gestion de parc et assistance"
    software.save()

    assert datasets(client)["software"].updated == Software.objects.get(pk=software.pk).updated_at


def test_a_contribution_whose_embargo_ends_counts_as_a_change(client: Client) -> None:
    contribution = Contribution.objects.exclude(status="withdrawn").first()
    assert contribution is not None
    yesterday = timezone.localdate() - timedelta(days=1)
    long_ago = timezone.now() - timedelta(days=400)
    Contribution.objects.update(created_at=long_ago, merged_at=None, embargo_until=None)
    Contribution.objects.filter(pk=contribution.pk).update(embargo_until=yesterday)

    updated = datasets(client)["contributions"].updated

    assert updated is not None
    assert timezone.localtime(updated).date() == yesterday


def test_every_page_s_footer_links_the_open_data(client: Client) -> None:
    for url in (reverse("web:home"), reverse("network:directory"), PAGE):
        page = client.get(url).content.decode()
        footer = page[page.index('<footer class="site-footer">') :]
        assert f'href="{PAGE}"' in footer, url
    assert 'aria-current="page">Données ouvertes' in client.get(PAGE).content.decode()


def test_the_page_is_in_english_under_en(client: Client) -> None:
    response = client.get("/en" + PAGE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Open data</h1>" in page
    assert "Member organisations" in page
