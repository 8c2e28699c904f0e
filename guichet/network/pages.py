from django.urls import reverse

from guichet.core.registries.pages import ANONYMOUS, Page, exempt_url, register

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
        lambda: reverse("network:directory")
        + "?software=GLPI&role=editor&role=maintainer&near=Lyon&radius=100",
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
