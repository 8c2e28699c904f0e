from django.urls import reverse

from guichet.core.registries.pages import ANONYMOUS, Page, register

ROLES = ("coordinator", "member", "client", "associate", "staff")

register(Page("home", lambda: reverse("web:home"), (ANONYMOUS, "member"), ("web:home",)))
register(Page("legal", lambda: reverse("web:legal"), (ANONYMOUS,), ("web:legal",)))
register(
    Page(
        "accessibility",
        lambda: reverse("web:accessibility"),
        (ANONYMOUS,),
        ("web:accessibility",),
    )
)
register(Page("source", lambda: reverse("web:source"), (ANONYMOUS,), ("web:source",)))
register(Page("dashboard", lambda: reverse("web:dashboard"), ROLES, ("web:dashboard",)))
