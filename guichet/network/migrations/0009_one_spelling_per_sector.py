"""One row per sector of the catalogue: the SILL wrote some sectors two ways ("Conception &
Développement", "Conception et développement"), and each spelling had become a sector.

The spellings are merged into the first row made, under the name the import now gives
(network/domain/sill.py, `sector_name`, copied here as it stands today); components with
the same identifier in two merged sectors become one, and their software follows.
"""

from collections import defaultdict
from typing import Any

from django.db import migrations
from django.utils.text import slugify


def sector_name(raw: object) -> str:
    words = " ".join(str(raw or "").strip().replace("&", " et ").split())
    return words[:1].upper() + words[1:].lower()


def merge_sectors(apps: Any, schema_editor: Any) -> None:
    Sector = apps.get_model("network", "Sector")
    Component = apps.get_model("network", "Component")
    Software = apps.get_model("network", "Software")
    spellings: dict[str, list[Any]] = defaultdict(list)
    for sector in Sector.objects.order_by("pk"):
        spellings[sector_name(sector.name)].append(sector)
    for name, sectors in spellings.items():
        kept, *others = sectors
        for other in others:
            for component in Component.objects.filter(sector=other).order_by("pk"):
                same = Component.objects.filter(sector=kept, slug=component.slug).first()
                if same is None:
                    component.sector = kept
                    component.save(update_fields=["sector"])
                else:
                    Software.objects.filter(component=component).update(component=same)
                    component.delete()
            other.delete()
        if (kept.name, kept.slug) != (name, slugify(name)[:120]):
            kept.name, kept.slug = name, slugify(name)[:120]
            kept.save(update_fields=["name", "slug"])


class Migration(migrations.Migration):
    dependencies = [("network", "0008_commune_names_and_coordinates")]

    operations = [migrations.RunPython(merge_sectors, migrations.RunPython.noop)]
