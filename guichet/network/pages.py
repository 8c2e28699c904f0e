from django.urls import reverse

from guichet.core.registries.pages import Page, register

register(
    Page(
        "organisation-space",
        lambda: reverse("network:organisation_space", args=["libre-et-local"]),
        ("member", "coordinator"),
        ("network:organisation_space",),
    )
)
