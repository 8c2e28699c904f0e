"""The network's data: organisations and people, places, software, who knows what."""

from guichet.network.models.admission import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    DecisionChannel,
    EvaluatorAssignment,
    Rating,
    ValueRating,
)
from guichet.network.models.catalogue import Component, Sector, Software
from guichet.network.models.charter import Charter, CharterSignature, CharterValue
from guichet.network.models.links import Evidence, EvidenceKind, SoftwareLink, SoftwareRole
from guichet.network.models.organisations import (
    Certification,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    OtherNetwork,
)
from guichet.network.models.places import Commune, CoordinatesSource, Department, Region

__all__ = [
    "Application",
    "ApplicationKind",
    "ApplicationStatus",
    "Certification",
    "Charter",
    "CharterSignature",
    "CharterValue",
    "Commune",
    "Component",
    "CoordinatesSource",
    "DecisionChannel",
    "Department",
    "EvaluatorAssignment",
    "Evidence",
    "EvidenceKind",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "OrganisationSize",
    "OtherNetwork",
    "Rating",
    "Region",
    "Sector",
    "Software",
    "SoftwareLink",
    "SoftwareRole",
    "ValueRating",
]
