"""Demo organisations: two member providers and a client public body, with their people."""

from guichet.accounts.models import User
from guichet.core.demo_data import DemoLogin
from guichet.network.models import Membership, Organisation, OrganisationKind

ORGANISATIONS = [
    ("libre-et-local", "Libre et Local", OrganisationKind.COOPERATIVE, True, "Lyon",
     "https://libre-et-local.example", "Coopérative d'intégration de logiciels libres pour "
     "les collectivités de la région lyonnaise."),
    ("atelier-du-code-commun", "Atelier du Code Commun", OrganisationKind.COMPANY, True, "Nantes",
     "https://code-commun.example", "Éditeur et mainteneur de briques libres de gestion "
     "documentaire."),
    ("ville-de-saint-aubin", "Ville de Saint-Aubin", OrganisationKind.PUBLIC_BODY, False,
     "Saint-Aubin", "", "Commune cliente du réseau."),
]  # fmt: skip

MEMBERSHIPS = [
    ("membre@demo.guichet.test", "libre-et-local", True),
    ("associe@demo.guichet.test", "libre-et-local", False),
    ("membre2@demo.guichet.test", "atelier-du-code-commun", True),
    ("client@demo.guichet.test", "ville-de-saint-aubin", True),
]


def load() -> list[DemoLogin]:
    for slug, name, kind, is_member, city, website, description in ORGANISATIONS:
        Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "is_member": is_member,
                "city": city,
                "website": website,
                "description": description,
            },
        )
    for email, slug, is_manager in MEMBERSHIPS:
        Membership.objects.update_or_create(
            person=User.objects.get(email=email),
            organisation=Organisation.objects.get(slug=slug),
            defaults={"is_manager": is_manager},
        )
    return []
