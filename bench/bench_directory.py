"""Directory search on a generated network: 10,000 organisations, 2,000 software,
100,000 links, placed in real communes. Prints medians and 95th percentiles per search."""

import random
import time

from django.core.paginator import Paginator
from django.db import connection

from bench.harness import Report
from guichet.network.models import (
    Commune,
    Organisation,
    OrganisationKind,
    Software,
    SoftwareLink,
    SoftwareRole,
)
from guichet.network.selectors import DirectoryQuery, organisations_search
from guichet.network.services.places import communes_load

ORGANISATIONS, SOFTWARE, LINKS = 10_000, 2_000, 100_000


def generate() -> float:
    started = time.perf_counter()
    rng = random.Random(7)
    if Commune.objects.count() < 30_000:
        communes_load()
    communes = list(Commune.objects.filter(latitude__isnull=False).values_list("pk", flat=True))
    Software.objects.bulk_create(
        [Software(slug=f"bench-software-{i}", name=f"Logiciel {i:04d}") for i in range(SOFTWARE)],
        batch_size=1000,
    )
    kinds = [k for k in OrganisationKind.values if k != OrganisationKind.PUBLIC_BODY]
    Organisation.objects.bulk_create(
        [
            Organisation(
                slug=f"bench-org-{i}",
                name=f"Organisation {i:05d}",
                kind=rng.choice(kinds),
                is_member=True,
                commune_id=rng.choice(communes),
                capacity_days=rng.randint(0, 200),
                description=rng.choice(
                    ["Intégration et hébergement", "Développement web", "Formation", "Support"]
                ),
            )
            for i in range(ORGANISATIONS)
        ],
        batch_size=1000,
    )
    org_ids = list(
        Organisation.objects.filter(slug__startswith="bench-org-").values_list("pk", flat=True)
    )
    software_ids = list(
        Software.objects.filter(slug__startswith="bench-software-").values_list("pk", flat=True)
    )
    roles = SoftwareRole.values
    seen: set[tuple[int, int, str]] = set()
    links = []
    while len(links) < LINKS:
        key = (rng.choice(org_ids), rng.choice(software_ids), rng.choice(roles))
        if key not in seen:
            seen.add(key)
            links.append(SoftwareLink(organisation_id=key[0], software_id=key[1], role=key[2]))
    SoftwareLink.objects.bulk_create(links, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def first_page(query: DirectoryQuery) -> None:
    page = Paginator(organisations_search(query), 20).get_page(1)
    list(page.object_list)


def run(report: Report) -> None:
    seconds = generate()
    print(
        f"Generated {ORGANISATIONS} organisations, {SOFTWARE} software, {LINKS} links "
        f"in {seconds:.1f} s"
    )
    lyon = Commune.objects.get(insee_code="69123")
    software = tuple(Software.objects.filter(slug="bench-software-42").values_list("pk", flat=True))
    searches = {
        "directory: first page, no filter": DirectoryQuery(),
        "directory: editors/maintainers of X near Lyon (100 km)": DirectoryQuery(
            software=software, roles=("editor", "maintainer"), near=lyon, radius_km=100
        ),
        "directory: software X, any role, sorted by name": DirectoryQuery(
            software=software, sort="name"
        ),
        "directory: within 50 km of Lyon, by distance": DirectoryQuery(
            near=lyon, radius_km=50, sort="distance"
        ),
        "directory: words 'hébergement'": DirectoryQuery(text="hébergement"),
        "directory: region + kind": DirectoryQuery(region="84", kind="cooperative"),
    }
    for name, query in searches.items():
        report.time(
            name, lambda q=query: first_page(q), runs=40, note="first page of 20, with count"
        )
