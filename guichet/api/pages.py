from django.urls import reverse

from guichet.core.registries.pages import ANONYMOUS, Page, exempt_url, register

register(
    Page(
        "api-docs",
        lambda: reverse("api-1:openapi-view"),
        (ANONYMOUS,),
        ("api-1:openapi-view",),
        weight_exempt=True,
    )
)
exempt_url("api-1:openapi-json", "The OpenAPI document (JSON), not a page.")
