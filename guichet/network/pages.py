from django.urls import reverse

from guichet.core.registries.pages import ANONYMOUS, Page, exempt_url, register
from guichet.network.models import Application, ApplicationKind, EvaluatorAssignment
from guichet.network.models.links import SoftwareLink

register(
    Page(
        "organisation-space",
        lambda: reverse("network:organisation_space", args=["libre-et-local"]),
        ("member", "coordinator"),
        ("network:organisation_space",),
    )
)
register(
    Page(
        "directory",
        lambda: reverse("network:directory"),
        (ANONYMOUS, "member"),
        ("network:directory",),
    )
)
register(
    Page(
        "directory-search",
        lambda: (
            reverse("network:directory")
            + "?software=GLPI&role=editor&role=maintainer&near=Lyon&radius=100"
        ),
        (ANONYMOUS,),
    )
)
register(
    Page(
        "directory-error",
        lambda: reverse("network:directory") + "?near=Zzyzx-sur-Mer",
        (ANONYMOUS,),
    )
)
register(
    Page(
        "organisation-profile",
        lambda: reverse("network:organisation", args=["libre-et-local"]),
        (ANONYMOUS,),
        ("network:organisation",),
    )
)
register(
    Page(
        "software-list",
        lambda: reverse("network:software_list"),
        (ANONYMOUS,),
        ("network:software_list",),
    )
)
register(
    Page(
        "software",
        lambda: reverse("network:software", args=["glpi"]),
        (ANONYMOUS,),
        ("network:software",),
    )
)
register(
    Page(
        "charter",
        lambda: reverse("network:charter"),
        (ANONYMOUS,),
        ("network:charter", "network:charter_version"),
    )
)
exempt_url("network:export", "Open-data downloads (CSV, JSON, ODS), not pages.")


# Admission by peers. The demo has three candidates: Studio Caennais just applied,
# Numérique Solidaire Rennes is being evaluated (the "member" login has its evaluation to do),
# Opale Conseil awaits its decision.
def _demo_admission(slug: str) -> int:
    return Application.objects.get(organisation__slug=slug, kind=ApplicationKind.ADMISSION).pk


def _demo_evaluation() -> int:
    return EvaluatorAssignment.objects.get(
        application=_demo_admission("numerique-solidaire-rennes"),
        evaluator_organisation__slug="libre-et-local",
    ).pk


register(
    Page(
        "apply",
        lambda: reverse("network:apply"),
        (ANONYMOUS, "applicant"),
        ("network:apply",),
    )
)
register(
    Page(
        "application-status",
        lambda: reverse(
            "network:application", args=[_demo_admission("numerique-solidaire-rennes")]
        ),
        ("applicant",),
        ("network:application",),
    )
)
register(
    Page(
        "evaluation",
        lambda: reverse("network:evaluation", args=[_demo_evaluation()]),
        ("member",),
        ("network:evaluation",),
    )
)
register(
    Page(
        "coordination-applications",
        lambda: reverse("network:coordination_applications"),
        ("coordinator",),
        ("network:coordination_applications",),
    )
)
register(
    Page(
        "coordination-application",
        lambda: reverse(
            "network:coordination_application", args=[_demo_admission("opale-conseil")]
        ),
        ("coordinator",),
        ("network:coordination_application",),
    )
)
register(
    Page(
        "coordination-application-evaluating",
        lambda: reverse(
            "network:coordination_application",
            args=[_demo_admission("numerique-solidaire-rennes")],
        ),
        ("coordinator",),
    )
)
exempt_url("network:organisation_charter_sign", "POST only: signs, then back to the space.")
exempt_url("network:coordination_open", "POST only: opens a procedure, then its page.")
exempt_url("network:coordination_assign", "POST only: assigns, then the application's page.")
exempt_url(
    "network:coordination_decide",
    "POST only: puts the application to the associates' decision, then its page.",
)
exempt_url("network:coordination_withdraw", "POST only: withdraws, then the application's page.")
exempt_url(
    "network:application_withdraw",
    "POST only: the applicant withdraws, then the application's page (its form is there).",
)
register(
    Page(
        "coordination-reevaluations",
        lambda: reverse("network:coordination_reevaluations"),
        ("coordinator",),
        ("network:coordination_reevaluations",),
    )
)


# Editing an organisation (its managers, coordinators) and keeping the catalogue.
def _demo_link(slug: str = "libre-et-local") -> int:
    return (
        SoftwareLink.objects.filter(organisation__slug=slug)
        .order_by("software__name", "role")
        .values_list("pk", flat=True)[0]
    )


register(
    Page(
        "organisation-edit",
        lambda: reverse("network:organisation_edit", args=["libre-et-local"]),
        ("member", "coordinator"),
        ("network:organisation_edit",),
    )
)
register(
    Page(
        "organisation-links",
        lambda: reverse("network:organisation_links", args=["libre-et-local"]),
        ("member", "coordinator"),
        ("network:organisation_links",),
    )
)
register(
    Page(
        "organisation-link",
        lambda: reverse("network:organisation_link", args=["libre-et-local", _demo_link()]),
        ("member", "coordinator"),
        ("network:organisation_link",),
    )
)
register(
    Page(
        "organisation-link-remove",
        lambda: reverse("network:organisation_link_remove", args=["libre-et-local", _demo_link()]),
        ("member",),
        ("network:organisation_link_remove",),
    )
)
register(
    Page(
        "coordination-software-list",
        lambda: reverse("network:coordination_software_list"),
        ("coordinator",),
        ("network:coordination_software_list",),
    )
)
register(
    Page(
        "coordination-software-add",
        lambda: reverse("network:coordination_software_add"),
        ("coordinator",),
        ("network:coordination_software_add",),
    )
)
register(
    Page(
        "coordination-software-edit",
        lambda: reverse("network:coordination_software_edit", args=["glpi"]),
        ("coordinator",),
        ("network:coordination_software_edit",),
    )
)
register(
    Page(
        "coordination-software-merge",
        lambda: reverse("network:coordination_software_merge", args=["glpi"]),
        ("coordinator",),
        ("network:coordination_software_merge",),
    )
)
exempt_url("network:organisation_person_add", "POST only: adds a person, then the profile.")
exempt_url("network:organisation_person_remove", "POST only: removes a person, then the profile.")
exempt_url("network:organisation_person_role", "POST only: changes a role, then the profile.")
exempt_url("network:organisation_link_verify", "POST only: verifies a link, then the list.")


# The charter's versions, kept by coordinators. The demo has no draft: the draft page's path
# starts one (a copy of the current version), or takes the one in progress.
def _demo_charter_draft() -> int:
    from guichet.network.services.charter import charter_draft_start, draft_in_progress

    draft = draft_in_progress() or charter_draft_start()
    return draft.version


register(
    Page(
        "coordination-charter",
        lambda: reverse("network:coordination_charter"),
        ("coordinator",),
        ("network:coordination_charter",),
    )
)
register(
    Page(
        "coordination-charter-draft",
        lambda: reverse("network:coordination_charter_draft", args=[_demo_charter_draft()]),
        ("coordinator",),
        ("network:coordination_charter_draft",),
    )
)
exempt_url(
    "network:coordination_charter_publish",
    "POST only: puts the draft to the associates' decision, then the draft's page.",
)
exempt_url(
    "network:coordination_charter_discard", "POST only: discards the draft, then the versions."
)
