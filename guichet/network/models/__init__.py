"""The network's data: organisations and people, places, software, who knows what."""

from guichet.network.models.catalogue import Component, Sector, Software
from guichet.network.models.links import Evidence, EvidenceKind, SoftwareLink, SoftwareRole
from guichet.network.models.organisations import (
    Certification,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    OtherNetwork,
)
from guichet.network.models.places import Commune, Department, Region

__all__ = [
    "Certification",
    "Commune",
    "Component",
    "Department",
    "Evidence",
    "EvidenceKind",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "OrganisationSize",
    "OtherNetwork",
    "Region",
    "Sector",
    "Software",
    "SoftwareLink",
    "SoftwareRole",
]
